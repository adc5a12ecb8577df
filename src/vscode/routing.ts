// The router as the editor uses it: the local model with this user's learning and settings, and
// self-routing through the instant model when it is switched on.
import type { ArcSettings } from '../core/config/settings';
import type { ModelResolver } from '../engine/engine';
import type { Router } from '../core/run/seams';
import type { DecideOptions } from '../router/decide';
import { LearnedRouter } from '../router/learnedRouter';
import type { RouterLearning } from '../router/learning';
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

/** Built per request around the session's learning, so that settings changes take effect at once. */
export function editorRouter(learning: RouterLearning, settings: ArcSettings, models?: ModelResolver): EditorRouting {
  const local = new LearnedRouter(learning, () => decideOptions(settings));
  const router = models
    ? new SelfRoutingRouter(local, {
        enabled: () => settings.selfRoute,
        model: () => models.forRole('instant'),
        allowed: () => settings.enabledModes,
      })
    : local;
  return { router, local, learning };
}
