// Seeded Countdown problems and the question that poses them. Everything here is a pure function of
// (n, seed, options), so an eval run can be repeated exactly and two arms see the same problems.
import { MAX_SOLVER_NUMBERS, solveCountdown, type CountdownProblem } from './solver';
import { mulberry32 } from '../../core/random';

export interface CountdownOptions {
  /** How many numbers per problem (default 4). */
  count?: number;
  numberMin?: number;
  numberMax?: number;
  targetMin?: number;
  targetMax?: number;
  /** Draws per problem before giving up (default 1000); a bound, so impossible ranges fail fast. */
  maxAttempts?: number;
}

export const COUNTDOWN_DEFAULTS: Required<CountdownOptions> = {
  count: 4,
  numberMin: 1,
  numberMax: 99,
  targetMin: 10,
  targetMax: 100,
  maxAttempts: 1000,
};

/** Generous but finite, so a typo in `--n` cannot make the generator run for hours. */
export const MAX_PROBLEMS = 100_000;

export interface GeneratedCountdown extends CountdownProblem {
  /** A solution found by the exhaustive solver: the proof that the problem is solvable. */
  readonly solution: string;
}

export { mulberry32 } from '../../core/random';

/**
 * `n` solvable problems drawn uniformly (numbers and target independently) and kept only when the
 * solver finds a solution. Throws if a problem stays unsolvable after `maxAttempts` draws.
 */
export function generateCountdown(n: number, seed: number, options: CountdownOptions = {}): GeneratedCountdown[] {
  const o = { ...COUNTDOWN_DEFAULTS, ...options };
  checkInt('n', n, 0, MAX_PROBLEMS);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  checkInt('count', o.count, 1, MAX_SOLVER_NUMBERS);
  checkInt('numberMin', o.numberMin, 0, Number.MAX_SAFE_INTEGER);
  checkInt('numberMax', o.numberMax, o.numberMin, 1_000_000);
  checkInt('targetMin', o.targetMin, 0, Number.MAX_SAFE_INTEGER);
  checkInt('targetMax', o.targetMax, o.targetMin, 1_000_000_000);
  checkInt('maxAttempts', o.maxAttempts, 1, 1_000_000);

  const rng = mulberry32(seed);
  const draw = (min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
  const problems: GeneratedCountdown[] = [];
  for (let i = 0; i < n; i++) {
    let made: GeneratedCountdown | null = null;
    for (let attempt = 0; attempt < o.maxAttempts && made === null; attempt++) {
      const numbers = Array.from({ length: o.count }, () => draw(o.numberMin, o.numberMax));
      const target = draw(o.targetMin, o.targetMax);
      const solution = solveCountdown({ numbers, target });
      if (solution !== null) made = { numbers, target, solution };
    }
    if (made === null) {
      throw new Error(
        `could not draw a solvable Countdown problem in ${o.maxAttempts} attempts (seed ${seed}, problem ${i + 1} of ${n}; ` +
          `${o.count} numbers in ${o.numberMin}-${o.numberMax}, target in ${o.targetMin}-${o.targetMax})`,
      );
    }
    problems.push(made);
  }
  return problems;
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in ${min}-${max}, got ${v}`);
}

/**
 * The question a model gets. It asks for exactly what the verifier reads best: a final `Answer:` line
 * with one expression. The example uses other numbers so that it never gives a solution away.
 */
export function countdownPrompt(problem: CountdownProblem): string {
  return [
    `Countdown puzzle. Using the numbers ${problem.numbers.join(', ')}, make ${problem.target}.`,
    '',
    'Rules:',
    '- Use each given number exactly once (a number listed twice is used twice). Do not join digits into new numbers.',
    '- Use only + - * / and parentheses; no other operations and no minus sign in front of a number.',
    '- Every division must come out exact: no fractions, not even in intermediate results.',
    '',
    'Work it out however you like, then end with one final line of the form',
    'Answer: <expression>',
    'using the given numbers. For example, for the numbers 2, 3, 5, 7 and the target 31 the last line would be',
    'Answer: 3 * 7 + 2 * 5',
  ].join('\n');
}
