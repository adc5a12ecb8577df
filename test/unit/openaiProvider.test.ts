// The openai provider through the real `openai` client against the scripted loopback server.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OpenAIEndpoint, type EndpointOptions } from '../../src/core/model/openaiProvider';
import type { ChatRequest } from '../../src/core/model/types';
import {
  reasoningFieldStream,
  startScriptedServer,
  textStream,
  thinkInContentStream,
  toolCallStream,
  type ScriptedServer,
} from '../fixtures/scriptedServer';
import { collect } from './helpers';

/** A loopback port with nothing listening on it (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const usage = { prompt_tokens: 11, completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 3 } };

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer({ models: ['m-b', 'm-a'] });
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.requireKey(undefined);
  server.respond(undefined);
});

function endpoint(extra: Partial<EndpointOptions> = {}): OpenAIEndpoint {
  return new OpenAIEndpoint({ id: 'local', baseUrl: server.url, timeoutSeconds: 5, ...extra });
}
const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'));

describe('wire forms', () => {
  test('text with usage in a final chunk (OpenAI)', async () => {
    server.enqueue(textStream('Hello there, world.', { usage }));
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'Hello there, world.');
    assert.deepEqual(r.parts.find((p) => p.type === 'usage'), { type: 'usage', usage: { prompt: 11, completion: 7, reasoning: 3 } });
    assert.deepEqual(r.parts.find((p) => p.type === 'finish'), { type: 'finish', reason: 'stop' });
    const body = chats()[0]!.body;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.model, 'm');
    assert.deepEqual(body.messages, [{ role: 'user', content: 'hi' }]);
  });

  test('usage inside the last choice chunk (llama.cpp)', async () => {
    server.enqueue({ ...textStream('ok', { usage }), usagePlacement: 'in-last-choice' });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.deepEqual(r.parts.find((p) => p.type === 'usage'), { type: 'usage', usage: { prompt: 11, completion: 7, reasoning: 3 } });
  });

  test('no usage at all is a notice, not an error', async () => {
    server.enqueue({ ...textStream('ok'), usagePlacement: 'none' });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error, undefined);
    assert.ok(r.parts.some((p) => p.type === 'notice' && p.code === 'usage_missing'));
  });

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    test(`reasoning in the ${field} field`, async () => {
      server.enqueue(reasoningFieldStream('Let me think about it.', 'Forty-two.', field, { usage }));
      const r = await collect(endpoint().model('m').stream(ask));
      assert.equal(r.reasoning, 'Let me think about it.');
      assert.equal(r.text, 'Forty-two.');
    });
  }

  test('<think> in content, tags cut across chunks, learned as a capability', async () => {
    server.enqueue(thinkInContentStream('First this, then that.', 'The answer.', { splitTagsAcrossChunks: true, usage }));
    const model = endpoint().model('qwen');
    assert.equal(model.capabilities.thinkTags, false);
    const r = await collect(model.stream(ask));
    assert.equal(r.reasoning, 'First this, then that.');
    assert.equal(r.text, 'The answer.');
    assert.ok(r.parts.some((p) => p.type === 'notice' && p.code === 'think_tags_detected'));
    assert.equal(model.capabilities.thinkTags, true);
  });

  test('tool calls are assembled across chunks', async () => {
    server.enqueue(toolCallStream([
      { id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts","startLine":null}' },
      { id: 'c2', name: 'list_files', arguments: '{"glob":"**/*.md"}' },
    ]));
    const r = await collect(endpoint().model('m').stream({ ...ask, tools: [{ name: 'read_file', description: 'd', parameters: { type: 'object' } }] }));
    assert.deepEqual(r.parts.find((p) => p.type === 'tool_calls'), {
      type: 'tool_calls',
      calls: [
        { id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts","startLine":null}' },
        { id: 'c2', name: 'list_files', arguments: '{"glob":"**/*.md"}' },
      ],
    });
    assert.deepEqual(r.parts.find((p) => p.type === 'finish'), { type: 'finish', reason: 'tool_calls' });
    assert.equal(chats()[0]!.body.tools[0].function.name, 'read_file');
  });

  test('parameters are passed per capability', async () => {
    server.enqueue(textStream('a'), textStream('b'));
    const req: ChatRequest = { ...ask, reasoningEffort: 'low', maxOutputTokens: 500, thinkingBudget: 300 };
    await collect(endpoint().model('plain').stream(req));
    const plain = chats()[0]!.body;
    assert.equal(plain.reasoning_effort, undefined, 'not sent unless the endpoint accepts it');
    assert.equal(plain.max_completion_tokens, 500);
    await collect(endpoint({ capabilities: { reasoningEffort: true, thinkingBudgetParam: 'thinking.budget_tokens', maxTokensParam: 'max_tokens' } }).model('r').stream(req));
    const rich = chats()[1]!.body;
    assert.equal(rich.reasoning_effort, 'low');
    assert.equal(rich.max_tokens, 500);
    assert.equal(rich.max_completion_tokens, undefined);
    assert.deepEqual(rich.thinking, { budget_tokens: 300 });
  });
});

