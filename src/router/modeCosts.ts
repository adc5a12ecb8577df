// What each mode costs on the user's own models (DESIGN §3.1, issue 17 part B): per (model that
// served the mode, mode, kind of query) a running mean of the tokens a finished run used, prompt and
// output (completion, reasoning included) apart because they are priced apart. The kind is the
// router's likeliest kind for the query (argmax of its probabilities), whatever mode ran, so a mode's
// cost for a kind is learned whenever that mode serves that kind. Persisted in the Store (the CLI and
// the editor share it), zod-parsed, bounded. Pricing those tokens into the router's cost term is
// `relativeCosts` below; decide.ts shapes it A²FM-style.
import { z } from 'zod';
import { MODES, type Mode } from '../core/run/events';
import { priceFor, type Price, type PriceTable } from '../core/run/ledger';
import type { Usage } from '../core/model/types';
import { mutateStored, type Store } from '../core/store/store';

export const MODE_COSTS_KEY = 'router-mode-costs';
/** Same schedule as the effort estimator (DESIGN §3.2): prior = one observation, plain mean, then EMA. */
export const PLAIN_MEAN_UNTIL = 10;
export const EMA_ALPHA = 0.2;
export const MAX_BUCKETS = 2000;
/** Buckets keyed under this "model" learn from every model: what `arc route` uses when it knows no model. */
export const ANY_MODEL = '*';

export interface Tokens {
  prompt: number;
  output: number;
}

/**
 * Cold-start priors: today's constants (MODE_COST 0 / 1 / 1.5 reasoning runs) in tokens, after DESIGN
 * §8 and §3.2 — an instant answer ~100 output tokens; a reasoning run 1,000 reasoning tokens (the e1
 * prior) plus the 100-token answer; agentic 1.5 × reasoning's thinking plus the answer. Every mode
 * gets the same prompt prior (a system prompt and a question), so at cold start prompts cancel and the
 * extra output over instant is exactly 0, 1,000 and 1,500 tokens: MODE_COST × REFERENCE_TOKENS.
 */
export const PRIOR_TOKENS: Readonly<Record<Mode, Readonly<Tokens>>> = {
  instant: { prompt: 500, output: 100 },
  reasoning: { prompt: 500, output: 1100 },
  agentic: { prompt: 500, output: 1600 },
};
/** λ's unit: one cold-start reasoning run's extra output over an instant answer, at the reference price. */
export const REFERENCE_TOKENS = PRIOR_TOKENS.reasoning.output - PRIOR_TOKENS.instant.output;
/**
 * The price of tokens when no role has a known price: every published price in DEFAULT_PRICES
 * charges output 4× input, so a token of output counts as four of prompt. Only ratios matter.
 */
export const TOKEN_PRICE: Readonly<Price> = { input: 1, output: 4 };
/** No learned cost moves a mode past this many reference units (a runaway agent loop stays finite). */
export const MAX_RELATIVE_COST = 20;

const meanSchema = z.object({ prompt: z.number().nonnegative(), output: z.number().nonnegative(), n: z.number().int().positive(), t: z.number() });
const stateSchema = z.object({ version: z.literal(1), buckets: z.record(z.string(), meanSchema) });
type State = z.infer<typeof stateSchema>;
export type TokenMean = z.infer<typeof meanSchema>;

export function costBucket(model: string, mode: Mode, kind: Mode): string {
  return `${model}|${mode}|${kind}`;
}

function prior(mode: Mode): TokenMean {
  return { ...PRIOR_TOKENS[mode], n: 1, t: 0 };
}

/** One finished run's tokens folded into a mean. */
export function observeTokens(m: TokenMean, used: Tokens, t: number): TokenMean {
  const n = m.n + 1;
  const step = n <= PLAIN_MEAN_UNTIL + 1 ? 1 / n : EMA_ALPHA;
  return { prompt: m.prompt + step * (used.prompt - m.prompt), output: m.output + step * (used.output - m.output), n, t };
}

