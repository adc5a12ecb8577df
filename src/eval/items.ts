// Verifiable eval items: seeded Countdown problems, or question/answer pairs from a JSONL file.
import { z } from 'zod';
import { countdownPrompt, generateCountdown } from './countdown/generator';
import { extractAnswerRegion, MAX_ANSWER_CHARS, trimChars, verifyCountdownAnswer } from './countdown/verifier';

export type CheckResult = { ok: true } | { ok: false; reason: string };

export interface EvalItem {
  id: string;
  question: string;
  check(answer: string): CheckResult;
}

/** `n` solvable Countdown problems for `seed` (the same seed always gives the same items). */
export function countdownItems(n: number, seed: number): EvalItem[] {
  return generateCountdown(n, seed).map((problem, i) => ({
    id: `countdown-${seed}-${i + 1}`,
    question: countdownPrompt(problem),
    check: (answer: string) => verifyCountdownAnswer(problem, answer),
  }));
}

/**
 * How a JSONL answer is compared, on both the expected and the given side: Unicode NFKC; markdown
 * emphasis and code marks (* _ `) and whitespace stripped from both ends; runs of whitespace collapsed
 * to one space; lower-cased; one trailing full stop dropped. Then the two must be equal.
 */
export function normaliseAnswer(s: string): string {
  const t = trimChars(s.normalize('NFKC'), ' \t\r\n*_`').replace(/\s+/g, ' ').toLowerCase();
  return (t.endsWith('.') ? t.slice(0, -1) : t).trimEnd();
}

const nonBlank = (field: string) => z.string().refine((s) => normaliseAnswer(s) !== '', `${field} must not be empty`);
// z.object drops keys it does not name, which is the "unknown keys ignored" rule of the file format.
const JsonlLine = z.object({ question: nonBlank('question'), answer: nonBlank('answer') });

export interface JsonlParse {
  items: EvalItem[];
  errors: { line: number; error: string }[];
}

/**
 * One `{"question": string, "answer": string}` object per line; blank lines are skipped, unknown keys
 * ignored, and a bad line is reported by its 1-based number without stopping the rest. Item ids are
 * `line-N`. A model's answer is read as for Countdown (last <answer> block, else last `Answer:` line,
 * else last \boxed{}, else the whole text), then compared after `normaliseAnswer`.
 */
export function parseJsonlItems(text: string): JsonlParse {
  const items: EvalItem[] = [];
  const errors: JsonlParse['errors'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push({ line, error: `invalid JSON: ${(e as Error).message}` });
      continue;
    }
    const parsed = JsonlLine.safeParse(json);
    if (!parsed.success) {
      const error = parsed.error.issues.map((is) => (is.path.length > 0 ? `${is.path.join('.')}: ${is.message}` : is.message)).join('; ');
      errors.push({ line, error });
      continue;
    }
    const expected = normaliseAnswer(parsed.data.answer);
    items.push({ id: `line-${line}`, question: parsed.data.question, check: (answer: string) => exactMatch(expected, answer) });
  }
  return { items, errors };
}

function exactMatch(expected: string, answer: string): CheckResult {
  if (answer.length > MAX_ANSWER_CHARS) {
    return { ok: false, reason: `answer is too long (${answer.length} characters; the limit is ${MAX_ANSWER_CHARS})` };
  }
  const got = normaliseAnswer(extractAnswerRegion(answer).text);
  if (got === expected) return { ok: true };
  if (got === '') return { ok: false, reason: 'no answer found' };
  const shown = got.length > 80 ? `${got.slice(0, 80)}…` : got;
  return { ok: false, reason: `expected "${expected}", got "${shown}"` };
}
