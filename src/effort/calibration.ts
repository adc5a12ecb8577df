// Calibration of the effort slider (DESIGN §3.2, `arc stats`): per bucket and effort, the reasoning
// budgets asked for and the reasoning the model actually used, so a user can see whether 0.5× really
// thinks about half as much as 1×; and per model and effort, how far each uncut call's reasoning
// landed from its budget (|used / budget − 1|, median and p90 over the last SAMPLES_KEPT calls) and
// how often calls were cut — how well the per-query prediction fits what the model does.
import { z } from 'zod';
import { mutateStored, type Store } from '../core/store/store';

export const CALIBRATION_KEY = 'effort-calibration';
const MAX_ROWS = 2000;
/** Recent error ratios kept per model@effort: enough for a stable p90, bounded. */
export const SAMPLES_KEPT = 200;
const MAX_FIT_ROWS = 200;

const fitSchema = z.object({
  n: z.number().int().nonnegative(),
  cut: z.number().int().nonnegative(),
  /** |used / budget − 1| of the most recent uncut calls, oldest first. */
  errors: z.array(z.number().nonnegative()).max(SAMPLES_KEPT),
});

const rowSchema = z.object({
  n: z.number().int().nonnegative(),
  budgetSum: z.number().nonnegative(),
  usedSum: z.number().nonnegative(),
  cut: z.number().int().nonnegative(),
});
// `fit` is optional so that state written before it existed still parses (and keeps its rows).
const stateSchema = z.object({ version: z.literal(1), rows: z.record(z.string(), rowSchema), fit: z.record(z.string(), fitSchema).optional() });

export interface CalibrationRow {
  bucket: string;
  effort: number;
  n: number;
  meanBudget: number;
  meanUsed: number;
  /** Share of calls stopped at their budget. */
  cutShare: number;
}

/** How well budgets fit the reasoning used, per model and effort. */
export interface FitRow {
  model: string;
  effort: number;
  /** Calls recorded (cut or not). */
  n: number;
  /** Uncut calls in the sample the quantiles come from. */
  sampled: number;
  /** Median and 90th percentile of |used / budget − 1| over those uncut calls; null with none. */
  medianError: number | null;
  p90Error: number | null;
  cutShare: number;
}

/** The q-quantile (nearest rank) of `xs`; null when empty. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
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

  /** `model` defaults to the bucket's first part (buckets are model|mode|kind|band). */
  async record(bucket: string, effort: number, budget: number, used: number, cut: boolean, model = bucket.split('|')[0]!): Promise<void> {
    const key = `${bucket}@${effort.toFixed(2)}`;
    const fitKey = `${model}@${effort.toFixed(2)}`;
    this.state = await mutateStored(this.store, CALIBRATION_KEY, stateSchema, this.state, emptyCalibration, (state) => {
      const row = state.rows[key] ?? { n: 0, budgetSum: 0, usedSum: 0, cut: 0 };
      state.rows[key] = { n: row.n + 1, budgetSum: row.budgetSum + budget, usedSum: row.usedSum + used, cut: row.cut + (cut ? 1 : 0) };
      const keys = Object.keys(state.rows);
      if (keys.length > MAX_ROWS) delete state.rows[keys[0]!];
      const fits = (state.fit ??= {});
      const fit = fits[fitKey] ?? { n: 0, cut: 0, errors: [] };
      fit.n++;
      if (cut) fit.cut++;
      else if (budget > 0) fit.errors = [...fit.errors, Math.abs(used / budget - 1)].slice(-SAMPLES_KEPT);
      fits[fitKey] = fit;
      const fitKeys = Object.keys(fits);
      if (fitKeys.length > MAX_FIT_ROWS) delete fits[fitKeys[0]!];
    });
  }

  fit(): FitRow[] {
    return Object.entries(this.state.fit ?? {})
      .map(([key, f]) => {
        const at = key.lastIndexOf('@');
        return {
          model: key.slice(0, at),
          effort: Number(key.slice(at + 1)),
          n: f.n,
          sampled: f.errors.length,
          medianError: quantile(f.errors, 0.5),
          p90Error: quantile(f.errors, 0.9),
          cutShare: f.n ? f.cut / f.n : 0,
        };
      })
      .sort((a, b) => a.model.localeCompare(b.model) || a.effort - b.effort);
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
