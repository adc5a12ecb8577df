// What `arc eval --simulator` tells ARC's §8 simulator (bench/sim) about the items: each item becomes
// a simulator task (kind, difficulty, the answer a successful call gives), the question carries the
// task's mark so the simulator finds it, and latency is the simulated time of the run's calls (the
// simulator runs without pacing: 200 ms to the first token of each call on the critical path, then
// 50 tokens a second).
import type { Mode } from '../core/run/events';
import type { EvalItem } from './items';

export interface SimTaskSpec {
  id: string;
  kind: Mode;
  steps: number[];
  answer?: string;
}

/** The simulator's task id for an item: its mark allows [A-Za-z0-9._-]{1,64}. */
export function simTaskId(item: EvalItem): string {
  const clean = item.id.replace(/[^A-Za-z0-9._-]/g, '_');
  return clean.length <= 64 ? clean : `${clean.slice(0, 48)}_${hash(item.id)}`;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

export function simTasks(items: readonly EvalItem[]): SimTaskSpec[] {
  return items.map((item) => ({
    id: simTaskId(item),
    kind: item.kind ?? 'reasoning',
    steps: [item.difficulty ?? 0.4],
    // In an <answer> block, so the checks read exactly it (the simulator pads its reply after it).
    ...(item.expected !== undefined ? { answer: `<answer>${item.expected}</answer>` } : {}),
  }));
}

export function simQuestion(item: EvalItem): string {
  return `${item.question}\n[task:${simTaskId(item)}]`;
}

export const SIM_FIRST_TOKEN_MS = 200;
export const SIM_TOKENS_PER_SECOND = 50;

export function simulatedMs(run: { rootCalls: number; childCalls: number; criticalPathTokens: number }): number {
  const calls = run.rootCalls + (run.childCalls > 0 ? 1 : 0);
  return Math.max(1, calls) * SIM_FIRST_TOKEN_MS + (run.criticalPathTokens / SIM_TOKENS_PER_SECOND) * 1000;
}

export const SIM_PRICES = Object.freeze({
  'sim-instant': { input: 1, output: 4 },
  'sim-reasoning': { input: 1, output: 4 },
  'sim-agentic': { input: 1, output: 4 },
});
