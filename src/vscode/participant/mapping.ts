// The `@arc` chat participant's request → RunRequest mapping (DESIGN §1), kept free of the `vscode`
// API so it is unit-tested in plain Node: `/instant`, `/reason` and `/agent` pick the mode, earlier
// turns of the chat become the conversation's history, and references become attachments.
import type { RequestedMode } from '../../core/run/request';
import type { RunSpec } from '../runFactory';
import { historyMessages } from '../../protocol/runTree';

export const PARTICIPANT_ID = 'arc.participant';

/** Slash commands and the mode each asks for. */
export const PARTICIPANT_COMMANDS: Readonly<Record<string, Exclude<RequestedMode, 'auto'>>> = Object.freeze({ instant: 'instant', reason: 'reasoning', agent: 'agentic' });

export type ChatTurnLike = { kind: 'request'; prompt: string; command?: string } | { kind: 'response'; text: string };

export interface ChatRequestLike {
  prompt: string;
  command?: string;
  /** References already read as text (files, selections), bounded by the caller. */
  references?: Array<{ name: string; text: string; language?: string }>;
}

export const MAX_REFERENCES = 10;

export function chatRequestToSpec(req: ChatRequestLike, history: readonly ChatTurnLike[] = []): RunSpec {
  const modeOverride = req.command ? PARTICIPANT_COMMANDS[req.command] : undefined;
  const pairs: Array<{ query: string; answer: string }> = [];
  for (let i = 0; i < history.length; i++) {
    const turn = history[i]!;
    if (turn.kind !== 'request') continue;
    const next = history[i + 1];
    pairs.push({ query: turn.prompt, answer: next?.kind === 'response' ? next.text : '' });
  }
  const messages = historyMessages(pairs);
  const attachments = (req.references ?? []).slice(0, MAX_REFERENCES).map((r) => ({ name: r.name, text: r.text, ...(r.language ? { language: r.language } : {}) }));
  return {
    query: req.prompt.trim(),
    source: 'chat',
    ...(modeOverride ? { modeOverride } : {}),
    ...(messages.length ? { history: messages } : {}),
    ...(attachments.length ? { context: { attachments } } : {}),
  };
}
