// What the effort slider means for the current model (DESIGN §3.2), as the engine would budget it:
// the learned natural reasoning length of a reasoning query on that model — of the question being
// typed, when there is one and a predictor to ask — and the reasoning tokens each slider stop would buy. The editor asks here (one function) and sends both to the webview,
// which cannot import effort/ (DESIGN §2 layer table) and only formats them.
import { effortStops } from '../core/config/effortRange';
import type { SparseFeatures } from '../core/run/features';
import { difficultyBand } from './band';
import type { LengthPredictor } from './predictor';
import { computeBudget } from './budget';
import { bucketKey, PRIORS, type EffortEstimates } from './estimator';

export interface SliderHint {
  /** Learned natural reasoning tokens of a (short) reasoning query on the model. */
  estimate: number;
  /** Reasoning tokens budgeted at each of effortStops(). */
  tokens: number[];
  /** The estimate is the per-query prediction for the draft, not a generic reasoning query's. */
  draft?: boolean;
}

/** The question being typed, with the router's features of it (computed by the caller, who may import router/). */
export interface DraftQuery {
  text: string;
  features: SparseFeatures;
  predictor: LengthPredictor;
}

/** The reasoning tokens a call is budgeted at r × `estimate` (the engine's computeBudget). */
export function reasoningTokensAt(estimate: number, effort: number): number {
  return computeBudget(estimate, effort).reasoning;
}

/** The slider's hint for `model` (undefined: the cold-start prior), for `draft` when it is given and not blank. */
export function sliderHint(estimates: EffortEstimates | undefined, model: string | undefined, draft?: DraftQuery): SliderHint {
  const typed = draft && draft.text.trim() && model ? draft : undefined;
  // The bucket the engine budgets the query from (engine.effortPlan, reasoning mode): the draft's length band, else a short query's.
  const band = typed ? difficultyBand(typed.text) : 'low';
  const bucket = model ? bucketKey({ model, mode: 'reasoning', kind: 'reasoning', band }) : undefined;
  const prior = bucket && estimates ? estimates.get(bucket, PRIORS.reasoning).mean : PRIORS.reasoning;
  const estimate = typed && model ? typed.predictor.predict(model, typed.features, prior, bucket) : prior;
  return { estimate: Math.round(estimate), tokens: effortStops().map((r) => reasoningTokensAt(estimate, r)), ...(typed ? { draft: true } : {}) };
}
