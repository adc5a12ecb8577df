// Checks a model's Countdown answer and says exactly what is wrong with it.
//
// What is read, in this order of preference:
//   1. the last <answer>…</answer> block (an unclosed <answer> runs to the end of the text);
//   2. else the last line starting `Answer:` (also `Final answer:`, `**Answer:**`, `# Answer:`); if
//      nothing follows the colon, the block of lines below it, up to a blank line;
//   3. else the last LaTeX \boxed{…};
//   4. else, leniently, the prose itself: the last arithmetic in the text. If that is a step
//      (`100 - 3 = 97`), the earlier steps it depends on are gathered from the text, so abandoned
//      attempts in the reasoning do not count against the answer.
// In 1-3 the answer is taken strictly: every step given there must be part of one correct chain.
//
// Two forms are accepted:
//   - an expression: `(44 - 19) * 4 - 3`, optionally followed by `= 97`;
//   - steps, one per line or separated by `,`/`;`: `44 - 19 = 25`, `25 * 4 = 100`, `100 - 3 = 97`. Each
//     step may use given numbers and earlier results, each exactly once; its right side is a number.
// Operators: + - * / and parentheses. Also accepted as spellings of them: − – — (minus), × · ⋅ ∗ and a
// letter x or X between operands (times), ÷ ∕ (division), LaTeX \times \cdot \div \frac{a}{b}.
// Rejected: unary minus, powers, percent, decimals, numbers not given, any division that is not exact.
// Intermediate results may be negative: that makes no puzzle easier (see solver.ts) and is easier on models.
// Nothing is ever evaluated with eval or Function: a small recursive-descent parser reads the text.
import type { CountdownProblem } from './solver';

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Longer answers are refused outright rather than scanned. */
export const MAX_ANSWER_CHARS = 100_000;
export const MAX_EXPRESSION_CHARS = 300;
export const MAX_STEPS = 20;
const MAX_NESTING = 20;
const MAX_DIGITS = 9;
/** In prose, only the most recent arithmetic can belong to the final chain. */
const MAX_PROSE_CANDIDATES = 200;
const MAX_BLOCK_LINES = 20;

const fail = (reason: string): Verdict => ({ ok: false, reason });

export function verifyCountdownAnswer(problem: CountdownProblem, answer: string): Verdict {
  if (answer.length > MAX_ANSWER_CHARS) {
    return fail(`answer is too long (${answer.length} characters; the limit is ${MAX_ANSWER_CHARS})`);
  }
  const region = extractAnswerRegion(answer);
  const text = normaliseMath(region.text);
  const cands = candidates(text);
  if (cands.length === 0) {
    const bare = /^\s*\d+\s*$/.exec(text);
    return fail(region.explicit && bare ? `the answer is only a number (${bare[0].trim()}), not an expression` : 'no expression found');
  }
  return region.explicit ? checkStrict(problem, cands) : checkProse(problem, cands);
}

// ---------------------------------------------------------------------------------------------------
// Finding the answer in free text (shared with plain question/answer items)

export interface AnswerRegion {
  readonly text: string;
  /** True when the model marked its answer (tags, `Answer:` line, \boxed{}); false for bare prose. */
  readonly explicit: boolean;
}

const ANSWER_LINE = /^[\s*_#>]*(?:the\s+)?(?:final\s+)?answer[\s*_]*[:：]/i;

export function extractAnswerRegion(text: string): AnswerRegion {
  const lower = text.toLowerCase();
  const open = lower.lastIndexOf('<answer>');
  if (open >= 0) {
    const start = open + '<answer>'.length;
    const close = lower.indexOf('</answer>', start);
    return { text: text.slice(start, close < 0 ? undefined : close), explicit: true };
  }
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = ANSWER_LINE.exec(lines[i]!);
    if (!m) continue;
    const rest = trimChars(lines[i]!.slice(m[0].length), ' \t*_`');
    if (rest !== '') return { text: rest, explicit: true };
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && block.length < MAX_BLOCK_LINES; j++) {
      if (lines[j]!.trim() !== '') block.push(lines[j]!);
      else if (block.length > 0) break;
    }
    return { text: block.join('\n'), explicit: true };
  }
  const boxed = lastBoxed(text);
  if (boxed !== null) return { text: boxed, explicit: true };
  return { text, explicit: false };
}

