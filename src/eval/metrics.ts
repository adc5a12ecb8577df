// What the rows add up to (DESIGN §6.6 summary.json): per arm accuracy with a Wilson 95% interval,
// tokens, cost and cost of pass, latency percentiles, the share of calls cut at their budget, the
// routed-mode mix, threads and critical-path tokens per item; and per pair of arms the paired counts
// on the items both ran with an exact McNemar (sign) test.
import type { Mode } from '../core/run/events';
import type { ArmBase, ArmSpec } from './arms';
import { curveKey, resolveArm } from './arms';
import type { ResultRow, RunInfo } from './results';

export interface ArmStats {
  arm: string;
  items: number;
  correct: number;
  accuracy: number | null;
  ci95: [number, number] | null;
  tokens: { prompt: number; completion: number; reasoning: number };
  /** USD; null when some call had no known price. */
  cost: number | null;
  /** cost / correct (USD), or tokens / correct when cost is null (see costOfPassUnit); null when nothing is correct. */
  costOfPass: number | null;
  costOfPassUnit: 'USD' | 'tokens';
  latencyMs: { p50: number | null; p90: number | null };
  cutShare?: number;
  modes?: { instant: number; reasoning: number; agentic: number };
  threadsPerItem?: number;
  criticalPathTokens?: number;
  // Additions beyond the §6.6 minimum.
  failed: number;
  settings: ArmBase;
  /** Effort arms: mean reasoning tokens used / reasoning budget asked, over calls that had a budget. */
  budgetCalibration?: number;
  meanReasoningTokens: number;
  byKind: Record<string, { items: number; correct: number }>;
}

export interface PairStats {
  a: string;
  b: string;
  aOnly: number;
  bOnly: number;
  both: number;
  neither: number;
  pValue: number;
}

export interface EvalSummary {
  v: 1;
  task: string;
  model: string;
  simulated: boolean;
  n: number;
  arms: ArmStats[];
  pairs: PairStats[];
  // Additions.
  /** Rows planned (items × arms) and rows that ran. */
  planned: number;
  ran: number;
  stoppedBy?: 'max-cost' | 'cancelled' | 'endpoint';
  maxCost?: number;
  licence?: string;
  settings: RunInfo['settings'];
  startedAt: string;
  finishedAt: string;
  /** Arms whose settings differ only in effort, for e1's curve: key → arm names in effort order. */
  curves: Record<string, string[]>;
}

