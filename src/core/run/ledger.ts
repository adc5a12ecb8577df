// Usage and cost per model. Prices are USD per million tokens; reasoning tokens are billed as
// output (they are part of `completion`).
import type { Usage } from '../model/types';

export interface Price {
  input: number;
  output: number;
}
export type PriceTable = Record<string, Price>;

/** Published list prices (USD / 1M tokens) of a few well-known models; `arc.prices` overrides them. */
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
});

export function emptyUsage(): Usage {
  return { prompt: 0, completion: 0, reasoning: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return { prompt: a.prompt + b.prompt, completion: a.completion + b.completion, reasoning: a.reasoning + b.reasoning };
}

/** Looks a model up by its full id (`endpoint/model`), then by the model name alone. */
export function priceFor(modelId: string, prices: PriceTable): Price | undefined {
  const own = (table: Readonly<PriceTable>, k: string) => (Object.hasOwn(table, k) ? table[k] : undefined);
  const bare = modelId.includes('/') ? modelId.slice(modelId.indexOf('/') + 1) : modelId;
  return own(prices, modelId) ?? own(prices, bare) ?? own(DEFAULT_PRICES, bare);
}

/** Cost of one usage record, or null when the model has no known price. */
export function costOf(modelId: string, usage: Usage, prices: PriceTable): number | null {
  const p = priceFor(modelId, prices);
  if (!p) return null;
  return (usage.prompt * p.input + usage.completion * p.output) / 1_000_000;
}

export class UsageLedger {
  private readonly byModel = new Map<string, Usage>();
  /** Models that ran a call whose usage never arrived: what it cost is unknown. */
  private readonly unknown = new Set<string>();

  markUnknown(modelId: string): void {
    this.unknown.add(modelId);
  }

  constructor(private readonly prices: PriceTable = {}) {}

  add(modelId: string, usage: Usage): number | null {
    this.byModel.set(modelId, addUsage(this.byModel.get(modelId) ?? emptyUsage(), usage));
    return costOf(modelId, usage, this.prices);
  }

  total(): Usage {
    let sum = emptyUsage();
    for (const u of this.byModel.values()) sum = addUsage(sum, u);
    return sum;
  }

  /** What the run has cost so far plus a thread still running (its usage is added when it ends). */
  costWith(modelId: string, running: Usage): number | null {
    const done = this.cost();
    const extra = costOf(modelId, running, this.prices);
    return done === null || (extra === null && running.prompt + running.completion > 0) ? null : done + (extra ?? 0);
  }

  /** Null when any model that used tokens has no known price: a partial sum would mislead. */
  cost(): number | null {
    if (this.unknown.size > 0) return null;
    let sum = 0;
    for (const [model, u] of this.byModel) {
      const c = costOf(model, u, this.prices);
      if (c === null) {
        if (u.prompt + u.completion > 0) return null;
        continue;
      }
      sum += c;
    }
    return sum;
  }

  /** The model that used the most tokens: the one that served the run (children and routing calls aside). */
  mainModel(): string | undefined {
    let best: string | undefined;
    let most = 0;
    for (const [model, u] of this.byModel) if (u.prompt + u.completion > most) [best, most] = [model, u.prompt + u.completion];
    return best;
  }

  models(): Array<{ model: string; usage: Usage }> {
    return [...this.byModel].map(([model, usage]) => ({ model, usage }));
  }
}
