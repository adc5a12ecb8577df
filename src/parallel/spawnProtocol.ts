// The `spawn_threads` contract (DESIGN §6.3), tool form: the schema the model sees, the parsing of
// what it sends (with corrections it can act on), and the result it gets back.
import { z } from 'zod';
import type { ToolSpec } from '../core/model/types';
import type { ThreadStatus } from '../core/run/events';

export const SPAWN_TOOL_NAME = 'spawn_threads';
export const DEFAULT_MAX_CHILDREN = 8;
/** Spawn rounds one parent may make (§6.3). */
export const MAX_SPAWN_ROUNDS = 3;
/** A joined answer longer than this is cut, with a note, so one child cannot flood the parent. */
export const MAX_JOINED_ANSWER_CHARS = 2_000;
const MAX_GOAL_CHARS = 4_000;
const MAX_CONTEXT_CHARS = 20_000;

export interface SpawnRequest {
  goal: string;
  context: string | null;
}

export interface ChildResult {
  goal: string;
  status: ThreadStatus;
  answer: string;
  tokens: number;
}

const threadSchema = z.object({
  goal: z.string().describe('What this thread must find out or do, self-contained.'),
  context: z.string().nullable().optional().describe('Facts the thread needs; it sees nothing else.'),
});

function argsSchema(maxChildren: number) {
  return z.object({ threads: z.array(threadSchema).min(1).max(maxChildren) });
}

export function spawnToolSpec(maxChildren = DEFAULT_MAX_CHILDREN): ToolSpec {
  const schema = z.object({
    threads: z
      .array(z.object({ goal: z.string(), context: z.string().nullable() }))
      .min(1)
      .max(maxChildren),
  });
  return {
    name: SPAWN_TOOL_NAME,
    description:
      `Start 1 to ${maxChildren} independent sub-threads that run in parallel. Each sees only its goal ` +
      'and context (not this conversation) and returns a short answer. Use it when the problem splits ' +
      'into parts that can be worked on separately; you continue with their results.',
    parameters: z.toJSONSchema(schema) as Record<string, unknown>,
  };
}

export type SpawnParse = { ok: true; threads: SpawnRequest[] } | { ok: false; error: string };

/** Validates the model's arguments; an error is worded for the model to correct its call. */
export function parseSpawnArguments(raw: string, maxChildren = DEFAULT_MAX_CHILDREN): SpawnParse {
  let json: unknown;
  try {
    json = JSON.parse(raw === '' ? '{}' : raw);
  } catch (e) {
    return { ok: false, error: `The arguments are not valid JSON (${(e as Error).message}). Send {"threads": [{"goal": "...", "context": null}]}.` };
  }
  const parsed = argsSchema(maxChildren).safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => describeIssue(i, maxChildren)).join('; ');
    return { ok: false, error: `Invalid spawn_threads arguments: ${issues}. Send {"threads": [{"goal": "...", "context": null}]} with 1 to ${maxChildren} threads.` };
  }
  const threads: SpawnRequest[] = [];
  for (const [i, t] of parsed.data.threads.entries()) {
    const goal = t.goal.trim();
    if (goal === '') return { ok: false, error: `threads[${i}].goal is empty: give every thread a goal.` };
    if (goal.length > MAX_GOAL_CHARS) return { ok: false, error: `threads[${i}].goal is longer than ${MAX_GOAL_CHARS} characters: put details in its context.` };
    const context = t.context == null || t.context.trim() === '' ? null : t.context.slice(0, MAX_CONTEXT_CHARS);
    threads.push({ goal, context });
  }
  return { ok: true, threads };
}

function describeIssue(issue: z.core.$ZodIssue, maxChildren: number): string {
  const where = issue.path.length ? issue.path.join('.') : 'arguments';
  if (issue.code === 'too_small' && issue.path.join('.') === 'threads') return 'threads is empty: spawn at least one thread';
  if (issue.code === 'too_big' && issue.path.join('.') === 'threads') return `too many threads: at most ${maxChildren}`;
  return `${where}: ${issue.message}`;
}

/** Cuts an answer for the join, saying so, so the parent knows it is not the whole of it. */
export function capAnswer(answer: string): string {
  if (answer.length <= MAX_JOINED_ANSWER_CHARS) return answer;
  return `${answer.slice(0, MAX_JOINED_ANSWER_CHARS)}\n[cut: the thread's answer was ${answer.length} characters; the first ${MAX_JOINED_ANSWER_CHARS} are shown]`;
}

/** The tool result of §6.3: results in the order the threads were asked for. */
export function spawnResultJson(results: ChildResult[]): string {
  return JSON.stringify({ results: results.map((r) => ({ goal: r.goal, status: r.status, answer: capAnswer(r.answer), tokens: r.tokens })) });
}
