// How a reasoning budget is enforced on a model, by what it accepts (DESIGN §3.2): a native thinking
// budget; else the reasoning_effort level whose learned mean is nearest the budget (with
// max_completion_tokens only as a generous safety cap); else budget forcing — the engine counts the
// reasoning as it streams and stops it at the budget.
import type { ChatMessage, ChatRequest, ModelCapabilities, ReasoningEffortLevel } from '../core/model/types';
import type { Budget } from './budget';

export type Enforcement = 'native' | 'effort_level' | 'forcing' | 'instruction' | 'none';

/** Typical reasoning tokens per level before ARC has learned a model's own (rough public figures). */
export const LEVEL_PRIORS: Readonly<Record<'minimal' | 'low' | 'medium' | 'high', number>> = {
  minimal: 64,
  low: 512,
  medium: 2048,
  high: 8192,
};
export const LEVELS = Object.keys(LEVEL_PRIORS) as Array<keyof typeof LEVEL_PRIORS>;
/** The safety cap when a level, not a token count, controls the reasoning. */
export const SAFETY_CAP_FACTOR = 4;
/** Generous, but within the context of small local servers (a 400 on it is dropped and remembered). */
export const SAFETY_CAP_MIN = 4096;

export interface EnforcementPlan {
  kind: Enforcement;
  level?: ReasoningEffortLevel;
  /** Merged into the call's ChatRequest. */
  request: Pick<ChatRequest, 'thinkingBudget' | 'reasoningEffort' | 'maxOutputTokens'>;
  /** Stop the reasoning when this many reasoning tokens have streamed (forcing only). */
  stopAt?: number;
  /** Words added to the system prompt (instruction only). */
  instruction?: string;
}

export function planEnforcement(caps: Readonly<ModelCapabilities>, budget: Budget, levelMean: (level: keyof typeof LEVEL_PRIORS) => number): EnforcementPlan {
  if (budget.reasoning <= 0) return { kind: 'none', request: { maxOutputTokens: budget.answer } };
  if (caps.promptEffort) return { kind: 'instruction', request: {}, instruction: effortInstruction(budget) };
  if (caps.thinkingBudgetParam) {
    return { kind: 'native', request: { thinkingBudget: budget.reasoning, maxOutputTokens: budget.total } };
  }
  if (caps.reasoningEffort) {
    let level = LEVELS[0]!;
    for (const l of LEVELS) if (Math.abs(levelMean(l) - budget.reasoning) < Math.abs(levelMean(level) - budget.reasoning)) level = l;
    return {
      kind: 'effort_level',
      level,
      request: { reasoningEffort: level, maxOutputTokens: Math.max(SAFETY_CAP_MIN, SAFETY_CAP_FACTOR * budget.total) },
    };
  }
  // Forcing: the cap leaves room to notice the budget and stop, not to run away.
  return { kind: 'forcing', stopAt: budget.reasoning, request: { maxOutputTokens: Math.max(SAFETY_CAP_MIN, 2 * budget.total) } };
}

/** The user turn that asks for the answer after reasoning was stopped at its budget (R1/Qwen3 templates drop earlier <think>). */
export function continuationTurn(reasoning: string): string {
  return (
    'Your reasoning so far was stopped at its thinking budget. Here it is:\n\n' +
    `<reasoning>\n${reasoning.trim()}\n</reasoning>\n\n` +
    'Do not reason any further. Write the final answer now, directly.'
  );
}

/**
 * The messages that ask for the answer after the reasoning was stopped: by prefill where the server
 * continues a trailing assistant turn (the reasoning closed, the answer next), else in a user turn.
 */
export function answerAfterCut(messages: ChatMessage[], reasoning: string, caps: Readonly<ModelCapabilities>): ChatMessage[] {
  if (caps.prefill) return [...messages, { role: 'assistant', content: `<think>\n${reasoning.trim()}\n</think>\n\n` }];
  return [...messages, { role: 'user', content: continuationTurn(reasoning) }];
}

/** How many times a too-short reasoning is extended s1-style at effort > 1. */
export const MAX_EXTENSIONS = 2;
/** Reasoning that closed below this share of its budget is extended when effort > 1. */
export const EXTEND_BELOW_SHARE = 0.8;

/**
 * s1's "Wait,": the model closed its reasoning early while the user asked for more than usual; it is
 * sent back to keep thinking — by prefill (the open reasoning ending in "Wait,") where supported,
 * else in a user turn that carries the reasoning so far.
 */
export function extendReasoning(messages: ChatMessage[], reasoning: string, caps: Readonly<ModelCapabilities>): ChatMessage[] {
  if (caps.prefill) return [...messages, { role: 'assistant', content: `<think>\n${reasoning.trim()}\n\nWait,` }];
  return [
    ...messages,
    {
      role: 'user',
      content:
        'Here is your reasoning so far:\n\n' +
        `<reasoning>\n${reasoning.trim()}\n</reasoning>\n\n` +
        'Wait, — before you answer, keep thinking: check each step again, look for a mistake or a case you missed, then give the final answer.',
    },
  ];
}

/** The prompt form of a budget, for models with no way to enforce one (vscode.lm). */
export function effortInstruction(budget: Budget): string {
  const depth = budget.effort < 0.75 ? 'Keep your thinking short' : budget.effort > 1.25 ? 'Think this through more thoroughly than usual' : 'Think this through';
  return `${depth}: spend about ${budget.reasoning} tokens of reasoning (${budget.effort}× what a question like this usually takes), then answer.`;
}
