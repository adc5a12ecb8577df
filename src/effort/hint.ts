// What the effort slider means for the current model (DESIGN §3.2), as the engine would budget it:
// the learned natural reasoning length of a reasoning query on that model, and the reasoning tokens
// each slider stop would buy. The editor asks here (one function) and sends both to the webview,
// which cannot import effort/ (DESIGN §2 layer table) and only formats them.
import { effortStops } from '../core/config/effortRange';
import { computeBudget } from './budget';
import { bucketKey, PRIORS, type EffortEstimates } from './estimator';

export interface SliderHint {
  /** Learned natural reasoning tokens of a (short) reasoning query on the model. */
  estimate: number;
  /** Reasoning tokens budgeted at each of effortStops(). */
  tokens: number[];
}

/** The reasoning tokens a call is budgeted at r × `estimate` (the engine's computeBudget). */
export function reasoningTokensAt(estimate: number, effort: number): number {
  return computeBudget(estimate, effort).reasoning;
}

/** The slider's hint for `model` (undefined: the cold-start prior). */
export function sliderHint(estimates: EffortEstimates | undefined, model: string | undefined): SliderHint {
  // The bucket the engine budgets a short reasoning query from (engine.effortPlan).
  const estimate = model && estimates ? estimates.get(bucketKey({ model, mode: 'reasoning', kind: 'reasoning', band: 'low' }), PRIORS.reasoning).mean : PRIORS.reasoning;
  return { estimate: Math.round(estimate), tokens: effortStops().map((r) => reasoningTokensAt(estimate, r)) };
}
