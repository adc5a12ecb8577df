// Task files (DESIGN §6.6). A line is `{"id"?, "question", "answer", "check"?, "command"?,
// "workspace"?, "kind"?, "difficulty"?}`: default check `exact`; `command` runs in the agent's sandbox
// on a copy of `workspace` (relative to the file) and passes on exit 0. `countdown:FILE` lines are
// `{"nums": [int], "target": int}`. Blank lines are skipped, unknown keys ignored, and each bad line
// is reported by its 1-based number without stopping the rest.
import * as path from 'node:path';
import { z } from 'zod';
import { modeSchema } from '../core/run/events';
import { CHECKS, commandCheck, normaliseAnswer, textCheck } from './checks';
import type { EvalItem } from './items';
import { countdownProblemItems } from './items';
import type { CountdownProblem } from './countdown/solver';

const nonBlank = (field: string) => z.string().refine((s) => normaliseAnswer(s) !== '', `${field} must not be empty`);

const TaskLine = z
  .object({
    id: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
    question: nonBlank('question'),
    answer: nonBlank('answer').optional(),
    check: z.enum(CHECKS).optional(),
    command: z.string().min(1).max(2000).optional(),
    workspace: z.string().min(1).max(1000).optional(),
    kind: modeSchema.optional(),
    difficulty: z.number().min(0).max(1).optional(),
  })
  .superRefine((l, ctx) => {
    const check = l.check ?? 'exact';
    if (check === 'command') {
      if (!l.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command check needs "command"' });
      if (!l.workspace) ctx.addIssue({ code: 'custom', path: ['workspace'], message: 'a command check needs "workspace"' });
    } else if (l.answer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['answer'], message: 'required (every check but command compares with it)' });
    }
  });

export interface JsonlParse {
  items: EvalItem[];
  errors: { line: number; error: string }[];
}

interface Line {
  line: number;
  json: unknown;
}

function jsonLines(text: string, errors: JsonlParse['errors']): Line[] {
  const out: Line[] = [];
  for (const [i, raw] of text.replace(/^\uFEFF/, '').split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, json: JSON.parse(raw) });
    } catch (e) {
      errors.push({ line: i + 1, error: `invalid JSON: ${(e as Error).message}` });
    }
  }
  return out;
}

const issues = (e: z.ZodError): string => e.issues.map((is) => (is.path.length > 0 ? `${is.path.join('.')}: ${is.message}` : is.message)).join('; ');

/**
 * Items of a task file. Ids are the line's `id`, else `line-N`; a relative `workspace` is resolved
 * against `baseDir` (the file's folder). A model's answer is read as for Countdown, then compared
 * by the line's check.
 */
export function parseJsonlItems(text: string, opts: { baseDir?: string } = {}): JsonlParse {
  const items: EvalItem[] = [];
  const errors: JsonlParse['errors'] = [];
  const seen = new Set<string>();
  for (const { line, json } of jsonLines(text, errors)) {
    const parsed = TaskLine.safeParse(json);
    if (!parsed.success) {
      errors.push({ line, error: issues(parsed.error) });
      continue;
    }
    const l = parsed.data;
    const id = l.id !== undefined ? String(l.id) : `line-${line}`;
    if (seen.has(id)) {
      errors.push({ line, error: `id "${id}" is used twice` });
      continue;
    }
    let check: EvalItem['check'];
    const kind = l.check ?? 'exact';
    try {
      check = kind === 'command' ? commandCheck(l.command!) : textCheck(kind, l.answer!);
    } catch (e) {
      errors.push({ line, error: (e as Error).message });
      continue;
    }
    seen.add(id);
    items.push({
      id,
      question: l.question,
      check,
      ...(l.kind ? { kind: l.kind } : l.workspace ? { kind: 'agentic' as const } : {}),
      ...(l.answer !== undefined ? { expected: l.answer } : {}),
      ...(l.difficulty !== undefined ? { difficulty: l.difficulty } : {}),
      ...(l.workspace ? { workspace: path.resolve(opts.baseDir ?? '.', l.workspace) } : {}),
    });
  }
  return { items, errors };
}

const CountdownLine = z.object({
  nums: z.array(z.number().int().min(-1_000_000).max(1_000_000)).min(2).max(6),
  target: z.number().int().min(-1_000_000_000).max(1_000_000_000),
});

/** `countdown:FILE` (APR's problem format). */
export function parseCountdownFile(text: string, prefix = 'countdown-file'): JsonlParse {
  const errors: JsonlParse['errors'] = [];
  const problems: CountdownProblem[] = [];
  for (const { line, json } of jsonLines(text, errors)) {
    const parsed = CountdownLine.safeParse(json);
    if (parsed.success) problems.push({ numbers: parsed.data.nums, target: parsed.data.target });
    else errors.push({ line, error: issues(parsed.error) });
  }
  return { items: countdownProblemItems(problems, prefix), errors };
}

const Gsm8kLine = z.object({ question: z.string().min(1), answer: z.string().includes('####') });

/** GSM8K's test set: `{"question", "answer"}` with the final number after `####`; checked as a number. */
export function parseGsm8k(text: string): JsonlParse {
  const errors: JsonlParse['errors'] = [];
  const items: EvalItem[] = [];
  for (const { line, json } of jsonLines(text, errors)) {
    const parsed = Gsm8kLine.safeParse(json);
    if (!parsed.success) {
      errors.push({ line, error: issues(parsed.error) });
      continue;
    }
    const final = parsed.data.answer.slice(parsed.data.answer.lastIndexOf('####') + 4).trim();
    try {
      items.push({ id: `gsm8k-${line}`, question: parsed.data.question, kind: 'reasoning', expected: final, difficulty: 0.5, check: textCheck('number', final) });
    } catch (e) {
      errors.push({ line, error: (e as Error).message });
    }
  }
  return { items, errors };
}
