// The per-query length predictor beside the bucket mean (issue 17, part of effort-sim): on the
// DESIGN §8 simulator, a workload where the KIND of question sets the difficulty (so natural reasoning
// length) while every query falls in the same length band — exactly what one mean per bucket cannot
// follow. Two engines learn online from the same stream of runs, one budgeting from the bucket mean
// (no predictor), one from the per-query prediction; then both are frozen and measured on new
// questions. A MECHANICS CHECK: the simulator's natural length is a fixed function of a difficulty
// drawn per kind, so this shows whether the predictor learns what the text says about length, not
// anything about real models.
import type { z } from 'zod';
import { OpenAIEndpoint } from '../src/core/model/openaiProvider';
import type { ChatModel } from '../src/core/model/types';
import type { RunRequest } from '../src/core/run/request';
import { FixedModeRouter } from '../src/core/run/seams';
import type { Store } from '../src/core/store/store';
import { difficultyBand } from '../src/effort/band';
import { computeBudget } from '../src/effort/budget';
import { EffortEstimates } from '../src/effort/estimator';
import { LengthPredictor } from '../src/effort/predictor';
import { Engine } from '../src/engine/engine';
import { naturalLength, rng, successProbability } from './sim/model';
import { startSimulator } from './sim/simulator';
import { grid, int, pct, signed } from './format';
import { mapLimited } from './pool';

/**
 * Kinds of question and their difficulty ranges, fixed before any result was seen: natural length
 * L(d) = 150 + 2,850·d runs from ~300 (look-ups) to ~2,700 (proofs). Every query has 12-18 words, so
 * all share one bucket (sim-reasoning × reasoning × reasoning × low).
 */
const KINDS = [
  { stem: 'Look up the default value of this setting', d: [0.02, 0.08] },
  { stem: 'Rename this variable across the module', d: [0.05, 0.15] },
  { stem: 'Explain what this error message means', d: [0.2, 0.3] },
  { stem: 'Compute how many retries this backoff makes', d: [0.4, 0.5] },
  { stem: 'Derive the worst-case complexity of this search', d: [0.6, 0.7] },
  { stem: 'Prove that this loop invariant holds after every iteration', d: [0.8, 0.9] },
] as const;
const FILLER = 'for the service that handles requests from the billing team during the nightly batch window'.split(' ');
const LEARN_SEED = 0x17a;
const MEASURE_SEED = 0x17b;
const SIM_SEED = 17;
const SPEED = 1000;
/** Runs in flight per learning engine: small, so that "after n runs" means about n runs learned from. */
const LEARN_CONCURRENCY = 4;
const MEASURE_CONCURRENCY = 24;
const MODEL = 'sim-reasoning';
const EFFORTS = [0.5, 1] as const;
const WINDOW = 20;

interface Task {
  id: string;
  kind: number;
  d: number;
  natural: number;
  request: RunRequest;
}

function buildTasks(n: number, seed: number, prefix: string): Task[] {
  const random = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const kind = Math.floor(random() * KINDS.length);
    const [lo, hi] = KINDS[kind]!.d;
    const d = Math.round((lo + (hi - lo) * random()) * 1e4) / 1e4;
    const words = KINDS[kind]!.stem.split(' ');
    const target = 12 + Math.floor(random() * 6);
    let f = Math.floor(random() * FILLER.length);
    while (words.length + 1 < target) words.push(FILLER[f++ % FILLER.length]!);
    const id = `${prefix}${i}`;
    const query = `${words.join(' ')}? [task:${id}]`;
    if (difficultyBand(query) !== 'low') throw new Error(`effort-predict: ${id} is not in the low band`);
    return { id, kind, d, natural: naturalLength(d), request: { query, effort: 1, mode: 'reasoning', source: 'cli', scale: 'off', parallel: { spawn: false } } };
  });
}

