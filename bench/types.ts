// What a benchmark hands back to the runner. Every number is a pair (ARC beside a baseline measured in
// the same run), because an absolute time on one machine says little and a ratio says more.

export interface BenchContext {
  /** Fewer runs: a smoke run that proves the benchmark works, not a measurement to quote. */
  quick: boolean;
  /** The repository root (where package.json is). */
  root: string;
  /** Where the bundles live: <root>/dist. */
  distDir: string;
  /** A progress line, on stderr so that stdout stays the table. */
  log(line: string): void;
}

export interface ResultRow {
  metric: string;
  unit: 'ms';
  arc: number;
  baseline: number;
  /** A short remark shown in the table; longer explanations go in BenchOutcome.notes. */
  note?: string;
}

export interface Goal {
  description: string;
  /** What was compared with the threshold, in the unit of the goal. */
  value: number;
  threshold: number;
  met: boolean;
}

export interface BenchOutcome {
  rows: ResultRow[];
  /** Printed under the table: what the numbers do and do not show. */
  notes: string[];
  goals?: Goal[];
  /** The parameters the benchmark ran with, so a result can be reproduced. */
  config: Record<string, unknown>;
  /** Every measured sample (ms), so medians can be checked and other statistics computed later. */
  samples: Record<string, number[]>;
}

export interface Benchmark {
  name: string;
  summary: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}
