// SCALE step 3, assign (DESIGN §3.3): a step harder than tau goes to System 2 (reasoning role,
// thinking on, an e1 budget); the rest to System 1 (instant role, thinking off). The last step is
// always System 2. Tau follows effort: more effort, lower tau, more steps thought through.
import { clampEffort } from '../../core/config/effortRange';

export type System = 1 | 2;

export const TAU_DEFAULT = 0.5;
export const TAU_MIN = 0.2;
export const TAU_MAX = 0.8;
/** How far tau moves per doubling (or halving) of effort. */
export const TAU_PER_DOUBLING = 0.25;

/**
 * tau(r) = clamp(0.5 − 0.25 · log2(r), 0.2, 0.8), with r first clamped to [0.1, 2].
 * r = 1 → 0.5 (the paper's default); r = 2 → 0.25; r = 0.5 → 0.75; r ≤ 0.42 → 0.8.
 * Monotone non-increasing in r. Even at the lowest effort a step scored above 0.8 (and every step
 * whose score was unusable, which counts as 1.0) still gets System 2.
 */
export function tauForEffort(effort: number): number {
  const r = clampEffort(effort);
  const tau = TAU_DEFAULT - TAU_PER_DOUBLING * Math.log2(r);
  return Math.min(TAU_MAX, Math.max(TAU_MIN, tau));
}

export interface Assignment {
  tau: number;
  systems: System[];
}

/** System 2 when difficulty > tau (strictly), and always for the last step. */
export function assignSystems(difficulties: readonly number[], effort: number): Assignment {
  const tau = tauForEffort(effort);
  const systems = difficulties.map((d, i): System => (i === difficulties.length - 1 || !(d <= tau) ? 2 : 1));
  return { tau, systems };
}
