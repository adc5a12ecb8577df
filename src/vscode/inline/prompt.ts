// What the inline prompt box understands besides the request itself, and the words the widget shows.
// Pure (no `vscode`), so it is unit-tested in plain Node.
//
//   /instant /reasoning (/reason, /think) /agentic /auto   mode for this thread
//   /effort 0.5 (or /e 0.5, /effort=0.5)                     relative effort for this thread, MIN_EFFORT–MAX_EFFORT
//   /edit  /ask                                              force an edit or an answer for this request
// Prefixes come first and may be combined ("/reasoning /effort 2 make it iterative"); a prompt that is
// only prefixes changes the thread's settings and sends nothing.
import { formatEffort, MAX_EFFORT, MIN_EFFORT } from '../../core/config/effortRange';
import type { Intent, Mode } from '../../core/run/events';
import type { RequestedMode } from '../../core/run/request';

export interface ParsedPrompt {
  query: string;
  mode?: RequestedMode;
  effort?: number;
  intent?: Intent;
  /** An effort outside 0.1–2 or not a number. */
  badEffort?: string;
}

const MODES: Record<string, RequestedMode> = {
  instant: 'instant',
  fast: 'instant',
  reasoning: 'reasoning',
  reason: 'reasoning',
  think: 'reasoning',
  agentic: 'agentic',
  agent: 'agentic',
  auto: 'auto',
};

export { MIN_EFFORT, MAX_EFFORT };

export function parsePrompt(text: string): ParsedPrompt {
  const out: ParsedPrompt = { query: '' };
  let rest = text.replace(/^\s+/, '');
  for (;;) {
    const m = /^\/([A-Za-z]+)(?=[\s=:]|$)/.exec(rest);
    if (!m) break;
    const word = m[1]!.toLowerCase();
    let used = m[0].length;
    if (word === 'effort' || word === 'e') {
      const v = /^(?:[=:]|\s)\s*([0-9]*\.?[0-9]+)(?![\w.])/.exec(rest.slice(used));
      if (v) {
        used += v[0].length;
        const r = Number(v[1]);
        if (r >= MIN_EFFORT && r <= MAX_EFFORT) out.effort = r;
        else out.badEffort = v[1];
      } else {
        out.badEffort = '(missing)';
      }
    } else if (MODES[word]) {
      out.mode = MODES[word];
    } else if (word === 'edit' || word === 'fix') {
      out.intent = 'edit';
    } else if (word === 'ask' || word === 'explain') {
      out.intent = 'answer';
    } else {
      // Not one of ours ("/tmp is full"): the rest is the request as written.
      break;
    }
    rest = rest.slice(used).replace(/^\s+/, '');
  }
  out.query = rest.trim();
  return out;
}

/** Intent for a follow-up in a thread: the engine applies it after routing (router/followUp.ts). */
export { followUpIntent } from '../../router/followUp';

const MODE_LABEL: Record<RequestedMode, string> = { auto: 'Auto', instant: 'Instant', reasoning: 'Reasoning', agentic: 'Agentic' };

export function modeLabel(mode: RequestedMode): string {
  return MODE_LABEL[mode];
}


/** The thread's title: what the next request will use. */
export function threadLabel(mode: RequestedMode, effort: number, routed?: Mode): string {
  const m = mode === 'auto' && routed ? `Auto → ${routed}` : modeLabel(mode);
  return `ARC · ${m} · effort ${formatEffort(effort)}`;
}

const nf = new Intl.NumberFormat('en-US');

/** "reasoning · 340 / 1,800 tokens" while a run goes; no budget: "340 tokens"; nothing counted yet: no tokens part. */
export function progressLabel(p: { mode?: Mode; tokens: number; budget?: number; status?: string }): string {
  const parts: string[] = [];
  if (p.mode) parts.push(p.mode);
  if (p.budget) parts.push(`${nf.format(p.tokens)} / ${nf.format(p.budget)} tokens`);
  else if (p.tokens > 0) parts.push(`${nf.format(p.tokens)} tokens`);
  if (p.status) parts.push(p.status);
  return parts.join(' · ');
}

/** The request a "Fix" sends. */
export function fixQuery(diagnosticCount: number): string {
  return diagnosticCount > 0
    ? 'Fix the problems the diagnostics below report in the selected code. Change nothing else.'
    : 'Fix the bugs in the selected code. Change nothing else.';
}

export const PROMPT_HELP = 'Ctrl+Enter sends · /instant /reasoning /agentic /auto · /effort 0.5 · /edit /ask';
