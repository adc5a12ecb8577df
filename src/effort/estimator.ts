// e1-style estimates of how much reasoning a kind of query naturally takes (DESIGN §3.2), per
// bucket of model × mode × the router's kind (the mode it chose) × a length band (band.ts). The
// cold-start prior counts as one observation; the first 10 observations make a plain mean; after
// that an exponential moving average follows drift. A call cut at its budget only says "natural ≥ budget": it can raise the
// estimate, never lower it.
import { z } from 'zod';
import { mutateStored, type Store } from '../core/store/store';

export const ESTIMATES_KEY = 'effort-estimates';
/** Cold-start priors in reasoning tokens (DESIGN §3.2). */
export const PRIORS = { reasoning: 1000, system1: 300, instant: 0 } as const;
export const PLAIN_MEAN_UNTIL = 10;
export const EMA_ALPHA = 0.2;
const MAX_BUCKETS = 2000;

const estimateSchema = z.object({ mean: z.number().nonnegative(), n: z.number().int().positive(), censored: z.number().int().nonnegative() });
const stateSchema = z.object({ version: z.literal(1), buckets: z.record(z.string(), estimateSchema) });
export type Estimate = z.infer<typeof estimateSchema>;

export type DifficultyBand = 'low' | 'mid' | 'high';

export function bucketKey(parts: { model: string; mode: string; kind: string; band: DifficultyBand }): string {
  return `${parts.model}|${parts.mode}|${parts.kind}|${parts.band}`;
}

/** A fresh estimate: the prior, counted as one observation. */
export function prior(mean: number): Estimate {
  return { mean, n: 1, censored: 0 };
}

/** A natural (uncut) reasoning length. */
export function observe(e: Estimate, tokens: number): Estimate {
  const n = e.n + 1;
  const mean = n <= PLAIN_MEAN_UNTIL + 1 ? e.mean + (tokens - e.mean) / n : e.mean + EMA_ALPHA * (tokens - e.mean);
  return { ...e, mean, n };
}

/**
 * Natural length is unknown above a cut, so a cut at or near the estimate counts as this much more
 * than the budget: otherwise a bucket whose every call is cut at r ≤ 1 could never rise.
 */
export const CENSORED_STEP_UP = 1.25;
/** Cuts below this share of the estimate say nothing about whether the estimate is too low. */
export const CENSORED_INFORMATIVE = 0.9;

/** A call cut at `budget`: the natural length is at least that. It can raise the estimate, never lower it. */
export function observeCensored(e: Estimate, budget: number): Estimate {
  const counted = { ...e, censored: e.censored + 1 };
  if (budget < CENSORED_INFORMATIVE * e.mean) return counted;
  return observe(counted, Math.max(budget, e.mean) * CENSORED_STEP_UP);
}

function emptyEstimates(): z.infer<typeof stateSchema> {
  return { version: 1, buckets: {} };
}

export class EffortEstimates {
  private constructor(
    private state: z.infer<typeof stateSchema>,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<EffortEstimates> {
    const state = (store && (await store.get(ESTIMATES_KEY, stateSchema))) ?? emptyEstimates();
    return new EffortEstimates(state, store);
  }

  get(key: string, priorMean: number): Estimate {
    return this.state.buckets[key] ?? prior(priorMean);
  }

  async record(key: string, priorMean: number, tokens: number, cutAtBudget: boolean): Promise<Estimate> {
    let next = prior(priorMean);
    this.state = await mutateStored(this.store, ESTIMATES_KEY, stateSchema, this.state, emptyEstimates, (state) => {
      const current = state.buckets[key] ?? prior(priorMean);
      next = cutAtBudget ? observeCensored(current, tokens) : observe(current, tokens);
      state.buckets[key] = next;
      const keys = Object.keys(state.buckets);
      if (keys.length > MAX_BUCKETS) delete state.buckets[keys[0]!];
    });
    return next;
  }

  all(): Array<{ key: string } & Estimate> {
    return Object.entries(this.state.buckets).map(([key, e]) => ({ key, ...e }));
  }
}
