// The predicted natural reasoning length of THIS query (DESIGN §3.2): e1 budgets are relative to what
// a query usually takes, and a bucket mean (model × mode × kind × length band) cannot tell a hard
// short question from an easy one of the same length. Per model, a linear model in log space over the
// router's sparse features predicts the residual log(natural) − log(bucket mean):
//   prediction = base × exp(s · w·x),   s = n / (n + SHRINK_N)
// where base is the bucket mean, smoothed (see ANCHOR_ALPHA). So with nothing learned the prediction
// IS the bucket mean (and the cold-start prior behind it), and while a model has seen few calls its
// residual is shrunk toward the bucket. Training is normalised
// LMS (each step closes a fixed share of the error on that input, whatever its number of features)
// with L2 decay. A call cut at budget B only says "natural ≥ B": like the bucket estimator
// (estimator.ts), it can raise the prediction, never lower it, and only when B was near the
// prediction — a cut far below it (effort < 1) is what the prediction already expected.
import { z } from 'zod';
import type { SparseFeatures } from '../core/run/features';
import { mutateStored, type Store } from '../core/store/store';
import { CENSORED_INFORMATIVE, CENSORED_STEP_UP } from './estimator';

export const PREDICTOR_KEY = 'effort-predictor';
/** Calls a model's residual needs before it counts half (s = n / (n + SHRINK_N)). */
export const SHRINK_N = 3;
/** Share of the error on an input one uncut call closes (normalised LMS). */
export const LEARNING_RATE = 0.5;
/** Weight decay per step on the weights an uncut call touches: keeps rare words from running away. */
export const L2 = 0.01;
/** The residual is clamped to ×/÷ this: one odd query must not budget 100× its bucket. */
export const MAX_RATIO = 8;
/** Bounded persisted size: models kept (least recently updated evicted) and weights per model (smallest |w| evicted). */
export const MAX_MODELS = 16;
export const MAX_WEIGHTS = 2048;
/**
 * The residual is learned against the bucket mean as this predictor saw it, smoothed: a plain mean of
 * log(bucket mean) over the first ANCHOR_PLAIN calls, then an EMA with this weight. A bucket mixing
 * short and long kinds of query moves a lot under its own EMA (α 0.2, and cuts at long queries'
 * budgets push it up); the residuals would inherit every jump, a fresh prediction being off by as
 * much as the bucket happened to be at that moment.
 */
export const ANCHOR_ALPHA = 0.05;
export const ANCHOR_PLAIN = 20;
const MAX_ANCHORS = 64;

const modelSchema = z.object({
  n: z.number().int().nonnegative(),
  censored: z.number().int().nonnegative(),
  /** The state's tick when last updated: eviction order. */
  tick: z.number().int().nonnegative(),
  /** Sparse weights by feature index. */
  w: z.record(z.string().regex(/^\d+$/), z.number().finite()),
  /** Per bucket: the smoothed log bucket mean the residuals are relative to. */
  base: z.record(z.string().max(500), z.object({ log: z.number().finite(), n: z.number().int().positive() })).optional(),
});
const stateSchema = z.object({ version: z.literal(1), tick: z.number().int().nonnegative(), models: z.record(z.string(), modelSchema) });
export type PredictorModel = z.infer<typeof modelSchema>;
type State = z.infer<typeof stateSchema>;

const LOG_MAX = Math.log(MAX_RATIO);
const clampResidual = (x: number) => Math.max(-LOG_MAX, Math.min(LOG_MAX, x));

export function emptyModel(): PredictorModel {
  return { n: 0, censored: 0, tick: 0, w: {} };
}

/** w·x, unshrunk. */
export function score(m: PredictorModel, x: SparseFeatures): number {
  let s = 0;
  for (let k = 0; k < x.index.length; k++) s += (m.w[x.index[k]!] ?? 0) * x.value[k]!;
  return s;
}

export function shrinkage(n: number): number {
  return n / (n + SHRINK_N);
}

/**
 * What the residual is relative to: the bucket mean itself at first, handing over to its smoothed mean
 * over the first ANCHOR_PLAIN calls in the bucket (early on the bucket moves because it is learning,
 * and the base must follow it; later it moves because it is noisy, and the base must not).
 */
export function baseOf(m: PredictorModel | undefined, prior: number, bucket?: string): number {
  const b = bucket !== undefined ? m?.base?.[bucket] : undefined;
  if (!b) return prior;
  const settled = Math.min(1, b.n / ANCHOR_PLAIN);
  return Math.exp(settled * b.log + (1 - settled) * Math.log(prior));
}

/** Follows the bucket mean `prior` slowly (ANCHOR_ALPHA). */
function moveBase(m: PredictorModel, prior: number, bucket: string | undefined): void {
  if (bucket === undefined) return;
  const bases = (m.base ??= {});
  const b = bases[bucket];
  const n = (b?.n ?? 0) + 1;
  const log = b ? b.log + (Math.log(prior) - b.log) * (n <= ANCHOR_PLAIN ? 1 / n : ANCHOR_ALPHA) : Math.log(prior);
  bases[bucket] = { log, n };
  const keys = Object.keys(bases);
  if (keys.length > MAX_ANCHORS) delete bases[keys[0]!];
}

