// SCALE step 4, allocate (DESIGN §3.2 units, §3.3): the run's budget B is output tokens summed over
// every call of the run. The decompose and assess calls' own tokens come out of B first; System 1
// steps get a small fixed budget; System 2 steps split what is left in proportion to difficulty,
// each with a floor. Every number is an integer and the sum never exceeds B.
import { ANSWER_ALLOWANCE, computeBudget, DEFAULT_MODEL_LIMIT, REASONING_FLOOR } from '../budget';
import { PRIORS } from '../estimator';
import type { System } from './assign';

/** A System 1 step's whole budget (thinking off: it is all answer). */
export const DEFAULT_SYSTEM1_BUDGET = 256;
/** The answer part of a System 2 step that is not the last (a short step answer). */
export const STEP_ANSWER_ALLOWANCE = 256;
/** A System 2 step gets at least e1's reasoning floor plus a step answer. */
export const DEFAULT_SYSTEM2_FLOOR = REASONING_FLOOR + STEP_ANSWER_ALLOWANCE;
/** Below this per step a decomposed run is not worth running: fall back to one call. */
export const MIN_STEP_BUDGET = 64;
/** Below this a System 2 step cannot both think and answer: when degrading it runs as System 1. */
export const MIN_SYSTEM2_BUDGET = REASONING_FLOOR + 64;
/** Difficulty weights are clamped to [MIN_WEIGHT, 1], so a System 2 step scored 0 still gets a share. */
export const MIN_WEIGHT = 0.05;
/** A suggested run budget: this many times one undecomposed reasoning call's budget (SCALE used ~4x). */
export const SCALE_BUDGET_MULTIPLIER = 3;

export interface AllocationStep {
  system: System;
  difficulty: number;
}

export interface AllocationInput {
  /** B: the run's budget in output tokens. */
  total: number;
  /** Output tokens already spent (or reserved) by the decompose and assess calls. */
  overhead: number;
  steps: readonly AllocationStep[];
  system1Budget?: number;
  system2Floor?: number;
  /** The most one call may get (the model's output limit). */
  maxPerStep?: number;
}

export interface Allocation {
  /** False when B − overhead cannot give every step MIN_STEP_BUDGET: the caller falls back. */
  feasible: boolean;
  /** B − overhead, at least 0. */
  available: number;
  /** One integer per step; their sum ≤ available. All 0 when infeasible. */
  budgets: number[];
  /** The systems after degrading (a System 2 step too poor to think runs as System 1). */
  systems: System[];
  degraded: boolean;
  notes: string[];
}

/**
 * The rule. A = B − overhead. If A < n·MIN_STEP_BUDGET: infeasible. If A covers every step's
 * minimum (s1 per System 1 step, the floor F per System 2 step): System 1 steps get s1, and System 2
 * steps share R = A − n1·s1 as b_i = clamp(λ·w_i, F, cap) with w_i = clamp(difficulty, 0.05, 1)
 * and the largest λ whose sum fits R (water-filling: steps between the floor and the cap are exactly
 * proportional to difficulty, up to one token of rounding). Otherwise (degraded): every step gets
 * its minimum scaled by A/M (M = the sum of minimums), rounded down, and a System 2 step left under
 * MIN_SYSTEM2_BUDGET runs as System 1 — the last step included, with a note.
 */
