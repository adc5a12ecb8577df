// The editor's edge for a run (DESIGN §2, one owner per concept): what a surface asks for, plus the
// settings, becomes the run request here and nowhere else. Values a person set (mode, effort, SCALE,
// spawn) are clamped and defaulted once, here; the router, the budgets and what is learned all read
// the request. No `vscode` import, so unit tests build requests exactly as the editor does.
import { clampEffort } from '../core/config/effortRange';
import type { ArcSettings } from '../core/config/settings';
import type { RequestedMode, RunRequest, RunSource } from '../core/run/request';

export interface RunSpec {
  query: string;
  /** A mode the user picked for this request; otherwise arc.mode. */
  modeOverride?: RequestedMode;
  source: RunSource;
  context?: RunRequest['context'];
  history?: RunRequest['history'];
  /** Overrides arc.effort for this request (inline `/effort`, the sidebar's slider before it is saved). */
  effort?: number;
  task?: RunRequest['task'];
}

export function runRequestFor(spec: RunSpec, settings: ArcSettings): RunRequest {
  return {
    query: spec.query.trim(),
    mode: spec.modeOverride ?? settings.mode,
    modeChosenBy: spec.modeOverride ? 'user' : 'setting',
    effort: clampEffort(spec.effort ?? settings.effort),
    parallel: { spawn: settings.spawn, maxChildren: settings.maxChildren },
    scale: settings.scale,
    scaleSystem1: settings.scaleSystem1,
    ...(settings.spendCap > 0 ? { spendCapUsd: settings.spendCap } : {}),
    source: spec.source,
    ...(spec.context ? { context: spec.context } : {}),
    ...(spec.history ? { history: spec.history } : {}),
    ...(spec.task ? { task: spec.task } : {}),
  };
}
