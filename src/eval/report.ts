// An eval report for people (arms side by side) and for machines (one line of JSON).
import type { ArmSummary, EvalReport, EvalRow } from './runEval';

/** Enough disagreements to see a pattern without burying the table. */
const MAX_DISAGREEMENTS = 20;
const MAX_REASON_CHARS = 80;

export function formatEvalReport(report: EvalReport): string {
  const out: string[] = [`ARC eval: ${report.items} items × ${report.arms.length} arms (${report.arms.join(', ')})`];
  if (report.cancelled) out.push(`Cancelled: ${report.runsFinished} of ${report.runsPlanned} runs finished.`);
  out.push('');
  out.push(...table(report.summaries));
  out.push('');
  out.push('A failed run counts as a wrong answer; runs cut short by cancellation are left out of every figure.');
  const dis = disagreements(report);
  if (dis.length > 0) {
    out.push('', `Items where the arms disagree (${dis.length}):`);
    for (const rows of dis.slice(0, MAX_DISAGREEMENTS)) {
      out.push(`  ${rows[0]!.id}`);
      const width = Math.max(...rows.map((r) => r.arm.length));
      for (const r of rows) out.push(`    ${`${r.arm}:`.padEnd(width + 1)} ${r.ok ? '✓' : `✗ ${clip(r.reason ?? '')}`}`);
    }
    if (dis.length > MAX_DISAGREEMENTS) out.push(`  … and ${dis.length - MAX_DISAGREEMENTS} more`);
  }
  return out.join('\n');
}

/** The whole report as one line of JSON (`null` where a mean has nothing to average). */
export function evalReportJson(report: EvalReport): string {
  return JSON.stringify({ v: 1, ...report });
}

type Metric = [label: string, cell: (s: ArmSummary) => string];

const METRICS: Metric[] = [
  ['counted runs (n)', (s) => int(s.n)],
  ['correct', (s) => int(s.correct)],
  ['accuracy', (s) => (s.accuracy === null ? '—' : `${(100 * s.accuracy).toFixed(1)}%`)],
  ['failed', (s) => int(s.failed)],
  ['cancelled', (s) => int(s.cancelled)],
  ['total tokens', (s) => int(s.totalTokens)],
  ['mean tokens', (s) => int(s.meanTokens)],
  ['mean critical-path tokens', (s) => int(s.meanCriticalPathTokens)],
  ['mean wall time', (s) => duration(s.meanWallMs)],
  ['p50 wall time', (s) => duration(s.p50WallMs)],
];

function table(summaries: readonly ArmSummary[]): string[] {
  const header = ['', ...summaries.map((s) => s.arm)];
  const body = METRICS.map(([label, cell]) => [label, ...summaries.map(cell)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  // Labels left-aligned, figures right-aligned so that digits line up.
  const line = (row: string[]): string => row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

function disagreements(report: EvalReport): EvalRow[][] {
  const byItem = new Map<string, EvalRow[]>();
  for (const r of report.rows) byItem.set(r.id, [...(byItem.get(r.id) ?? []), r]);
  return [...byItem.values()].filter((rows) => rows.length > 1 && rows.some((r) => r.ok) && rows.some((r) => !r.ok));
}

const int = (v: number | null): string => (v === null ? '—' : Math.round(v).toLocaleString('en-US'));

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > MAX_REASON_CHARS ? `${one.slice(0, MAX_REASON_CHARS - 1)}…` : one;
}
