// The budget of one call (DESIGN §3.2 units: output tokens = reasoning + answer): reasoning cut at
// r × the bucket's estimate, clamped to a floor and the model's limit, with the answer's own
// allowance on top.
import { clampEffort } from '../core/config/effortRange';

/** Below this a reasoning budget is not worth a call's thinking at all. */
export const REASONING_FLOOR = 64;
/** Tokens for the answer itself, on top of the reasoning. */
export const ANSWER_ALLOWANCE = 1024;
export const DEFAULT_MODEL_LIMIT = 32_768;

export interface Budget {
  effort: number;
  /** The bucket's current estimate of natural reasoning length. */
  estimate: number;
  reasoning: number;
  answer: number;
  /** reasoning + answer: the call's output-token budget. */
  total: number;
}

export function computeBudget(estimate: number, effort: number, modelLimit = DEFAULT_MODEL_LIMIT): Budget {
  const r = clampEffort(effort);
  const answer = Math.min(ANSWER_ALLOWANCE, Math.floor(modelLimit / 2));
  const reasoning = estimate <= 0 ? 0 : Math.min(modelLimit - answer, Math.max(REASONING_FLOOR, Math.round(r * estimate)));
  return { effort: r, estimate: Math.round(estimate), reasoning, answer, total: reasoning + answer };
}
