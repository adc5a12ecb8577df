import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startScriptedServer,
  textStream,
  thinkInContentStream,
  reasoningFieldStream,
  toolCallStream,
  type ScriptedServer,
} from '../fixtures/scriptedServer';

/** Every `data:` payload in an SSE body, in order, unparsed. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length));
}

function chat(server: ScriptedServer, body: unknown, init?: RequestInit): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init?.headers as Record<string, string> | undefined) },
    body: JSON.stringify(body),
    signal: init?.signal,
  });
}

async function withServer(fn: (s: ScriptedServer) => Promise<void>, models?: string[]): Promise<void> {
  const server = await startScriptedServer(models ? { models } : undefined);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

test('GET /v1/models lists the configured models', () =>
  withServer(async (s) => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(s.url, `http://127.0.0.1:${s.port}/v1`);
    const res = await fetch(`${s.url}/models`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.equal(body.object, 'list');
    assert.deepEqual(
      body.data.map((m: any) => [m.id, m.object, m.owned_by]),
      [
        ['a', 'model', 'scripted'],
        ['b', 'model', 'scripted'],
      ],
    );
    assert.equal(typeof body.data[0].created, 'number');
    s.models = ['c'];
    const again = (await (await fetch(`${s.url}/models`)).json()) as any;
    assert.deepEqual(again.data.map((m: any) => m.id), ['c']);
  }, ['a', 'b']));

test('text stream: OpenAI trailing usage chunk only when include_usage is asked for', () =>
  withServer(async (s) => {
    const usage = { prompt_tokens: 10, completion_tokens: 5 };
    s.enqueue(textStream('Hello, world!', { usage }), textStream('Hello, world!', { usage }));

    const res = await chat(s, { model: 'm1', stream: true, stream_options: { include_usage: true }, messages: [] });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const data = sseData(await res.text());
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.model, 'm1');
      assert.equal(typeof c.id, 'string');
    }
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk.choices, []);
    assert.deepEqual(usageChunk.usage, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    const finish = chunks.at(-2);
    assert.deepEqual(finish.choices[0], { index: 0, delta: {}, finish_reason: 'stop', logprobs: null });
    const deltas = chunks.slice(0, -2).map((c) => c.choices[0]);
    assert.equal(deltas[0].delta.role, 'assistant');
    assert.ok(deltas.every((c) => c.finish_reason === null && c.logprobs === null));
    assert.equal(deltas.map((c) => c.delta.content).join(''), 'Hello, world!');
    assert.ok(deltas.length >= 3);

    const plain = sseData(await (await chat(s, { stream: true, messages: [] })).text());
    assert.ok(plain.slice(0, -1).every((d) => JSON.parse(d).usage === undefined));
    assert.equal(JSON.parse(plain.at(-2)!).choices[0].finish_reason, 'stop');
  }));

test('text stream: llama.cpp usage and timings ride on the finish chunk', () =>
  withServer(async (s) => {
    s.enqueue({
      ...textStream('abc', { usage: { prompt_tokens: 3, completion_tokens: 2 } }),
      deltas: [{ role: 'assistant', content: null }, { content: 'abc' }],
      usagePlacement: 'in-last-choice',
    });
    const data = sseData(await (await chat(s, { stream: true, messages: [] })).text());
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    assert.equal(chunks.length, 3);
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: null });
    const last = chunks[2];
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.equal(last.usage.total_tokens, 5);
    assert.equal(last.timings.predicted_n, 2);
    assert.ok(chunks.slice(0, 2).every((c) => c.usage === undefined));
  }));

test('malformed event arrives before the chosen delta; finishReason null and done:false are honoured', () =>
  withServer(async (s) => {
    s.enqueue({ kind: 'stream', deltas: [{ content: 'a' }, { content: 'b' }], malformedAt: [1], finishReason: null, done: false });
    const data = sseData(await (await chat(s, { stream: true, messages: [] })).text());
    assert.equal(data.length, 3);
    assert.equal(JSON.parse(data[0]!).choices[0].delta.content, 'a');
    assert.throws(() => JSON.parse(data[1]!));
    assert.equal(JSON.parse(data[2]!).choices[0].delta.content, 'b');
    assert.equal(JSON.parse(data[2]!).choices[0].finish_reason, null);
  }));

test('cut stream: headers and early chunks arrive, then reading the body rejects', () =>
  withServer(async (s) => {
    s.enqueue({ ...textStream('0123456789abcdef', { pieces: 4 }), cutAfter: 2 });
    const res = await chat(s, { stream: true, messages: [] });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let received = '';
    const decoder = new TextDecoder();
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
    });
    const data = sseData(received);
    assert.equal(data.map((d) => JSON.parse(d).choices[0].delta.content).join(''), '01234567');
    assert.ok(!received.includes('[DONE]'));
  }));

test('error script: status, retry-after header and OpenAI-style body', () =>
  withServer(async (s) => {
    s.enqueue({ kind: 'error', status: 429, message: 'slow down', code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } });
    const res = await chat(s, { messages: [] });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.deepEqual(await res.json(), {
      error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null },
    });
  }));

test('requireKey: 401 without the bearer key, everything works with it', () =>
  withServer(async (s) => {
    s.requireKey('sk-test');
    s.enqueue(textStream('ok'));
    const denied = await fetch(`${s.url}/models`);
    assert.equal(denied.status, 401);
    const err = (await denied.json()) as any;
    assert.equal(err.error.code, 'invalid_api_key');
    assert.equal(typeof err.error.message, 'string');
    const wrong = await chat(s, { messages: [] }, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const ok = await chat(s, { messages: [] }, { headers: { authorization: 'Bearer sk-test' } });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as any).choices[0].message.content, 'ok');
    s.requireKey(undefined);
    assert.equal((await fetch(`${s.url}/models`)).status, 200);
  }));

test('non-streaming request gets a chat.completion assembled from the deltas', () =>
  withServer(async (s) => {
    s.enqueue(
      reasoningFieldStream('think hard', 'The answer is 4.', 'reasoning_content', {
        usage: { prompt_tokens: 7, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 3 } },
      }),
      toolCallStream([
        { id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_2', name: 'list_files', arguments: '{"glob":"**/*.ts"}' },
      ]),
      { kind: 'json', body: { custom: true }, status: 201, headers: { 'x-scripted': 'yes' } },
    );
    const a = (await (await chat(s, { model: 'mx', messages: [] })).json()) as any;
    assert.equal(a.object, 'chat.completion');
    assert.equal(a.model, 'mx');
    assert.equal(a.choices[0].finish_reason, 'stop');
    assert.equal(a.choices[0].message.role, 'assistant');
    assert.equal(a.choices[0].message.content, 'The answer is 4.');
    assert.equal(a.choices[0].message.reasoning_content, 'think hard');
    assert.deepEqual(a.usage, { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16, completion_tokens_details: { reasoning_tokens: 3 } });

    const b = (await (await chat(s, { messages: [], stream: false })).json()) as any;
    assert.equal(b.choices[0].finish_reason, 'tool_calls');
    assert.equal(b.choices[0].message.content, null);
    assert.deepEqual(b.choices[0].message.tool_calls, [
      { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
      { id: 'call_2', type: 'function', function: { name: 'list_files', arguments: '{"glob":"**/*.ts"}' } },
    ]);

    const c = await chat(s, { messages: [] });
    assert.equal(c.status, 201);
    assert.equal(c.headers.get('x-scripted'), 'yes');
    assert.deepEqual(await c.json(), { custom: true });
  }));

