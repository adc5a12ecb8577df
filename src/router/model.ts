// The router's model: multinomial logistic regression over the three modes plus a binary logistic
// intent head, both over the features of features.ts. Weights come from weights.json, written by
// the trainer (src/router/train) and parsed only when the first decision needs them.
import { MODES } from '../core/run/events';
import { DIM, FEATURE_VERSION, HASH_BITS, SIGNALS, type FeatureVector } from './features';

export { MODES };

/** weights.json as the trainer writes it. */
export interface WeightsFile {
  format: 'arc-router-weights';
  featureVersion: number;
  hashBits: number;
  signals: string[];
  modes: string[];
  /** How the shipped weights were made (data hash, sizes, hyper-parameters); informational. */
  training: Record<string, unknown>;
  mode: { bias: number[]; weights: number[][] };
  intent: { bias: number; weights: number[] };
}

export interface RouterModel {
  /** Row-major, MODES.length × DIM. */
  readonly modeWeights: Float64Array;
  readonly modeBias: Float64Array;
  readonly intentWeights: Float64Array;
  readonly intentBias: number;
}

/** Checks that weights fit this build's features and turns them into flat arrays. */
export function modelFromWeights(w: WeightsFile): RouterModel {
  if (w.format !== 'arc-router-weights') throw new Error('router weights: unknown format');
  if (w.featureVersion !== FEATURE_VERSION || w.hashBits !== HASH_BITS) {
    throw new Error(`router weights: made for features v${w.featureVersion}/${w.hashBits} bits, this build has v${FEATURE_VERSION}/${HASH_BITS}; retrain`);
  }
  if (w.signals.length !== SIGNALS.length || w.signals.some((s, i) => s !== SIGNALS[i])) {
    throw new Error('router weights: named signals differ from this build; retrain');
  }
  if (w.modes.join() !== MODES.join() || w.mode.weights.length !== MODES.length) throw new Error('router weights: modes differ');
  const modeWeights = new Float64Array(MODES.length * DIM);
  w.mode.weights.forEach((row, m) => {
    if (row.length !== DIM) throw new Error('router weights: wrong row length');
    modeWeights.set(row, m * DIM);
  });
  if (w.intent.weights.length !== DIM) throw new Error('router weights: wrong intent length');
  return {
    modeWeights,
    modeBias: Float64Array.from(w.mode.bias),
    intentWeights: Float64Array.from(w.intent.weights),
    intentBias: w.intent.bias,
  };
}

let shipped: RouterModel | undefined;

/** The model shipped in the bundle, parsed on first use. */
export function shippedModel(): RouterModel {
  if (!shipped) {
    // A require inside the function keeps the ~100 KB of weights out of load time; esbuild
    // still bundles the JSON, and tsc emits it because shippedWeights.ts imports it.
    const data = (require('./shippedWeights') as { default: WeightsFile }).default;
    shipped = modelFromWeights(data);
  }
  return shipped;
}

/** Mode logits into `out` (length 3). */
export function modeLogits(model: RouterModel, fv: FeatureVector, out: Float64Array): Float64Array {
  const W = model.modeWeights;
  const idx = fv.index, val = fv.value, n = fv.length;
  for (let m = 0; m < MODES.length; m++) {
    let z = model.modeBias[m]!;
    const off = m * DIM;
    for (let k = 0; k < n; k++) z += W[off + idx[k]!]! * val[k]!;
    out[m] = z;
  }
  return out;
}

/** In-place softmax. */
export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! - max);
    sum += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i] = z[i]! / sum;
  return z;
}

/** Log-odds that the user wants their files changed. */
export function intentLogit(model: RouterModel, fv: FeatureVector): number {
  const W = model.intentWeights;
  let z = model.intentBias;
  for (let k = 0; k < fv.length; k++) z += W[fv.index[k]!]! * fv.value[k]!;
  return z;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
