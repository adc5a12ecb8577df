// The router as the editor uses it: the local model with this user's learning and settings, and
// self-routing through the instant model when it is switched on.
import type { ArcSettings } from '../core/config/settings';
import type { ModelResolver } from '../engine/engine';
import type { Router } from '../core/run/seams';
import type { DecideOptions } from '../router/decide';
import { LearnedRouter } from '../router/learnedRouter';
import type { RouterLearning } from '../router/learning';
import type { CostContext, ModeCosts } from '../router/modeCosts';
import { SelfRoutingRouter } from '../router/selfRoute';

export function decideOptions(settings: ArcSettings): DecideOptions {
  // Effort also sets the router's cost weight (DESIGN §3.2): more effort, costlier modes more often.
  // A run is routed at its request's effort (LearnedRouter reads request.effort); this setting is
  // only the effort of decisions shown without a request (pickers).
  return { effort: settings.effort, enabledModes: settings.enabledModes, toolCalling: true };
}

export interface EditorRouting {
  /** What the engine runs: learning, exploration and (if on) self-routing. */
  router: Router;
  /** The local decision alone, synchronous: for pickers and explanations. */
  local: LearnedRouter;
  learning: RouterLearning;
}

/**
 * The model that serves each mode, after the engine's fallbacks (reasoning falls back to the instant
 * role, agentic to reasoning then instant), with the user's prices: what the router's costs are for.
 */
export function editorCostContext(settings: ArcSettings): CostContext {
  const id = (role: keyof ArcSettings['models']) => {
    const ref = settings.models[role];
    return ref ? `${ref.endpointId}/${ref.model}` : undefined;
  };
  const instant = id('instant');
  const reasoning = id('reasoning') ?? instant;
  const agentic = id('agentic') ?? reasoning;
  const models: CostContext['models'] = {};
  if (instant) models.instant = instant;
  if (reasoning) models.reasoning = reasoning;
  if (agentic) models.agentic = agentic;
  return { models, prices: settings.prices };
}

/**
 * Built per request around the session's learning, so that settings changes take effect at once.
 * With `modeCosts`, the cost term is what each mode has cost on the user's models (else constants).
 */
export function editorRouter(learning: RouterLearning, settings: ArcSettings, models?: ModelResolver, modeCosts?: ModeCosts): EditorRouting {
  const costs = modeCosts ? { costs: modeCosts, context: () => editorCostContext(settings) } : undefined;
  const local = new LearnedRouter(learning, () => decideOptions(settings), Math.random, costs);
  const router = models
    ? new SelfRoutingRouter(local, {
        enabled: () => settings.selfRoute,
        model: () => models.forRole('instant'),
        allowed: () => settings.enabledModes,
      })
    : local;
  return { router, local, learning };
}