export function allocate(input: AllocationInput): Allocation {
  const total = wholeOr0(input.total);
  const overhead = wholeOr0(input.overhead);
  const available = Math.max(0, total - overhead);
  const cap = Math.max(1, wholeOr0(input.maxPerStep ?? DEFAULT_MODEL_LIMIT));
  const s1 = Math.min(cap, Math.max(1, wholeOr0(input.system1Budget ?? DEFAULT_SYSTEM1_BUDGET)));
  const floor = Math.min(cap, Math.max(1, wholeOr0(input.system2Floor ?? DEFAULT_SYSTEM2_FLOOR)));
  const systems = input.steps.map((s) => s.system);
  const n = systems.length;
  const notes: string[] = [];
  if (n === 0) return { feasible: true, available, budgets: [], systems, degraded: false, notes };
  if (available < n * MIN_STEP_BUDGET) {
    notes.push(`${available} tokens are left of the run's ${total} after planning (${overhead}); ${n} steps need at least ${n * MIN_STEP_BUDGET}`);
    return { feasible: false, available, budgets: systems.map(() => 0), systems, degraded: true, notes };
  }
  const minimum = systems.map((s) => (s === 1 ? s1 : floor));
  const needed = minimum.reduce((a, b) => a + b, 0);
  if (needed > available) {
    const factor = available / needed;
    const budgets = minimum.map((m) => Math.floor(m * factor));
    const out = systems.slice();
    const downgraded: number[] = [];
    out.forEach((s, i) => {
      if (s === 2 && budgets[i]! < MIN_SYSTEM2_BUDGET) {
        out[i] = 1;
        downgraded.push(i + 1);
      }
    });
    notes.push(`the budget left (${available} tokens) is below the steps' minimum (${needed}): every step gets ${Math.round(factor * 100)}% of its minimum`);
    if (downgraded.length) notes.push(`step${downgraded.length > 1 ? 's' : ''} ${downgraded.join(', ')} run${downgraded.length > 1 ? '' : 's'} without thinking (System 1): too few tokens to think and answer`);
    return { feasible: true, available, budgets, systems: out, degraded: true, notes };
  }
  const budgets = systems.map((s) => (s === 1 ? s1 : 0));
  const hard = systems.flatMap((s, i) => (s === 2 ? [i] : []));
  const rest = available - budgets.reduce((a, b) => a + b, 0);
  const shares = waterFill(rest, hard.map((i) => weight(input.steps[i]!.difficulty)), floor, cap);
  hard.forEach((i, k) => (budgets[i] = shares[k]!));
  return { feasible: true, available, budgets, systems, degraded: false, notes };
}

/** clamp(difficulty, MIN_WEIGHT, 1); NaN (no usable score) weighs as hard. */
export function weight(difficulty: number): number {
  if (!Number.isFinite(difficulty)) return 1;
  return Math.min(1, Math.max(MIN_WEIGHT, difficulty));
}

/**
 * Integers b_i = clamp(λ·w_i, lo, hi), with the largest λ whose sum ≤ R, then the tokens lost to
 * rounding handed out by largest remainder. Requires n·lo ≤ R. Sum ≤ R always.
 */
export function waterFill(R: number, weights: readonly number[], lo: number, hi: number): number[] {
  const n = weights.length;
  if (n === 0) return [];
  if (n * lo > R) return weights.map(() => Math.floor(Math.max(0, R) / n));
  const at = (lambda: number) => weights.map((w) => Math.min(hi, Math.max(lo, lambda * w)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let x: number[];
  if (n * hi <= R) x = at(Infinity);
  else {
    let a = 0;
    let b = R / Math.min(...weights) + 1;
    for (let k = 0; k < 200 && b - a > 1e-9 * b; k++) {
      const mid = (a + b) / 2;
      if (sum(at(mid)) <= R) a = mid;
      else b = mid;
    }
    x = at(a);
  }
  const out = x.map((v) => Math.floor(v));
  // Flooring loses less than one token per step (the search a hair more): hand back up to one each.
  let left = Math.floor(R) - sum(out);
  const order = x.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((p, q) => q.frac - p.frac || p.i - q.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if (out[i]! < hi) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

/** How the engine may split a step's budget for e1 enforcement: System 1 is all answer. */
export function stepBudgetParts(budget: number, system: System, final: boolean): { reasoning: number; answer: number } {
  const b = wholeOr0(budget);
  if (system === 1) return { reasoning: 0, answer: b };
  const answer = Math.min(final ? ANSWER_ALLOWANCE : STEP_ANSWER_ALLOWANCE, Math.floor(b / 2));
  return { reasoning: b - answer, answer };
}

/** A suggested B: SCALE_BUDGET_MULTIPLIER × one reasoning call's e1 budget at this effort. */
export function defaultRunBudget(effort: number, reasoningEstimate: number = PRIORS.reasoning): number {
  return SCALE_BUDGET_MULTIPLIER * computeBudget(reasoningEstimate, effort).total;
}

function wholeOr0(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}
