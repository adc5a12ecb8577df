// Offline trainer for the router (never imported by runtime code; a unit test checks that).
// Deterministic: the split comes from a seeded hash of each example's group, training is full-batch
// (every epoch sums the examples in file order) with a fixed number of epochs, and weights are
// rounded before they are written, evaluated or shipped.
import { createHash } from 'node:crypto';
import type { Intent, Mode } from '../../core/run/events';
import { decide } from '../decide';
import { DIM, FEATURE_VERSION, HASH_BITS, SIGNALS, createFeatureVector, extractFeatures, type RouteContext } from '../features';
import { MODES, modelFromWeights, type RouterModel, type WeightsFile } from '../model';

export interface Example {
  query: string;
  context: RouteContext;
  mode: Mode;
  intent: Intent;
  /** Variants of one template share a group, so the split never puts siblings on both sides. */
  group: string;
  /** Natural language of the query (for the report only). */
  lang: string;
  line: number;
}

export interface TrainOptions {
  /** L2 penalty on weights (not biases), per example. */
  l2: number;
  epochs: number;
  learningRate: number;
}

export const TRAIN_OPTIONS: TrainOptions = { l2: 1e-3, epochs: 400, learningRate: 0.05 };
export const SPLIT_SEED = 'arc-router-v1';
export const HELD_BACK_FRACTION = 0.2;
export const CV_FOLDS = 5;
/** Decimals kept in weights.json: enough that rounding moves no decision in the data set. */
export const WEIGHT_DECIMALS = 4;

const MODE_SET = new Set<string>(MODES);
const SOURCES = new Set(['palette', 'inline', 'sidebar', 'chat']);

/** Parses queries.jsonl; throws with the line number on anything malformed. */
export function parseDataset(text: string): Example[] {
  const out: Example[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`queries.jsonl:${i + 1}: ${(e as Error).message}`);
    }
    const bad = (what: string): never => {
      throw new Error(`queries.jsonl:${i + 1}: ${what}`);
    };
    if (typeof o.query !== 'string' || !o.query.trim()) bad('query must be a non-empty string');
    if (typeof o.mode !== 'string' || !MODE_SET.has(o.mode)) bad('mode must be instant|reasoning|agentic');
    if (o.intent !== 'answer' && o.intent !== 'edit') bad('intent must be answer|edit');
    const c = (o.context ?? {}) as Record<string, unknown>;
    if (c.source !== undefined && !SOURCES.has(c.source as string)) bad('context.source');
    if (c.selectionLines !== undefined && (typeof c.selectionLines !== 'number' || c.selectionLines < 0)) bad('context.selectionLines');
    if (c.diagnostics !== undefined && typeof c.diagnostics !== 'number') bad('context.diagnostics');
    if (c.language !== undefined && typeof c.language !== 'string') bad('context.language');
    const context: RouteContext = {};
    if (c.selectionLines !== undefined) context.selectionLines = c.selectionLines as number;
    if (c.source !== undefined) context.source = c.source as string;
    if (c.language !== undefined) context.language = c.language as string;
    if (c.diagnostics !== undefined) context.diagnostics = c.diagnostics as number;
    out.push({
      query: o.query as string,
      context,
      mode: o.mode as Mode,
      intent: o.intent as Intent,
      group: typeof o.group === 'string' ? o.group : `line:${(o.query as string).trim().toLowerCase()}`,
      lang: typeof o.lang === 'string' ? o.lang : 'en',
      line: i + 1,
    });
  });
  return out;
}

