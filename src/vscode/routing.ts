// The router as the editor uses it: the local model with this user's learning and settings, and
// self-routing through the instant model when it is switched on.
import type { ArcSettings } from '../core/config/settings';
import type { Store } from '../core/store/store';
import type { ModelResolver } from '../engine/engine';
import type { Router } from '../engine/seams';
import type { DecideOptions } from '../router/decide';
import { LearnedRouter } from '../router/learnedRouter';
import { RouterLearning } from '../router/learning';
import { SelfRoutingRouter } from '../router/selfRoute';

export function decideOptions(settings: ArcSettings): DecideOptions {
  // Effort also sets the router's cost weight (DESIGN §3.2): more effort, costlier modes more often.
  return { effort: settings.effort, enabledModes: settings.enabledModes, toolCalling: true };
}

export interface EditorRouting {
  /** What the engine runs: learning, exploration and (if on) self-routing. */
  router: Router;
  /** The local decision alone, synchronous: for pickers and explanations. */
  local: LearnedRouter;
  learning: RouterLearning;
}

/** Loaded per request, so that the settings and a reset take effect at once. */
export async function editorRouter(store: Store, settings: ArcSettings, models?: ModelResolver): Promise<EditorRouting> {
  const learning = await RouterLearning.load(store, settings.routerLearning);
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
