// SCALE step 5's words: what one step sees. A step sees the original request, the plan's conditions
// and question, its own goal, and the *answers* of the steps it depends on — never their reasoning
// (the engine's step result carries only the answer text; `<think>` blocks are stripped anyway).
// Non-final steps end with a line `Step answer: …`; only that part is carried forward.
import type { ChatMessage } from '../../core/model/types';
import { stripThinking } from './json';
import type { Plan } from './plan';

/** Longest answer carried into a later step (as spawn_threads caps a child's answer, DESIGN §6.3). */
export const MAX_CARRIED_CHARS = 2000;
export const STEP_ANSWER_LABEL = 'Step answer:';

export type StepStatus = 'done' | 'failed' | 'cancelled' | 'over_budget';

export interface CarriedAnswer {
  index: number;
  title: string;
  status: StepStatus;
  /** The step's answer text as the step returned it (not yet reduced to its step answer). */
  answer: string;
}

const STEP_SYSTEM = [
  'You are carrying out one step of a plan that splits a larger request into steps.',
  'Work only on the current step. Use the conditions and the answers of earlier steps as given; do not redo earlier steps unless an answer is marked as missing.',
  `End your reply with one final line: "${STEP_ANSWER_LABEL} " followed by this step's result, kept short (a value, an expression, a name, a short list, a decision, or a short piece of code).`,
].join('\n');

const FINAL_SYSTEM = [
  'You are carrying out the last step of a plan that splits a larger request into steps.',
  'Use the conditions and the answers of the earlier steps to give the complete final answer to the request.',
  'If an earlier answer is marked as missing or partial, work out what you need yourself and say so briefly.',
  'Answer in the language of the request; use Markdown, with code in fenced blocks with a language tag.',
].join('\n');

export function stepMessages(opts: { request: string; plan: Plan; index: number; inputs: readonly CarriedAnswer[] }): ChatMessage[] {
  const { plan, index } = opts;
  const step = plan.steps[index];
  if (!step) throw new RangeError(`no step ${index} in a plan of ${plan.steps.length}`);
  const final = index === plan.steps.length - 1;
  const parts: string[] = [`Request:\n${opts.request}`];
  if (plan.conditions.length) parts.push(`Conditions:\n${plan.conditions.map((c) => `- ${c}`).join('\n')}`);
  parts.push(`Question: ${plan.question}`);
  if (opts.inputs.length) parts.push(`Answers of earlier steps:\n${opts.inputs.map(carriedLine).join('\n')}`);
  parts.push(`${final ? 'Final step' : 'Current step'} (${index + 1} of ${plan.steps.length}): ${step.title}\n${step.goal}`);
  return [
    { role: 'system', content: final ? FINAL_SYSTEM : STEP_SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

function carriedLine(c: CarriedAnswer): string {
  const head = `Step ${c.index + 1} (${c.title}):`;
  const answer = stepAnswerOf(c.answer);
  if (c.status === 'done' && answer) return `${head} ${answer}`;
  if (c.status === 'over_budget' && answer) return `${head} [partial: this step ran out of budget] ${answer}`;
  return `${head} [missing: this step ${c.status === 'done' ? 'gave no answer' : `did not finish (${c.status})`}]`;
}

/**
 * The part of a step's answer that is carried forward: everything after the last `Step answer:`
 * line (case-insensitive, Markdown emphasis allowed), else the whole answer; capped at
 * MAX_CARRIED_CHARS with a note when cut.
 */
export function stepAnswerOf(answer: string): string {
  const text = stripThinking(answer).trim();
  const marks = [...text.matchAll(/^[ \t>*_#-]*step answer[*_]*[ \t]*[:：][*_]*[ \t]*/gim)];
  const last = marks[marks.length - 1];
  const carried = (last ? text.slice(last.index! + last[0].length) : text).trim();
  return carried.length > MAX_CARRIED_CHARS ? `${carried.slice(0, MAX_CARRIED_CHARS)}… (cut at ${MAX_CARRIED_CHARS} characters)` : carried;
}
