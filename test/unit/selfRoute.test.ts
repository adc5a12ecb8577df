// Self-routing: used only when the local router is unsure; any failure keeps the local decision.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { Mode } from '../../src/core/run/events';
import type { RouteDecision, Router } from '../../src/core/run/seams';
import { parseClassification, SelfRoutingRouter } from '../../src/router/selfRoute';
import { startScriptedServer, textStream, type ScriptedServer } from '../fixtures/scriptedServer';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

const local = (confidence: number): Router => ({
  route: (): RouteDecision => ({ mode: 'instant', intent: 'answer', confidence, probabilities: { instant: confidence, reasoning: 1 - confidence, agentic: 0 }, reason: 'local.' }),
});

function router(confidence: number, opts: { enabled?: boolean; allowed?: Mode[]; timeoutMs?: number } = {}) {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  return new SelfRoutingRouter(local(confidence), {
    enabled: () => opts.enabled ?? true,
    model: () => ep.model('m'),
    allowed: () => opts.allowed ?? ['instant', 'reasoning', 'agentic'],
    timeoutMs: opts.timeoutMs ?? 1500,
  });
}

test('parsing: only a tag holding one of the three modes counts', () => {
  assert.equal(parseClassification('<classification>reasoning</classification>'), 'reasoning');
  assert.equal(parseClassification('Sure! <classification> Agentic </classification>'), 'agentic');
  assert.ok(parseClassification('reasoning') instanceof Error);
  assert.ok(parseClassification('<classification>thinking</classification>') instanceof Error);
});

test('unsure: one short classification call decides', async () => {
  server.enqueue(textStream('<classification>reasoning</classification>'));
  const before = server.requests.length;
  const d = await router(0.4).route({ effort: 1, query: 'hmm?' });
  assert.equal(d.mode, 'reasoning');
  assert.match(d.reason, /the model classified the request itself: reasoning/);
  const req = server.requests.at(-1)!;
  assert.equal(server.requests.length, before + 1);
  assert.equal(req.body.max_completion_tokens, 64);
  assert.match(req.body.messages[0].content, /<classification>MODE<\/classification>/);
});

test('confident, disabled or forced: no call at all', async () => {
  const before = server.requests.length;
  assert.equal((await router(0.9).route({ effort: 1, query: 'q' })).reason, 'local.');
  assert.equal((await router(0.3, { enabled: false }).route({ effort: 1, query: 'q' })).reason, 'local.');
  assert.equal((await router(0.3).route({ effort: 1, query: 'q', mode: 'reasoning' })).reason, 'local.');
  assert.equal(server.requests.length, before);
});

test('malformed output falls back to the local decision', async () => {
  server.enqueue(textStream('I think this needs reasoning, probably.'));
  const d = await router(0.4).route({ effort: 1, query: 'q' });
  assert.equal(d.mode, 'instant');
  assert.match(d.reason, /self-routing failed \(no <classification> tag/);
});

test('slow output falls back within the timeout', async () => {
  server.enqueue({ ...textStream('<classification>agentic</classification>', { pieces: 4 }), firstTokenDelayMs: 3000 });
  const t0 = Date.now();
  const d = await router(0.4, { timeoutMs: 300 }).route({ effort: 1, query: 'q' });
  assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
  assert.equal(d.mode, 'instant');
  assert.match(d.reason, /self-routing failed/);
});

test('a server error or a disallowed suggestion keeps the local decision', async () => {
  server.enqueue({ kind: 'error', status: 500, message: 'boom' });
  assert.match((await router(0.4).route({ effort: 1, query: 'q' })).reason, /self-routing failed/);
  server.enqueue(textStream('<classification>agentic</classification>'));
  const d = await router(0.4, { allowed: ['instant', 'reasoning'] }).route({ effort: 1, query: 'q' });
  assert.equal(d.mode, 'instant');
  assert.match(d.reason, /suggested agentic, which is not allowed/);
});

test('the classification call is part of the run: its usage is reported and the run\'s cost includes it', async () => {
  server.enqueue(textStream('<classification>instant</classification>', { usage: { prompt_tokens: 40, completion_tokens: 6 } }));
  const spent: Array<{ model: string; completion: number }> = [];
  await router(0.3).route({ effort: 1, query: 'hmm?' }, undefined, (model, usage) => spent.push({ model, completion: usage.completion }));
  assert.deepEqual(spent, [{ model: 'loop/m', completion: 6 }]);

  const { Engine } = await import('../../src/engine/engine');
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  server.enqueue(textStream('<classification>instant</classification>', { usage: { prompt_tokens: 40, completion_tokens: 6 } }), textStream('The answer.', { usage: { prompt_tokens: 10, completion_tokens: 3 } }));
  const engine = new Engine({ models: { forRole: () => ep.model('m') }, router: router(0.3), prices: { m: { input: 1, output: 1 } } });
  const events = [];
  for await (const e of engine.run({ effort: 1, query: 'hmm?' })) events.push(e);
  const fin = events.at(-1)!;
  assert.equal(fin.type, 'run.finished');
  if (fin.type === 'run.finished') {
    assert.deepEqual(fin.data.usage, { prompt: 50, completion: 9, reasoning: 0 });
    assert.equal(fin.data.cost, 59 / 1e6);
  }
});