/** A number in [0, 1) from a string, stable across runs and machines. */
export function unitHash(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

export function isHeldBack(e: Example): boolean {
  return unitHash(`${SPLIT_SEED}:holdout:${e.group}`) < HELD_BACK_FRACTION;
}

export function foldOf(e: Example): number {
  return Math.floor(unitHash(`${SPLIT_SEED}:fold:${e.group}`) * CV_FOLDS);
}

interface Row {
  index: Int32Array;
  value: Float64Array;
  mode: number;
  edit: number;
}

export function featurize(examples: readonly Example[]): Row[] {
  const fv = createFeatureVector();
  return examples.map((e) => {
    extractFeatures(e.query, e.context, fv);
    return {
      index: fv.index.slice(0, fv.length),
      value: Float64Array.from(fv.value.subarray(0, fv.length)),
      mode: MODES.indexOf(e.mode),
      edit: e.intent === 'edit' ? 1 : 0,
    };
  });
}

export interface RawWeights {
  modeW: Float64Array;
  modeB: Float64Array;
  intentW: Float64Array;
  intentB: number;
}

/**
 * Full-batch Adam on mean cross-entropy + (l2/2)·‖w‖² for both heads at once. Full batch makes the
 * result independent of any shuffling; starting at zero makes it independent of any seed.
 */
export function train(rows: readonly Row[], opts: TrainOptions = TRAIN_OPTIONS): RawWeights {
  const K = MODES.length;
  const P = K * DIM + K + DIM + 1; // mode weights, mode biases, intent weights, intent bias
  const w = new Float64Array(P);
  const g = new Float64Array(P);
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const B_MODE = K * DIM, W_INTENT = B_MODE + K, B_INTENT = W_INTENT + DIM;
  const isBias = (i: number): boolean => (i >= B_MODE && i < W_INTENT) || i === B_INTENT;
  const n = rows.length;
  const z = new Float64Array(K);
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    g.fill(0);
    for (const r of rows) {
      // mode head
      for (let m = 0; m < K; m++) {
        let s = w[B_MODE + m]!;
        for (let j = 0; j < r.index.length; j++) s += w[m * DIM + r.index[j]!]! * r.value[j]!;
        z[m] = s;
      }
      let max = -Infinity;
      for (let m = 0; m < K; m++) if (z[m]! > max) max = z[m]!;
      let sum = 0;
      for (let m = 0; m < K; m++) sum += (z[m] = Math.exp(z[m]! - max));
      for (let m = 0; m < K; m++) {
        const d = (z[m]! / sum - (m === r.mode ? 1 : 0)) / n;
        g[B_MODE + m] = g[B_MODE + m]! + d;
        for (let j = 0; j < r.index.length; j++) g[m * DIM + r.index[j]!] = g[m * DIM + r.index[j]!]! + d * r.value[j]!;
      }
      // intent head
      let s = w[B_INTENT]!;
      for (let j = 0; j < r.index.length; j++) s += w[W_INTENT + r.index[j]!]! * r.value[j]!;
      const d = (1 / (1 + Math.exp(-s)) - r.edit) / n;
      g[B_INTENT] = g[B_INTENT]! + d;
      for (let j = 0; j < r.index.length; j++) g[W_INTENT + r.index[j]!] = g[W_INTENT + r.index[j]!]! + d * r.value[j]!;
    }
    const c1 = 1 - Math.pow(beta1, epoch), c2 = 1 - Math.pow(beta2, epoch);
    for (let i = 0; i < P; i++) {
      const gi = g[i]! + (isBias(i) ? 0 : opts.l2 * w[i]!);
      m1[i] = beta1 * m1[i]! + (1 - beta1) * gi;
      m2[i] = beta2 * m2[i]! + (1 - beta2) * gi * gi;
      w[i] = w[i]! - (opts.learningRate * (m1[i]! / c1)) / (Math.sqrt(m2[i]! / c2) + eps);
    }
  }
  return {
    modeW: w.slice(0, B_MODE),
    modeB: w.slice(B_MODE, W_INTENT),
    intentW: w.slice(W_INTENT, B_INTENT),
    intentB: w[B_INTENT]!,
  };
}

const roundTo = (x: number): number => {
  const f = 10 ** WEIGHT_DECIMALS;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no "-0"
};

export function toWeightsFile(raw: RawWeights, training: Record<string, unknown>): WeightsFile {
  const rows: number[][] = [];
  for (let m = 0; m < MODES.length; m++) rows.push(Array.from(raw.modeW.subarray(m * DIM, (m + 1) * DIM), roundTo));
  return {
    format: 'arc-router-weights',
    featureVersion: FEATURE_VERSION,
    hashBits: HASH_BITS,
    signals: [...SIGNALS],
    modes: [...MODES],
    training,
    mode: { bias: Array.from(raw.modeB, roundTo), weights: rows },
    intent: { bias: roundTo(raw.intentB), weights: Array.from(raw.intentW, roundTo) },
  };
}