function lastBoxed(text: string): string | null {
  const open = text.lastIndexOf('\\boxed{');
  if (open < 0) return null;
  const start = open + '\\boxed{'.length;
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

/** Trims by hand: a regex like /[*_ ]+$/ backtracks quadratically on long runs of those characters. */
export function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function normaliseMath(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\\(?:times|cdot)/g, '*')
    .replace(/\\div/g, '/')
    .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\left|\\right/g, '')
    .replace(/\\[()[\]]/g, ' ')
    .replace(/[−–—]/g, '-')
    .replace(/[×·⋅∗]/g, '*')
    .replace(/[÷∕]/g, '/');
}

// A list marker or step label in front of arithmetic ("1.", "2)", "(3)", "-", "Step 4:").
const LABEL = /^\s*(?:[-*•+]\s+|\(?\d{1,2}[.)]\s+|step\s*\d+\s*[:.)-]?)/i;
const RUN_CHARS = new Set('0123456789 \t+-*/()=xX^%');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Stretches of arithmetic in the text, in order, that contain an operator before any `=`. */
function candidates(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(LABEL, '');
    let i = 0;
    while (i < line.length) {
      if (!isRunChar(line, i)) {
        i++;
        continue;
      }
      let j = i;
      while (j < line.length && isRunChar(line, j)) j++;
      const run = trimRun(line.slice(i, j));
      if (run !== '' && /[-+*/xX^%]/.test(run.split('=')[0]!)) out.push(run);
      i = j;
    }
  }
  return out;
}

function isRunChar(s: string, i: number): boolean {
  // A dot only inside a number, so that "1. 44 - 19" and a sentence's full stop end the run.
  if (s[i] === '.') return isDigit(s[i - 1]) && isDigit(s[i + 1]);
  return RUN_CHARS.has(s[i]!);
}

function trimRun(run: string): string {
  let a = 0;
  let b = run.length;
  while (a < b && !(isDigit(run[a]) || run[a] === '(')) a++;
  while (b > a && !(isDigit(run[b - 1]) || run[b - 1] === ')')) b--;
  return run.slice(a, b);
}

// ---------------------------------------------------------------------------------------------------
// Parsing and evaluating one expression

type Op = '+' | '-' | '*' | '/';
type Ast = { kind: 'num'; value: number } | { kind: 'bin'; op: Op; left: Ast; right: Ast };
type Token = { kind: 'num'; value: number; text: string } | { kind: 'op'; op: Op } | { kind: '(' } | { kind: ')' };

class ParseError extends Error {}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (isDigit(c)) {
      let j = i;
      while (isDigit(src[j])) j++;
      if (src[j] === '.' && isDigit(src[j + 1])) {
        let k = j + 1;
        while (isDigit(src[k])) k++;
        throw new ParseError(`${src.slice(i, k)} is not a whole number`);
      }
      const text = src.slice(i, j);
      if (text.replace(/^0+(?=\d)/, '').length > MAX_DIGITS) throw new ParseError(`the number ${text} is too large`);
      tokens.push({ kind: 'num', value: Number(text), text });
      i = j;
    } else if (c === '+' || c === '-' || c === '*' || c === '/') {
      tokens.push({ kind: 'op', op: c });
      i++;
    } else if (c === 'x' || c === 'X') {
      tokens.push({ kind: 'op', op: '*' });
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === '^' || c === '%') {
      throw new ParseError(`${c} is not allowed (only + - * / and parentheses)`);
    } else {
      throw new ParseError(`unexpected character '${c}'`);
    }
  }
  return tokens;
}

function parseExpression(src: string): Ast {
  const s = src.trim();
  if (s === '') throw new ParseError('no expression found');
  if (s.length > MAX_EXPRESSION_CHARS) {
    throw new ParseError(`expression is too long (${s.length} characters; the limit is ${MAX_EXPRESSION_CHARS})`);
  }
  const tokens = tokenize(s);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const expr = (depth: number): Ast => {
    let left = term(depth);
    for (let t = peek(); t?.kind === 'op' && (t.op === '+' || t.op === '-'); t = peek()) {
      pos++;
      left = { kind: 'bin', op: t.op, left, right: term(depth) };
    }
    return left;
  };
  const term = (depth: number): Ast => {
    let left = factor(depth);
    for (let t = peek(); t?.kind === 'op' && (t.op === '*' || t.op === '/'); t = peek()) {
      pos++;
      left = { kind: 'bin', op: t.op, left, right: factor(depth) };
    }
    return left;
  };
  const factor = (depth: number): Ast => {
    const t = peek();
    if (t === undefined) throw new ParseError('the expression ends where a number was expected');
    pos++;
    if (t.kind === 'num') return { kind: 'num', value: t.value };
    if (t.kind === '(') {
      if (depth >= MAX_NESTING) throw new ParseError(`parentheses are nested more than ${MAX_NESTING} deep`);
      const inner = expr(depth + 1);
      if (peek()?.kind !== ')') throw new ParseError("missing ')'");
      pos++;
      return inner;
    }
    if (t.kind === ')') throw new ParseError("unexpected ')'");
    if (t.op === '-' || t.op === '+') throw new ParseError(`a sign in front of a number ('${t.op}') is not allowed`);
    throw new ParseError(`expected a number before '${t.op}'`);
  };

  const ast = expr(0);
  const rest = peek();
  if (rest !== undefined) {
    if (rest.kind === ')') throw new ParseError("unexpected ')'");
    throw new ParseError(`missing an operator before ${rest.kind === 'num' ? rest.text : "'('"}`);
  }
  return ast;
}

