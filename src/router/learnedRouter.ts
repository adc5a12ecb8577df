// The router as the engine uses it: the local model's decision, adjusted by what this user's
// choices taught it for this kind of query, with bounded exploration; and the observer that turns
// forced modes and re-asks into learning.
import type { Mode } from '../core/run/events';
import type { RunRequest } from '../core/run/request';
import type { RouteDecision, Router } from '../core/run/seams';
import { decide, decideBrief, type DecideOptions } from './decide';
import { SIGNALS, type RouteContext } from './features';
import type { RouterLearning } from './learning';
import { MODES } from './model';
import { routeContextOf } from './router';

const NAMED = new Set(SIGNALS);

export class LearnedRouter implements Router {
  constructor(
    private readonly learning: RouterLearning,
    private readonly options: () => DecideOptions = () => ({}),
    private readonly random: () => number = Math.random,
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

  /** The kind of query a decision is learned under; also for outcomes recorded later (thumbs, edits). */
  bucketOf(request: RunRequest): string {
    return this.decideFor(request.query, routeContextOf(request), false, request.effort).bucket;
  }

  /** `observe` follows `route` for the same request: the base decision is computed once. */
  private last: { key: string; base: RouteDecision; bucket: string } | undefined;

  private decideFor(query: string, ctx: RouteContext, explore = true, effort?: number): { decision: RouteDecision; base: RouteDecision; bucket: string } {
    const options = effort === undefined ? this.options() : { ...this.options(), effort };
    const key = JSON.stringify([query, ctx, options.effort, options.enabledModes, options.toolCalling]);
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
