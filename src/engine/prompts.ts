// The words ARC sends to models. Kept in one place so that they are reviewed together.
import type { ChatMessage } from '../core/model/types';
import type { RunRequest } from '../core/run/request';
import { instructionsPrompt } from '../agent/instructions';

const INSTANT_SYSTEM =
  'You are ARC, a coding assistant inside the user\'s editor. Answer directly and concisely. ' +
  'Use Markdown; put code in fenced blocks with a language tag. If the question cannot be answered ' +
  'from what you are given, say what is missing.';

const REASONING_SYSTEM =
  'You are ARC, a coding assistant inside the user\'s editor. Think the problem through carefully ' +
  'before you answer: check each step, and say what you assumed. Then give a clear final answer in ' +
  'Markdown, with code in fenced blocks with a language tag.';

const EDIT_SYSTEM =
  'You are ARC, editing code in the user\'s editor. You are given a selected region of a file and an ' +
  'instruction. Reply with the complete new text of the selected region — every line of it, changed ' +
  'or not, with the same indentation style — in exactly one fenced code block, and nothing else. ' +
  'Do not repeat the surrounding lines; they are context only. If the instruction cannot be done, ' +
  'return the region unchanged.';

/** Longest selection sent as context; a larger one is cut with a note, never silently. */
const MAX_SELECTION_CHARS = 60_000;

export function instantMessages(req: RunRequest): ChatMessage[] {
  return withSystem(INSTANT_SYSTEM, req);
}

export function reasoningMessages(req: RunRequest): ChatMessage[] {
  return withSystem(REASONING_SYSTEM, req);
}

/** An edit: the replacement of the selection, as one fenced block (inline chat diffs it live). */
export function editMessages(req: RunRequest, thinking: boolean): ChatMessage[] {
  return withSystem(thinking ? `${EDIT_SYSTEM} Think it through before you write the block.` : EDIT_SYSTEM, req);
}

/** Agentic mode's system prompt comes from src/agent (it knows the tools and the trust level). */
export function agenticMessages(req: RunRequest, system: string): ChatMessage[] {
  return withSystem(system, req);
}

function withSystem(system: string, req: RunRequest): ChatMessage[] {
  // The project's instructions go into every mode's system prompt, labelled as the project's (DESIGN §4).
  const content = req.instructions?.files.length ? `${system}\n\n${instructionsPrompt(req.instructions)}` : system;
  const messages: ChatMessage[] = [{ role: 'system', content }];
  for (const m of req.history ?? []) messages.push(m);
  messages.push({ role: 'user', content: userTurn(req) });
  return messages;
}

function userTurn(req: RunRequest): string {
  const parts = [selectionTurn(req)];
  const ctx = req.context;
  if (ctx?.diagnostics?.length) parts.push(`Diagnostics in the selection:\n${ctx.diagnostics.slice(0, 50).map((d) => `- ${d}`).join('\n')}`);
  if (ctx?.surrounding && (ctx.surrounding.before || ctx.surrounding.after)) {
    const lang = ctx.selection?.language ?? '';
    const block = (t: string) => fenced(t, lang);
    if (ctx.surrounding.before) parts.push(`Lines before the selection (context only):\n${block(ctx.surrounding.before)}`);
    if (ctx.surrounding.after) parts.push(`Lines after the selection (context only):\n${block(ctx.surrounding.after)}`);
  }
  for (const a of ctx?.attachments ?? []) parts.push(`Attached ${a.name}:\n${fenced(a.text, a.language ?? '')}`);
  return parts.join('\n\n');
}

function fenced(text: string, language: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function selectionTurn(req: RunRequest): string {
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
