// `arc stats`: what ARC has learned and what it has cost, from the state under $ARC_HOME.
import { CostOfPassLedger, type ModeSummary } from '../core/run/costOfPass';
import type { Store } from '../core/store/store';
import { RouterLearning } from '../router/learning';
import { EffortEstimates, type Estimate } from '../effort/estimator';
import { EffortCalibration, type CalibrationRow, type FitRow } from '../effort/calibration';
import { LengthPredictor } from '../effort/predictor';
import { ParallelStatsLedger, type ParallelSummary } from '../parallel/statsLedger';

export interface Stats {
  costOfPass: ModeSummary[];
  router: { learning: boolean; kindsLearned: number; outcomesRecorded: number };
  effort: {
    estimates: Array<{ key: string } & Estimate>;
    calibration: CalibrationRow[];
    /** Per model and effort: |reasoning used / budget asked − 1| over uncut calls (median, p90) and the share cut. */
    fit: FitRow[];
    /** Per model: calls the per-query length predictor learned from. */
    predictor: Array<{ model: string; n: number; censored: number; weights: number }>;
  };
  parallel: ParallelSummary;
}

export async function collectStats(store: Store, learningEnabled: boolean): Promise<Stats> {
  const ledger = await CostOfPassLedger.load(store);
  const learning = await RouterLearning.load(store, learningEnabled);
  const buckets = Object.values(learning.snapshot().buckets);
  return {
    costOfPass: ledger.summary(),
    router: { learning: learningEnabled, kindsLearned: buckets.length, outcomesRecorded: buckets.reduce((n, b) => n + b.n, 0) },
    effort: await effortStats(store),
    parallel: (await ParallelStatsLedger.load(store)).summary(),
  };
}

async function effortStats(store: Store): Promise<Stats['effort']> {
  const calibration = await EffortCalibration.load(store);
  return {
    estimates: (await EffortEstimates.load(store)).all(),
    calibration: calibration.rows(),
    fit: calibration.fit(),
    predictor: (await LengthPredictor.load(store)).summary(),
  };
}

const pctOrDash = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

const money = (x: number) => `$${x.toFixed(6)}`;

export function formatStats(s: Stats): string {
  const rows = [['mode', 'runs', 'successes', 'failures', 'unknown', 'spend', 'cost of pass']];
  for (const m of s.costOfPass) {
    const spend = m.unpricedRuns > 0 ? `${money(m.spend)} + ${m.unpricedRuns} unpriced` : money(m.spend);
    const cop = m.costOfPass !== null ? money(m.costOfPass) : m.successes === 0 ? '— (no known success)' : '— (unpriced runs)';
    rows.push([m.mode, String(m.runs), String(m.successes), String(m.failures), String(m.unknown), spend, cop]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  const unknown = s.costOfPass.reduce((n, m) => n + m.unknown, 0);
  return [
    'Router outcomes and cost of pass (spend / runs known to have succeeded):',
    table,
    `${unknown} run${unknown === 1 ? '' : 's'} with no known outcome: counted, not guessed. Outcomes come from thumbs, accepted edits and verified answers.`,
    '',
    `Router learning: ${s.router.learning ? 'on' : 'off'}; ${s.router.kindsLearned} kind${s.router.kindsLearned === 1 ? '' : 's'} of query with learned preferences from ${s.router.outcomesRecorded} outcome${s.router.outcomesRecorded === 1 ? '' : 's'} (overrides, re-asks).`,
    '',
    'Learned effort estimates (natural reasoning tokens per model | mode | task kind | difficulty band; level|… rows are reasoning_effort levels):',
    ...(s.effort.estimates.length
      ? s.effort.estimates.map((e) => `  ${e.key}: ${Math.round(e.mean)} tokens from ${e.n - 1} run${e.n === 2 ? '' : 's'} + the prior${e.censored ? `, ${e.censored} cut at the budget` : ''}`)
      : ['  none yet: the first reasoning runs start from the prior of 1,000 tokens.']),
    '',
    'Effort calibration (per bucket and effort: reasoning budget asked, reasoning used, share cut at the budget):',
    ...(s.effort.calibration.length
      ? s.effort.calibration.map((c) => `  ${c.bucket} @ ${c.effort}×: asked ${Math.round(c.meanBudget)}, used ${Math.round(c.meanUsed)} (${c.n} run${c.n === 1 ? '' : 's'}, ${Math.round(c.cutShare * 100)}% cut)`)
      : ['  none yet.']),
    '',
    'Budget fit (per model and effort: how far the reasoning of uncut calls landed from the budget asked, |used / budget − 1|, median and p90 over the last 200; share of calls cut at the budget):',
    ...(s.effort.fit.length
      ? s.effort.fit.map((f) => `  ${f.model} @ ${f.effort}×: median ${pctOrDash(f.medianError)}, p90 ${pctOrDash(f.p90Error)} over ${f.sampled} uncut call${f.sampled === 1 ? '' : 's'}; ${Math.round(f.cutShare * 100)}% of ${f.n} cut`)
      : ['  none yet.']),
    ...s.effort.predictor.map((p) => `  per-query predictor for ${p.model}: learned from ${p.n} call${p.n === 1 ? '' : 's'} (${p.censored} cut), ${p.weights} feature weights.`),
    '',
    'Parallel threads:',
    s.parallel.spawningRuns > 0
      ? `  ${s.parallel.spawningRuns} of ${s.parallel.runs} runs spawned threads; speedup ${s.parallel.speedup}× (summed thread time / wall time); ${s.parallel.totalTokens} tokens in all, ${s.parallel.criticalPathTokens} on the critical path.`
      : `  none of ${s.parallel.runs} run${s.parallel.runs === 1 ? '' : 's'} spawned threads yet.`,
  ].join('\n') + '\n';
}
