// Inline chat's reply as a pure function of the run's events (no `vscode`): what the reply comment
// says while the run streams and when it ends. chat.ts owns the comment thread and the proposal and
// only renders what this reduces; runOnSurface (../runOnSurface.ts) owns the run.
import type { Intent, KnownRunEvent, Mode } from '../../core/run/events';
import type { ProposalEnd } from './proposal';
import { progressLabel } from './prompt';

export interface InlineReply {
  /** What the run does: the forced intent, else the routed one (from `run.routed`). */
  intent?: Intent;
  forced?: Intent;
  mode?: Mode;
  /** The mode the router picked (for the thread's title in auto mode). */
  routed?: Mode;
  /** The root thread's budget (output tokens), once known. */
  budget?: number;
  /** Tokens per thread so far. */
  tokens: Record<string, number>;
  /** The answer so far (an edit's text goes to the proposal instead). */
  answer: string;
  /** An edit's reply so far. */
  editText: string;
  reasoningChars: number;
  notes: string[];
}

export function newReply(forced?: Intent): InlineReply {
  return { ...(forced ? { forced, intent: forced } : {}), tokens: {}, answer: '', editText: '', reasoningChars: 0, notes: [] };
}

/** Applies one event; returns the text an edit's proposal should take now (if any). */
export function reduceReply(r: InlineReply, event: KnownRunEvent): string | undefined {
  switch (event.type) {
    case 'run.routed':
      r.mode = event.data.mode;
      r.routed = event.data.mode;
      r.intent = r.forced ?? event.data.intent;
      return undefined;
    case 'run.budget':
      if (event.threadId === 'root') r.budget = event.data.total;
      return undefined;
    case 'thread.started':
      if (event.threadId === 'root') r.mode = event.data.mode;
      return undefined;
    case 'thread.progress':
      r.tokens[event.threadId] = event.data.tokens;
      return undefined;
    case 'thread.delta':
      if (event.threadId !== 'root') return undefined;
      if (event.data.reasoning) r.reasoningChars += event.data.reasoning.length;
      if (!event.data.text) return undefined;
      if (r.intent === 'edit') {
        r.editText += event.data.text;
        return event.data.text;
      }
      r.answer += event.data.text;
      return undefined;
    case 'thread.notice':
      r.notes.push(event.data.message);
      return undefined;
    default:
      return undefined;
  }
}

/** The reply's status line while the run goes. */
export function replyLabel(r: InlineReply, simulated: boolean): string {
  const used = Object.values(r.tokens).reduce((a, b) => a + b, 0);
  return progressLabel({ mode: r.mode, tokens: used, budget: r.budget, status: simulated ? 'simulated model' : undefined });
}

/** The answer's body while the run goes (before its Stop link). */
export function streamingBody(r: InlineReply): string {
  return r.answer || (r.reasoningChars ? '_Thinking…_' : '_…_');
}

/** "reasoning · 1,234 tokens · simulated model": the reply's label when the run has ended. */
export function finalMeta(r: InlineReply, usage: { prompt: number; completion: number } | undefined, simulated: boolean): string {
  const used = usage ? usage.prompt + usage.completion : 0;
  return [r.mode, used > 0 ? `${used.toLocaleString('en-US')} tokens` : undefined, simulated ? 'simulated model' : undefined].filter(Boolean).join(' · ');
}

/** The run's notices, quoted under the reply. */
export function notesText(r: InlineReply): string {
  return r.notes.length ? `\n\n> ${r.notes.map((n) => n.replace(/\n/g, ' ')).join('\n> ')}` : '';
}

/** An answer that did not finish: what streamed, then why it stopped. */
export function stoppedAnswerBody(partial: string, cancelled: boolean, error: string | undefined): string {
  return cancelled ? `${partial || ''}\n\n_Stopped._` : `${partial ? `${partial}\n\n` : ''}**Error:** ${error}`;
}

/** An edit that did not finish: its proposal was removed. */
export function stoppedEditBody(cancelled: boolean, interrupted: boolean, error: string | undefined): string {
  if (!cancelled) return `$(error) ${error} The proposal was removed.`;
  return interrupted ? 'Stopped: the document was edited while ARC was writing. The proposal was removed; your text is as you left it.' : 'Stopped. The proposal was removed.';
}

/** What the reply says once a proposal has ended (cancelled ones say it themselves). */
export function proposalEndText(end: Pick<ProposalEnd, 'reason' | 'accepted' | 'rejected'>): string {
  const total = end.accepted + end.rejected;
  switch (end.reason) {
    case 'resolved':
      if (total === 0) return 'No change proposed.';
      if (end.accepted === 0) return 'Rejected: the code is as it was.';
      return `${end.rejected === 0 ? `Accepted ${end.accepted === 1 ? 'the change' : `all ${end.accepted} changes`}` : `Accepted ${end.accepted} of ${total} changes`}. Undo (Ctrl+Z) goes back to the original in one step.`;
    case 'undone':
      return 'Undone: the code is as it was.';
    case 'detached':
      return 'The proposal was edited by hand: its lines were left as they are.';
    case 'closed':
      return 'The file was closed: the proposal was dropped.';
    default:
      return '';
  }
}