test('builders: think tags cut across chunks, reasoning fields, tool-call argument pieces', () =>
  withServer(async (s) => {
    const split = thinkInContentStream('step one.', 'Done.', { splitTagsAcrossChunks: true });
    const contents = split.deltas.map((d) => d.content);
    assert.equal(contents.join(''), '<think>step one.</think>Done.');
    assert.ok(contents.includes('<thi'));
    assert.ok(!contents.some((c) => c?.includes('<think>') || c?.includes('</think>')));
    const whole = thinkInContentStream('r', 'a');
    assert.deepEqual(whole.deltas.map((d) => d.content), ['<think>', 'r', '</think>', 'a']);

    const ollama = reasoningFieldStream('why', 'so', 'reasoning');
    assert.deepEqual(ollama.deltas[0], { role: 'assistant', content: '', reasoning: 'why' });

    const tools = toolCallStream([{ id: 'c1', name: 'f', arguments: '{"x":12345}' }], { argPieces: 3 });
    assert.equal(tools.finishReason, 'tool_calls');
    const argChunks = tools.deltas.filter((d) => d.tool_calls?.[0]?.function?.arguments);
    assert.equal(argChunks.length, 3);

    s.enqueue(split);
    const data = sseData(await (await chat(s, { stream: true, messages: [] })).text());
    const streamed = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]);
    assert.equal(streamed.map((c) => c.delta.content ?? '').join(''), '<think>step one.</think>Done.');
  }));

