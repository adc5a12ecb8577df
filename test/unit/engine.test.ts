// The engine end to end for instant mode, against the scripted loopback server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { parseRunEvent, type KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import type { RunRequest } from '../../src/core/run/request';
import { reasoningFieldStream, startScriptedServer, textStream, type ScriptedServer } from '../fixtures/scriptedServer';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

function engine(opts: { timeoutSeconds?: number; prices?: Record<string, { input: number; output: number }> } = {}): Engine {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: opts.timeoutSeconds ?? 5, maxRetries: 0 });
  return new Engine({ models: { forRole: () => ep.model('m') }, prices: opts.prices, progressIntervalMs: 0 });
}

async function run(e: Engine, req: RunRequest, signal?: AbortSignal, onEvent?: (ev: KnownRunEvent) => void): Promise<KnownRunEvent[]> {
  const events: KnownRunEvent[] = [];
  for await (const ev of e.run(req, signal)) {
    events.push(ev);
    onEvent?.(ev);
  }
  return events;
}

function checkStream(events: KnownRunEvent[]): void {
  events.forEach((ev, i) => {
    assert.equal(ev.seq, i, 'seq counts from 0 without gaps');
    const parsed = parseRunEvent(JSON.parse(JSON.stringify(ev)));
    assert.ok(parsed.ok, `event ${i} (${ev.type}) matches its schema: ${parsed.ok ? '' : parsed.error}`);
  });
  const terminal = events.filter((e) => ['run.finished', 'run.failed', 'run.cancelled'].includes(e.type));
  assert.equal(terminal.length, 1, 'exactly one terminal event');
  assert.equal(terminal[0], events.at(-1), 'and it is last');
  assert.equal(new Set(events.map((e) => e.runId)).size, 1);
}

test('instant run: events in order, answer, usage from the server, cost', async () => {
  server.enqueue(reasoningFieldStream('brief thought', 'Paris is the capital.', 'reasoning_content', {
    usage: { prompt_tokens: 20, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 4 } },
  }));
  const events = await run(engine({ prices: { m: { input: 1, output: 2 } } }), { effort: 1, query: 'Capital of France?', context: { selection: { text: 'x = 1', language: 'python' } } });
  checkStream(events);
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 3), ['run.started', 'run.routed', 'thread.started']);
  assert.deepEqual(types.slice(-3), ['usage', 'thread.finished', 'run.finished']);
  assert.ok(types.includes('thread.progress'));
  const fin = events.at(-1)!;
  assert.equal(fin.type, 'run.finished');
  if (fin.type !== 'run.finished') return;
  assert.equal(fin.data.answer, 'Paris is the capital.');
  assert.deepEqual(fin.data.usage, { prompt: 20, completion: 10, reasoning: 4 });
  assert.equal(fin.data.cost, (20 * 1 + 10 * 2) / 1e6);
  const reasoning = events.map((e) => (e.type === 'thread.delta' ? (e.data.reasoning ?? '') : '')).join('');
  assert.equal(reasoning, 'brief thought');
  const userTurn = server.requests.at(-1)!.body.messages.at(-1).content as string;
  assert.match(userTurn, /Capital of France\?[\s\S]*```python\nx = 1\n```/);
});

test('a cut stream fails with the partial answer in the last event', async () => {
  server.enqueue({ ...textStream('The partial answer goes on and on', { pieces: 8 }), cutAfter: 4 });
  const events = await run(engine(), { effort: 1, query: 'q' });
  checkStream(events);
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.failed');
  if (last.type !== 'run.failed') return;
  assert.equal(last.data.partial, true);
  assert.equal(last.data.kind, 'stream_cut');
  assert.ok(last.data.answer && 'The partial answer goes on and on'.startsWith(last.data.answer));
  const thread = events.find((e) => e.type === 'thread.finished');
  assert.equal(thread?.type === 'thread.finished' && thread.data.status, 'failed');
});

test('cancellation mid-stream ends with run.cancelled and the partial answer', async () => {
  server.enqueue({ ...textStream('a b c d e f g h', { pieces: 8 }), tokenDelayMs: 100 });
  const ac = new AbortController();
  const events = await run(engine(), { effort: 1, query: 'q' }, ac.signal, (ev) => {
    if (ev.type === 'thread.delta' && ev.data.text) ac.abort();
  });
  checkStream(events);
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.cancelled');
  if (last.type === 'run.cancelled') assert.ok(last.data.answer && last.data.answer.length > 0);
});

test('a server error ends in run.failed with a clear message and no unhandled rejection', async () => {
  server.enqueue({ kind: 'error', status: 401, message: 'bad key' });
  const events = await run(engine(), { effort: 1, query: 'q' });
  checkStream(events);
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.failed');
  if (last.type === 'run.failed') {
    assert.equal(last.data.kind, 'auth');
    assert.match(last.data.error, /Set API Key/);
    assert.equal(last.data.answer, undefined);
  }
});

