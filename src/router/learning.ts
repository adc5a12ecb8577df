// What the router learns from what users do (DESIGN §3.1, issue: Router item 4): per kind of query,
// an additive log-odds bias per mode, moved by explicit overrides, re-asks with another mode or more
// effort, thumbs, accepted or rejected edits and failed tool runs. Persisted in the Store; bounded;
// exploration only between instant and reasoning, never into agentic.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MODES, modeSchema, type Mode } from '../core/run/events';
import { mutateStored, type Store } from '../core/store/store';
import type { RouteDecision } from '../core/run/seams';

export const LEARNING_KEY = 'router-learning';

/** One override moves a bias this far (log-odds); weaker evidence moves it a fraction of this. */
export const STEP = 1;
/** No amount of evidence pushes a bias past this: the model's own view always counts. */
export const MAX_BIAS = 5;
/** A second ask of the same query within this window is a re-ask. */
export const REASK_WINDOW_MS = 10 * 60_000;
const MAX_RECENT = 200;
const MAX_BUCKETS = 2000;
/** Exploration: rare, only when the router is unsure, and at most once in this many runs. */
export const EXPLORE_PROBABILITY = 0.05;
export const EXPLORE_BELOW_CONFIDENCE = 0.65;
export const EXPLORE_MIN_GAP = 20;

const biasSchema = z.object({ instant: z.number(), reasoning: z.number(), agentic: z.number(), n: z.number().int().nonnegative() });
const stateSchema = z.object({
  version: z.literal(1),
  buckets: z.record(z.string(), biasSchema),
  recent: z.array(z.object({ query: z.string(), bucket: z.string(), mode: modeSchema, effort: z.number(), t: z.number() })),
  runsSinceExplore: z.number().int().nonnegative(),
});
export type LearningState = z.infer<typeof stateSchema>;
type Bias = z.infer<typeof biasSchema>;

export type Outcome =
  | { type: 'override'; bucket: string; from: Mode; to: Mode }
  | { type: 'reask'; bucket: string; from: Mode; to: Mode; moreEffort: boolean }
  | { type: 'thumbs'; bucket: string; mode: Mode; up: boolean }
  | { type: 'edit'; bucket: string; mode: Mode; accepted: boolean }
  | { type: 'tool_failed'; bucket: string; mode: Mode };

function emptyState(): LearningState {
  return { version: 1, buckets: {}, recent: [], runsSinceExplore: EXPLORE_MIN_GAP };
}

/** Queries are remembered only as a hash, for re-ask detection: no query text is stored. */
export function queryKey(query: string): string {
  const normal = query.toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normal).digest('hex').slice(0, 16);
}

export class RouterLearning {
  /** An exploration happened since the last write: the gap counter restarts. */
  private explored = false;

  private constructor(
    private state: LearningState,
    private readonly store: Store | undefined,
    private readonly isEnabled: () => boolean,
  ) {}

  /** `enabled` may be a function, read at every use, so a long-lived instance follows its setting. */
  static async load(store: Store | undefined, enabled: boolean | (() => boolean)): Promise<RouterLearning> {
    const state = (store && (await store.get(LEARNING_KEY, stateSchema))) ?? emptyState();
    return new RouterLearning(state, store, typeof enabled === 'function' ? enabled : () => enabled);
  }

  get enabled(): boolean {
    return this.isEnabled();
  }

  /** The learned bias for a kind of query; nothing when learning is off. */
  bias(bucket: string): Partial<Record<Mode, number>> | undefined {
    if (!this.enabled) return undefined;
    const b = this.state.buckets[bucket];
    return b ? { instant: b.instant, reasoning: b.reasoning, agentic: b.agentic } : undefined;
  }

  /** Applies one observed outcome. Returns false (and changes nothing) when learning is off. */
  async record(outcome: Outcome): Promise<boolean> {
    if (!this.enabled) return false;
    await this.mutate((state) => applyOutcome(state, outcome));
    return true;
  }

