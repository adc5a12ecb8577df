// The checks a task file can name (DESIGN §6.6): exact | number | regex | choice | contains | command.
// Every check but `command` reads the model's marked answer (last <answer> block, else the last
// `Answer:` line, else the last \boxed{}, else the whole text); `contains` reads the whole answer.
import { extractAnswerRegion, MAX_ANSWER_CHARS, trimChars } from './countdown/verifier';

export type CheckResult = { ok: true } | { ok: false; reason: string };
export const CHECKS = ['exact', 'number', 'regex', 'choice', 'contains', 'command'] as const;
export type CheckKind = (typeof CHECKS)[number];

export interface CommandOutcome {
  exitCode: number | null;
  output: string;
  sandboxed: boolean;
  /** Set when the command was not run at all (no sandbox and none allowed, …). */
  refused?: string;
}

/** What a check may need besides the answer: the run's copy of the workspace and a way to run a command there. */
export interface CheckContext {
  /** The throwaway copy the agentic run worked on. */
  workspace?: string;
  runCommand?: (command: string, cwd: string, signal?: AbortSignal) => Promise<CommandOutcome>;
  signal?: AbortSignal;
}

/**
 * How an answer is compared, on both the expected and the given side: Unicode NFKC; markdown
 * emphasis and code marks (* _ `) and whitespace stripped from both ends; runs of whitespace collapsed
 * to one space; lower-cased; one trailing full stop dropped. Then the two must be equal.
 */
export function normaliseAnswer(s: string): string {
  const t = trimChars(s.normalize('NFKC'), ' \t\r\n*_`').replace(/\s+/g, ' ').toLowerCase();
  return (t.endsWith('.') ? t.slice(0, -1) : t).trimEnd();
}

export const shown = (s: string): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
};

const tooLong = (answer: string): CheckResult | undefined =>
  answer.length > MAX_ANSWER_CHARS ? { ok: false, reason: `answer is too long (${answer.length} characters; the limit is ${MAX_ANSWER_CHARS})` } : undefined;

/** The last number in a text: thousands separators, a currency sign and a trailing % are allowed. */
export function lastNumber(text: string): number | undefined {
  const matches = [...text.replace(/(\d),(?=\d{3}\b)/g, '$1').matchAll(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g)];
  const last = matches.at(-1);
  return last ? Number(last[0]) : undefined;
}

export function numbersEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** A choice letter: `B`, `(B)`, `B)`, `B.`, `B: text`, or `the answer is B`. */
function choiceLetter(text: string): string | undefined {
  const t = trimChars(text.normalize('NFKC'), ' \t\r\n*_`');
  const lead = /^\(?([A-Za-z])\)?(?:[.):]|\s|$)/.exec(t);
  if (lead) return lead[1]!.toUpperCase();
  const said = /\b(?:answer|option|choice)\s+(?:is\s+)?\(?([A-Za-z])\)?(?![A-Za-z])/i.exec(t);
  return said ? said[1]!.toUpperCase() : undefined;
}

/** A check that reads only the answer text. Throws on a bad `expected` for `number`/`regex`/`choice` (a task-file error). */
export function textCheck(kind: Exclude<CheckKind, 'command'>, expected: string): (answer: string) => CheckResult {
  switch (kind) {
    case 'exact': {
      const want = normaliseAnswer(expected);
      return (answer) => {
        const long = tooLong(answer);
        if (long) return long;
        const got = normaliseAnswer(extractAnswerRegion(answer).text);
        if (got === want) return { ok: true };
        if (got === '') return { ok: false, reason: 'no answer found' };
        return { ok: false, reason: `expected "${want}", got "${shown(got)}"` };
      };
    }
    case 'number': {
      const want = lastNumber(expected);
      if (want === undefined) throw new Error(`a number check needs a number as its answer, not "${shown(expected)}"`);
      return (answer) => {
        const long = tooLong(answer);
        if (long) return long;
        const got = lastNumber(extractAnswerRegion(answer).text);
        if (got === undefined) return { ok: false, reason: 'no number found' };
        return numbersEqual(got, want) ? { ok: true } : { ok: false, reason: `expected ${want}, got ${got}` };
      };
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(expected, 'i');
      } catch (e) {
        throw new Error(`a regex check's answer is not a valid regular expression (${(e as Error).message})`);
      }
      return (answer) => {
        const long = tooLong(answer);
        if (long) return long;
        const got = extractAnswerRegion(answer).text.trim();
        return re.test(got) ? { ok: true } : { ok: false, reason: `"${shown(got)}" does not match /${shown(expected)}/i` };
      };
    }
    case 'choice': {
      const want = choiceLetter(expected);
      if (!want) throw new Error(`a choice check needs a letter as its answer (A, B, …), not "${shown(expected)}"`);
      return (answer) => {
        const long = tooLong(answer);
        if (long) return long;
        const got = choiceLetter(extractAnswerRegion(answer).text);
        if (!got) return { ok: false, reason: 'no choice letter found' };
        return got === want ? { ok: true } : { ok: false, reason: `expected ${want}, got ${got}` };
      };
    }
    case 'contains': {
      const want = normaliseAnswer(expected);
      return (answer) => {
        const long = tooLong(answer);
        if (long) return long;
        return normaliseAnswer(answer).includes(want) ? { ok: true } : { ok: false, reason: `the answer does not contain "${shown(want)}"` };
      };
    }
  }
}

/** A `command` check: the task file's own command, run on the run's copy of the workspace; exit 0 passes. */
export function commandCheck(command: string): (answer: string, ctx?: CheckContext) => Promise<CheckResult> {
  return async (_answer, ctx) => {
    if (!ctx?.workspace || !ctx.runCommand) return { ok: false, reason: 'the command check has no workspace copy to run in' };
    const r = await ctx.runCommand(command, ctx.workspace, ctx.signal);
    if (r.refused) return { ok: false, reason: `check not run: ${r.refused}` };
    if (r.exitCode === 0) return { ok: true };
    const lines = r.output.trim().split(/\r?\n/).filter((l) => l.trim() !== '');
    const telling = lines.find((l) => /error|assert|expected|fail/i.test(l));
    const tail = telling ?? lines.slice(-2).join(' ⏎ ');
    return { ok: false, reason: `\`${shown(command)}\` exited ${r.exitCode ?? 'by a signal'}${tail ? `: ${shown(tail)}` : ''}` };
  };
}