/** The natural length predicted for `x`, `prior` being the bucket mean. A prior of 0 (thinking off) stays 0. */
export function predictWith(m: PredictorModel | undefined, x: SparseFeatures, prior: number, bucket?: string): number {
  if (prior <= 0 || !m) return Math.max(0, prior);
  return baseOf(m, prior, bucket) * Math.exp(clampResidual(shrinkage(m.n) * score(m, x)));
}

/** `upOnly` (a censored observation): no decay, and no step at all if it would lower the score. */
function step(m: PredictorModel, x: SparseFeatures, target: number, upOnly: boolean): void {
  let norm = 0;
  for (const v of x.value) norm += v * v;
  const err = clampResidual(target) - score(m, x);
  if (upOnly && err <= 0) return;
  const decay = !upOnly;
  const g = (LEARNING_RATE * err) / (1 + norm);
  for (let k = 0; k < x.index.length; k++) {
    const key = String(x.index[k]!);
    const w = (m.w[key] ?? 0) * (decay ? 1 - LEARNING_RATE * L2 : 1) + g * x.value[k]!;
    if (w === 0) delete m.w[key];
    else m.w[key] = w;
  }
}

/** An uncut call that reasoned `tokens`: one step toward it. Mutates and returns `m`. */
export function observeNatural(m: PredictorModel, x: SparseFeatures, prior: number, tokens: number, bucket?: string): PredictorModel {
  if (prior <= 0) return m;
  step(m, x, Math.log(Math.max(1, tokens) / baseOf(m, prior, bucket)), false);
  moveBase(m, prior, bucket);
  m.n++;
  return bound(m);
}

/**
 * A call cut at `budget` (natural ≥ budget). Informative only when the budget was near or above the
 * prediction; then the target sits CENSORED_STEP_UP above max(budget, prediction), so every step
 * raises the prediction (no decay: it must never lower it). Mutates and returns `m`.
 */
export function observeCut(m: PredictorModel, x: SparseFeatures, prior: number, budget: number, bucket?: string): PredictorModel {
  if (prior <= 0) return m;
  m.censored++;
  const predicted = predictWith(m, x, prior, bucket);
  if (budget < CENSORED_INFORMATIVE * predicted) return m;
  // The base does not move here: a cut says nothing about the bucket's mean, and moving it could lower this prediction.
  const base = baseOf(m, prior, bucket);
  const unshrunk = base * Math.exp(score(m, x));
  step(m, x, Math.log((Math.max(budget, predicted, unshrunk) * CENSORED_STEP_UP) / base), true);
  m.n++;
  return bound(m);
}

/** Keeps the MAX_WEIGHTS largest weights (the ones that move predictions most). */
function bound(m: PredictorModel): PredictorModel {
  const keys = Object.keys(m.w);
  if (keys.length <= MAX_WEIGHTS) return m;
  const keep = keys.sort((a, b) => Math.abs(m.w[b]!) - Math.abs(m.w[a]!)).slice(0, MAX_WEIGHTS);
  const w: Record<string, number> = {};
  for (const k of keep) w[k] = m.w[k]!;
  m.w = w;
  return m;
}

function emptyState(): State {
  return { version: 1, tick: 0, models: {} };
}

/** The persisted predictor, shared through the Store by the CLI and the editor like the bucket estimates. */
export class LengthPredictor {
  private constructor(
    private state: State,
    private readonly store: Store | undefined,
  ) {}

  /** An unreadable or corrupt value loads as empty (the Store moves it aside); other keys are untouched. */
  static async load(store: Store | undefined): Promise<LengthPredictor> {
    const state = (store && (await store.get(PREDICTOR_KEY, stateSchema).catch(() => undefined))) ?? emptyState();
    return new LengthPredictor(state, store);
  }

  /** `bucket`: the estimate's bucket key, whose smoothed mean the residual is relative to. */
  predict(model: string, x: SparseFeatures, prior: number, bucket?: string): number {
    return predictWith(this.state.models[model], x, prior, bucket);
  }

  /** Learns from one call: `tokens` reasoned, or cut at `tokens` (the budget) when `cut`. */
  async record(model: string, x: SparseFeatures, prior: number, tokens: number, cut: boolean, bucket?: string): Promise<void> {
    if (prior <= 0 || x.index.length === 0) return;
    this.state = await mutateStored(this.store, PREDICTOR_KEY, stateSchema, this.state, emptyState, (state) => {
      const m = state.models[model] ?? emptyModel();
      state.tick++;
      m.tick = state.tick;
      state.models[model] = cut ? observeCut(m, x, prior, tokens, bucket) : observeNatural(m, x, prior, tokens, bucket);
      const names = Object.keys(state.models);
      if (names.length > MAX_MODELS) {
        const oldest = names.reduce((a, b) => (state.models[b]!.tick < state.models[a]!.tick ? b : a));
        delete state.models[oldest];
      }
    });
  }

  /** Per model: calls learned from, how many were cut, weights kept. */
  summary(): Array<{ model: string; n: number; censored: number; weights: number }> {
    return Object.entries(this.state.models)
      .map(([model, m]) => ({ model, n: m.n, censored: m.censored, weights: Object.keys(m.w).length }))
      .sort((a, b) => a.model.localeCompare(b.model));
  }
}
