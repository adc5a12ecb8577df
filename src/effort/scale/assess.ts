// SCALE step 2, assess (DESIGN §3.3): each step's difficulty in [0,1], scored by a tiny call with
// thinking off. A score that cannot be read, or lies outside [0,1], counts as hard (1.0) — spending
// too much on an easy step costs tokens, under-thinking a hard one costs the answer — and the
// returned note says so.
import type { ChatMessage } from '../../core/model/types';
import { extractJsonObject, stripThinking } from './json';
import type { Plan } from './plan';

/** Output tokens of one scoring call: enough for `{"difficulty": 0.75}` and a little slack. */
export const ASSESS_MAX_TOKENS = 32;
/** What an unreadable or out-of-range score counts as. */
export const INVALID_DIFFICULTY = 1;

const ASSESS_SYSTEM = [
  'You rate how hard one step of a plan is, before anyone works on it. Do not solve the step.',
  'Difficulty is a number from 0 to 1: 0 = trivial (restating a given, a lookup, one obvious operation);',
  '0.5 = needs a few careful moves; 1 = needs long, careful multi-step reasoning where mistakes are likely.',
  'Reply with only this JSON and nothing else: {"difficulty": <number from 0 to 1>}',
].join('\n');

/** The scoring call's messages for step `index` of `plan` (the whole plan is shown for context). */
export function assessMessages(plan: Plan, index: number): ChatMessage[] {
  const step = plan.steps[index];
  if (!step) throw new RangeError(`no step ${index} in a plan of ${plan.steps.length}`);
  const conditions = plan.conditions.length ? plan.conditions.map((c) => `- ${c}`).join('\n') : '(none stated)';
  const outline = plan.steps.map((s) => `${s.index + 1}. ${s.title}`).join('\n');
  return [
    { role: 'system', content: ASSESS_SYSTEM },
    {
      role: 'user',
      content: `Question: ${plan.question}\nConditions:\n${conditions}\nPlan:\n${outline}\n\nStep to rate: ${index + 1}. ${step.title}\n${step.goal}`,
    },
  ];
}

export interface Difficulty {
  /** In [0,1]; INVALID_DIFFICULTY when the reply could not be used. */
  difficulty: number;
  valid: boolean;
  /** Why a score was not used, for the user. */
  note?: string;
}

const NUMBER = String.raw`[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)`;
const BARE = new RegExp(String.raw`^(${NUMBER})\s*(%)?$`);
const LABELLED = new RegExp(String.raw`difficulty["']?\s*[:=]\s*["']?(${NUMBER})\s*(%)?`, 'i');

/**
 * Reads a score. Accepted: a bare number (`0.7`, `.7`, `0,7`), a percentage (`70%` = 0.7, the one
 * unambiguous rescaling), `difficulty: 0.7` in prose, or a JSON object with a numeric (or numeric
 * string) `difficulty`. Not accepted, and so hard: a number above 1 without `%` (is `7` out of 10
 * or out of 100?), a negative number, NaN, several candidates with no label, anything else.
 */
export function parseDifficulty(reply: string): Difficulty {
  const text = stripThinking(reply).trim().replace(/^`+|`+$/g, '').replace(/[.。]$/, '').trim();
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  let value: number | undefined;
  let percent = false;
  const found = text.includes('{') ? extractJsonObject(text) : undefined;
  if (found?.ok) {
    const d = (found.value as Record<string, unknown>)['difficulty'];
    if (typeof d === 'number') value = d;
    else if (typeof d === 'string') {
      const m = BARE.exec(d.trim());
      if (m) [value, percent] = [toNumber(m[1]!), m[2] === '%'];
    }
    if (value === undefined) return invalid(`the score ${shown} has no numeric "difficulty"`);
  } else {
    const m = BARE.exec(text) ?? LABELLED.exec(text);
    if (!m) return invalid(`the score ${shown} is not a number`);
    [value, percent] = [toNumber(m[1]!), m[2] === '%'];
  }
  if (percent) value = value / 100;
  if (!Number.isFinite(value) || value < 0 || value > 1) return invalid(`the score ${shown} is outside 0..1`);
  return { difficulty: value, valid: true };
}

function toNumber(s: string): number {
  return Number(s.replace(',', '.'));
}

function invalid(why: string): Difficulty {
  return { difficulty: INVALID_DIFFICULTY, valid: false, note: `${why}; counted as hard (${INVALID_DIFFICULTY})` };
}
