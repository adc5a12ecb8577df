// A simulated OpenAI-compatible model server (DESIGN §8) for benchmarks and `npm run demo`. It is a
// mechanics check, not a model: what it answers is decided by the fixed success model in ./model.ts,
// and every answer says that it is simulated. Besides plain calls it recognizes ARC's own requests
// (./protocol.ts): SCALE's plan, score and step calls, spawn-capable parents with multi-part tasks,
// their children and the parent's follow-up. Plain calls are answered exactly as before.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Mode } from '../../src/core/run/events';
import { clamp01, naturalLength, rng, SIM, successProbability, type SimPace } from './model';
import {
  decompose,
  hash01,
  inferParts,
  padWords,
  partRef,
  planJson,
  PROMPT_MARKS,
  recognize,
  round2,
  scoreNoise,
  shortHash,
  spawnArguments,
  spawnTags,
  stepRef,
  synthesizeDifficulties,
  textOf,
  type Purpose,
  type Recognized,
  type SimDecomposition,
  type WireMessage,
} from './protocol';

export type { Purpose, SimDecomposition } from './protocol';

export interface SimTask {
  id: string;
  kind: Mode;
  /** One difficulty per step; a task succeeds only if every step does. */
  steps: number[];
  /** What a correct answer says (for verifiable tasks); a failed call says something else. */
  answer?: string;
  /**
   * The kind of each step, where it differs from the task's (a one-pass step of a reasoning task);
   * the success model's q(m,k) then uses the step's kind. Default: `kind` for every step.
   */
  stepKinds?: Mode[];
  /**
   * The steps are independent parts of a multi-part question: a spawn-capable request gets a
   * `spawn_threads` call with one thread per part. Without it the steps are sequential.
   */
  parallel?: boolean;
}

export interface SimCall {
  model: string;
  mode: Mode;
  kind: Mode;
  difficulty: number;
  reasoningTokens: number;
  promptTokens: number;
  completionTokens: number;
  /** Plain, step and child calls: the §8 draw. Join: every part's latest child succeeded. Plan, assess, spawn: the reply is well-formed (not cut). */
  success: boolean;
  taskId?: string;
  /** The success probability the draw used (absent on plan, assess and spawn calls). */
  p?: number;
  /** Absent on plain calls. */
  purpose?: Purpose;
  /** The step (assess, step) or part (child) index, from 0. */
  step?: number;
}

export interface Simulator {
  readonly url: string;
  /** The pace it streams at (DESIGN §8's unless asked otherwise). */
  readonly pace: SimPace;
  readonly calls: SimCall[];
  /** The decompositions the simulator handed out, by task id: SCALE plans and spawn parts. */
  readonly plans: ReadonlyMap<string, SimDecomposition>;
  readonly spawns: ReadonlyMap<string, SimDecomposition>;
  addTasks(tasks: SimTask[]): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  seed?: number;
  /** Divides every delay (tokens and counts are unchanged), so benchmarks need not wait in real time. */
  speed?: number;
  /** Tokens a second and time to the first token; default DESIGN §8's (SIM). The demo's is DEMO_PACE. */
  pace?: SimPace;
  tasks?: SimTask[];
}

export const SIM_MODELS: Record<string, Mode> = { 'sim-instant': 'instant', 'sim-reasoning': 'reasoning', 'sim-agentic': 'agentic' };

const TASK_MARK = /\[task:([A-Za-z0-9._-]{1,64})\]/;
const MAX_BODY = 4 * 1024 * 1024;
/** Tokens per streamed chunk for ARC's own requests (plan, score, step, spawn, child, join). */
const OWN_CHUNK_TOKENS = 20;

