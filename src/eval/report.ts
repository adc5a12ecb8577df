// The eval's summary for a terminal: arms side by side (accuracy with its 95% interval, cost, cost of
// pass, tokens, latency), then how each arm fares against the first one on the same items.
import type { ArmStats, EvalSummary, PairStats } from './metrics';
import { formatMoney } from './progress';

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const int = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

export function costOfPassText(s: ArmStats): string {
  if (s.costOfPass === null) return '—';
  return s.costOfPassUnit === 'USD' ? formatMoney(s.costOfPass) : `${int(s.costOfPass)} tok`;
}

const duration = (ms: number | null): string => (ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

type Metric = [label: string, cell: (s: ArmStats) => string];
const METRICS: Metric[] = [
  ['items', (s) => int(s.items)],
  ['correct', (s) => int(s.correct)],
  ['accuracy', (s) => pct(s.accuracy)],
  ['95% interval', (s) => (s.ci95 ? `${pct(s.ci95[0])}–${pct(s.ci95[1])}` : '—')],
  ['cost', (s) => (s.cost === null ? 'no price' : formatMoney(s.cost))],
  ['cost of pass', costOfPassText],
  ['prompt tokens', (s) => int(s.tokens.prompt)],
  ['completion tokens', (s) => int(s.tokens.completion)],
  ['reasoning tokens', (s) => int(s.tokens.reasoning)],
  ['latency p50', (s) => duration(s.latencyMs.p50)],
  ['latency p90', (s) => duration(s.latencyMs.p90)],
  ['cut at budget', (s) => (s.cutShare === undefined ? '' : pct(s.cutShare))],
  ['modes (i/r/a)', (s) => (s.modes ? `${s.modes.instant}/${s.modes.reasoning}/${s.modes.agentic}` : '')],
  ['threads / item', (s) => (s.threadsPerItem === undefined ? '' : s.threadsPerItem.toFixed(2))],
  ['critical-path tok', (s) => int(s.criticalPathTokens)],
  ['failed', (s) => int(s.failed)],
];

function table(arms: readonly ArmStats[]): string[] {
  const header = ['', ...arms.map((s) => s.arm)];
  const body = METRICS.map(([label, cell]) => [label, ...arms.map(cell)]).filter((row) => row.slice(1).some((c) => c !== ''));
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]): string => row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

export function pairSentence(p: PairStats): string {
  const n = p.aOnly + p.bOnly + p.both + p.neither;
  const verdict = p.pValue < 0.05 ? (p.aOnly > p.bOnly ? `${p.a} is more accurate` : `${p.b} is more accurate`) : 'no significant difference';
  return `${p.a} vs ${p.b}: on ${n} shared items ${p.a} alone right ${p.aOnly}, ${p.b} alone right ${p.bOnly}, both ${p.both}, neither ${p.neither}; exact McNemar p = ${p.pValue < 0.001 ? '<0.001' : p.pValue.toFixed(3)} (${verdict}).`;
}

export function formatSummary(s: EvalSummary): string {
  const out: string[] = [`ARC eval: ${s.task} on ${s.model}${s.simulated ? ' (SIMULATED — ARC\'s simulator, not a model)' : ''}: ${s.n} items × ${s.arms.length} arms`];
  if (s.stoppedBy === 'max-cost') out.push(`Stopped at --max-cost ${formatMoney(s.maxCost ?? 0)}: ${s.ran} of ${s.planned} runs ran; the figures cover those.`);
  if (s.stoppedBy === 'cancelled') out.push(`Interrupted: ${s.ran} of ${s.planned} runs ran (--resume continues).`);
  if (s.stoppedBy === 'endpoint') out.push(`Stopped: the endpoint failed every run (${s.ran} tried).`);
  out.push('', ...table(s.arms), '');
  if (s.arms.some((a) => a.cost === null)) out.push('No price for this model (set ARC_PRICES): cost of pass is in tokens (prompt + completion) per correct answer.');
  const first = s.arms[0]?.arm;
  const vsFirst = s.pairs.filter((p) => p.a === first);
  if (vsFirst.length > 0) out.push('Paired on the same items:', ...vsFirst.map((p) => `  ${pairSentence(p)}`));
  if (s.licence) out.push('', `Task data: ${s.licence}.`);
  return out.join('\n');
}
