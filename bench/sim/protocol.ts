// How the simulator (DESIGN §8) recognizes ARC's own requests — SCALE's plan, score and step calls,
// spawn-capable parents, their children and the parent's follow-up — and what it answers. Recognition
// uses the prompts ARC itself builds (taken from src/effort/scale and src/parallel at load time, never
// copied), so a reworded prompt cannot silently turn a SCALE call into a plain one. The wording of the
// replies is free; whether a step or a thread succeeds is decided by the fixed success model in
// ./model.ts, in ./simulator.ts.
import type { Mode } from '../../src/core/run/events';
import type { ChatMessage } from '../../src/core/model/types';
import { assessMessages, decomposeMessages, MAX_STEPS, MIN_STEPS, stepMessages, type Plan } from '../../src/effort/scale';
import { childMessages } from '../../src/parallel/prompts';
import { SPAWN_TOOL_NAME } from '../../src/parallel/spawnProtocol';
import { SPAWN_CLOSE, SPAWN_OPEN, tagInstructions } from '../../src/parallel/tagForm';
import { clamp01, rng } from './model';

/** What a recorded call was for; absent on plain calls. */
export type Purpose = 'plan' | 'assess' | 'step' | 'spawn' | 'child' | 'join';

function systemOf(messages: ChatMessage[]): string {
  const first = messages[0];
  if (!first || first.role !== 'system' || !first.content) throw new Error('simulator: an ARC prompt builder no longer starts with a system message');
  return first.content;
}

function userOf(messages: ChatMessage[]): string {
  const m = messages.find((x) => x.role === 'user');
  return m && typeof m.content === 'string' ? m.content : '';
}

const PROBE_PLAN: Plan = {
  conditions: [],
  question: 'q',
  steps: [
    { index: 0, title: 'a', goal: 'a', dependsOn: [], declared: true },
    { index: 1, title: 'b', goal: 'b', dependsOn: [0], declared: true },
  ],
};
const TAG_HELP = tagInstructions(8);

/** The system prompts (and markers) the simulator recognizes, built by ARC's own prompt functions. */
export const PROMPT_MARKS = Object.freeze({
  plan: systemOf(decomposeMessages('')),
  /** What decomposeMessages puts before the user's request. */
  planRequestPrefix: userOf(decomposeMessages('')),
  assess: systemOf(assessMessages(PROBE_PLAN, 0)),
  step: systemOf(stepMessages({ request: '', plan: PROBE_PLAN, index: 0, inputs: [] })),
  finalStep: systemOf(stepMessages({ request: '', plan: PROBE_PLAN, index: 1, inputs: [] })),
  child: systemOf(childMessages({ goal: 'g', context: null })),
  /** The part of the tag-form instructions that does not depend on maxChildren. */
  tagSpawn: TAG_HELP.slice(TAG_HELP.indexOf(SPAWN_OPEN)),
});