function literals(ast: Ast, out: number[] = []): number[] {
  if (ast.kind === 'num') out.push(ast.value);
  else {
    literals(ast.left, out);
    literals(ast.right, out);
  }
  return out;
}

type Evaluated = { ok: true; value: number } | { ok: false; reason: string };

function evaluate(ast: Ast): Evaluated {
  if (ast.kind === 'num') return { ok: true, value: ast.value };
  const l = evaluate(ast.left);
  if (!l.ok) return l;
  const r = evaluate(ast.right);
  if (!r.ok) return r;
  let value: number;
  switch (ast.op) {
    case '+':
      value = l.value + r.value;
      break;
    case '-':
      value = l.value - r.value;
      break;
    case '*':
      value = l.value * r.value;
      break;
    case '/':
      if (r.value === 0) return { ok: false, reason: `${l.value}/0 divides by zero` };
      if (l.value % r.value !== 0) return { ok: false, reason: `${l.value}/${r.value} is not exact` };
      value = l.value / r.value;
      break;
  }
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'an intermediate result is too large' };
  return { ok: true, value };
}

function tryParse(src: string): { ok: true; ast: Ast } | { ok: false; reason: string } {
  try {
    return { ok: true, ast: parseExpression(src) };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, reason: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Checking an expression or a chain of steps against the problem

const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

function counts(values: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function usageProblem(used: readonly number[], numbers: readonly number[]): string | null {
  const given = counts(numbers);
  const seen = counts(used);
  for (const [v, u] of seen) {
    const g = given.get(v) ?? 0;
    if (g === 0) return `uses ${v}, which is not one of the numbers`;
    if (u > g) return g === 1 ? `uses ${v} ${times(u)}` : `uses ${v} ${times(u)}, but it is given ${times(g)}`;
  }
  const missing: number[] = [];
  for (const [v, g] of given) {
    const u = seen.get(v) ?? 0;
    if (u === 0) missing.push(v);
    else if (u < g) return `uses ${v} ${times(u)}, but it is given ${times(g)}`;
  }
  return missing.length > 0 ? `does not use ${missing.join(' or ')}` : null;
}

function checkExpression(problem: CountdownProblem, src: string): Verdict {
  const parsed = tryParse(src);
  if (!parsed.ok) return fail(parsed.reason);
  const usage = usageProblem(literals(parsed.ast), problem.numbers);
  if (usage !== null) return fail(usage);
  const v = evaluate(parsed.ast);
  if (!v.ok) return fail(v.reason);
  return v.value === problem.target ? { ok: true } : fail(`equals ${v.value}, not ${problem.target}`);
}

interface Step {
  /** Every side of the step's `=` signs, first to last; the last is a bare number. */
  readonly sides: readonly { text: string; ast: Ast }[];
  readonly result: number;
}

function parseStep(src: string): { ok: true; step: Step } | { ok: false; reason: string } {
  const sides: { text: string; ast: Ast }[] = [];
  for (const part of src.split('=')) {
    const p = tryParse(part);
    if (!p.ok) return p;
    sides.push({ text: part.trim(), ast: p.ast });
  }
  const last = sides[sides.length - 1]!.ast;
  if (last.kind !== 'num') return { ok: false, reason: "the right side of '=' must be a single number" };
  return { ok: true, step: { sides, result: last.value } };
}

/** Inside a marked answer: an expression, or, if any `=` appears, every step there as one chain. */
function checkStrict(problem: CountdownProblem, cands: readonly string[]): Verdict {
  const stepTexts = cands.filter((c) => c.includes('='));
  if (stepTexts.length === 0) return checkExpression(problem, cands[0]!);
  if (stepTexts.length > MAX_STEPS) return fail(`too many steps (${stepTexts.length}; the limit is ${MAX_STEPS})`);
  const steps: Step[] = [];
  for (const [k, text] of stepTexts.entries()) {
    const s = parseStep(text);
    if (!s.ok) return fail(stepTexts.length > 1 ? `step ${k + 1}: ${s.reason}` : s.reason);
    steps.push(s.step);
  }
  return checkSteps(problem, steps);
}

/** In bare prose: the last arithmetic, and if it is a step, the earlier steps that feed it. */
function checkProse(problem: CountdownProblem, all: readonly string[]): Verdict {
  const cands = all.slice(-MAX_PROSE_CANDIDATES);
  const last = cands[cands.length - 1]!;
  if (!last.includes('=')) return checkExpression(problem, last);
  const steps: Step[] = [];
  for (const [k, text] of cands.entries()) {
    if (!text.includes('=')) continue;
    const s = parseStep(text);
    if (s.ok) steps.push(s.step);
    else if (k === cands.length - 1) return fail(s.reason);
  }
  const chain = feedingChain(steps, problem.numbers);
  if (chain.length > MAX_STEPS) return fail(`too many steps (${chain.length}; the limit is ${MAX_STEPS})`);
  return checkSteps(problem, chain);
}

/**
 * Walks back from the last step, keeping an earlier step only when its result is needed by the kept
 * steps more often than the given numbers can supply it. Abandoned attempts are left out.
 */
function feedingChain(steps: readonly Step[], numbers: readonly number[]): Step[] {
  const given = counts(numbers);
  const last = steps[steps.length - 1]!;
  const need = counts(literals(last.sides[0]!.ast));
  const kept = [last];
  for (let i = steps.length - 2; i >= 0; i--) {
    const s = steps[i]!;
    if ((need.get(s.result) ?? 0) <= (given.get(s.result) ?? 0)) continue;
    need.set(s.result, need.get(s.result)! - 1);
    for (const v of literals(s.sides[0]!.ast)) need.set(v, (need.get(v) ?? 0) + 1);
    kept.unshift(s);
  }
  return kept;
}

interface PoolEntry {
  readonly value: number;
  /** 1-based step that produced it, or null for a given number. */
  readonly step: number | null;
}

function checkSteps(problem: CountdownProblem, steps: readonly Step[]): Verdict {
  const prefix = (k: number): string => (steps.length > 1 ? `step ${k}: ` : '');
  const pool: PoolEntry[] = problem.numbers.map((value) => ({ value, step: null }));
  const available = counts(problem.numbers);
  const consumed = new Map<number, number>();
  for (const [i, step] of steps.entries()) {
    const k = i + 1;
    const [first, ...others] = step.sides;
    for (const v of literals(first!.ast)) {
      consumed.set(v, (consumed.get(v) ?? 0) + 1);
      // The latest result first: chains usually build on the step just before.
      const at = pool.map((e) => e.value).lastIndexOf(v);
      if (at >= 0) {
        pool.splice(at, 1);
        continue;
      }
      const a = available.get(v) ?? 0;
      const where = steps.length > 1 ? ` (step ${k})` : '';
      if (a === 0) return fail(`${prefix(k)}uses ${v}, which is neither one of the numbers nor an earlier result`);
      const u = consumed.get(v)!;
      return fail(a === 1 ? `uses ${v} ${times(u)}${where}` : `uses ${v} ${times(u)}, but it is available only ${times(a)}${where}`);
    }
    const v = evaluate(first!.ast);
    if (!v.ok) return fail(prefix(k) + v.reason);
    for (const side of others) {
      const w = evaluate(side.ast);
      if (!w.ok) return fail(prefix(k) + w.reason);
      if (w.value !== v.value) return fail(`${prefix(k)}${first!.text} is ${v.value}, not ${side.text}`);
    }
    pool.push({ value: step.result, step: k });
    available.set(step.result, (available.get(step.result) ?? 0) + 1);
  }
  const final = pool.pop()!;
  const unusedGiven = pool.filter((e) => e.step === null).map((e) => e.value);
  if (unusedGiven.length > 0) return fail(`does not use ${unusedGiven.join(' or ')}`);
  const unusedResult = pool.find((e) => e.step !== null);
  if (unusedResult) return fail(`the result ${unusedResult.value} of step ${unusedResult.step} is never used`);
  return final.value === problem.target ? { ok: true } : fail(`equals ${final.value}, not ${problem.target}`);
}
