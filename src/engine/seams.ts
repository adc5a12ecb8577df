// Where the later parts of ARC plug into the engine (DESIGN §2, §3). Each seam is an interface;
// this build implements only what instant mode needs, and says so rather than pretending.
import type { EventData, Mode } from '../core/run/events';
import type { RunRequest } from './request';

export type RouteDecision = EventData<'run.routed'>;

/** The A²FM-style router (src/router) will implement this. */
export interface Router {
  route(request: RunRequest): RouteDecision;
}

/** Modes this build can run. Reasoning (effort, SCALE, spawn) and agentic (tool loop) come later. */
export const AVAILABLE_MODES: readonly Mode[] = ['instant'];

/**
 * The router of this build: instant is the only mode there is, so the decision is fixed and its
 * reason says exactly that. It is replaced, not extended, by the learned router.
 */
export class SingleModeRouter implements Router {
  route(): RouteDecision {
    return {
      mode: 'instant',
      intent: 'answer',
      confidence: 1,
      probabilities: { instant: 1, reasoning: 0, agentic: 0 },
      reason: 'Instant is the only mode this build of ARC runs (no router yet).',
    };
  }
}
