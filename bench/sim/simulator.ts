// A simulated OpenAI-compatible model server (DESIGN §8) for benchmarks and `npm run demo`. It is a
// mechanics check, not a model: what it answers is decided by the fixed success model in ./model.ts,
// and every answer says that it is simulated.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Mode } from '../../src/core/run/events';
import { clamp01, naturalLength, rng, SIM, successProbability } from './model';

export interface SimTask {
  id: string;
  kind: Mode;
  /** One difficulty per step; a task succeeds only if every step does. */
  steps: number[];
  /** What a correct answer says (for verifiable tasks); a failed call says something else. */
  answer?: string;
}

export interface SimCall {
  model: string;
  mode: Mode;
  kind: Mode;
  difficulty: number;
  reasoningTokens: number;
  promptTokens: number;
  completionTokens: number;
  success: boolean;
  taskId?: string;
}

export interface Simulator {
  readonly url: string;
  readonly calls: SimCall[];
  addTasks(tasks: SimTask[]): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  seed?: number;
  /** Divides every delay (tokens and counts are unchanged), so benchmarks need not wait in real time. */
  speed?: number;
  tasks?: SimTask[];
}

export const SIM_MODELS: Record<string, Mode> = { 'sim-instant': 'instant', 'sim-reasoning': 'reasoning', 'sim-agentic': 'agentic' };

const TASK_MARK = /\[task:([A-Za-z0-9._-]{1,64})\]/;
const MAX_BODY = 4 * 1024 * 1024;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const tasks = new Map<string, SimTask>();
  for (const t of opts.tasks ?? []) tasks.set(t.id, t);
  const random = rng(opts.seed ?? 1);
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
  const calls: SimCall[] = [];
  const sockets = new Set<Socket>();

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
    const messages: Array<{ role?: string; content?: unknown }> = Array.isArray(body.messages) ? body.messages : [];
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const query = typeof lastUser?.content === 'string' ? lastUser.content : '';
    const taskId = TASK_MARK.exec(query)?.[1];
    const task = taskId ? tasks.get(taskId) : undefined;
    const kind = task?.kind ?? inferKind(query);
    const steps = task?.steps ?? [inferDifficulty(query)];
    const difficulty = steps.reduce((a, b) => a + b, 0) / steps.length;

    const natural = naturalLength(difficulty);
    const T = mode === 'instant' ? 0 : Math.round(Math.min(natural, reasoningAllowance(body, natural)));
    const p = steps.reduce((acc, d) => acc * successProbability(mode, kind, d, mode === 'instant' ? 0 : Math.min(naturalLength(d), T)), 1);
    const success = random() < p;
    const promptTokens =
      Math.ceil(messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0) / 4) +
      (mode === 'agentic' ? SIM.agenticToolRounds * SIM.toolRoundPromptTokens : 0);
    const answer = answerText({ mode, kind, difficulty, success, task, p });
    const completionTokens = T + SIM.answerTokens;
    calls.push({ model, mode, kind, difficulty, reasoningTokens: T, promptTokens, completionTokens, success, ...(taskId ? { taskId } : {}) });

    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, completion_tokens_details: { reasoning_tokens: T } };
    const id = `chatcmpl-sim-${calls.length}`;
    if (body.stream !== true) {
      await sleep((SIM.firstTokenMs + (completionTokens / SIM.tokensPerSecond) * 1000) / speed);
      json(res, 200, { id, object: 'chat.completion', created: now(), model, choices: [{ index: 0, message: { role: 'assistant', content: answer, ...(T ? { reasoning_content: reasoningText(T) } : {}) }, finish_reason: 'stop' }], usage });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    res.on('close', () => (closed = true));
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    await sleep(SIM.firstTokenMs / speed);
    // Five tokens a chunk keeps the event rate sane; the pace stays 50 tokens a second.
    const perChunk = 5;
    const chunkMs = (perChunk / SIM.tokensPerSecond) * 1000 / speed;
    send({ role: 'assistant', content: '' });
    for (let sent = 0; sent < T && !closed; sent += perChunk) {
      send({ reasoning_content: reasoningText(Math.min(perChunk, T - sent), sent) });
      await sleep(chunkMs);
    }
    const words = answer.split(/(?<=\s)/);
    for (let i = 0; i < words.length && !closed; i += perChunk) {
      send({ content: words.slice(i, i + perChunk).join('') });
      await sleep(chunkMs);
    }
    if (closed) return;
    send({}, 'stop');
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
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
