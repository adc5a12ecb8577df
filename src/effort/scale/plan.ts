// SCALE step 1, decompose (DESIGN §3.3): one call turns the request into conditions, the question and
// 2–8 steps as JSON. The reply is untrusted: it is found tolerantly (fences, prose), checked by zod,
// then checked for what a schema cannot say (dependencies only on earlier steps, unique ids). A bad
// reply gets exactly one repair turn that says precisely what was wrong; after that the caller falls
// back to one undecomposed call.
import { z } from 'zod';
import type { ChatMessage } from '../../core/model/types';
import { extractJsonObject } from './json';

export const MIN_STEPS = 2;
export const MAX_STEPS = 8;
/** Longest title kept (a title is a label in the run tree). */
export const MAX_TITLE_CHARS = 80;
/** Longest bad reply echoed back in the repair turn. */
const MAX_ECHO_CHARS = 4000;

export interface PlanStep {
  /** 0..n-1, the step's position. */
  index: number;
  title: string;
  /** What to do and what the step answer should be. */
  goal: string;
  /** Indices of earlier steps whose answers this step sees (always < index, sorted, unique). */
  dependsOn: number[];
  /** True when the model declared the dependencies; false when it omitted them (then: all earlier steps). */
  declared: boolean;
}

export interface Plan {
  conditions: string[];
  question: string;
  steps: PlanStep[];
}

const text = z.string().trim().min(1);
const stepSchema = z
  .object({
    id: z.number().int().optional(),
    title: z.string().trim().optional(),
    goal: z.string().trim().optional(),
    instruction: z.string().trim().optional(),
    dependsOn: z.array(z.number().int()).nullable().optional(),
  })
  .loose()
  .refine((s) => !!(s.goal || s.instruction), { message: 'a step needs a non-empty "goal"' });

/** The shape a decompose reply must have; extra keys are ignored. */
export const rawPlanSchema = z
  .object({
    conditions: z.union([z.array(z.string()), z.string()]).optional(),
    question: text,
    steps: z.array(stepSchema).min(MIN_STEPS).max(MAX_STEPS),
  })
  .loose();
export type RawPlan = z.infer<typeof rawPlanSchema>;

export type PlanParse = { ok: true; plan: Plan } | { ok: false; error: string };

const PLAN_SYSTEM = [
  'You split a request into a short plan of steps that another assistant will carry out one step at a time.',
  'Do not solve the request yourself. Reply with only one JSON object, no other text, in exactly this shape:',
  '{"conditions": ["..."], "question": "...", "steps": [{"id": 1, "title": "...", "goal": "...", "dependsOn": []}]}',
  '- "conditions": every fact, given value, constraint or requirement the request states, each restated exactly; refer to any code by name (for example "the function parse in the given code") instead of copying it.',
  '- "question": what exactly must be answered or produced, in one sentence.',
  `- "steps": ${MIN_STEPS} to ${MAX_STEPS} steps with ids 1, 2, 3… in the order they should be done. Each step is one sub-task small enough to do in one go, and ends in a short step answer that later steps can use (a value, an expression, a name, a short list, a decision, or a short piece of code). "title" is a few words; "goal" says what to do and what the step answer should be.`,
  '- "dependsOn": the ids of EARLIER steps whose answers the step needs, or [] when it needs none. Never the step itself, never a later step. Steps that do not depend on each other can be done at the same time.',
  '- The last step answers the question, using the answers of the earlier steps.',
  'Write titles and goals in the language of the request.',
].join('\n');

/** The decompose call's messages. `request` is the user's full turn (query plus any selected code). */
export function decomposeMessages(request: string): ChatMessage[] {
  return [
    { role: 'system', content: PLAN_SYSTEM },
    { role: 'user', content: `Request:\n${request}` },
  ];
}

/** The repair turn: the original messages, the bad reply, and what exactly was wrong with it. */
export function repairMessages(original: readonly ChatMessage[], badReply: string, error: string): ChatMessage[] {
  const echo = badReply.length > MAX_ECHO_CHARS ? `${badReply.slice(0, MAX_ECHO_CHARS)}…` : badReply;
  return [
    ...original,
    { role: 'assistant', content: echo },
    {
      role: 'user',
      content:
        `That reply could not be used: ${error}\n` +
        'Reply again with only the corrected JSON object in the shape given above: conditions, question, ' +
        `and ${MIN_STEPS} to ${MAX_STEPS} steps, each with id, title, goal and dependsOn (ids of earlier steps only).`,
    },
  ];
}

/** Finds, validates and normalises a plan in a model's reply. The error says precisely what was wrong. */
export function parsePlan(reply: string): PlanParse {
  const found = extractJsonObject(reply);
  if (!found.ok) return { ok: false, error: found.error };
  const raw = rawPlanSchema.safeParse(found.value);
  if (!raw.success) return { ok: false, error: `the JSON does not have the required shape: ${describeIssues(raw.error)}` };
  return validatePlan(raw.data);
}

/**
 * What a schema cannot check. Ids are optional; a step without one gets its position + 1 (the
 * numbering the prompt asks for). Ids must be unique; `dependsOn` may only name earlier steps, so a
 * plan can never contain a cycle. Ids are then renumbered to positions 0..n-1. A step that omits
 * `dependsOn` depends on every earlier step; the last step always depends on every earlier step (it
 * gives the final answer, so it waits for all of them and sees all their answers).
 */
export function validatePlan(raw: RawPlan): PlanParse {
  const problems: string[] = [];
  const ids = raw.steps.map((s, i) => s.id ?? i + 1);
  const position = new Map<number, number>();
  ids.forEach((id, i) => {
    const first = position.get(id);
    if (first !== undefined) problems.push(`steps ${first + 1} and ${i + 1} (in order) both have id ${id}; ids must be unique`);
    else position.set(id, i);
  });
  const idList = ids.join(', ');
  const steps: PlanStep[] = raw.steps.map((s, i) => {
    const goal = (s.goal || s.instruction || '').trim();
    const deps = new Set<number>();
    for (const d of s.dependsOn ?? []) {
      const at = position.get(d);
      if (d === ids[i]) problems.push(`step ${ids[i]} depends on itself`);
      else if (at === undefined) problems.push(`step ${ids[i]} depends on ${d}, which is not a step id (the ids are ${idList})`);
      else if (at > i) problems.push(`step ${ids[i]} depends on step ${d}, which comes later; a step may only depend on earlier steps`);
      else deps.add(at);
    }
    const declared = s.dependsOn !== undefined && s.dependsOn !== null;
    const last = i === raw.steps.length - 1;
    const dependsOn = !declared || last ? range(i) : [...deps].sort((a, b) => a - b);
    return { index: i, title: titleOf(s.title, goal), goal, dependsOn, declared };
  });
  if (problems.length > 0) return { ok: false, error: problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '') };
  const conditions = (typeof raw.conditions === 'string' ? [raw.conditions] : raw.conditions ?? []).map((c) => c.trim()).filter((c) => c !== '');
  return { ok: true, plan: { conditions, question: raw.question, steps } };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function titleOf(title: string | undefined, goal: string): string {
  const t = (title && title.trim()) || goal.split(/\r?\n/)[0]!.trim();
  return t.length > MAX_TITLE_CHARS ? `${t.slice(0, MAX_TITLE_CHARS - 1)}…` : t;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 6)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'the object';
      if (issue.code === 'too_small' && issue.path.join('.') === 'steps') return `"steps" must have at least ${MIN_STEPS} steps`;
      if (issue.code === 'too_big' && issue.path.join('.') === 'steps') return `"steps" must have at most ${MAX_STEPS} steps`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
