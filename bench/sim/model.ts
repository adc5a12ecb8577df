// The simulator's fixed success model (DESIGN §8). These numbers are the contract that keeps every
// policy comparison honest: no benchmark may tune them.
import type { Mode } from '../../src/core/run/events';

export const SIM = Object.freeze({
  /** Natural reasoning length L(d) = 150 + 2,850·d tokens. */
  naturalBase: 150,
  naturalSlope: 2850,
  qCapable: 0.95,
  qWeaker: 0.3,
  tokensPerSecond: 50,
  firstTokenMs: 200,
  answerTokens: 100,
  agenticToolRounds: 2,
  toolRoundPromptTokens: 300,
  /** USD per million tokens, every mode. */
  priceInput: 1,
  priceOutput: 4,
});

/** How fast the simulator streams: DESIGN §8's pace (SIM) unless a caller that is no benchmark asks for another. */
export interface SimPace {
  tokensPerSecond: number;
  firstTokenMs: number;
}

/**
 * `npm run demo`'s pace: brisk enough that a first question answers within a few seconds (at §8's 50
 * tokens/s a reasoning answer of ~1,500 tokens takes half a minute). Only the clock changes: the same
 * replies, token counts and successes. Benchmarks never use it — their simulated times are §8's.
 */
export const DEMO_PACE: SimPace = Object.freeze({ tokensPerSecond: 800, firstTokenMs: 50 });

const RANK: Record<Mode, number> = { instant: 0, reasoning: 1, agentic: 2 };

export function naturalLength(d: number): number {
  return SIM.naturalBase + SIM.naturalSlope * clamp01(d);
}

/** q(m,k): a mode can do a task kind when it is at least as strong. */
export function capability(mode: Mode, kind: Mode): number {
  return RANK[mode] >= RANK[kind] ? SIM.qCapable : SIM.qWeaker;
}

/** Probability that one call in `mode` with `reasoningTokens` solves a step of `kind` and difficulty `d`. */
export function successProbability(mode: Mode, kind: Mode, d: number, reasoningTokens: number): number {
  const q = capability(mode, kind);
  if (mode === 'instant') return q * (1 - clamp01(d)) ** 2;
  return q * (1 - Math.exp(-Math.max(0, reasoningTokens) / (0.5 * naturalLength(d))));
}

/** A multi-step task succeeds only if every step does. */
export function taskSuccessProbability(mode: Mode, kind: Mode, steps: number[], reasoningPerStep: (d: number) => number): number {
  return steps.reduce((p, d) => p * successProbability(mode, kind, d, reasoningPerStep(d)), 1);
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}

/** A small seeded generator (mulberry32), so that a benchmark run can be repeated exactly. */
export { mulberry32 as rng } from '../../src/core/random';
