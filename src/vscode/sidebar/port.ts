// What the rest of the editor layer needs of the sidebar: ask in it, start a new chat, reopen a past
// run, and route approvals to it while it is visible. `Services.sidebar` holds this port, not the
// controller, so that services.ts imports no view code and src/vscode has no import cycle (DESIGN §2).
import type { Mode } from '../../core/run/events';
import type { RunContext } from '../../core/run/request';
import type { RequestedMode } from '../../protocol/messages';
import type { ApprovalSink } from './approver';
import type { HistoryEntry, RunHistory } from './history';

export interface Attachment {
  name: string;
  text: string;
  language?: string;
}

export interface TurnResult {
  turnId: string;
  runId?: string;
  status: 'finished' | 'failed' | 'cancelled' | 'not-run';
  answer: string;
  mode?: Mode;
  error?: string;
}

export interface AskOptions {
  mode?: RequestedMode;
  effort?: number;
  /** Replaces the composer's attachments for this turn. */
  attachments?: Attachment[];
  selection?: RunContext['selection'];
}

export interface SidebarPort extends ApprovalSink {
  ask(query: string, opts?: AskOptions): Promise<TurnResult>;
  newChat(): void;
  readonly history: Pick<RunHistory, 'list'>;
  openHistory(entry: HistoryEntry): Promise<void>;
}
