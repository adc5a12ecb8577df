// Calibration of the effort slider (DESIGN §3.2, `arc stats`): per bucket and effort, the reasoning
// budgets asked for and the reasoning the model actually used, so a user can see whether 0.5× really
// thinks about half as much as 1×.
import { z } from 'zod';
import { mutateStored, type Store } from '../core/store/store';

export const CALIBRATION_KEY = 'effort-calibration';
const MAX_ROWS = 2000;

const rowSchema = z.object({
  n: z.number().int().nonnegative(),
  budgetSum: z.number().nonnegative(),
  usedSum: z.number().nonnegative(),
  cut: z.number().int().nonnegative(),
});
const stateSchema = z.object({ version: z.literal(1), rows: z.record(z.string(), rowSchema) });

export interface CalibrationRow {
  bucket: string;
  effort: number;
  n: number;
  meanBudget: number;
  meanUsed: number;
  /** Share of calls stopped at their budget. */
  cutShare: number;
}

function emptyCalibration(): z.infer<typeof stateSchema> {
  return { version: 1, rows: {} };
}

export class EffortCalibration {
  private constructor(
    private state: z.infer<typeof stateSchema>,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<EffortCalibration> {
    const state = (store && (await store.get(CALIBRATION_KEY, stateSchema))) ?? { version: 1 as const, rows: {} };
    return new EffortCalibration(state, store);
  }

  async record(bucket: string, effort: number, budget: number, used: number, cut: boolean): Promise<void> {
    const key = `${bucket}@${effort.toFixed(2)}`;
    this.state = await mutateStored(this.store, CALIBRATION_KEY, stateSchema, this.state, emptyCalibration, (state) => {
      const row = state.rows[key] ?? { n: 0, budgetSum: 0, usedSum: 0, cut: 0 };
      state.rows[key] = { n: row.n + 1, budgetSum: row.budgetSum + budget, usedSum: row.usedSum + used, cut: row.cut + (cut ? 1 : 0) };
      const keys = Object.keys(state.rows);
      if (keys.length > MAX_ROWS) delete state.rows[keys[0]!];
    });
  }

  rows(): CalibrationRow[] {
    return Object.entries(this.state.rows)
      .map(([key, r]) => {
        const at = key.lastIndexOf('@');
        return {
          bucket: key.slice(0, at),
          effort: Number(key.slice(at + 1)),
          n: r.n,
          meanBudget: r.n ? r.budgetSum / r.n : 0,
          meanUsed: r.n ? r.usedSum / r.n : 0,
          cutShare: r.n ? r.cut / r.n : 0,
        };
      })
      .sort((a, b) => a.bucket.localeCompare(b.bucket) || a.effort - b.effort);
  }
}