  /**
   * Notes a run. When the same query was asked within the window with another mode or less effort,
   * that is a re-ask: it is recorded as an outcome, and returned.
   */
  async noteRun(query: string, bucket: string, mode: Mode, effort: number, now = Date.now(), learnFromReask = true): Promise<Outcome | undefined> {
    if (!this.enabled) return undefined;
    const key = queryKey(query);
    let outcome: Outcome | undefined;
    await this.mutate((state) => {
      const prev = [...state.recent].reverse().find((r) => r.query === key && now - r.t <= REASK_WINDOW_MS);
      state.recent.push({ query: key, bucket, mode, effort, t: now });
      if (state.recent.length > MAX_RECENT) state.recent.splice(0, state.recent.length - MAX_RECENT);
      state.runsSinceExplore++;
      outcome = undefined;
      if (learnFromReask && prev && (prev.mode !== mode || effort > prev.effort)) {
        outcome = { type: 'reask', bucket: prev.bucket, from: prev.mode, to: mode, moreEffort: effort > prev.effort };
        applyOutcome(state, outcome);
      }
    });
    return outcome;
  }

  /**
   * Bounded exploration between instant and reasoning: when the router is unsure, rarely, try the
   * other of the two so that learning sees both. Never into or out of agentic; never a disabled mode.
   */
  explore(decision: RouteDecision, allowed: readonly Mode[], random: () => number): RouteDecision {
    if (!this.enabled) return decision;
    if (decision.mode === 'agentic' || decision.confidence >= EXPLORE_BELOW_CONFIDENCE) return decision;
    if (this.state.runsSinceExplore < EXPLORE_MIN_GAP || random() >= EXPLORE_PROBABILITY) return decision;
    const other: Mode = decision.mode === 'instant' ? 'reasoning' : 'instant';
    if (!allowed.includes(other)) return decision;
    this.state.runsSinceExplore = 0;
    // Kept in memory now, and written with the next change (which re-reads the file).
    this.explored = true;
    return { ...decision, mode: other, reason: `${decision.reason} Exploring: trying ${other} this time to learn (override any time).` };
  }

  async reset(): Promise<void> {
    this.state = emptyState();
    await this.store?.delete(LEARNING_KEY);
  }

  snapshot(): Readonly<LearningState> {
    return this.state;
  }

  /** Changes the state under the store's lock, on what is on disk now (other processes learn too). */
  private async mutate(apply: (state: LearningState) => void): Promise<void> {
    const explored = this.explored;
    this.explored = false;
    this.state = await mutateStored(this.store, LEARNING_KEY, stateSchema, this.state, emptyState, (state) => {
      if (explored) state.runsSinceExplore = 0;
      apply(state);
    });
  }
}

/** One outcome's effect on the learned biases (kept bounded). */
function applyOutcome(state: LearningState, outcome: Outcome): void {
    const b = (state.buckets[outcome.bucket] ??= { instant: 0, reasoning: 0, agentic: 0, n: 0 });
    switch (outcome.type) {
      case 'override':
        if (outcome.from !== outcome.to) prefer(b, outcome.to, STEP);
        break;
      case 'reask':
        if (outcome.from !== outcome.to) prefer(b, outcome.to, STEP / 2);
        // The same mode asked again with more effort: it was not enough; lean to the next mode up,
        // but learning never pushes an answer into agentic on effort alone.
        else if (outcome.moreEffort && outcome.from === 'instant') prefer(b, 'reasoning', STEP / 2);
        break;
      case 'thumbs':
        nudge(b, outcome.mode, outcome.up ? STEP / 2 : -STEP / 2);
        break;
      case 'edit':
        nudge(b, outcome.mode, outcome.accepted ? STEP / 4 : -STEP / 4);
        break;
      case 'tool_failed':
        nudge(b, outcome.mode, -STEP / 4);
        break;
    }
    b.n++;
  prune(state);
}

function prune(state: LearningState): void {
  const keys = Object.keys(state.buckets);
  if (keys.length <= MAX_BUCKETS) return;
  keys.sort((a, b) => state.buckets[a]!.n - state.buckets[b]!.n);
  for (const k of keys.slice(0, keys.length - MAX_BUCKETS)) delete state.buckets[k];
}
function clampBias(x: number): number {
  return Math.max(-MAX_BIAS, Math.min(MAX_BIAS, x));
}

function nudge(b: Bias, mode: Mode, by: number): void {
  b[mode] = clampBias(b[mode] + by);
}

/**
 * The user's choice says which mode is right, not only which one was wrong: raise it and lower both
 * others, so that moving away from instant does not hand the query to agentic (which, able to do
 * everything, wins any expected-success comparison it is not held back in).
 */
function prefer(b: Bias, mode: Mode, by: number): void {
  for (const m of MODES) nudge(b, m, m === mode ? by : -by / 2);
}
