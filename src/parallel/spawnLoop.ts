// A parent thread that may spawn (DESIGN §3.4, §6.3): call the model; when it asks for threads, run
// them and hand back their results; go on until it answers. The caller supplies the model call and
// the children, so this file holds only the protocol and its bounds.
import type { ChatMessage, ToolCall, ToolSpec } from '../core/model/types';
import { MAX_SPAWN_ROUNDS, parseSpawnArguments, SPAWN_TOOL_NAME, spawnResultJson, spawnToolSpec, type ChildResult, type SpawnRequest } from './spawnProtocol';
import { joinBlock, readTagSpawn, SPAWN_CLOSE, stripSpawnMarkup, tagInstructions, tagStop } from './tagForm';

/** Malformed spawn requests answered with a correction before the parent must answer without spawning. */
const MAX_CORRECTIONS = 3;

export interface ParentCallOptions {
  tools?: ToolSpec[];
  stop?: string[];
  stopWhen?: (text: string, reasoningTokens: number) => boolean;
}

export interface ParentCallResult {
  text: string;
  toolCalls: ToolCall[];
  /** The call ended without an answer the loop can use (the budget ran out, an error): stop here. */
  final?: boolean;
}

export interface SpawnLoopOptions {
  messages: ChatMessage[];
  /** Tool form when the model calls tools, else the tag form. */
  useTools: boolean;
  maxChildren: number;
  maxRounds?: number;
  call(messages: ChatMessage[], options: ParentCallOptions): Promise<ParentCallResult>;
  runChildren(requests: SpawnRequest[], round: number): Promise<ChildResult[]>;
  notice(code: string, message: string): void;
}

export interface SpawnLoopResult {
  answer: string;
  rounds: number;
  /** The loop stopped because a call said so (`final`), not because the model answered. */
  stopped: boolean;
}

export async function runSpawnLoop(opts: SpawnLoopOptions): Promise<SpawnLoopResult> {
  const maxRounds = opts.maxRounds ?? MAX_SPAWN_ROUNDS;
  const messages = opts.useTools ? [...opts.messages] : withTagInstructions(opts.messages, opts.maxChildren);
  const spec = spawnToolSpec(opts.maxChildren);
  let rounds = 0;
  let corrections = 0;
  // Every pass either answers, spawns (≤ maxRounds) or corrects (≤ MAX_CORRECTIONS); one more pass
  // asks for the answer without spawning, so the loop is bounded.
  for (let pass = 0; pass <= maxRounds + MAX_CORRECTIONS; pass++) {
    const mayspawn = rounds < maxRounds && corrections < MAX_CORRECTIONS;
    const res = await opts.call(messages, mayspawn ? spawnOptions(opts.useTools, spec) : {});
    if (res.final) return { answer: clean(res.text), rounds, stopped: true };
    if (opts.useTools) {
      if (res.toolCalls.length === 0) return { answer: res.text, rounds, stopped: false };
      messages.push({ role: 'assistant', content: res.text === '' ? null : res.text, toolCalls: res.toolCalls });
      for (const call of res.toolCalls) {
        const reply = await answerToolCall(call);
        messages.push({ role: 'tool', toolCallId: call.id, content: reply });
      }
      continue;
    }
    const tag = readTagSpawn(res.text, opts.maxChildren);
    if (tag.kind === 'none') return { answer: clean(res.text), rounds, stopped: false };
    if (tag.kind === 'forged_join') {
      corrections++;
      opts.notice('spawn_corrected', 'The model wrote a <join> block itself; it was stopped and told that only ARC writes results.');
      if (tag.before.trim() !== '') messages.push({ role: 'assistant', content: tag.before });
      messages.push({ role: 'user', content: 'You wrote a <join> block yourself. Only ARC writes <join> results, after running the threads you ask for in a <spawn> block. Either spawn threads or give the final answer directly.' });
      continue;
    }
    messages.push({ role: 'assistant', content: closedSpawn(res.text) });
    if (!tag.parse.ok) {
      corrections++;
      opts.notice('spawn_corrected', `A malformed <spawn> block was answered with a correction: ${tag.parse.error}`);
      messages.push({ role: 'user', content: `${tag.parse.error} Write ${'<spawn>'}<thread>goal</thread>…${SPAWN_CLOSE}, or answer directly.` });
      continue;
    }
    if (!mayspawn) {
      messages.push({ role: 'user', content: 'No more threads can be spawned in this run. Give the final answer now from what you have.' });
      continue;
    }
    rounds++;
    const results = await opts.runChildren(tag.parse.threads, rounds);
    messages.push({ role: 'user', content: `${joinBlock(results)}\nContinue from these results and give the final answer.` });
  }
  const last = await opts.call([...messages, { role: 'user', content: 'Give the final answer now, without spawning threads.' }], {});
  return { answer: clean(last.text), rounds, stopped: Boolean(last.final) };

  async function answerToolCall(call: ToolCall): Promise<string> {
    if (call.name !== SPAWN_TOOL_NAME) {
      corrections++;
      return JSON.stringify({ error: `There is no tool named "${call.name}". The only tool is ${SPAWN_TOOL_NAME}.` });
    }
    if (rounds >= maxRounds) {
      return JSON.stringify({ error: `No more spawn rounds: at most ${maxRounds} per thread. Answer from the results you have.` });
    }
    const parsed = parseSpawnArguments(call.arguments, opts.maxChildren);
    if (!parsed.ok) {
      corrections++;
      opts.notice('spawn_corrected', `A malformed spawn_threads call was answered with a correction: ${parsed.error}`);
      return JSON.stringify({ error: parsed.error });
    }
    rounds++;
    return spawnResultJson(await opts.runChildren(parsed.threads, rounds));
  }
}

function spawnOptions(useTools: boolean, spec: ToolSpec): ParentCallOptions {
  return useTools ? { tools: [spec] } : { stop: [SPAWN_CLOSE], stopWhen: tagStop };
}

function withTagInstructions(messages: ChatMessage[], maxChildren: number): ChatMessage[] {
  const out = [...messages];
  const first = out[0];
  const extra = tagInstructions(maxChildren);
  if (first && first.role === 'system') out[0] = { role: 'system', content: `${first.content}\n\n${extra}` };
  else out.unshift({ role: 'system', content: extra });
  return out;
}

/** The parent's text up to its spawn block's end, closed even when the server stopped before `</spawn>`. */
function closedSpawn(text: string): string {
  const close = text.indexOf(SPAWN_CLOSE);
  return close >= 0 ? text.slice(0, close + SPAWN_CLOSE.length) : `${text}${SPAWN_CLOSE}`;
}

function clean(text: string): string {
  return stripSpawnMarkup(text);
}