test('a missing role model fails with how to configure it', async () => {
  const e = new Engine({ models: { forRole: () => { throw new Error('No model is set for the instant role.'); } } });
  const events = await run(e, { effort: 1, query: 'q' });
  checkStream(events);
  const last = events.at(-1)!;
  assert.equal(last.type === 'run.failed' && last.data.kind, 'config');
});

test('a forced mode runs with its role\'s model and the routed event says it was asked for', async () => {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const roles: string[] = [];
  const e = new Engine({ models: { forRole: (role) => (roles.push(role), ep.model(`${role}-model`)) }, progressIntervalMs: 0 });
  server.enqueue(reasoningFieldStream('step by step', 'Done.', 'reasoning_content'));
  const events = await run(e, { effort: 1, query: 'q', mode: 'reasoning' });
  checkStream(events);
  assert.deepEqual(roles, ['reasoning']);
  const routed = events.find((ev) => ev.type === 'run.routed');
  assert.ok(routed?.type === 'run.routed');
  assert.equal(routed.data.mode, 'reasoning');
  assert.match(routed.data.reason, /reasoning mode, as asked/);
  const started = events.find((ev) => ev.type === 'thread.started');
  assert.ok(started?.type === 'thread.started' && started.data.mode === 'reasoning' && started.data.model === 'loop/reasoning-model');
  assert.equal(server.requests.at(-1)!.body.model, 'reasoning-model');
  assert.match(server.requests.at(-1)!.body.messages[0].content, /Think the problem through/);
  assert.equal(events.at(-1)!.type, 'run.finished');
});

test('agentic without a workspace runs reasoning mode and says so', async () => {
  server.enqueue(textStream('ok'));
  const events = await run(engine(), { effort: 1, query: 'q', mode: 'agentic' });
  checkStream(events);
  const routed = events.find((ev) => ev.type === 'run.routed');
  assert.ok(routed?.type === 'run.routed' && routed.data.mode === 'agentic');
  const notice = events.find((ev) => ev.type === 'thread.notice');
  assert.ok(notice?.type === 'thread.notice' && /Agentic mode needs a workspace to work on .*running reasoning mode instead/.test(notice.data.message));
  const started = events.find((ev) => ev.type === 'thread.started');
  assert.ok(started?.type === 'thread.started' && started.data.mode === 'reasoning');
  assert.equal(events.at(-1)!.type, 'run.finished');
});

test('reasoning without a reasoning model falls back to the instant model, visibly', async () => {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const e = new Engine({
    models: {
      forRole: (role) => {
        if (role !== 'instant') throw new Error(`No model is set for the ${role} role.`);
        return ep.model('only');
      },
    },
  });
  server.enqueue(textStream('ok'));
  const events = await run(e, { effort: 1, query: 'q', mode: 'reasoning' });
  checkStream(events);
  assert.ok(events.some((ev) => ev.type === 'thread.notice' && /reasoning with loop\/only instead/.test(ev.data.message)));
  assert.equal(events.at(-1)!.type, 'run.finished');
});

test('already-cancelled signal: no model call', async () => {
  const before = server.requests.length;
  const ac = new AbortController();
  ac.abort();
  const events = await run(engine(), { effort: 1, query: 'q' }, ac.signal);
  checkStream(events);
  assert.equal(events.at(-1)!.type, 'run.cancelled');
  assert.equal(server.requests.length, before);
});

test('a call whose usage never arrives has an unknown cost, not zero', async () => {
  server.enqueue({ ...textStream('no usage here'), usagePlacement: 'none' });
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const e = new Engine({ models: { forRole: () => ep.model('gpt-4o-mini') } });
  const events = await run(e, { effort: 1, query: 'q' });
  checkStream(events);
  const last = events.at(-1)!;
  assert.ok(last.type === 'run.finished');
  assert.equal(last.data.cost, null);
  const usage = events.find((ev) => ev.type === 'usage');
  assert.ok(usage?.type === 'usage' && usage.data.cost === null);
});

test('an edit request: the edit prompt, the selection with its surroundings and diagnostics, no spawning', async () => {
  server.enqueue(textStream('```js\nfunction add(a, b) {\n  return a + b;\n}\n```'));
  const events = await run(engine(), {
    query: 'fix the bug',
    effort: 1,
    mode: 'reasoning',
    task: 'edit',
    context: {
      selection: { text: 'function add(a, b) {\n  return a - b;\n}', fileName: 'math.js', language: 'javascript' },
      surrounding: { before: '// math helpers', after: 'module.exports = { add };' },
      diagnostics: ['line 2: warning: suspicious subtraction'],
    },
  });
  checkStream(events);
  const body = server.requests.at(-1)!.body;
  assert.match(body.messages[0].content, /complete new text of the selected region/);
  assert.equal(body.tools, undefined, 'an edit does not spawn');
  const user = body.messages.at(-1).content as string;
  assert.match(user, /Selected code from math\.js:\n```javascript\nfunction add/);
  assert.match(user, /Diagnostics in the selection:\n- line 2: warning: suspicious subtraction/);
  assert.match(user, /Lines before the selection \(context only\):\n```javascript\n\/\/ math helpers\n```/);
  assert.match(user, /Lines after the selection/);
});
