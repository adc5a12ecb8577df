// The router seam (DESIGN §2, §3.1): what the engine asks of a router, the decision it gets back
// (`run.routed`'s payload), a fixed-mode router for tests and surfaces that fix the mode, and the
// decision when the user forced a mode. In core so that router/ implements it without importing the
// engine; router/learnedRouter.ts and router/selfRoute.ts are the implementations ARC runs.
import type { EventData, Mode } from './events';
import type { RunRequest } from './request';
import type { Usage } from '../model/types';

export type RouteDecision = EventData<'run.routed'>;

/** The A²FM-style router (src/router) implements this. */
export interface Router {
  /**
   * May be asynchronous (self-routing asks a model when unsure); `signal` is the run's cancellation.
   * A router that calls a model reports what the call used, so the run's cost includes it.
   */
  route(request: RunRequest, signal?: AbortSignal, spent?: (model: string, usage: Usage) => void): RouteDecision | Promise<RouteDecision>;
  /**
   * Told what was decided for a request about to run (the user's forced mode included), so that a
   * learning router can note overrides and re-asks. Failures here never affect the run.
   */
  observe?(request: RunRequest, decision: RouteDecision): Promise<void>;
  /**
   * Told what a finished run used (all its calls, children included) in the mode that served it and
   * on which model, so that a router can learn what each mode costs on the user's models. Failures
   * here never affect the run.
   */
  recordCost?(request: RunRequest, decision: RouteDecision, servedMode: Mode, usage: Usage, modelId: string): Promise<void>;
}

/** A router that always picks one mode and says so: for tests, and for surfaces that fix the mode. */
export class FixedModeRouter implements Router {
  constructor(private readonly mode: Mode = 'instant') {}

  route(): RouteDecision {
    const probabilities = { instant: 0, reasoning: 0, agentic: 0, [this.mode]: 1 };
    return { mode: this.mode, intent: 'answer', confidence: 1, probabilities, reason: `Fixed to ${this.mode} mode.` };
  }
}

/** The decision when the user picked the mode: the router's view is kept in the reason. */
export function forcedDecision(routed: RouteDecision, mode: Mode): RouteDecision {
  if (routed.mode === mode) return { ...routed, reason: `${mode} mode, as asked (the router agrees: ${routed.reason})` };
  return { ...routed, mode, confidence: 1, reason: `${mode} mode, as asked (the router would pick ${routed.mode}: ${routed.reason})` };
}