describe('keys', () => {
  test('no key: no Authorization header at all', async () => {
    server.enqueue(textStream('a'));
    await collect(endpoint().model('m').stream(ask));
    assert.equal(chats()[0]!.headers.authorization, undefined);
  });

  test('a key is sent as a bearer token; a wrong one is a 401 naming the command to fix it', async () => {
    server.requireKey('sk-right');
    server.enqueue(textStream('a'));
    const ok = await collect(endpoint({ apiKey: 'sk-right' }).model('m').stream(ask));
    assert.equal(ok.text, 'a');
    const bad = await collect(endpoint({ apiKey: 'sk-wrong' }).model('m').stream(ask));
    assert.equal(bad.error?.kind, 'auth');
    assert.match(bad.error!.message, /ARC: Set API Key/);
    assert.match(bad.error!.message, /OPENAI_API_KEY|--api-key-env/);
    assert.doesNotMatch(bad.error!.message, /sk-wrong/);
    assert.equal(chats().length, 2, 'a 401 is not retried');
  });
});

describe('faults', () => {
  test('404 names the model and how to list models', async () => {
    server.enqueue({ kind: 'error', status: 404, message: 'model "nope" not found' });
    const r = await collect(endpoint().model('nope').stream(ask));
    assert.equal(r.error?.kind, 'not_found');
    assert.match(r.error!.message, /Model "nope"/);
    assert.match(r.error!.message, /Test Connection/);
  });

  test('429 with retry-after is retried after the wait, then succeeds', async () => {
    server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '0.3' } }, textStream('after wait'));
    const t0 = Date.now();
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.text, 'after wait');
    assert.ok(Date.now() - t0 >= 280, 'honoured retry-after');
    assert.equal(chats().length, 2);
  });

  test('429 that never ends says so, with the attempts made', async () => {
    server.respond(() => ({ kind: 'error', status: 429, headers: { 'retry-after': '0.05' } }));
    const r = await collect(endpoint({ maxRetries: 2 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'rate_limited');
    assert.match(r.error!.message, /after 3 attempts/);
    assert.match(r.error!.message, /wait 0.05 s/);
    assert.equal(chats().length, 3);
  });

  test('500 is retried; a lasting 500 is a server error', async () => {
    server.enqueue({ kind: 'error', status: 500, headers: { 'retry-after-ms': '10' } }, textStream('fine'));
    assert.equal((await collect(endpoint().model('m').stream(ask))).text, 'fine');
    server.respond(() => ({ kind: 'error', status: 503, message: 'overloaded', headers: { 'retry-after-ms': '10' } }));
    const r = await collect(endpoint({ maxRetries: 1 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'server');
    assert.match(r.error!.message, /503.*after 2 attempts.*overloaded/);
  });

  test('a reset connection is retried, then reported as a connection error', async () => {
    server.enqueue({ kind: 'reset' }, textStream('second try'));
    assert.equal((await collect(endpoint().model('m').stream(ask))).text, 'second try');
    server.respond(() => ({ kind: 'reset' }));
    const r = await collect(endpoint({ maxRetries: 0 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'connection');
    assert.match(r.error!.message, /Could not reach "local"/);
  });

  test('nothing listening is a connection error naming the URL', async () => {
    const port = await freePort();
    const r = await collect(new OpenAIEndpoint({ id: 'gone', baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'connection');
    assert.match(r.error!.message, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  });

  test('a stream cut mid-way keeps the partial text and says so', async () => {
    server.enqueue({ ...textStream('one two three four five six', { pieces: 6 }), cutAfter: 3 });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error?.kind, 'stream_cut');
    assert.match(r.error!.message, /partial answer is kept/);
    assert.ok(r.text.length > 0 && 'one two three four five six'.startsWith(r.text), `partial: ${r.text}`);
  });

  test('a stream that ends without a finish reason is a cut stream', async () => {
    server.enqueue({ ...textStream('half'), finishReason: null, done: false, usagePlacement: 'none' });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error?.kind, 'stream_cut');
    assert.equal(r.text, 'half');
  });

  test('malformed chunks are skipped and counted', async () => {
    server.enqueue({ ...textStream('abcdefgh', { pieces: 4, usage }), malformedAt: [1, 3] });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'abcdefgh');
    const notice = r.parts.find((p) => p.type === 'notice' && p.code === 'malformed_chunk');
    assert.ok(notice && notice.type === 'notice');
    assert.match(notice.message, /Skipped 2 malformed chunks/);
  });

  test('a server that stalls mid-stream times out with the partial kept', async () => {
    server.enqueue({ ...textStream('slow tokens here', { pieces: 3 }), tokenDelayMs: 1500 });
    const r = await collect(endpoint({ timeoutSeconds: 0.4 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'timeout');
    assert.match(r.error!.message, /sent nothing for 0.4 s/);
    assert.equal(r.text, 'slow ');
  });

  test('a server that never answers times out', async () => {
    server.enqueue({ kind: 'hang' });
    const r = await collect(endpoint({ timeoutSeconds: 0.3, maxRetries: 0 }).model('m').stream(ask));
    assert.equal(r.error?.kind, 'timeout');
  });
});

describe('400: drop the parameter, remember, retry once', () => {
  test('reasoning_effort rejected', async () => {
    server.enqueue({ kind: 'error', status: 400, message: 'Unrecognized request argument supplied: reasoning_effort', param: 'reasoning_effort' }, textStream('ok'), textStream('again'));
    const model = endpoint({ capabilities: { reasoningEffort: true } }).model('m');
    const r = await collect(model.stream({ ...ask, reasoningEffort: 'high' }));
    assert.equal(r.text, 'ok');
    assert.ok(r.parts.some((p) => p.type === 'notice' && p.code === 'param_dropped'));
    assert.equal(chats()[0]!.body.reasoning_effort, 'high');
    assert.equal(chats()[1]!.body.reasoning_effort, undefined);
    assert.equal(model.capabilities.reasoningEffort, false);
    await collect(model.stream({ ...ask, reasoningEffort: 'high' }));
    assert.equal(chats()[2]!.body.reasoning_effort, undefined, 'remembered');
  });

  test('max_completion_tokens rejected: max_tokens instead (Ollama-style servers)', async () => {
    server.enqueue({ kind: 'error', status: 400, message: "Unknown parameter 'max_completion_tokens'" }, textStream('ok'));
    const r = await collect(endpoint().model('m').stream({ ...ask, maxOutputTokens: 64 }));
    assert.equal(r.text, 'ok');
    assert.equal(chats()[1]!.body.max_tokens, 64);
    assert.equal(chats()[1]!.body.max_completion_tokens, undefined);
  });

  test('a rejected temperature is dropped once and never sent again', async () => {
    server.enqueue({ kind: 'error', status: 400, message: "Unsupported parameter: 'temperature'" }, textStream('ok'), textStream('again'));
    const model = endpoint().model('o-like');
    assert.equal((await collect(model.stream({ ...ask, temperature: 0 }))).text, 'ok');
    assert.equal(chats().length, 2);
    await collect(model.stream({ ...ask, temperature: 0 }));
    assert.equal(chats().length, 3, 'no second 400');
    assert.equal(chats()[2]!.body.temperature, undefined);
  });

  test('a 400 that names nothing ARC can drop is a bad request, not retried', async () => {
    server.enqueue({ kind: 'error', status: 400, message: 'context length exceeded' });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error?.kind, 'bad_request');
    assert.match(r.error!.message, /context length exceeded/);
    assert.equal(chats().length, 1);
  });

  test('a parameter rejected again after dropping is not retried forever', async () => {
    server.respond(() => ({ kind: 'error', status: 400, message: 'stream_options not supported' }));
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error?.kind, 'bad_request');
    assert.ok(chats().length <= 2, `requests: ${chats().length}`);
  });
});

describe('cancellation', () => {
  test('abort mid-stream ends with cancelled and really aborts the HTTP request', async () => {
    server.enqueue({ ...textStream('a b c d e f g h i j', { pieces: 10 }), tokenDelayMs: 100 });
    const signals: AbortSignal[] = [];
    const recordingFetch = (input: string | URL | Request, init?: RequestInit) => {
      if (init?.signal) signals.push(init.signal);
      return fetch(input, init);
    };
    const ac = new AbortController();
    const t0 = Date.now();
    const r = await collect(endpoint({ fetch: recordingFetch }).model('m').stream(ask, ac.signal), (p) => {
      if (p.type === 'text') ac.abort();
    });
    assert.equal(r.error?.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 800, 'did not wait for the stream to finish');
    assert.ok(signals.length > 0 && signals.every((s) => s.aborted), 'the fetch was aborted');
  });

  test('abort while the SDK waits out a retry-after returns at once', async () => {
    server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '5' } }, textStream('late'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    const r = await collect(endpoint().model('m').stream(ask, ac.signal));
    assert.equal(r.error?.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 1000);
  });
});

test('listModels lists the endpoint\'s models, sorted', async () => {
  assert.deepEqual(await endpoint().listModels(), ['m-a', 'm-b']);
  server.requireKey('k');
  await assert.rejects(() => endpoint().listModels(), (e: Error & { kind?: string }) => e.kind === 'auth');
});