/** A Store in memory; `frozen` drops writes, so every engine loaded from it sees the same state. */
class MemoryStore implements Store {
  constructor(
    private readonly values = new Map<string, string>(),
    private readonly frozen = false,
  ) {}
  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const v = this.values.get(key);
    return v === undefined ? undefined : (schema.parse(JSON.parse(v)) as z.infer<S>);
  }
  async set(key: string, value: unknown): Promise<void> {
    if (!this.frozen) this.values.set(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    if (!this.frozen) this.values.delete(key);
  }
  async update<S extends z.ZodType>(key: string, schema: S, mutate: (current: z.infer<S> | undefined) => z.infer<S>): Promise<z.infer<S>> {
    const next = mutate(await this.get(key, schema));
    await this.set(key, next);
    return next;
  }
  freeze(): MemoryStore {
    return new MemoryStore(new Map(this.values), true);
  }
}

interface Seen {
  task: Task;
  /** What the budget was r × of (run.budget estimate): the bucket mean, or the prediction. */
  estimate: number;
  budget: number;
}

async function runAll(model: ChatModel, store: Store, withPredictor: boolean, tasks: readonly Task[], effort: number, concurrency: number, shared: boolean): Promise<Seen[]> {
  // Learning engines share one estimator/predictor; frozen ones load a fresh copy per run.
  const load = async () => ({ estimates: await EffortEstimates.load(store), ...(withPredictor ? { predictor: await LengthPredictor.load(store) } : {}) });
  const common = shared ? await load() : undefined;
  return mapLimited(tasks, concurrency, async (task) => {
    const learned = common ?? (await load());
    const engine = new Engine({ models: { forRole: () => model }, router: new FixedModeRouter('reasoning'), ...learned, progressIntervalMs: 1e9 });
    let seen: Seen | undefined;
    let failed: string | undefined;
    for await (const ev of engine.run({ ...task.request, effort })) {
      if (ev.type === 'run.budget') seen = { task, estimate: ev.data.estimate, budget: ev.data.reasoning };
      else if (ev.type === 'run.failed') failed = ev.data.error;
    }
    if (failed || !seen) throw new Error(`effort-predict: ${task.id} failed: ${failed ?? 'no budget'}`);
    return seen;
  });
}

const absLogErr = (s: Seen) => Math.abs(Math.log(s.estimate / s.task.natural));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
};
/** Median |estimate / natural − 1| (the error e1's r multiplies). */
const medianRelErr = (xs: readonly Seen[]) => median(xs.map((s) => Math.exp(absLogErr(s)) - 1));

/** The simulator's rule T = round(min(L, budget)) and the §8 success formula. */
const reasoningAt = (t: Task, budget: number) => Math.round(Math.min(t.natural, budget));
const expected = (tasks: readonly Task[], budgets: readonly number[]) => tasks.reduce((a, t, i) => a + successProbability('reasoning', 'reasoning', t.d, reasoningAt(t, budgets[i]!)), 0);
const spend = (tasks: readonly Task[], budgets: readonly number[]) => tasks.reduce((a, t, i) => a + reasoningAt(t, budgets[i]!), 0) / tasks.length;

