// The sidebar's turns: one question and its run, kept in the extension (events reduced with the
// webview's own reducer) so that a page shown again gets them whole; what the page and tests see.
import type { Mode } from '../../core/run/events';
import type { RunContext, RunRequest } from '../../core/run/request';
import { coalesceEvents } from '../../protocol/coalesce';
import type { RequestedMode, TurnSnapshot } from '../../protocol/messages';
import type { RunView } from '../../protocol/runTree';
import { attachmentInfo } from './attachments';
import type { Attachment } from './port';

export interface Turn {
  id: string;
  query: string;
  mode?: RequestedMode;
  attachments: Attachment[];
  selection?: RunContext['selection'];
  events: unknown[];
  view: RunView;
  controller?: AbortController;
  rated?: 'up' | 'down';
  error?: string;
  startedAt: number;
  request?: RunRequest;
  ranMode?: Mode;
  fromHistory?: boolean;
  rateKey?: string;
  /** The run's id once it started (its checkpoint, if it changed files, carries it). */
  runId?: string;
}

/** What the page gets of a turn (bounded). */
export function turnSnapshot(turn: Turn): TurnSnapshot {
  const info = attachmentInfo(turn.attachments);
  if (turn.selection) info.unshift({ name: `selection${turn.selection.fileName ? ` in ${turn.selection.fileName}` : ''}`.slice(0, 300), chars: turn.selection.text.length });
  let events = coalesceEvents(turn.events);
  if (events.length > 15_000) events = [...events.slice(0, 14_999), events.at(-1)];
  return {
    id: turn.id,
    query: turn.query.slice(0, 100_000),
    ...(turn.mode ? { mode: turn.mode } : {}),
    attachments: info.slice(0, 50),
    events,
    ...(turn.rated ? { rated: turn.rated } : {}),
    ...(turn.error ? { error: turn.error.slice(0, 4000) } : {}),
    ...(turn.fromHistory ? { fromHistory: true } : {}),
    startedAt: turn.startedAt,
  };
}

/** What `arc.sidebar.state` reports of a turn (host tests read it). */
export function turnState(t: Turn): Record<string, unknown> {
  return {
    id: t.id,
    query: t.query,
    status: t.error ? 'not-run' : t.view.status,
    mode: t.view.routed?.mode,
    answer: t.view.answer,
    partial: t.view.partial,
    threads: t.view.order.length,
    events: t.view.events,
    rated: t.rated,
    attachments: t.attachments.map((a) => a.name),
    error: t.error ?? t.view.error,
    fromHistory: t.fromHistory === true,
    runId: t.runId,
  };
}