export interface WireMessage {
  role?: string;
  content?: unknown;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

export type Recognized =
  | { purpose: 'plan' }
  | { purpose: 'assess' }
  | { purpose: 'step'; final: boolean }
  | { purpose: 'child' }
  /** The parent's follow-up after its spawned threads joined. */
  | { purpose: 'join'; form: 'tool' | 'tag' }
  /** A request that may spawn: it spawns only when its task is multi-part (else it is a plain call). */
  | { purpose: 'spawn'; form: 'tool' | 'tag'; maxChildren: number };

export function textOf(m: WireMessage | undefined): string {
  return m && typeof m.content === 'string' ? m.content : '';
}

/** Which of ARC's own requests this is, from its system prompt, its tools and its last message; undefined for a plain call. */
export function recognize(body: Record<string, any>, messages: WireMessage[]): Recognized | undefined {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map(textOf).join('\n');
  if (system.includes(PROMPT_MARKS.plan)) return { purpose: 'plan' };
  if (system.includes(PROMPT_MARKS.assess)) return { purpose: 'assess' };
  if (system.includes(PROMPT_MARKS.finalStep)) return { purpose: 'step', final: true };
  if (system.includes(PROMPT_MARKS.step)) return { purpose: 'step', final: false };
  if (system.includes(PROMPT_MARKS.child)) return { purpose: 'child' };
  const last = messages[messages.length - 1];
  const spawnedByTool = messages.some((m) => m.role === 'assistant' && (m.tool_calls ?? []).some((c) => c.function?.name === SPAWN_TOOL_NAME));
  if (last?.role === 'tool' && spawnedByTool) return { purpose: 'join', form: 'tool' };
  const tagForm = system.includes(PROMPT_MARKS.tagSpawn);
  if (tagForm && last?.role === 'user' && /<join[\s>]/i.test(textOf(last))) return { purpose: 'join', form: 'tag' };
  const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
  const spawnTool = tools.find((t) => t?.function?.name === SPAWN_TOOL_NAME);
  if (spawnTool) {
    const max = spawnTool.function?.parameters?.properties?.threads?.maxItems;
    return { purpose: 'spawn', form: 'tool', maxChildren: typeof max === 'number' && max >= 1 ? max : 8 };
  }
  if (tagForm) {
    const m = /start 1 to (\d+)/.exec(system);
    return { purpose: 'spawn', form: 'tag', maxChildren: m ? Number(m[1]) : 8 };
  }
  return undefined;
}

// ---- Markers the simulator writes into its own plans and spawn calls, so later requests find their task.

const ID = '[A-Za-z0-9._-]{1,64}';
const STEP_MARK = new RegExp(String.raw`\[step:(${ID}):(\d{1,2})\]`, 'g');
const PART_MARK = new RegExp(String.raw`\[part:(${ID}):(\d{1,2})\]`, 'g');

export interface Ref {
  taskId: string;
  index: number;
}

function lastMark(re: RegExp, text: string): Ref | undefined {
  let found: Ref | undefined;
  for (const m of text.matchAll(re)) found = { taskId: m[1]!, index: Number(m[2]) };
  return found;
}

/** The last `[step:ID:i]` in the text: in an assess or step request, the step being rated or done. */
export const stepRef = (text: string) => lastMark(STEP_MARK, text);
/** The last `[part:ID:i]` in the text: in a child's request, its part. */
export const partRef = (text: string) => lastMark(PART_MARK, text);
export const stepMark = (taskId: string, index: number) => `[step:${taskId}:${index}]`;
export const partMark = (taskId: string, index: number) => `[part:${taskId}:${index}]`;

// ---- Decompositions.

export interface SimPart {
  d: number;
  kind: Mode;
  title: string;
  goal: string;
  dependsOn: number[];
}

/** The simulator's decomposition of one task: SCALE steps (sequential) or spawn parts (independent). */
export interface SimDecomposition {
  taskId: string;
  kind: Mode;
  question: string;
  conditions: string[];
  parts: SimPart[];
  /** Where the difficulties came from. */
  source: 'task' | 'synthesized';
}

/** A deterministic number in [0,1) from a seed and some keys (FNV-1a, murmur3's finalizer, one mulberry32 step). */
export function hash01(seed: number, ...keys: Array<string | number>): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of keys.join('\u0001')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // murmur3's finalizer, so that keys differing in one character land far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return rng(h)();
}

export function shortHash(text: string): string {
  return Math.floor(hash01(0, text) * 0xffffffff).toString(16).padStart(8, '0');
}

const EASY_TITLES = ['Collect the givens', 'Restate the condition', 'Look up the needed value', 'Set up the notation', 'Check the simple case'];
const HARD_TITLES = ['Derive the key relation', 'Work through the cases', 'Bound the quantity', 'Find the construction', 'Verify the invariant'];
const FINAL_TITLE = 'Combine into the final answer';

/** 3 to 5 step difficulties around `d` (the task's one difficulty), the last step the task's own. */
export function synthesizeDifficulties(seed: number, key: string, d: number): number[] {
  const n = 3 + Math.floor(hash01(seed, key, 'n') * 3);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? clamp01(d) : round2(clamp01(d + (hash01(seed, key, 'd', i) - 0.5) * 0.5))));
}

/**
 * The plan for a task. Sequential plans form a chain (each step on the one before), except that
 * sometimes the first two steps are an independent pair (the third then uses both); the last step
 * uses every earlier one. Parallel decompositions (multi-part questions) have independent parts.
 */