/** The effort at which budgets r × `estimates` spend `target` reasoning tokens on average (bisection; spend grows with r). */
function effortForSpend(tasks: readonly Task[], estimates: readonly number[], target: number): number {
  let lo = 0.01;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (spend(tasks, estimates.map((e) => computeBudget(e, mid).reasoning)) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

export interface PredictOutcome {
  notes: string[];
  config: Record<string, unknown>;
}

export async function predictorSection(quick: boolean, log: (line: string) => void): Promise<PredictOutcome> {
  const nLearn = quick ? 60 : 240;
  const nMeasure = quick ? 30 : 120;
  const learnTasks = buildTasks(nLearn, LEARN_SEED, 'p');
  const measureTasks = buildTasks(nMeasure, MEASURE_SEED, 'q');
  const sim = await startSimulator({ speed: SPEED, seed: SIM_SEED, tasks: [...learnTasks, ...measureTasks].map((t) => ({ id: t.id, kind: 'reasoning' as const, steps: [t.d] })) });
  try {
    const model = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 30, maxRetries: 0, capabilities: { thinkingBudgetParam: 'thinking.budget_tokens' } }).model(MODEL);
    log(`effort-sim: [predictor] ${nLearn} learning runs at effort 1, bucket mean and per-query predictor side by side (${LEARN_CONCURRENCY} at once each)`);
    const bucketStore = new MemoryStore();
    const predictStore = new MemoryStore();
    const [bucketLearn, predictLearn] = await Promise.all([
      runAll(model, bucketStore, false, learnTasks, 1, LEARN_CONCURRENCY, true),
      runAll(model, predictStore, true, learnTasks, 1, LEARN_CONCURRENCY, true),
    ]);
    const windows: string[][] = [];
    for (let from = 0; from < nLearn; from += WINDOW) {
      const b = bucketLearn.slice(from, from + WINDOW);
      const p = predictLearn.slice(from, from + WINDOW);
      windows.push([`${from + 1}-${Math.min(nLearn, from + WINDOW)}`, `${Math.round(100 * medianRelErr(b))}%`, `${Math.round(100 * medianRelErr(p))}%`]);
    }
    log(`effort-sim: [predictor] measuring ${nMeasure} new questions on the frozen states at ${EFFORTS.join('x, ')}x`);
    const measured = [];
    for (const effort of EFFORTS) {
      const [b, p] = await Promise.all([
        runAll(model, bucketStore.freeze(), false, measureTasks, effort, MEASURE_CONCURRENCY, false),
        runAll(model, predictStore.freeze(), true, measureTasks, effort, MEASURE_CONCURRENCY, false),
      ]);
      const bBudgets = b.map((s) => s.budget);
      const pBudgets = p.map((s) => s.budget);
      const bSpend = spend(measureTasks, bBudgets);
      // The predictor's budgets at the effort that spends what the bucket spent: computed from its frozen predictions (budgets are computeBudget(prediction, r)).
      const rEq = effortForSpend(measureTasks, p.map((s) => s.estimate), bSpend);
      const eqBudgets = p.map((s) => computeBudget(s.estimate, rEq).reasoning);
      measured.push({
        effort,
        ruleMismatch: p.filter((s) => Math.abs(s.budget - computeBudget(s.estimate, effort).reasoning) > 1).length,
        bucket: { spend: bSpend, expected: expected(measureTasks, bBudgets), medianErr: medianRelErr(b) },
        predictor: { spend: spend(measureTasks, pBudgets), expected: expected(measureTasks, pBudgets), medianErr: medianRelErr(p) },
        equalSpend: { effort: rEq, spend: spend(measureTasks, eqBudgets), expected: expected(measureTasks, eqBudgets) },
        byKind: KINDS.map((k, i) => {
          const idx = measureTasks.flatMap((t, j) => (t.kind === i ? [j] : []));
          const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
          return { kind: k.stem.split(' ').slice(0, 2).join(' '), n: idx.length, natural: mean(idx.map((j) => measureTasks[j]!.natural)), bucket: mean(idx.map((j) => bBudgets[j]!)), predictor: mean(idx.map((j) => pBudgets[j]!)) };
        }),
      });
    }
    // What the computed equal-spend rows assume: the simulator never reasons past L(d), every run made
    // one call, and the predictor's budgets are computeBudget(prediction, r) (estimate is rounded: ±1).
    const natural = new Map([...learnTasks, ...measureTasks].map((t) => [t.id, t.natural]));
    const overL = sim.calls.filter((c) => c.reasoningTokens > Math.round(natural.get(c.taskId ?? '') ?? 0)).length;
    const expectedCalls = 2 * nLearn + 2 * EFFORTS.length * nMeasure;
    const ruleMismatch = measured.reduce((a, m) => a + m.ruleMismatch, 0);
    const n = nMeasure;
    const table = grid(
      ['effort', 'budget from', 'mean reasoning', 'E[success]', 'median |estimate/L − 1|'],
      measured.flatMap((m) => [
        [`${m.effort}x`, 'bucket mean', int(m.bucket.spend), pct(m.bucket.expected, n), `${Math.round(100 * m.bucket.medianErr)}%`],
        ['', 'per-query prediction', int(m.predictor.spend), pct(m.predictor.expected, n), `${Math.round(100 * m.predictor.medianErr)}%`],
        ['', `prediction at ${m.equalSpend.effort.toFixed(2)}x (equal spend)*`, int(m.equalSpend.spend), pct(m.equalSpend.expected, n), ''],
      ]),
    );
    const kinds = grid(
      ['effort', 'kind', 'tasks', 'mean L(d)', 'bucket budget', 'predicted budget'],
      measured.flatMap((m) => m.byKind.map((k, i) => [i === 0 ? `${m.effort}x` : '', k.kind, String(k.n), int(k.natural), int(k.bucket), int(k.predictor)])),
    );
    const last = windows.at(-1)!;
    const notes = [
      `PER-QUERY PREDICTOR beside the bucket mean (issue 17; MECHANICS CHECK on the §8 simulator). Workload: ${KINDS.length} kinds of question whose difficulty — so natural length L(d) — depends on the kind (${KINDS.map((k) => `"${k.stem.split(' ').slice(0, 2).join(' ')} …" d ${k.d.join('-')}`).join(', ')}), all 12-18 words, so every query is in one bucket (${MODEL} × reasoning × reasoning × low). Two engines learn online from the same ${nLearn} runs at effort 1 (native thinking budget, ${LEARN_CONCURRENCY} runs in flight each, seed ${LEARN_SEED}); one budgets from the bucket mean, the other from the per-query prediction (src/effort/predictor.ts), whose prior is that same bucket mean.`,
      `Prediction error as runs accumulate (median |estimate / L(d) − 1| of the estimate each run's budget was r × of, per window of ${WINDOW} runs; calls cut at a budget below L(d) still count at their estimate):\n${grid(['runs', 'bucket mean', 'per-query prediction'], windows, 1)}`,
      `Then both frozen and measured on ${n} new questions (seed ${MEASURE_SEED}, each run on its own copy of the learned state):\n${table}`,
      `Mean budget per kind on the new questions, same runs:\n${kinds}`,
      `* Equal spend is COMPUTED, not run: the effort at which the predictor's frozen predictions (run.budget estimate, budget = computeBudget(prediction, r)) spend what the bucket mean spent, scored with the simulator's rule T = round(min(L(d), budget)) and the §8 formula. E[success] at equal spend: ${measured.map((m) => `${m.effort}x ${signed((100 * (m.equalSpend.expected - m.bucket.expected)) / n)} points for the predictor`).join('; ')}. The §8 formula values a token most on the shortest tasks (see the note above on same-spend budgets), so budgets proportional to each query's L(d) need not buy more E[success] at equal spend; what the predictor does by construction is make r mean "r × what THIS query takes" (last window's median error ${last[2]} vs ${last[1]} for the bucket mean).`,
    ];
    notes.push(
      overL || sim.calls.length !== expectedCalls || ruleMismatch
        ? `WARNING: ${sim.calls.length} simulator calls for ${expectedCalls} runs, ${overL} reasoned past L(d), ${ruleMismatch} predictor budgets were not computeBudget(prediction, r): the computed rows do not describe what a run would do.`
        : `Checked: ${sim.calls.length} simulator calls for ${expectedCalls} runs, none reasoned past L(d), and every predictor budget was computeBudget(prediction, r) within rounding.`,
    );
    return {
      notes,
      config: {
        kinds: KINDS,
        learnRuns: nLearn,
        measuredRuns: nMeasure,
        learnSeed: LEARN_SEED,
        measureSeed: MEASURE_SEED,
        simSeed: SIM_SEED,
        learnConcurrency: LEARN_CONCURRENCY,
        windows: windows.map(([runs, b, p]) => ({ runs, bucketMedianError: b, predictorMedianError: p })),
        measured,
        simulatorCalls: sim.calls.length,
      },
    };
  } finally {
    await sim.close();
  }
}
