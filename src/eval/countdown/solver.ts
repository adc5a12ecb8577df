// Exhaustive Countdown search: the ground truth for "is this problem solvable?".
//
// Rules (the APR paper's task): every given number is used exactly once; + - * and exact / only, so no
// intermediate result is ever a fraction. The search keeps every intermediate result non-negative
// (it subtracts the smaller from the larger). That loses no solutions for a positive target: any
// expression with a negative intermediate can be rewritten with signs flipped (x + (a - b) becomes
// x - (b - a), and so on) without changing magnitudes, so exactness of divisions is unchanged.

export interface CountdownProblem {
  readonly numbers: readonly number[];
  readonly target: number;
}

/** The search is exhaustive and grows fast with the count; six (the TV game's size) is still quick. */
export const MAX_SOLVER_NUMBERS = 6;

type Op = '+' | '-' | '*' | '/';

interface Term {
  readonly value: number;
  readonly text: string;
  /** The top operator of `text`, or null for a bare number; printing needs it to place parentheses. */
  readonly op: Op | null;
}

/** One solution as an expression over the given numbers (e.g. `(44 - 19) * 4 - 3`), or null if none exists. */
export function solveCountdown(problem: CountdownProblem): string | null {
  checkProblem(problem);
  const terms: Term[] = problem.numbers.map((n) => ({ value: n, text: String(n), op: null }));
  return search(terms, problem.target, new Set());
}

export function isSolvable(problem: CountdownProblem): boolean {
  return solveCountdown(problem) !== null;
}

function checkProblem(p: CountdownProblem): void {
  if (p.numbers.length < 1 || p.numbers.length > MAX_SOLVER_NUMBERS) {
    throw new RangeError(`a Countdown problem needs 1 to ${MAX_SOLVER_NUMBERS} numbers, got ${p.numbers.length}`);
  }
  for (const n of [...p.numbers, p.target]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Countdown numbers and targets are whole numbers ≥ 0, got ${n}`);
  }
}

// `failed` remembers multisets of values that cannot reach the target: whether a multiset works does not
// depend on how its values were made, so each is searched once.
function search(terms: Term[], target: number, failed: Set<string>): string | null {
  if (terms.length === 1) return terms[0]!.value === target ? terms[0]!.text : null;
  const key = terms
    .map((t) => t.value)
    .sort((a, b) => a - b)
    .join(',');
  if (failed.has(key)) return null;
  for (let i = 0; i < terms.length; i++) {
    for (let j = i + 1; j < terms.length; j++) {
      const rest = terms.filter((_, k) => k !== i && k !== j);
      for (const combined of combine(terms[i]!, terms[j]!)) {
        rest.push(combined);
        const found = search(rest, target, failed);
        rest.pop();
        if (found !== null) return found;
      }
    }
  }
  failed.add(key);
  return null;
}

function combine(a: Term, b: Term): Term[] {
  const [hi, lo] = a.value >= b.value ? [a, b] : [b, a];
  const out = [join(hi, '+', lo, hi.value + lo.value), join(hi, '-', lo, hi.value - lo.value), join(hi, '*', lo, hi.value * lo.value)];
  // lo / hi is exact only when lo is 0, which 0 * hi already covers.
  if (lo.value !== 0 && hi.value % lo.value === 0) out.push(join(hi, '/', lo, hi.value / lo.value));
  return out;
}

const PREC: Record<Op, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };
const prec = (op: Op | null): number => (op === null ? 3 : PREC[op]);

function join(left: Term, op: Op, right: Term, value: number): Term {
  const p = PREC[op];
  const l = prec(left.op) < p ? `(${left.text})` : left.text;
  // Left-to-right evaluation regroups a same-precedence right side: a - (b + c) is not a - b + c, and
  // a * (b / c) read as a * b / c would divide a different number.
  const rightNeedsParens = prec(right.op) < p || (prec(right.op) === p && (op === '-' || op === '/' || (op === '*' && right.op === '/')));
  const r = rightNeedsParens ? `(${right.text})` : right.text;
  return { value, text: `${l} ${op} ${r}`, op };
}