test('records every request in order; 400 for non-JSON, 404 for unknown paths, 500 when out of scripts', () =>
  withServer(async (s) => {
    await (await fetch(`${s.url}/models?x=1`, { headers: { 'x-probe': 'p' } })).arrayBuffer();
    const bad = await fetch(`${s.url}/chat/completions`, { method: 'POST', body: '{not json' });
    assert.equal(bad.status, 400);
    assert.equal(typeof ((await bad.json()) as any).error.message, 'string');
    const missing = await fetch(`${s.url}/embeddings`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal(typeof ((await missing.json()) as any).error.message, 'string');
    const empty = await chat(s, { model: 'q', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(empty.status, 500);
    assert.equal(((await empty.json()) as any).error.message, 'scripted server: no script left');

    let seen: any;
    s.respond((req) => {
      seen = req.body;
      return { kind: 'json', body: { echoed: req.body.model } };
    });
    assert.deepEqual(await (await chat(s, { model: 'echo', messages: [] })).json(), { echoed: 'echo' });
    assert.equal(seen.model, 'echo');
    s.respond(undefined);

    assert.deepEqual(
      s.requests.map((r) => [r.method, r.path]),
      [
        ['GET', '/v1/models?x=1'],
        ['POST', '/v1/chat/completions'],
        ['POST', '/v1/embeddings'],
        ['POST', '/v1/chat/completions'],
        ['POST', '/v1/chat/completions'],
      ],
    );
    assert.equal(s.requests[0]!.headers['x-probe'], 'p');
    assert.equal(s.requests[0]!.body, undefined);
    assert.equal(s.requests[1]!.body, undefined);
    assert.equal(s.requests[1]!.rawBody, '{not json');
    assert.deepEqual(s.requests[3]!.body, { model: 'q', messages: [{ role: 'user', content: 'hi' }] });
  }));

test('reset destroys the connection without a response', () =>
  withServer(async (s) => {
    s.enqueue({ kind: 'reset' });
    await assert.rejects(chat(s, { messages: [] }));
    assert.equal(s.requests.length, 1);
  }));

test('delays: first token waits, a client abort stops the stream early', () =>
  withServer(async (s) => {
    s.enqueue({ ...textStream('abcdefgh', { pieces: 4, tokenDelayMs: 1000 }), firstTokenDelayMs: 60 });
    const ac = new AbortController();
    const t0 = Date.now();
    const res = await chat(s, { stream: true, messages: [] }, { signal: ac.signal });
    const headersAt = Date.now() - t0;
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - t0;
    assert.ok(headersAt < firstAt, 'headers are flushed before the first token');
    assert.ok(firstAt >= 50, `first token after ${firstAt} ms`);
    assert.match(new TextDecoder().decode(first.value), /"content":"ab"/);
    ac.abort();
    await assert.rejects(reader.read());
  }));

test('close() ends a hanging request and an open slow stream promptly', async () => {
  const s = await startScriptedServer();
  s.enqueue({ kind: 'hang' }, textStream('slow', { pieces: 4, tokenDelayMs: 10_000 }));
  const hanging = chat(s, { messages: [] });
  const slow = await chat(s, { stream: true, messages: [] });
  const slowBody = slow.text();
  while (s.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
  const t0 = Date.now();
  await s.close();
  assert.ok(Date.now() - t0 < 500, 'close() returned promptly');
  await assert.rejects(hanging);
  await assert.rejects(slowBody);
  await s.close(); // idempotent
  await assert.rejects(fetch(`${s.url}/models`));
});