/** The kind a decision is learned under: its likeliest mode, first in MODES on a tie. */
export function kindOf(p: Readonly<Record<Mode, number>>): Mode {
  return MODES.reduce((a, b) => (p[b] > p[a] ? b : a));
}

export class ModeCosts {
  /** Bumped on every change, so that a router caching a decision knows to decide again. */
  version = 0;

  private constructor(
    private state: State,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<ModeCosts> {
    const state = (store && (await store.get(MODE_COSTS_KEY, stateSchema))) ?? empty();
    return new ModeCosts(state, store);
  }

  /** Learned tokens of `mode` on `kind` for this model; else learned over every model; else the prior. */
  tokens(model: string | undefined, mode: Mode, kind: Mode): TokenMean {
    const b = this.state.buckets;
    return (model !== undefined ? b[costBucket(model, mode, kind)] : undefined) ?? b[costBucket(ANY_MODEL, mode, kind)] ?? prior(mode);
  }

  /** A finished run: `usage` is everything it used (children included) in the mode that served it. */
  async record(model: string, mode: Mode, kind: Mode, usage: Usage, now = Date.now()): Promise<void> {
    const used = { prompt: Math.max(0, usage.prompt), output: Math.max(0, usage.completion) };
    // A run that reported no usage says nothing about its cost.
    if (!(used.prompt + used.output > 0) || !Number.isFinite(used.prompt + used.output)) return;
    this.version++;
    this.state = await mutateStored(this.store, MODE_COSTS_KEY, stateSchema, this.state, empty, (state) => {
      for (const key of new Set([costBucket(model, mode, kind), costBucket(ANY_MODEL, mode, kind)])) {
        state.buckets[key] = observeTokens(state.buckets[key] ?? prior(mode), used, now);
      }
      prune(state);
    });
  }

  all(): Array<{ key: string } & TokenMean> {
    return Object.entries(this.state.buckets).map(([key, m]) => ({ key, ...m }));
  }
}

function empty(): State {
  return { version: 1, buckets: {} };
}

/** Keeps the most recently used buckets (the all-models ones last to go: they serve every model). */
function prune(state: State): void {
  const keys = Object.keys(state.buckets);
  if (keys.length <= MAX_BUCKETS) return;
  const weight = (k: string) => (k.startsWith(`${ANY_MODEL}|`) ? Infinity : state.buckets[k]!.t);
  keys.sort((a, b) => weight(a) - weight(b));
  for (const k of keys.slice(0, keys.length - MAX_BUCKETS)) delete state.buckets[k];
}

// ---- pricing ---------------------------------------------------------------------------------------

/** Which model serves each mode (the role's, after the engine's fallbacks) and the user's prices. */
export interface CostContext {
  models: Partial<Record<Mode, string>>;
  prices: PriceTable;
}

export interface ModeCostEstimate {
  /** Learned (or prior) mean tokens of one run of this mode on this kind of query. */
  tokens: Tokens;
  /** How many runs (prior included) the mean stands on. */
  n: number;
  /** Expected USD of one run, or null when the mode's model has no known price. */
  usd: number | null;
  /**
   * Extra cost over instant, in λ's unit (one cold-start reasoning run's extra output priced at the
   * median role's output price): 0 / 1 / 1.5 at cold start with equal prices.
   */
  relative: number;
}

/**
 * Expected cost per mode for a query of `kind`. Prices are made relative to the median of the three
 * roles' prices, which (1) makes the rule unit-free, so multiplying every price by 10 decides the same;
 * (2) leaves λ's meaning ("one reasoning run") intact when every role costs the same; (3) when one
 * role's price changes, moves only that mode's cost (the median is the other two's price), so a
 * pricier reasoning model makes reasoning dearer without making agentic look cheaper — a mean would;
 * (4) with a cheap instant model and a dear reasoning model the unit is the dear price the user chose
 * to pay for hard queries, not the cheap one (which would price reasoning out entirely).
 * Roles with no known price are priced at the median of the known ones (an unpriced model is not
 * assumed free); with none known, every role gets TOKEN_PRICE, i.e. the cost is in tokens.
 */
export function relativeCosts(costs: ModeCosts | undefined, ctx: CostContext | undefined, kind: Mode): Record<Mode, ModeCostEstimate> {
  const known = {} as Record<Mode, Price | undefined>;
  for (const m of MODES) {
    const id = ctx?.models[m];
    known[m] = id !== undefined && ctx ? usablePrice(priceFor(id, ctx.prices)) : undefined;
  }
  const priced = MODES.map((m) => known[m]).filter((p): p is Price => p !== undefined);
  const fill = priced.length ? medianPrice(priced) : TOKEN_PRICE;
  const price = {} as Record<Mode, Price>;
  for (const m of MODES) price[m] = known[m] ?? fill;
  const unit = medianPrice(MODES.map((m) => price[m])).output;
  const rel = (m: Mode): Price => ({ input: price[m].input / unit, output: price[m].output / unit });
  const tokens = {} as Record<Mode, TokenMean>;
  for (const m of MODES) tokens[m] = costs ? costs.tokens(ctx?.models[m], m, kind) : prior(m);
  const base = rel('instant');
  const out = {} as Record<Mode, ModeCostEstimate>;
  for (const m of MODES) {
    const r = rel(m);
    const t = tokens[m];
    // Prompt and output differences apart: with equal prices and the priors each is exact (0 and
    // 1,000·1), so the cold-start costs are exactly 0, 1 and 1.5.
    const extra = m === 'instant' ? 0 : (t.prompt * r.input - tokens.instant.prompt * base.input + (t.output * r.output - tokens.instant.output * base.output)) / REFERENCE_TOKENS;
    const p = known[m];
    out[m] = {
      tokens: { prompt: round1(t.prompt), output: round1(t.output) },
      n: t.n,
      usd: p ? (t.prompt * p.input + t.output * p.output) / 1e6 : null,
      relative: Math.max(-MAX_RELATIVE_COST, Math.min(MAX_RELATIVE_COST, extra)),
    };
  }
  return out;
}

function usablePrice(p: Price | undefined): Price | undefined {
  return p && Number.isFinite(p.input) && Number.isFinite(p.output) && p.input >= 0 && p.output > 0 ? p : undefined;
}

/** The price whose output price is the median (lower middle of an even count). */
function medianPrice(prices: readonly Price[]): Price {
  const sorted = [...prices].sort((a, b) => a.output - b.output || a.input - b.input);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Expected cost of one run per mode as `arc route --json` and "Why This Mode?" show it. */
export interface ModeCostView {
  tokens: Tokens;
  usd: number | null;
  /** Extra over instant in units of one cold-start reasoning run (see relativeCosts). */
  relative: number;
  /** What the decision subtracted from the mode's expected success (λ-weighted, A²FM-shaped). */
  penalty: number;
}

/** The per-mode view of an explained decision's costs; undefined when it was decided without them. */
export function costView(ex: { costs?: Record<Mode, Partial<ModeCostEstimate> & { relative: number }>; penalties: Record<Mode, number> }): Record<Mode, ModeCostView> | undefined {
  const c = ex.costs;
  if (!c) return undefined;
  const out = {} as Record<Mode, ModeCostView>;
  for (const m of MODES) {
    out[m] = {
      tokens: c[m].tokens ?? { ...PRIOR_TOKENS[m] },
      usd: c[m].usd == null ? null : Number(c[m].usd!.toPrecision(4)),
      relative: Math.round(c[m].relative * 1e4) / 1e4,
      penalty: Math.round(ex.penalties[m] * 1e4) / 1e4,
    };
  }
  return out;
}
