// Inline chat's shapes: what a thread holds and what its commands and tests get back.
import type * as vscode from 'vscode';
import type { ChatMessage } from '../../core/model/types';
import type { Intent, Mode } from '../../core/run/events';
import type { RequestedMode, RunRequest } from '../../core/run/request';
import type { Resolution } from '../../edit/applyHunks';
import type { LineRegion } from './context';
import type { InlineProposal } from './proposal';

export interface HunkInfo {
  id: string;
  stable: boolean;
  status: 'pending' | Resolution;
  /** 0-based line in the region of the first original line replaced. */
  origStart: number;
  origLines: string[];
  newLines: string[];
  /** Document lines shown for a pending hunk: its removed then its added lines ([start, end)). */
  removed?: [number, number];
  added?: [number, number];
}

export interface ProposalInfo {
  id: string;
  uri: string;
  state: 'streaming' | 'pending' | 'ended';
  endedAs?: string;
  startLine: number;
  hunks: HunkInfo[];
  counts: { hunks: number; pending: number; accepted: number; rejected: number; added: number; removed: number };
  timings: {
    lastChunkToShownMs?: number;
    finishToShownMs?: number;
    /** Reply complete → the final diff's edit starts (waiting for a streamed edit in flight). */
    finishToFinalEditMs?: number;
    /** The final diff's own edit. */
    finalEditMs?: number;
  };
}

export interface InlineResult {
  threadId: string;
  uri: string;
  runId: string;
  status: 'finished' | 'failed' | 'cancelled';
  intent: Intent;
  mode?: Mode;
  answer: string;
  error?: string;
  /** An edit's proposal, as left in the buffer when the reply ended. */
  proposal?: ProposalInfo;
}

export interface ChatThread {
  id: string;
  uri: vscode.Uri;
  thread: vscode.CommentThread;
  /** What an edit replaces: the selection's whole lines (after an edit: what the edit left there). */
  region: LineRegion;
  /** The region was selected (not just where the cursor was): questions get it as the selection. */
  selected: boolean;
  mode?: RequestedMode;
  effort?: number;
  routed?: Mode;
  history: ChatMessage[];
  comments: vscode.Comment[];
  lastIntent?: Intent;
  run?: { controller: AbortController; done: Promise<InlineResult | undefined> };
  proposal?: InlineProposal;
  /** The exchange whose status line a proposal's outcome updates. */
  proposalComment?: vscode.Comment;
  proposalRun?: { runId: string; request: RunRequest; mode?: Mode };
  disposed: boolean;
}

export interface InlineTarget {
  editor: vscode.TextEditor;
  region: LineRegion;
  selected: boolean;
}

export interface SendOptions {
  intent?: Intent;
  mode?: RequestedMode;
  effort?: number;
  /** The prompt shown in the thread, when the query sent is longer (Fix). */
  shown?: string;
}
