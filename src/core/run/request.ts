// What a surface (palette, sidebar, inline chat, CLI) asks the engine for.
import type { ChatMessage } from '../model/types';
import type { RequestedMode } from './events';
import type { ProjectInstructions } from './instructions';

export type { RequestedMode };
export type RunSource = 'palette' | 'inline' | 'sidebar' | 'chat' | 'cli';

export interface RunContext {
  /** The selected text, if any, and where it comes from. */
  selection?: { text: string; fileName?: string; language?: string; startLine?: number };
  /** Lines around the selection (windowed, never the whole of a large file), for inline requests. */
  surrounding?: { before: string; after: string };
  /** Diagnostics in or near the selection, one line each ("line 12: error: ..."). */
  diagnostics?: string[];
  /**
   * What an edit would replace, when the surface lets the router decide between an answer and an edit
   * (`task: 'auto'`, inline chat): it becomes the selection if the run turns out to be an edit.
   */
  editRegion?: { text: string; fileName?: string; language?: string; startLine?: number };
  /** Files and symbols the user attached (the sidebar's #file picker), already read and bounded. */
  attachments?: Array<{ name: string; text: string; language?: string }>;
}

export interface RunRequest {
  query: string;
  mode?: RequestedMode;
  /**
   * Who fixed `mode`: the user for this request (an override the router learns from) or a standing
   * setting (`arc.mode`, `ARC_MODE`), which says nothing about this query.
   */
  modeChosenBy?: 'user' | 'setting';
  source?: RunSource;
  /**
   * Relative effort r ∈ [MIN_EFFORT, MAX_EFFORT] (DESIGN §3.2), already clamped and defaulted where it
   * entered (core/config/effortRange): reasoning is budgeted at r × its usual length, the router weighs
   * cost by it and learns under it. Everything downstream reads this, never the setting.
   */
  effort: number;
  context?: RunContext;
  /** Earlier turns of the conversation, oldest first. */
  history?: ChatMessage[];
  /** APR spawning (DESIGN §3.4, §6.1 `--spawn`, `--max-children`); on by default in reasoning mode. */
  parallel?: { spawn?: boolean; maxChildren?: number };
  /**
   * What the surface needs back: an answer (default), or an edit — the complete replacement of the
   * selection as one fenced code block, which inline chat turns into a live diff.
   */
  task?: 'answer' | 'edit' | 'auto';
  /**
   * With `task: 'auto'`: the intent the previous request of the same conversation had, so that a
   * short follow-up ("shorter", "also handle null") continues it (router/followUp.ts).
   */
  previousIntent?: 'answer' | 'edit';
  /** SCALE (DESIGN §3.3, `--scale`, `arc.scale`): auto uses it when the query looks multi-step. */
  scale?: 'auto' | 'on' | 'off';
  /**
   * SCALE's System 1 (`arc.scale.system1`, `--scale-system1`): `same-model` — the System 2 model with
   * thinking off, as in the paper (default) — or `instant-role`.
   */
  scaleSystem1?: 'same-model' | 'instant-role';
  /** `arc.spendCap` (USD, > 0): no new spawned thread starts once the run has cost this much. */
  spendCapUsd?: number;
  /** The project's instructions (AGENTS.md …), filled in by the engine from EngineOptions.instructions. */
  instructions?: ProjectInstructions;
}
