// What parallel threads bought across runs (DESIGN §3.4 accounting, `arc stats`): how many runs
// spawned, their speedup (summed thread time / wall time), and total vs critical-path tokens.
import { z } from 'zod';
import { mutateStored, type Store } from '../core/store/store';
import { runStatsSchema as statsSchema, type RunStats } from '../core/run/events';

export const PARALLEL_STATS_KEY = 'parallel-stats';
const RECENT = 20;

const stateSchema = z.object({
  version: z.literal(1),
  runs: z.number().int().nonnegative(),
  spawningRuns: z.number().int().nonnegative(),
  totals: z.object({ totalTokens: z.number(), criticalPathTokens: z.number(), wallMs: z.number(), threadMs: z.number() }),
  recent: z.array(statsSchema),
});

export interface ParallelSummary {
  runs: number;
  spawningRuns: number;
  /** Over runs that spawned: summed thread time / wall time. */
  speedup: number | null;
  totalTokens: number;
  criticalPathTokens: number;
  recent: RunStats[];
}

export class ParallelStatsLedger {
  private constructor(
    private state: z.infer<typeof stateSchema>,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<ParallelStatsLedger> {
    return new ParallelStatsLedger((store && (await store.get(PARALLEL_STATS_KEY, stateSchema))) ?? emptyStats(), store);
  }

  async record(stats: RunStats): Promise<void> {
    this.state = await mutateStored(this.store, PARALLEL_STATS_KEY, stateSchema, this.state, emptyStats, (s) => apply(s, stats));
  }

  summary(): ParallelSummary {
    const s = this.state;
    return {
      runs: s.runs,
      spawningRuns: s.spawningRuns,
      speedup: s.totals.wallMs > 0 ? Math.round((s.totals.threadMs / s.totals.wallMs) * 100) / 100 : null,
      totalTokens: s.totals.totalTokens,
      criticalPathTokens: s.totals.criticalPathTokens,
      recent: [...s.recent],
    };
  }
}

function emptyStats(): z.infer<typeof stateSchema> {
  return { version: 1, runs: 0, spawningRuns: 0, totals: { totalTokens: 0, criticalPathTokens: 0, wallMs: 0, threadMs: 0 }, recent: [] };
}

function apply(s: z.infer<typeof stateSchema>, stats: RunStats): void {
  s.runs++;
  if (stats.threads > 1) {
    s.spawningRuns++;
    s.totals.totalTokens += stats.totalTokens;
    s.totals.criticalPathTokens += stats.criticalPathTokens;
    s.totals.wallMs += stats.wallMs;
    s.totals.threadMs += stats.threadMs;
    s.recent = [...s.recent, stats].slice(-RECENT);
  }
}