interface Outgoing {
  id: string;
  model: string;
  /** Reasoning tokens streamed before the content. */
  T: number;
  content: string;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  finish: 'stop' | 'length' | 'tool_calls';
  usage: Record<string, unknown>;
  completionTokens: number;
  /** Tokens a chunk (the pace stays 50 tokens a second); plain calls keep 5, ARC's own calls use more to spare the CPU. */
  perChunk?: number;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const tasks = new Map<string, SimTask>();
  for (const t of opts.tasks ?? []) tasks.set(t.id, t);
  const seed = opts.seed ?? 1;
  const random = rng(seed);
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
  const pace: SimPace = opts.pace && opts.pace.tokensPerSecond > 0 && opts.pace.firstTokenMs >= 0 ? opts.pace : SIM;
  const calls: SimCall[] = [];
  const sockets = new Set<Socket>();
  const plans = new Map<string, SimDecomposition>();
  const spawns = new Map<string, SimDecomposition>();
  /** How often each step or part has been drawn for, so a repeated call gets a fresh draw. */
  const attempts = new Map<string, number>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: `simulator: ${(e as Error).message}`, type: 'server_error' } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, { object: 'list', data: Object.keys(SIM_MODELS).map((id) => ({ id, object: 'model', created: 0, owned_by: 'arc-simulator' })) });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      json(res, 404, { error: { message: `simulator: no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    const body = await readJson(req);
    if (!body || typeof body !== 'object') {
      json(res, 400, { error: { message: 'simulator: the body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const model = String(body.model ?? '');
    const mode = SIM_MODELS[model];
    if (!mode) {
      json(res, 404, { error: { message: `The model "${model}" does not exist; the simulator serves ${Object.keys(SIM_MODELS).join(', ')}.`, type: 'invalid_request_error', code: 'model_not_found' } });
      return;
    }
    const messages: Array<WireMessage> = Array.isArray(body.messages) ? body.messages : [];
    const recognized = recognize(body, messages);
    if (recognized) {
      const out = answerOwnRequest(recognized, body, messages, model, mode);
      if (out) {
        await send(res, body, { ...out, perChunk: OWN_CHUNK_TOKENS });
        return;
      }
    }
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const query = typeof lastUser?.content === 'string' ? lastUser.content : '';
    const taskId = TASK_MARK.exec(query)?.[1];
    const task = taskId ? tasks.get(taskId) : undefined;
    const kind = task?.kind ?? inferKind(query);
    const steps = task?.steps ?? [inferDifficulty(query)];
    const difficulty = steps.reduce((a, b) => a + b, 0) / steps.length;

    let T: number;
    let p: number;
    if (steps.length === 1) {
      const natural = naturalLength(difficulty);
      T = mode === 'instant' ? 0 : Math.round(Math.min(natural, reasoningAllowance(body, natural)));
      p = steps.reduce((acc, d) => acc * successProbability(mode, task?.stepKinds?.[0] ?? kind, d, mode === 'instant' ? 0 : Math.min(naturalLength(d), T)), 1);
    } else {
      const natural = undecomposedNaturalLength(steps);
      T = mode === 'instant' ? 0 : Math.round(Math.min(natural, reasoningAllowance(body, natural)));
      p = undecomposedProbability(mode, steps.map((_, i) => task?.stepKinds?.[i] ?? kind), steps, T);
    }
    const success = random() < p;
    const promptTokens = promptTokensOf(messages, mode);
    const answer = answerText({ mode, kind, difficulty, success, task, p });
    const completionTokens = T + SIM.answerTokens;
    calls.push({ model, mode, kind, difficulty, reasoningTokens: T, promptTokens, completionTokens, success, ...(taskId ? { taskId } : {}), p });
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, completion_tokens_details: { reasoning_tokens: T } };
    await send(res, body, { id: `chatcmpl-sim-${calls.length}`, model, T, content: answer, finish: 'stop', usage, completionTokens });
  }

  /** Streams (or returns) one reply; the same bytes as before for plain calls. */
  async function send(res: http.ServerResponse, body: Record<string, any>, out: Outgoing): Promise<void> {
    const { id, model, T, content, usage } = out;
    if (body.stream !== true) {
      await sleep((pace.firstTokenMs + (out.completionTokens / pace.tokensPerSecond) * 1000) / speed);
      const message = {
        role: 'assistant',
        content: out.toolCalls && content === '' ? null : content,
        ...(T ? { reasoning_content: reasoningText(T) } : {}),
        ...(out.toolCalls ? { tool_calls: out.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}),
      };
      json(res, 200, { id, object: 'chat.completion', created: now(), model, choices: [{ index: 0, message, finish_reason: out.finish }], usage });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    res.on('close', () => (closed = true));
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    await sleep(pace.firstTokenMs / speed);
    // Five tokens a chunk keeps the event rate sane; the pace stays 50 tokens a second.
    const perChunk = out.perChunk ?? 5;
    const chunkMs = (perChunk / pace.tokensPerSecond) * 1000 / speed;
    chunk({ role: 'assistant', content: '' });
    for (let sent = 0; sent < T && !closed; sent += perChunk) {
      chunk({ reasoning_content: reasoningText(Math.min(perChunk, T - sent), sent) });
      await sleep(chunkMs);
    }
    const words = content === '' ? [] : content.split(/(?<=\s)/);
    for (let i = 0; i < words.length && !closed; i += perChunk) {
      chunk({ content: words.slice(i, i + perChunk).join('') });
      await sleep(chunkMs);
    }
    for (const [index, call] of (out.toolCalls ?? []).entries()) {
      if (closed) break;
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
      for (let i = 0; i < call.arguments.length && !closed; i += 4 * 4 * perChunk) {
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + 4 * 4 * perChunk) } }] });
        await sleep(chunkMs * 4);
      }
    }
    if (closed) return;
    chunk({}, out.finish);
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  function taskOf(taskId: string | undefined): SimTask | undefined {
    return taskId ? tasks.get(taskId) : undefined;
  }

  /** SCALE's decomposition of a request (cached by task id, so every policy sees the same plan). */
  function planFor(request: string): SimDecomposition {
    const taskId = TASK_MARK.exec(request)?.[1];
    const task = taskOf(taskId);
    const question = clip(request.replace(/\s+/g, ' ').trim(), 200) || 'Answer the request.';
    if (task) {
      const cached = plans.get(task.id);
      if (cached) return cached;
      const multi = task.steps.length >= 2;
      const dec = decompose({
        seed,
        taskId: task.id,
        kind: task.kind,
        difficulties: multi ? task.steps.slice(0, 8) : synthesizeDifficulties(seed, task.id, task.steps[0] ?? 0.5),
        ...(multi && task.stepKinds ? { kinds: task.stepKinds } : {}),
        parallel: Boolean(task.parallel) && multi,
        question,
        source: multi ? 'task' : 'synthesized',
      });
      plans.set(task.id, dec);
      return dec;
    }
    const id = `q${shortHash(request)}`;
    const cached = plans.get(id);
    if (cached) return cached;
    const parts = inferParts(request);
    const dec =
      parts.length >= 2
        ? decompose({ seed, taskId: id, kind: inferKind(request), difficulties: parts.map(inferDifficulty), parallel: true, question, partTexts: parts, source: 'synthesized' })
        : decompose({ seed, taskId: id, kind: inferKind(request), difficulties: synthesizeDifficulties(seed, id, inferDifficulty(request)), parallel: false, question, source: 'synthesized' });
    plans.set(id, dec);
    return dec;
  }

  /** A multi-part task's parts for spawn_threads, or undefined when the request is not multi-part. */
  function spawnFor(query: string, maxChildren: number): SimDecomposition | undefined {
    const taskId = TASK_MARK.exec(query)?.[1];
    const question = clip(query.replace(/\s+/g, ' ').trim(), 200) || 'Answer the request.';
    let dec: SimDecomposition | undefined;
    if (taskId) {
      const task = taskOf(taskId);
      if (!task || !task.parallel || task.steps.length < 2) return undefined;
      dec = spawns.get(task.id) ?? decompose({ seed, taskId: task.id, kind: task.kind, difficulties: task.steps, ...(task.stepKinds ? { kinds: task.stepKinds } : {}), parallel: true, question, source: 'task' });
    } else {
      const parts = inferParts(query);
      if (parts.length < 2) return undefined;
      const id = `q${shortHash(query)}`;
      dec = spawns.get(id) ?? decompose({ seed, taskId: id, kind: inferKind(query), difficulties: parts.map(inferDifficulty), parallel: true, question, partTexts: parts, source: 'synthesized' });
    }
    if (dec.parts.length > maxChildren) return undefined;
    spawns.set(dec.taskId, dec);
    return dec;
  }

  /** The §8 draw for one step or part: seeded by the step, not by arrival order, so concurrency does not move it. */
  function draw(key: string, p: number): boolean {
    const n = attempts.get(key) ?? 0;
    attempts.set(key, n + 1);
    return hash01(seed, 'draw', key, n) < p;
  }

  /** ARC's own requests; undefined when the simulator should answer it as a plain call. */
  function answerOwnRequest(rec: Recognized, body: Record<string, any>, messages: WireMessage[], model: string, mode: Mode): Outgoing | undefined {
    const id = `chatcmpl-sim-${calls.length + 1}`;
    const promptTokens = promptTokensOf(messages, mode);
    const firstUser = textOf(messages.find((m) => m.role === 'user'));
    const lastUser = textOf([...messages].reverse().find((m) => m.role === 'user'));
    const cap = outputCap(body);
    const structural = (purpose: Purpose, dec: SimDecomposition, content: string, extra: Partial<SimCall> = {}, toolCalls?: Outgoing['toolCalls']): Outgoing => {
      const cut = cutToCap(stopAt(content, body.stop), cap);
      const argsTokens = toolCalls ? toolCalls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0) : 0;
      const completionTokens = Math.max(1, cut.tokens + argsTokens);
      calls.push({ model, mode, kind: dec.kind, difficulty: mean(dec.parts.map((s) => s.d)), reasoningTokens: 0, promptTokens, completionTokens, success: !cut.cut, taskId: dec.taskId, purpose, ...extra });
      return { id, model, T: 0, content: cut.text, ...(toolCalls && !cut.cut ? { toolCalls } : {}), finish: cut.cut ? 'length' : toolCalls ? 'tool_calls' : 'stop', usage: usageOf(promptTokens, completionTokens, 0), completionTokens };
    };
    /** One scored call: the §8 formula with this step's d and kind and the reasoning its budget allows. */
    const scored = (purpose: 'step' | 'child', dec: SimDecomposition, index: number, final: boolean): Outgoing => {
      const part = dec.parts[index]!;
      const natural = naturalLength(part.d);
      const T = mode === 'instant' ? 0 : Math.round(Math.min(natural, reasoningAllowance(body, natural)));
      // A cap below the fixed answer length cuts the answer off: such a call cannot be right.
      const answerCut = cap !== undefined && cap < T + SIM.answerTokens;
      const p = answerCut ? 0 : successProbability(mode, part.kind, part.d, T);
      const success = draw(`${dec.taskId}:${index}`, p);
      const text = scoredText({ purpose, mode, dec, index, T, p, success, final, answer: taskOf(dec.taskId)?.answer });
      const words = text.split(/\s+/);
      const answerTokens = answerCut ? Math.max(0, cap! - T) : SIM.answerTokens;
      const content = answerCut ? words.slice(0, answerTokens).join(' ') : text;
      const completionTokens = T + answerTokens;
      calls.push({ model, mode, kind: part.kind, difficulty: part.d, reasoningTokens: T, promptTokens, completionTokens, success, taskId: dec.taskId, p, purpose, step: index });
      return { id, model, T, content, finish: answerCut ? 'length' : 'stop', usage: usageOf(promptTokens, completionTokens, T), completionTokens };
    };

    switch (rec.purpose) {
      case 'plan': {
        const request = firstUser.startsWith(PROMPT_MARKS.planRequestPrefix) ? firstUser.slice(PROMPT_MARKS.planRequestPrefix.length) : firstUser;
        const dec = planFor(request);
        return structural('plan', dec, planJson(dec));
      }
      case 'assess': {
        const ref = stepRef(lastUser);
        const dec = ref && (plans.get(ref.taskId) ?? replan(ref.taskId));
        const part = ref && dec?.parts[ref.index];
        if (!ref || !dec || !part) return undefined;
        const score = round2(clamp01(part.d + scoreNoise(seed, ref.taskId, ref.index)));
        return structural('assess', dec, `{"difficulty": ${score}}`, { step: ref.index });
      }
      case 'step': {
        const ref = stepRef(lastUser);
        const dec = ref && (plans.get(ref.taskId) ?? replan(ref.taskId));
        if (!ref || !dec || !dec.parts[ref.index]) return undefined;
        return scored('step', dec, ref.index, rec.final);
      }
      case 'child': {
        const ref = partRef(lastUser);
        const dec = ref && (spawns.get(ref.taskId) ?? respawn(ref.taskId));
        if (!ref || !dec || !dec.parts[ref.index]) return undefined;
        return scored('child', dec, ref.index, false);
      }
      case 'spawn': {
        const dec = spawnFor(lastUser, rec.maxChildren);
        if (!dec) return undefined;
        if (rec.form === 'tag') return structural('spawn', dec, spawnTags(dec));
        return structural('spawn', dec, '', {}, [{ id: `call_sim_${calls.length + 1}`, name: 'spawn_threads', arguments: spawnArguments(dec) }]);
      }
      case 'join': {
        const all = messages.map((m) => `${textOf(m)} ${(m.tool_calls ?? []).map((c) => c.function?.arguments ?? '').join(' ')}`).join('\n');
        const ref = partRef(all);
        const dec = ref && (spawns.get(ref.taskId) ?? respawn(ref.taskId));
        if (!dec) return undefined;
        const latest = dec.parts.map((_, i) => [...calls].reverse().find((c) => c.purpose === 'child' && c.taskId === dec.taskId && c.step === i));
        const right = latest.filter((c) => c?.success).length;
        const success = right === dec.parts.length;
        const p = latest.reduce((a, c) => a * (c?.p ?? 0), 1);
        const task = taskOf(dec.taskId);
        const head = `[Simulated answer — ARC's simulator, not a language model] Joined the answers of ${dec.parts.length} parallel threads: ${right} of ${dec.parts.length} parts are right, so the combined answer is ${success ? 'right' : 'wrong'}.`;
        const verdict = task?.answer !== undefined ? ` Answer: ${success ? task.answer : 'unknown'}.` : '';
        const content = padWords(`${head}${verdict}`.split(/\s+/), SIM.answerTokens).join(' ');
        const completionTokens = SIM.answerTokens;
        calls.push({ model, mode, kind: dec.kind, difficulty: mean(dec.parts.map((s) => s.d)), reasoningTokens: 0, promptTokens, completionTokens, success, taskId: dec.taskId, p, purpose: 'join' });
        return { id, model, T: 0, content, finish: 'stop', usage: usageOf(promptTokens, completionTokens, 0), completionTokens };
      }
    }
  }

  /** A step request whose plan this simulator did not hand out (it restarted): the same plan again, for a known task. */
  function replan(taskId: string): SimDecomposition | undefined {
    const task = taskOf(taskId);
    return task ? planFor(`[task:${task.id}]`) : undefined;
  }

  function respawn(taskId: string): SimDecomposition | undefined {
    const task = taskOf(taskId);
    return task ? spawnFor(`[task:${task.id}]`, 8) : undefined;
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    pace: { tokensPerSecond: pace.tokensPerSecond, firstTokenMs: pace.firstTokenMs },
    calls,
    plans,
    spawns,
    addTasks(list) {
      for (const t of list) tasks.set(t.id, t);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One undecomposed call on a multi-step task reasons through every step in one chain: its natural
 * length is the sum of the steps' L(d), and its reasoning T is shared over the steps in proportion
 * to their natural lengths (each step gets T·L(d_i)/ΣL). A one-step task is the plain §8 call.
 */
export function undecomposedNaturalLength(steps: readonly number[]): number {
  return steps.reduce((a, d) => a + naturalLength(d), 0);
}

export function undecomposedProbability(mode: Mode, kinds: readonly Mode[], steps: readonly number[], T: number): number {
  const total = undecomposedNaturalLength(steps);
  return steps.reduce((acc, d, i) => acc * successProbability(mode, kinds[i]!, d, mode === 'instant' ? 0 : (T * naturalLength(d)) / total), 1);
}

/**
 * Per step (or part) of a task, whether its latest call succeeded, from the recorded calls; a task
 * decomposed into n steps succeeded when all n are true. Missing steps are false.
 */
export function stepOutcomes(calls: readonly SimCall[], taskId: string, n: number, purpose: 'step' | 'child' = 'step'): boolean[] {
  const out = Array.from({ length: n }, () => false);
  for (const c of calls) if (c.purpose === purpose && c.taskId === taskId && c.step !== undefined && c.step < n) out[c.step] = c.success;
  return out;
}

function scoredText(a: { purpose: 'step' | 'child'; mode: Mode; dec: SimDecomposition; index: number; T: number; p: number; success: boolean; final: boolean; answer?: string }): string {
  const n = a.dec.parts.length;
  const what = a.purpose === 'child' ? `Thread for part ${a.index + 1} of ${n}` : `${a.final ? 'Final step' : 'Step'} ${a.index + 1} of ${n}`;
  const label = a.purpose === 'child' ? 'thread answer' : a.final ? 'answer' : 'step';
  const head = `[Simulated ${label} — ARC's simulator, not a language model] ${what} (difficulty ${a.dec.parts[a.index]!.d.toFixed(2)}), ${a.mode} call with ${a.T} reasoning tokens: it ${a.success ? 'succeeded' : 'failed'} (success probability ${(a.p * 100).toFixed(0)}%).`;
  if (a.final) {
    const verdict = a.answer !== undefined ? ` Answer: ${a.success ? a.answer : 'unknown'}.` : '';
    return padWords(`${head}${verdict}`.split(/\s+/), SIM.answerTokens).join(' ');
  }
  const result = `${a.purpose === 'child' ? 'Answer:' : 'Step answer:'} result of ${a.purpose === 'child' ? 'part' : 'step'} ${a.index + 1} (${a.success ? 'right' : 'wrong'}).`;
  const tail = result.split(/\s+/);
  const words = padWords(head.split(/\s+/), SIM.answerTokens - tail.length);
  return `${words.join(' ')}\n${tail.join(' ')}`;
}

function outputCap(body: Record<string, any>): number | undefined {
  const cap = body.max_completion_tokens ?? body.max_tokens;
  return typeof cap === 'number' && cap >= 0 ? cap : undefined;
}

/** What a server with `stop` sequences returns: the text up to the first one (which it leaves out). */
function stopAt(text: string, stop: unknown): string {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  let end = text.length;
  for (const s of list) {
    const at = text.indexOf(s);
    if (at >= 0) end = Math.min(end, at);
  }
  return text.slice(0, end);
}

/** Structural replies count a token per four characters; a cap cuts them there, as a server would. */
function cutToCap(text: string, cap: number | undefined): { text: string; tokens: number; cut: boolean } {
  const tokens = Math.ceil(text.length / 4);
  if (cap === undefined || tokens <= cap) return { text, tokens, cut: false };
  return { text: text.slice(0, cap * 4), tokens: cap, cut: true };
}

function promptTokensOf(messages: WireMessage[], mode: Mode): number {
  return (
    Math.ceil(messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0) / 4) +
    (mode === 'agentic' ? SIM.agenticToolRounds * SIM.toolRoundPromptTokens : 0)
  );
}

function usageOf(promptTokens: number, completionTokens: number, T: number): Record<string, unknown> {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, completion_tokens_details: { reasoning_tokens: T } };
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/**
 * Reasoning tokens the request allows: a native thinking budget, a reasoning_effort level (as a
 * fraction of the natural length), or the output cap less the answer's allowance; else natural.
 */
export function reasoningAllowance(body: Record<string, any>, natural: number): number {
  const limits: number[] = [];
  const thinking = body.thinking?.budget_tokens;
  if (typeof thinking === 'number') limits.push(thinking);
  const effort: Record<string, number> = { none: 0, minimal: 0.1, low: 0.5, medium: 1, high: 1.5, xhigh: 2 };
  if (typeof body.reasoning_effort === 'string' && body.reasoning_effort in effort) limits.push(effort[body.reasoning_effort]! * natural);
  const cap = body.max_completion_tokens ?? body.max_tokens;
  if (typeof cap === 'number') limits.push(Math.max(0, cap - SIM.answerTokens));
  return limits.length ? Math.max(0, Math.min(...limits)) : natural;
}

/** Free-form queries (the demo) get a kind by the labeling rule's cues, and a difficulty from their length and words. */
export function inferKind(query: string): Mode {
  const q = query.toLowerCase();
  if (/\b(edit|refactor|rename|fix|implement|create|add|run|test|workspace|project|files?|repo)\b/.test(q)) return 'agentic';
  if (/\b(prove|why|derive|calculate|compute|step|plan|design|compare|optimi[sz]e|complexity|algorithm)\b/.test(q)) return 'reasoning';
  return 'instant';
}

export function inferDifficulty(query: string): number {
  const words = query.trim().split(/\s+/).filter(Boolean).length;
  const hard = (query.match(/\b(prove|optimal|concurrency|race|invariant|complexity|distributed|theorem)\b/gi) ?? []).length;
  return clamp01(0.1 + Math.min(0.5, words / 80) + 0.15 * hard);
}

function answerText(a: { mode: Mode; kind: Mode; difficulty: number; success: boolean; task?: SimTask; p: number }): string {
  const head = `[Simulated answer — ARC's simulator, not a language model] Mode ${a.mode} on ${a.kind === 'instant' ? 'an' : 'a'} ${a.kind} task of difficulty ${a.difficulty.toFixed(2)}: this call ${a.success ? 'succeeded' : 'failed'} (success probability ${(a.p * 100).toFixed(0)}%).`;
  const verdict = a.task?.answer !== undefined ? ` Answer: ${a.success ? a.task.answer : 'unknown'}.` : '';
  const words = `${head}${verdict}`.split(/\s+/);
  const filler = 'The simulator pads every answer to the fixed length of one hundred tokens so that timing and cost follow the design.'.split(' ');
  for (let i = 0; words.length < SIM.answerTokens; i++) words.push(filler[i % filler.length]!);
  return words.join(' ');
}

function reasoningText(tokens: number, offset = 0): string {
  const words = ['consider', 'the', 'next', 'step,', 'check', 'it,'];
  return Array.from({ length: tokens }, (_, i) => words[(offset + i) % words.length]).join(' ') + ' ';
}

function readJson(req: http.IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