/** Wilson score interval at 95% (z = 1.96); null with no items. */
export function wilson(correct: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const z = 1.959963984540054;
  const p = correct / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Exact two-sided McNemar test: a binomial(b + c, ½) sign test on the discordant pairs. */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum of C(n, i) / 2^n for i ≤ k, in logs so that large n does not overflow.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Linear-interpolated percentile (the usual type 7); null with no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const round = (x: number, digits = 6): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function armStats(spec: ArmSpec, base: ArmBase, rows: readonly ResultRow[]): ArmStats {
  const n = rows.length;
  const correct = rows.filter((r) => r.correct).length;
  const tokens = { prompt: 0, completion: 0, reasoning: 0 };
  let cost: number | null = 0;
  for (const r of rows) {
    tokens.prompt += r.usage.prompt;
    tokens.completion += r.usage.completion;
    tokens.reasoning += r.usage.reasoning;
    if (r.cost === null) cost = null;
    else if (cost !== null) cost += r.cost;
  }
  const settings = resolveArm(spec, base);
  const allTokens = tokens.prompt + tokens.completion;
  const costOfPass = correct === 0 ? null : cost !== null ? cost / correct : allTokens / correct;
  const stats: ArmStats = {
    arm: spec.name,
    items: n,
    correct,
    accuracy: n === 0 ? null : correct / n,
    ci95: wilson(correct, n),
    tokens,
    cost: cost === null ? null : round(cost, 9),
    costOfPass: costOfPass === null ? null : round(costOfPass, 9),
    costOfPassUnit: cost === null ? 'tokens' : 'USD',
    latencyMs: { p50: percentile(rows.map((r) => r.ms), 0.5), p90: percentile(rows.map((r) => r.ms), 0.9) },
    failed: rows.filter((r) => r.error !== undefined).length,
    settings,
    meanReasoningTokens: n === 0 ? 0 : tokens.reasoning / n,
    byKind: {},
  };
  for (const r of rows) {
    const k = (stats.byKind[r.kind ?? 'unknown'] ??= { items: 0, correct: 0 });
    k.items++;
    if (r.correct) k.correct++;
  }
  const calls = rows.reduce((s, r) => s + (r.calls ?? 0), 0);
  if (settings.mode !== 'instant' && calls > 0) stats.cutShare = rows.reduce((s, r) => s + (r.cutCalls ?? 0), 0) / calls;
  if (spec.effort !== undefined) {
    const budgeted = rows.filter((r) => r.budget !== undefined && r.budget > 0);
    if (budgeted.length > 0) stats.budgetCalibration = budgeted.reduce((s, r) => s + r.usage.reasoning / r.budget!, 0) / budgeted.length;
  }
  if (settings.mode === 'auto') {
    const modes = { instant: 0, reasoning: 0, agentic: 0 };
    for (const r of rows) if (r.mode) modes[r.mode as Mode]++;
    stats.modes = modes;
  }
  if (settings.spawn && settings.mode !== 'instant' && n > 0) {
    stats.threadsPerItem = rows.reduce((s, r) => s + (r.threads ?? 1), 0) / n;
    stats.criticalPathTokens = rows.reduce((s, r) => s + (r.criticalPathTokens ?? r.usage.completion), 0) / n;
  }
  return stats;
}

export function pairStats(a: string, b: string, rows: readonly ResultRow[]): PairStats {
  const byA = new Map(rows.filter((r) => r.arm === a).map((r) => [r.id, r.correct]));
  const out = { a, b, aOnly: 0, bOnly: 0, both: 0, neither: 0, pValue: 1 };
  for (const r of rows) {
    if (r.arm !== b || !byA.has(r.id)) continue;
    const x = byA.get(r.id)!;
    if (x && r.correct) out.both++;
    else if (x) out.aOnly++;
    else if (r.correct) out.bOnly++;
    else out.neither++;
  }
  out.pValue = round(mcnemarExact(out.aOnly, out.bOnly), 6);
  return out;
}

export function summarise(info: RunInfo, rows: readonly ResultRow[], extra: { stoppedBy?: EvalSummary['stoppedBy']; finishedAt?: string } = {}): EvalSummary {
  const specs = info.arms;
  const arms = specs.map((s) => armStats(s, info.base, rows.filter((r) => r.arm === s.name)));
  const pairs: PairStats[] = [];
  for (let i = 0; i < specs.length; i++) for (let j = i + 1; j < specs.length; j++) pairs.push(pairStats(specs[i]!.name, specs[j]!.name, rows));
  const curves: Record<string, string[]> = {};
  for (const s of specs) (curves[curveKey(s, info.base)] ??= []).push(s.name);
  for (const [k, names] of Object.entries(curves)) {
    const efforts = new Set(names.map((n) => resolveArm(specs.find((s) => s.name === n)!, info.base).effort));
    if (efforts.size < 2 || !names.some((n) => specs.find((s) => s.name === n)!.effort !== undefined)) delete curves[k];
    else names.sort((x, y) => resolveArm(specs.find((s) => s.name === x)!, info.base).effort - resolveArm(specs.find((s) => s.name === y)!, info.base).effort);
  }
  return {
    v: 1,
    task: info.task,
    model: info.model,
    simulated: info.simulated,
    n: new Set(rows.map((r) => r.id)).size,
    arms,
    pairs,
    planned: info.items * specs.length,
    ran: rows.length,
    ...(extra.stoppedBy ? { stoppedBy: extra.stoppedBy } : {}),
    ...(info.maxCost !== undefined ? { maxCost: info.maxCost } : {}),
    ...(info.licence ? { licence: info.licence } : {}),
    settings: info.settings,
    startedAt: info.startedAt,
    finishedAt: extra.finishedAt ?? new Date().toISOString(),
    curves,
  };
}
