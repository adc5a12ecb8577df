// The tag form of `spawn_threads` (DESIGN §6.3) for models without tool calling: the parent writes
// <spawn><thread>goal<context>…</context></thread>…</spawn>, generation stops at </spawn>, and the
// results come back as a <join> block that only ARC writes.
import { capAnswer, type ChildResult, type SpawnParse, type SpawnRequest } from './spawnProtocol';

export const SPAWN_OPEN = '<spawn>';
export const SPAWN_CLOSE = '</spawn>';
const JOIN_OPEN = /<join[\s>]/i;

export function tagInstructions(maxChildren: number): string {
  return (
    `When the problem splits into parts that can be worked on independently, you may start 1 to ${maxChildren} ` +
    'parallel threads by writing:\n' +
    `${SPAWN_OPEN}\n<thread>goal of the first thread<context>facts it needs</context></thread>\n<thread>goal of the second thread</thread>\n${SPAWN_CLOSE}\n` +
    'Each thread sees only its goal and context. Stop after ' +
    `${SPAWN_CLOSE}: ARC runs the threads and gives you their results in a <join> block. Never write <join> yourself. ` +
    'Then continue and give the final answer.'
  );
}

/** True once the text shows the parent is done asking: a complete spawn block or a forged join. */
export function tagStop(text: string): boolean {
  return text.includes(SPAWN_CLOSE) || forgedJoinAt(text) >= 0;
}

/** Where a `<join>` the model wrote itself begins, or -1. */
export function forgedJoinAt(text: string): number {
  const m = JOIN_OPEN.exec(text);
  return m ? m.index : -1;
}

export type TagSpawn =
  | { kind: 'none' }
  | { kind: 'forged_join'; before: string }
  | { kind: 'spawn'; before: string; parse: SpawnParse };

/** Reads the parent's text after a call: a spawn request, a forged join, or a plain answer. */
export function readTagSpawn(text: string, maxChildren: number): TagSpawn {
  const open = text.indexOf(SPAWN_OPEN);
  const join = forgedJoinAt(text);
  if (join >= 0 && (open < 0 || join < open)) return { kind: 'forged_join', before: text.slice(0, join) };
  if (open < 0) return { kind: 'none' };
  const before = text.slice(0, open);
  const closeAt = text.indexOf(SPAWN_CLOSE, open);
  const body = text.slice(open + SPAWN_OPEN.length, closeAt >= 0 ? closeAt : undefined);
  return { kind: 'spawn', before, parse: parseThreads(body, maxChildren) };
}

function parseThreads(body: string, maxChildren: number): SpawnParse {
  const threads: SpawnRequest[] = [];
  const re = /<thread>([\s\S]*?)<\/thread>/gi;
  for (let m = re.exec(body); m && threads.length <= maxChildren; m = re.exec(body)) {
    const inner = m[1]!;
    const ctx = /<context>([\s\S]*?)<\/context>/i.exec(inner);
    const goal = inner.replace(/<context>[\s\S]*?<\/context>/gi, '').trim();
    if (goal === '') return { ok: false, error: `Thread ${threads.length + 1} has no goal: write <thread>goal</thread>.` };
    threads.push({ goal, context: ctx && ctx[1]!.trim() !== '' ? ctx[1]!.trim() : null });
  }
  if (threads.length === 0) return { ok: false, error: `The ${SPAWN_OPEN} block has no <thread>goal</thread> entries.` };
  if (threads.length > maxChildren) return { ok: false, error: `Too many threads: at most ${maxChildren}.` };
  return { ok: true, threads };
}

/** The join block the parent continues from; answers cannot close the block early. */
export function joinBlock(results: ChildResult[]): string {
  const items = results.map((r, i) => `<result index="${i}" status="${r.status}">${escapeTags(capAnswer(r.answer))}</result>`);
  return `<join>\n${items.join('\n')}\n</join>`;
}

function escapeTags(text: string): string {
  return text.replace(/<(\/?)(result|join|spawn|thread)/gi, '&lt;$1$2');
}

/** The final answer without protocol blocks, for people. */
export function stripSpawnMarkup(text: string): string {
  return text
    .replace(/<spawn>[\s\S]*?(<\/spawn>|$)/gi, '')
    .replace(/<join>[\s\S]*?(<\/join>|$)/gi, '')
    .trim();
}