/** One weight row per line: diffable, and byte-for-byte stable. */
export function serializeWeights(w: WeightsFile): string {
  const j = (v: unknown): string => JSON.stringify(v);
  return [
    '{',
    `  "format": ${j(w.format)},`,
    `  "featureVersion": ${j(w.featureVersion)},`,
    `  "hashBits": ${j(w.hashBits)},`,
    `  "signals": ${j(w.signals)},`,
    `  "modes": ${j(w.modes)},`,
    `  "training": ${j(w.training)},`,
    '  "mode": {',
    `    "bias": ${j(w.mode.bias)},`,
    '    "weights": [',
    w.mode.weights.map((r) => `      ${j(r)}`).join(',\n'),
    '    ]',
    '  },',
    '  "intent": {',
    `    "bias": ${j(w.intent.bias)},`,
    `    "weights": ${j(w.intent.weights)}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

// ---- evaluation -------------------------------------------------------------------------------------

export interface Confusion {
  /** counts[true][predicted] in MODES order */
  counts: number[][];
  correct: number;
  total: number;
}

export interface Evaluation {
  n: number;
  /** argmax of the model's probabilities */
  argmax: Confusion;
  /** what decide() routes at effort 1 with every mode allowed (the shipped behaviour) */
  routed: Confusion;
  intentCorrect: number;
  byLang: Record<string, { n: number; routedCorrect: number }>;
  errors: Array<{ example: Example; routed: Mode; intent: Intent }>;
}

const emptyConfusion = (): Confusion => ({ counts: MODES.map(() => MODES.map(() => 0)), correct: 0, total: 0 });
const add = (c: Confusion, t: number, p: number): void => {
  c.counts[t]![p]!++;
  c.total++;
  if (t === p) c.correct++;
};

export function evaluate(model: RouterModel, examples: readonly Example[]): Evaluation {
  const ev: Evaluation = { n: examples.length, argmax: emptyConfusion(), routed: emptyConfusion(), intentCorrect: 0, byLang: {}, errors: [] };
  for (const e of examples) {
    const d = decide(e.query, e.context, { model });
    const p = d.probabilities;
    const arg = MODES.reduce((a, b) => (p[b] > p[a] ? b : a));
    const t = MODES.indexOf(e.mode);
    add(ev.argmax, t, MODES.indexOf(arg));
    add(ev.routed, t, MODES.indexOf(d.mode));
    if (d.intent === e.intent) ev.intentCorrect++;
    const l = (ev.byLang[e.lang] ??= { n: 0, routedCorrect: 0 });
    l.n++;
    if (d.mode === e.mode) l.routedCorrect++;
    if (d.mode !== e.mode || d.intent !== e.intent) ev.errors.push({ example: e, routed: d.mode, intent: d.intent });
  }
  return ev;
}

// ---- the whole pipeline -------------------------------------------------------------------------------

export interface Artifacts {
  weightsJson: string;
  report: string;
  heldBack: Evaluation;
  cv: { accuracy: number; routedAccuracy: number; intentAccuracy: number; perFold: number[] };
  trainingFit: Evaluation;
  counts: { total: number; train: number; heldBack: number };
}

export function buildArtifacts(datasetText: string, opts: TrainOptions = TRAIN_OPTIONS): Artifacts {
  const examples = parseDataset(datasetText);
  const dataHash = createHash('sha256').update(datasetText).digest('hex');
  const modelOf = (subset: readonly Example[]): RouterModel =>
    modelFromWeights(toWeightsFile(train(featurize(subset), opts), {}));

  // 1. held-back split: a model that never sees 20% of the groups, evaluated on exactly those
  const heldBackSet = examples.filter(isHeldBack);
  const trainSet = examples.filter((e) => !isHeldBack(e));
  const heldBack = evaluate(modelOf(trainSet), heldBackSet);

  // 2. grouped cross-validation over everything, a steadier second estimate
  let cvArg = 0, cvRouted = 0, cvIntent = 0;
  const perFold: number[] = [];
  for (let f = 0; f < CV_FOLDS; f++) {
    const test = examples.filter((e) => foldOf(e) === f);
    const ev = evaluate(modelOf(examples.filter((e) => foldOf(e) !== f)), test);
    cvArg += ev.argmax.correct;
    cvRouted += ev.routed.correct;
    cvIntent += ev.intentCorrect;
    perFold.push(ev.routed.correct / Math.max(1, ev.n));
  }
  const cv = {
    accuracy: cvArg / examples.length,
    routedAccuracy: cvRouted / examples.length,
    intentAccuracy: cvIntent / examples.length,
    perFold,
  };

  // 3. the shipped weights: trained on every example
  const weights = toWeightsFile(train(featurize(examples), opts), {
    data: 'data/router/queries.jsonl',
    dataSha256: dataHash,
    examples: examples.length,
    ...opts,
  });
  const weightsJson = serializeWeights(weights);
  const trainingFit = evaluate(modelFromWeights(weights), examples);
  const counts = { total: examples.length, train: trainSet.length, heldBack: heldBackSet.length };
  const report = renderReport({ examples, heldBack, cv, trainingFit, counts, weightsBytes: Buffer.byteLength(weightsJson), dataHash, opts });
  return { weightsJson, report, heldBack, cv, trainingFit, counts };
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');

export function confusionTable(c: Confusion): string {
  const lines = ['| true \\ routed | instant | reasoning | agentic | recall |', '|---|---:|---:|---:|---:|'];
  MODES.forEach((m, t) => {
    const row = c.counts[t]!;
    const n = row.reduce((a, b) => a + b, 0);
    lines.push(`| **${m}** | ${row.join(' | ')} | ${pct(row[t]!, n)} |`);
  });
  return lines.join('\n');
}

function renderReport(a: {
  examples: Example[];
  heldBack: Evaluation;
  cv: Artifacts['cv'];
  trainingFit: Evaluation;
  counts: Artifacts['counts'];
  weightsBytes: number;
  dataHash: string;
  opts: TrainOptions;
}): string {
  const { examples, heldBack: hb } = a;
  const tally = (key: (e: Example) => string): string =>
    Object.entries(examples.reduce<Record<string, number>>((acc, e) => ((acc[key(e)] = (acc[key(e)] ?? 0) + 1), acc), {}))
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const langs = Object.entries(hb.byLang)
    .sort((x, y) => y[1].n - x[1].n || x[0].localeCompare(y[0]))
    .map(([l, v]) => `| ${l} | ${v.n} | ${pct(v.routedCorrect, v.n)} |`)
    .join('\n');
  const errors = hb.errors
    .map(({ example: e, routed, intent }) => {
      const q = e.query.replace(/\s+/g, ' ').slice(0, 90).replace(/\|/g, '\\|');
      return `| ${e.line} | ${q} | ${e.mode}/${e.intent} | ${routed}/${intent} |`;
    })
    .join('\n');
  return `# Router training report

Generated by \`node out/src/router/train/main.js\` (see src/router/README.md); do not edit by hand.
Data: \`data/router/queries.jsonl\`, sha256 \`${a.dataHash.slice(0, 16)}…\`.

## Data

- ${a.counts.total} labeled queries (DESIGN §3.1 labeling rule): ${tally((e) => e.mode)}; intent ${tally((e) => e.intent)}.
- Languages: ${tally((e) => e.lang)}.
- Sources: ${tally((e) => e.context.source ?? 'none')}.
- Split **by group** (template variants share a group), seed \`${SPLIT_SEED}\`: ${a.counts.train} for training,
  **${a.counts.heldBack} held back** and never trained on.

## Held-back split (the honest number)

A model trained on the ${a.counts.train} training queries only, evaluated on the ${a.counts.heldBack} held-back ones.
"Routed" is what \`decide()\` returns at effort 1.0 with all modes allowed (expected success minus
cost penalty); "argmax" is the most probable mode before costs.

- **Routed mode accuracy: ${pct(hb.routed.correct, hb.n)}** (${hb.routed.correct}/${hb.n})
- Argmax mode accuracy: ${pct(hb.argmax.correct, hb.n)} (${hb.argmax.correct}/${hb.n})
- Intent accuracy (answer | edit, after the inline-question rule): ${pct(hb.intentCorrect, hb.n)} (${hb.intentCorrect}/${hb.n})

Routed confusion matrix (rows = label, columns = routed mode):

${confusionTable(hb.routed)}

Argmax confusion matrix:

${confusionTable(hb.argmax)}

By natural language (routed accuracy; small counts, read loosely):

| language | n | accuracy |
|---|---:|---:|
${langs}

## ${CV_FOLDS}-fold grouped cross-validation over all ${a.counts.total} queries

Each query is predicted by a model that did not see its group. Routed accuracy ${pct(a.cv.routedAccuracy, 1)},
argmax ${pct(a.cv.accuracy, 1)}, intent ${pct(a.cv.intentAccuracy, 1)}; per fold (routed):
${a.cv.perFold.map((x) => pct(x, 1)).join(', ')}.

## Shipped weights

\`src/router/weights.json\` (${(a.weightsBytes / 1024).toFixed(1)} KB) is trained on **all** ${a.counts.total} queries with the same
settings (full-batch Adam, ${a.opts.epochs} epochs, learning rate ${a.opts.learningRate}, L2 ${a.opts.l2}, ${HASH_BITS}-bit
hash space + ${SIGNALS.length} named signals, weights rounded to ${WEIGHT_DECIMALS} decimals). Its accuracy on its own training data is
${pct(a.trainingFit.routed.correct, a.trainingFit.n)} routed / ${pct(a.trainingFit.intentCorrect, a.trainingFit.n)} intent — a fit
check, **not** an estimate of accuracy on new queries; use the numbers above for that.

## Held-back errors

| line | query | label | routed |
|---:|---|---|---|
${errors}
`;
}