export function decompose(opts: {
  seed: number;
  taskId: string;
  kind: Mode;
  difficulties: number[];
  kinds?: Mode[];
  parallel: boolean;
  question: string;
  partTexts?: string[];
  source: SimDecomposition['source'];
}): SimDecomposition {
  const { seed, taskId } = opts;
  const n = opts.difficulties.length;
  const pair = !opts.parallel && n >= 3 && hash01(seed, taskId, 'pair') < 0.35;
  const parts = opts.difficulties.map((d, i): SimPart => {
    const last = i === n - 1;
    const titles = d < 0.5 ? EASY_TITLES : HARD_TITLES;
    const title = opts.partTexts?.[i]
      ? clip(opts.partTexts[i]!, 60)
      : last && !opts.parallel
        ? FINAL_TITLE
        : titles[Math.floor(hash01(seed, taskId, 'title', i) * titles.length)]!;
    const dependsOn = opts.parallel || i === 0 ? [] : last ? range(i) : pair && i === 1 ? [] : pair && i === 2 ? [0, 1] : [i - 1];
    const what = opts.parallel
      ? `Answer part ${i + 1} of ${n} of the question${opts.partTexts?.[i] ? `: ${sentence(clip(opts.partTexts[i]!, 300))}` : '.'}`
      : last
        ? 'Use the answers of the earlier steps to answer the question.'
        : `${title} (simulated step ${i + 1} of ${n}); the step answer is its result.`;
    return { d: clamp01(d), kind: opts.kinds?.[i] ?? opts.kind, title, goal: `${what} ${opts.parallel ? partMark(taskId, i) : stepMark(taskId, i)}`, dependsOn };
  });
  return {
    taskId,
    kind: opts.kind,
    question: opts.question,
    conditions: ['(simulated) every fact the request states'],
    parts,
    source: opts.source,
  };
}

/** The plan reply: JSON in the shape src/effort/scale/plan.ts asks for (ids from 1). */
export function planJson(p: SimDecomposition): string {
  const steps = p.parts.map((s, i) => ({ id: i + 1, title: s.title, goal: s.goal, dependsOn: s.dependsOn.map((d) => d + 1) }));
  return JSON.stringify({ conditions: p.conditions, question: p.question, steps }, null, 1).replace(/\n\s*/g, ' ');
}

/** The spawn_threads arguments of DESIGN §6.3: one thread per part. */
export function spawnArguments(p: SimDecomposition): string {
  return JSON.stringify({ threads: p.parts.map((s) => ({ goal: s.goal, context: p.question })) });
}

/** The tag form of the same request. */
export function spawnTags(p: SimDecomposition): string {
  const threads = p.parts.map((s) => `<thread>${s.goal}<context>${p.question}</context></thread>`);
  return `I will split this into ${p.parts.length} parallel threads.\n${SPAWN_OPEN}\n${threads.join('\n')}\n${SPAWN_CLOSE}`;
}

/** Parts of a free-form question: numbered or bulleted lines, else two or more questions. */
export function inferParts(query: string): string[] {
  const lines = query.split(/\r?\n/).map((l) => l.trim());
  const items = lines.filter((l) => /^(\d{1,2}[.)]|[-*•])\s+\S/.test(l)).map((l) => l.replace(/^(\d{1,2}[.)]|[-*•])\s+/, ''));
  if (items.length >= 2) return items.slice(0, MAX_STEPS);
  const questions = (query.match(/[^?.!\n]+\?/g) ?? []).map((q) => q.trim()).filter((q) => q.split(/\s+/).length >= 2);
  return questions.length >= 2 ? questions.slice(0, MAX_STEPS) : [];
}

/** How many steps a plan may have (SCALE's own bounds). */
export function planSize(n: number): number {
  return Math.min(MAX_STEPS, Math.max(MIN_STEPS, n));
}

/** A number in [−0.045, 0.045], the same for the same step: assess scores are the step's difficulty plus this. */
export function scoreNoise(seed: number, taskId: string, index: number): number {
  return (hash01(seed, 'assess', taskId, index) * 2 - 1) * 0.045;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Words of filler that pad a simulated reply to the fixed answer length. */
export function padWords(words: string[], n: number): string[] {
  const filler = 'The simulator pads every answer to the fixed length of one hundred tokens so that timing and cost follow the design.'.split(' ');
  const out = [...words];
  for (let i = 0; out.length < n; i++) out.push(filler[i % filler.length]!);
  return out;
}

function clip(text: string, n: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function sentence(text: string): string {
  return /[.?!…]$/.test(text) ? text : `${text}.`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
