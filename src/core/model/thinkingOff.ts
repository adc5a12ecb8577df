// Thinking off, per provider (DESIGN §4 "Thinking controls"). There is no one switch: each server
// family honours a different request field, some reject fields they do not know, and many accept a
// field and ignore it. So ARC tries the controls in a fixed order, verifies each from the stream (more
// than 16 reasoning tokens means it was ignored), and remembers per model which one worked, which were
// ignored and which were rejected with a 400 — the next call, and the next CLI process, start there.

export type ThinkingOffControl =
  | 'configured'
  | 'effort_none'
  | 'effort_minimal'
  | 'effort_low'
  | 'template_kwargs'
  | 'enable_thinking'
  | 'thinking_disabled'
  | 'no_think'
  | 'forced';

/** The order of DESIGN §4's table; a configured body fragment comes first. */
export const THINKING_OFF_ORDER: readonly ThinkingOffControl[] = Object.freeze([
  'configured',
  'effort_none',
  'effort_minimal',
  'effort_low',
  'template_kwargs',
  'enable_thinking',
  'thinking_disabled',
  'no_think',
  'forced',
]);

/** What a control is, for the run tree's `thinking_control` notice. */
export const CONTROL_LABELS: Readonly<Record<ThinkingOffControl, string>> = Object.freeze({
  configured: 'the endpoint\'s configured thinkingOff fields',
  effort_none: 'reasoning_effort: "none"',
  effort_minimal: 'reasoning_effort: "minimal"',
  effort_low: 'reasoning_effort: "low"',
  template_kwargs: 'chat_template_kwargs: {"enable_thinking": false}',
  enable_thinking: 'enable_thinking: false',
  thinking_disabled: 'thinking: {"type": "disabled"}',
  no_think: '/no_think in the last user turn',
  forced: 'budget forcing at zero (reasoning stopped and the answer asked for)',
});

/** More reasoning than this, and a control was ignored (an empty `<think></think>` is none). */
export const THINKING_OFF_TOLERANCE = 16;

/** What ARC knows of one model's thinking-off controls. */
export interface ThinkingOffMemory {
  /** The control that kept thinking off on this model; verified from a stream. */
  working?: ThinkingOffControl;
  /** Accepted but ignored (reasoning flowed anyway). */
  ineffective: ThinkingOffControl[];
  /** Refused with a 400. */
  rejected: ThinkingOffControl[];
}

export const emptyThinkingOffMemory = (): ThinkingOffMemory => ({ ineffective: [], rejected: [] });

/**
 * The control to send now: the verified one, else the first in order not yet ignored or rejected.
 * `reasoning_effort` levels above "none" are tried only when the lower value was rejected (a server
 * that ignores "none" ignores the others too). Always ends at `forced`, which needs nothing.
 */
export function chooseControl(mem: ThinkingOffMemory | undefined, configured: boolean): { control: ThinkingOffControl; verified: boolean } {
  const m = mem ?? emptyThinkingOffMemory();
  const out = new Set([...m.ineffective, ...m.rejected]);
  if (m.working && !out.has(m.working)) return { control: m.working, verified: true };
  for (const c of THINKING_OFF_ORDER) {
    if (out.has(c)) continue;
    if (c === 'configured' && !configured) continue;
    if (c === 'effort_minimal' && !m.rejected.includes('effort_none')) continue;
    if (c === 'effort_low' && !m.rejected.includes('effort_minimal')) continue;
    return { control: c, verified: false };
  }
  return { control: 'forced', verified: false };
}

/** The request-body key a control sets (what a 400 naming it is about); none for prompt-side controls. */
export function controlBodyKeys(control: ThinkingOffControl, configured?: Record<string, unknown>): string[] {
  switch (control) {
    case 'configured':
      return Object.keys(configured ?? {});
    case 'effort_none':
    case 'effort_minimal':
    case 'effort_low':
      return ['reasoning_effort'];
    case 'template_kwargs':
      return ['chat_template_kwargs'];
    case 'enable_thinking':
      return ['enable_thinking'];
    case 'thinking_disabled':
      return ['thinking'];
    default:
      return [];
  }
}

const SOFT_SWITCH = '/no_think';

/**
 * Applies a control to a wire request body (messages already in wire form). `forced` adds the empty
 * reasoning as a prefill where the server continues an assistant turn; the stream cut does the rest.
 */
export function applyControl(body: Record<string, unknown>, control: ThinkingOffControl, opts: { configured?: Record<string, unknown>; prefill: boolean }): void {
  switch (control) {
    case 'configured':
      mergeDeep(body, opts.configured ?? {});
      break;
    case 'effort_none':
      body.reasoning_effort = 'none';
      break;
    case 'effort_minimal':
      body.reasoning_effort = 'minimal';
      break;
    case 'effort_low':
      body.reasoning_effort = 'low';
      break;
    case 'template_kwargs':
      body.chat_template_kwargs = { ...(body.chat_template_kwargs as Record<string, unknown> | undefined), enable_thinking: false };
      break;
    case 'enable_thinking':
      body.enable_thinking = false;
      break;
    case 'thinking_disabled':
      body.thinking = { type: 'disabled' };
      break;
    case 'no_think': {
      const messages = body.messages as Array<Record<string, unknown>>;
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i]!;
        if (m.role !== 'user' || typeof m.content !== 'string') continue;
        if (!m.content.includes(SOFT_SWITCH)) messages[i] = { ...m, content: `${m.content}\n${SOFT_SWITCH}` };
        break;
      }
      break;
    }
    case 'forced':
      if (opts.prefill) (body.messages as Array<Record<string, unknown>>).push({ role: 'assistant', content: '<think>\n\n</think>\n\n' });
      break;
  }
}

/** Whether a 400's text is about this control (its body key, or its value for reasoning_effort). */
export function rejectsControl(errorText: string, control: ThinkingOffControl, configured?: Record<string, unknown>): boolean {
  const keys = controlBodyKeys(control, configured);
  return keys.some((k) => errorText.includes(k));
}

/** Tokens of streamed reasoning as this check counts them: non-whitespace text, about 4 characters a token. */
export function reasoningTokensOf(text: string): number {
  const compact = text.replace(/\s+/g, ' ').trim();
  return compact === '' ? 0 : Math.ceil(compact.length / 4);
}

/** The messages that ask for the answer once reasoning was stopped: by prefill where supported, else a user turn. */
export function answerDirectlyMessages<M extends { role: string; content: string | null }>(messages: M[], prefill: boolean): Array<M | { role: 'assistant' | 'user'; content: string }> {
  if (prefill) return [...messages, { role: 'assistant', content: '<think>\n\n</think>\n\n' }];
  return [...messages, { role: 'user', content: 'Do not think this through. Answer the question above now, directly and briefly.' }];
}

function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) mergeDeep(cur as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}
