// The words ARC sends to models. Kept in one place so that they are reviewed together.
import type { ChatMessage } from '../core/model/types';
import type { RunRequest } from './request';

const INSTANT_SYSTEM =
  'You are ARC, a coding assistant inside the user\'s editor. Answer directly and concisely. ' +
  'Use Markdown; put code in fenced blocks with a language tag. If the question cannot be answered ' +
  'from what you are given, say what is missing.';

const REASONING_SYSTEM =
  'You are ARC, a coding assistant inside the user\'s editor. Think the problem through carefully ' +
  'before you answer: check each step, and say what you assumed. Then give a clear final answer in ' +
  'Markdown, with code in fenced blocks with a language tag.';

/** Longest selection sent as context; a larger one is cut with a note, never silently. */
const MAX_SELECTION_CHARS = 60_000;

export function instantMessages(req: RunRequest): ChatMessage[] {
  return withSystem(INSTANT_SYSTEM, req);
}

export function reasoningMessages(req: RunRequest): ChatMessage[] {
  return withSystem(REASONING_SYSTEM, req);
}

/** Agentic mode's system prompt comes from src/agent (it knows the tools and the trust level). */
export function agenticMessages(req: RunRequest, system: string): ChatMessage[] {
  return withSystem(system, req);
}

function withSystem(system: string, req: RunRequest): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const m of req.history ?? []) messages.push(m);
  messages.push({ role: 'user', content: userTurn(req) });
  return messages;
}

function userTurn(req: RunRequest): string {
  const sel = req.context?.selection;
  if (!sel || sel.text.trim() === '') return req.query;
  let text = sel.text;
  let note = '';
  if (text.length > MAX_SELECTION_CHARS) {
    text = text.slice(0, MAX_SELECTION_CHARS);
    note = `\n(The selection was cut to its first ${MAX_SELECTION_CHARS} characters.)`;
  }
  const where = sel.fileName ? ` from ${sel.fileName}` : '';
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${req.query}\n\nSelected code${where}:\n${fence}${sel.language ?? ''}\n${text}\n${fence}${note}`;
}

function longestBacktickRun(s: string): number {
  let best = 0;
  for (const m of s.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}
