// Verifiable eval items: seeded Countdown problems, Countdown problems from a file, GSM8K, or lines of
// a task file (DESIGN §6.6). Every item carries its check; a `command` check runs after the run, in
// the sandbox, on the run's throwaway copy of the item's workspace.
import type { Mode } from '../core/run/events';
import { countdownPrompt, generateCountdown } from './countdown/generator';
import { solveCountdown, type CountdownProblem } from './countdown/solver';
import { verifyCountdownAnswer } from './countdown/verifier';
import type { CheckContext, CheckResult } from './checks';

export interface EvalItem {
  id: string;
  question: string;
  /** The kind of task (the per-kind breakdown; the simulator's k). */
  kind?: Mode;
  /** What a correct answer says, for the report (and the simulator). */
  expected?: string;
  /** The simulator's difficulty d ∈ [0,1] for this item. */
  difficulty?: number;
  /** Absolute path of the folder an agentic run works on (a copy of it, never the original). */
  workspace?: string;
  check(answer: string, ctx?: CheckContext): CheckResult | Promise<CheckResult>;
}

/** Countdown's difficulty for the simulator: more numbers and a larger target are harder. */
function countdownDifficulty(p: CountdownProblem): number {
  return Math.min(0.9, 0.15 + 0.08 * p.numbers.length + p.target / 2000);
}

/** `n` solvable Countdown problems for `seed` (the same seed always gives the same items). */
export function countdownItems(n: number, seed: number): EvalItem[] {
  return generateCountdown(n, seed).map((problem, i) => ({
    id: `countdown-${seed}-${i + 1}`,
    question: countdownPrompt(problem),
    kind: 'reasoning' as const,
    expected: problem.solution,
    difficulty: countdownDifficulty(problem),
    check: (answer: string) => verifyCountdownAnswer(problem, answer),
  }));
}

/** Countdown problems as given (APR's format); an unsolvable one is still asked, and no answer passes it. */
export function countdownProblemItems(problems: readonly CountdownProblem[], prefix: string): EvalItem[] {
  return problems.map((problem, i) => {
    const solution = solveCountdown(problem);
    return {
      id: `${prefix}-${i + 1}`,
      question: countdownPrompt(problem),
      kind: 'reasoning' as const,
      ...(solution ? { expected: solution } : {}),
      difficulty: countdownDifficulty(problem),
      check: (answer: string) => verifyCountdownAnswer(problem, answer),
    };
  });
}

export { normaliseAnswer, type CheckContext, type CheckResult } from './checks';
