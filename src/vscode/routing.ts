// The router as the editor uses it: the local model with this user's learning and settings.
import type { ArcSettings } from '../core/config/settings';
import type { Store } from '../core/store/store';
import type { DecideOptions } from '../router/decide';
import { LearnedRouter } from '../router/learnedRouter';
import { RouterLearning } from '../router/learning';

export function decideOptions(settings: ArcSettings): DecideOptions {
  // Effort arrives with the effort issue (arc.effort); until then every request is at 1.0×.
  return { effort: 1, enabledModes: settings.enabledModes, toolCalling: true };
}

/** Loaded per request, so that arc.router.learning and a reset take effect at once. */
export async function editorRouter(store: Store, settings: ArcSettings): Promise<{ router: LearnedRouter; learning: RouterLearning }> {
  const learning = await RouterLearning.load(store, settings.routerLearning);
  return { router: new LearnedRouter(learning, () => decideOptions(settings)), learning };
}
