// The router as the engine uses it: the local model's decision, adjusted by what this user's
// choices taught it for this kind of query, with bounded exploration; and the observer that turns
// forced modes and re-asks into learning.
import type { Mode } from '../core/run/events';
import type { Usage } from '../core/model/types';
import type { RunRequest } from '../core/run/request';
import type { RouteDecision, Router } from '../core/run/seams';
import { decide, decideBrief, explainRoute, type DecideOptions, type RouteExplanation } from './decide';
import { SIGNALS, type RouteContext } from './features';
import type { RouterLearning } from './learning';
import { MODES } from './model';
import { kindOf, relativeCosts, type CostContext, type ModeCosts } from './modeCosts';
import { routeContextOf } from './router';

/** Learned mode costs and what prices them (the role models and `arc.prices`), read at every decision. */
export interface RouterCosts {
  costs: ModeCosts;
  context: () => CostContext;
}

const NAMED = new Set(SIGNALS);

export class LearnedRouter implements Router {
  constructor(
    private readonly learning: RouterLearning,
    private readonly options: () => DecideOptions = () => ({}),
    private readonly random: () => number = Math.random,
    private readonly costs?: RouterCosts,
  ) {}

  // Everything that takes a request decides at the request's effort (DESIGN §2: downstream of the
  // edge, effort is read from the request, never from a setting); `options().effort` serves only
  // routeQuery, which has no request.
  route(request: RunRequest): RouteDecision {
    return this.decideFor(request.query, routeContextOf(request), true, request.effort).decision;
  }

  /**
   * The decision without exploration, for what shows a decision rather than runs one (`arc route`,
   * pickers, "Why This Mode?"): showing must be repeatable.
   */
  routeQuery(query: string, context: RouteContext): RouteDecision {
    return this.decideFor(query, context, false).decision;
  }

  /** Like routeQuery, for a request. */
  preview(request: RunRequest): RouteDecision {
    return this.decideFor(request.query, routeContextOf(request), false, request.effort).decision;
  }

  async observe(request: RunRequest, decision: RouteDecision): Promise<void> {
    // A standing arc.mode / ARC_MODE says nothing about this query: nothing to learn, not even a re-ask.
    if (request.modeChosenBy === 'setting' && request.mode && request.mode !== 'auto') return;
    const effort = request.effort;
    const { bucket, decision: routed } = this.decideFor(request.query, routeContextOf(request), false, effort);
    const forced = request.mode && request.mode !== 'auto' ? request.mode : undefined;
    // Overriding the router is the clearest signal there is: it chose one mode, the user another.
    // Once learning has come round to the user's choice, choosing it again is no longer an override.
    if (forced && forced !== routed.mode) {
      await this.learning.record({ type: 'override', bucket, from: routed.mode, to: forced });
      // Already learned from as an override: remembered for later re-asks, not counted twice.
      await this.learning.noteRun(request.query, bucket, decision.mode, effort, Date.now(), false);
      return;
    }
    await this.learning.noteRun(request.query, bucket, decision.mode, effort);
  }

  /**
   * A finished run's tokens, learned as the cost of the mode that served it for the query's kind
   * (the decision's likeliest mode: the same kind the next decision looks its costs up under).
   */
  async recordCost(_request: RunRequest, decision: RouteDecision, servedMode: Mode, usage: Usage, modelId: string): Promise<void> {
    // Learning off (arc.router.learning): nothing learned, from overrides or from costs.
    if (!this.costs || !this.learning.enabled) return;
    await this.costs.costs.record(modelId, servedMode, kindOf(decision.probabilities), usage);
  }

  /** The decision options with this router's cost term, for explanations that call decide.ts themselves. */
  costOptions(): Pick<DecideOptions, 'costs'> {
    const c = this.costs;
    if (!c) return {};
    const ctx = c.context();
    // Learning off: the model alone with the priors, priced by the user's prices (a setting, not learning).
    const learned = this.learning.enabled ? c.costs : undefined;
    return { costs: (kind) => relativeCosts(learned, ctx, kind) };
  }

  /**
   * The decision explained with what it weighed — probabilities after learning, the expected cost and
   * penalty per mode — as `arc route` and "Why This Mode?" show it (no exploration).
   */
  explain(query: string, ctx: RouteContext, effort?: number): RouteExplanation {
    const { bucket } = this.decideFor(query, ctx, false, effort);
    const options = { ...this.options(), ...this.costOptions(), ...(effort === undefined ? {} : { effort }) };
    const bias = this.learning.bias(bucket);
    return explainRoute(query, ctx, bias ? { ...options, modeBias: bias } : options);
  }

  /** The kind of query a decision is learned under; also for outcomes recorded later (thumbs, edits). */
  bucketOf(request: RunRequest): string {
    return this.decideFor(request.query, routeContextOf(request), false, request.effort).bucket;
  }

  /** `observe` follows `route` for the same request: the base decision is computed once. */
  private last: { key: string; base: RouteDecision; bucket: string } | undefined;

  private decideFor(query: string, ctx: RouteContext, explore = true, effort?: number): { decision: RouteDecision; base: RouteDecision; bucket: string } {
    const base0 = { ...this.options(), ...this.costOptions() };
    const options = effort === undefined ? base0 : { ...base0, effort };
    // Learned costs and prices change decisions too: they are part of what a cached decision is for.
    const costKey = this.costs ? [this.learning.enabled && this.costs.costs.version, this.costs.context()] : null;
    const key = JSON.stringify([query, ctx, options.effort, options.enabledModes, options.toolCalling, costKey]);
    if (this.last?.key !== key) {
      const explained = decideBrief(query, ctx, options);
      this.last = { key, base: explained.decision, bucket: bucketKey(explained.decision.mode, explained.contributions.map((c) => c.name), ctx) };
    }
    const { base, bucket } = this.last;
    const bias = this.learning.bias(bucket);
    let decision = base;
    if (bias) {
      decision = decide(query, ctx, { ...options, modeBias: bias });
      if (decision.mode !== base.mode) decision = { ...decision, reason: `${decision.reason} Learned from your earlier choices (the model alone would pick ${base.mode}).` };
    }
    if (explore) {
      const allowed = MODES.filter((m: Mode) => (!options.enabledModes || options.enabledModes.includes(m)) && !(m === 'agentic' && options.toolCalling === false));
      decision = this.learning.explore(decision, allowed, this.random);
    }
    return { decision, base, bucket };
  }
}

/**
 * A kind of query: what the model alone would choose, its strongest named signal (not a word, so
 * that the bucket generalizes beyond one phrasing) and the surface.
 */
export function bucketKey(mode: Mode, contributionNames: readonly string[], ctx: RouteContext): string {
  const signal = contributionNames.find((n) => NAMED.has(n)) ?? 'words';
  return `${mode}|${signal}|${ctx.source ?? 'any'}`;
}
