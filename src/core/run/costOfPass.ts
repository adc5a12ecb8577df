// Cost of pass (DESIGN §3.1): spend / runs that succeeded, per mode. Success is only what is known —
// a thumbs-up, an accepted edit, a verified answer; runs with no known outcome are counted and shown,
// never guessed.
import { z } from 'zod';
import { MODES, modeSchema, type KnownRunEvent, type Mode } from './events';
import { mutateStored, type Store } from '../store/store';

export const OUTCOMES_KEY = 'run-outcomes';
/** Runs still waiting for an outcome; older ones stay counted as unknown. */
const MAX_PENDING = 500;

const tallySchema = z.object({
  runs: z.number().int().nonnegative(),
  spend: z.number().nonnegative(),
  unpricedRuns: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
});
const stateSchema = z.object({
  version: z.literal(1),
  modes: z.object({ instant: tallySchema, reasoning: tallySchema, agentic: tallySchema }),
  pending: z.array(z.object({ runId: z.string(), mode: modeSchema })),
});
type State = z.infer<typeof stateSchema>;
type Tally = z.infer<typeof tallySchema>;

export interface ModeSummary extends Tally {
  mode: Mode;
  unknown: number;
  /** Spend per success; null with no success yet, or when some spend is unpriced. */
  costOfPass: number | null;
}

const emptyTally = (): Tally => ({ runs: 0, spend: 0, unpricedRuns: 0, successes: 0, failures: 0 });
const emptyState = (): State => ({ version: 1, modes: { instant: emptyTally(), reasoning: emptyTally(), agentic: emptyTally() }, pending: [] });

export class CostOfPassLedger {
  private constructor(
    private state: State,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<CostOfPassLedger> {
    const state = (store && (await store.get(OUTCOMES_KEY, stateSchema))) ?? emptyState();
    return new CostOfPassLedger(state, store);
  }

  /** A finished run and what it cost (null: the model has no price). */
  async recordRun(runId: string, mode: Mode, cost: number | null): Promise<void> {
    this.state = await mutateStored(this.store, OUTCOMES_KEY, stateSchema, this.state, emptyState, (state) => {
      const t = state.modes[mode];
      t.runs++;
      if (cost === null) t.unpricedRuns++;
      else t.spend += cost;
      state.pending.push({ runId, mode });
      if (state.pending.length > MAX_PENDING) state.pending.splice(0, state.pending.length - MAX_PENDING);
    });
  }

  /** A known outcome for a recent run; false when the run is unknown or already judged. */
  async recordOutcome(runId: string, success: boolean): Promise<boolean> {
    let found = false;
    this.state = await mutateStored(this.store, OUTCOMES_KEY, stateSchema, this.state, emptyState, (state) => {
      const i = state.pending.findIndex((p) => p.runId === runId);
      found = i >= 0;
      if (!found) return;
      const [{ mode }] = state.pending.splice(i, 1) as [{ runId: string; mode: Mode }];
      if (success) state.modes[mode].successes++;
      else state.modes[mode].failures++;
    });
    return found;
  }

  summary(): ModeSummary[] {
    return MODES.map((mode) => {
      const t = this.state.modes[mode];
      return {
        mode,
        ...t,
        unknown: t.runs - t.successes - t.failures,
        costOfPass: t.successes > 0 && t.unpricedRuns === 0 ? t.spend / t.successes : null,
      };
    });
  }
}

/** Follows one run's events to what the ledger needs: the mode that ran and what it cost. */
export class RunTally {
  mode: Mode | undefined;
  /** Null once any call used tokens on a model without a price. */
  cost: number | null = 0;

  observe(event: KnownRunEvent): void {
    if (event.type === 'thread.started' && this.mode === undefined) this.mode = event.data.mode;
    if (event.type === 'usage') {
      if (event.data.cost === null) this.cost = null;
      else if (this.cost !== null) this.cost += event.data.cost;
    }
  }
}
