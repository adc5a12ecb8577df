// Wire forms beyond OpenAI's own (DESIGN §4), through the real provider and `openai` client:
// content parts, the two usage conventions, errors inside the stream, tool calls written as text,
// and tools described in the prompt for a server that rejects `tools`.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { ChatRequest, StreamPart, ToolSpec } from '../../src/core/model/types';
import { startScriptedServer, textStream, type Delta, type ScriptedServer } from '../fixtures/scriptedServer';
import { collect } from './helpers';
import { Engine } from '../../src/engine/engine';
import type { KnownRunEvent } from '../../src/core/run/events';

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const readFile: ToolSpec = { name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } };

let server: ScriptedServer;
/** A loopback server that answers every request with the raw SSE text it is given. */
let raw: http.Server;
let rawUrl = '';
let rawBody = '';
before(async () => {
  server = await startScriptedServer();
  raw = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(rawBody);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`;
});
after(async () => {
  await server.close();
  await new Promise<void>((resolve) => raw.close(() => resolve()));
});
beforeEach(() => {
  server.requests.length = 0;
  server.respond(undefined);
});

const endpoint = (url = server.url) => new OpenAIEndpoint({ id: 'local', baseUrl: url, timeoutSeconds: 5, maxRetries: 0 });
const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'));
const sse = (...chunks: unknown[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('');
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});
const usageOf = (parts: StreamPart[]) => parts.find((p): p is Extract<StreamPart, { type: 'usage' }> => p.type === 'usage')?.usage;
const callsOf = (parts: StreamPart[]) => parts.find((p): p is Extract<StreamPart, { type: 'tool_calls' }> => p.type === 'tool_calls')?.calls;

describe('content as an array of parts', () => {
  test('text and thinking parts (Mistral / Magistral)', async () => {
    const deltas = [
      { role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Two and two ' }] }] },
      { content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'make four.' }] }] },
      { content: [{ type: 'text', text: '2 + 2 = 4' }] },
    ] as unknown as Delta[];
    server.enqueue({ kind: 'stream', deltas });
    const r = await collect(endpoint().model('magistral').stream(ask));
    assert.equal(r.error, undefined);
    assert.equal(r.reasoning, 'Two and two make four.');
    assert.equal(r.text, '2 + 2 = 4');
  });

  test('a call whose every content chunk is unreadable fails, naming the format', async () => {
    const deltas = [{ content: [{ type: 'image_url', image_url: { url: 'x' } }] }, { content: [{ type: 'audio', data: 'x' }] }] as unknown as Delta[];
    server.enqueue({ kind: 'stream', deltas });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.error?.kind, 'invalid_response');
    assert.match(r.error!.message, /format ARC cannot read: "delta\.content" as an array of parts of type "image_url"/);
    assert.ok(!r.parts.some((p) => p.type === 'finish'), 'no confident finish');
  });

  test('an unreadable chunk among readable ones is skipped and named in the notice', async () => {
    const deltas = [{ content: 'Hello' }, { content: [{ type: 'image_url', image_url: { url: 'x' } }] }, { content: ' there' }] as unknown as Delta[];
    server.enqueue({ kind: 'stream', deltas });
    const r = await collect(endpoint().model('m').stream(ask));
    assert.equal(r.text, 'Hello there');
    const n = r.parts.find((p) => p.type === 'notice' && p.code === 'malformed_chunk');
    assert.match(n && n.type === 'notice' ? n.message : '', /Skipped 1 malformed chunk.*"image_url"/);
  });
});

describe('usage conventions: completion always includes reasoning', () => {
  const cases = [
    { name: 'inclusive (OpenAI: total = prompt + completion)', usage: { prompt_tokens: 12, completion_tokens: 300, total_tokens: 312, completion_tokens_details: { reasoning_tokens: 290 } }, want: { prompt: 12, completion: 300, reasoning: 290 } },
    { name: 'exclusive (xAI: total = prompt + completion + reasoning)', usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, completion_tokens_details: { reasoning_tokens: 290 } }, want: { prompt: 12, completion: 291, reasoning: 290 } },
    { name: 'no total, reasoning above completion: exclusive', usage: { prompt_tokens: 5, completion_tokens: 3, completion_tokens_details: { reasoning_tokens: 40 } }, want: { prompt: 5, completion: 43, reasoning: 40 } },
    { name: 'reasoning a little above an inclusive completion is clamped', usage: { prompt_tokens: 43, completion_tokens: 10, total_tokens: 53, completion_tokens_details: { reasoning_tokens: 11 } }, want: { prompt: 43, completion: 10, reasoning: 10 } },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      rawBody = sse(chunk({ content: 'ok' }), chunk({}, 'stop'), { choices: [], usage: c.usage }) + 'data: [DONE]\n\n';
      const r = await collect(endpoint(rawUrl).model('m').stream(ask));
      assert.deepEqual(usageOf(r.parts), c.want);
    });
  }
});

describe('errors inside the stream', () => {
  test('an SSE `event: error` keeps the partial answer and says so', async () => {
    rawBody = sse(chunk({ content: 'The answer is' }), chunk({ content: ' forty' })) + 'event: error\ndata: {"error":{"message":"upstream overloaded","code":503}}\n\n';
    const r = await collect(endpoint(rawUrl).model('m').stream(ask));
    assert.equal(r.text, 'The answer is forty');
    assert.equal(r.error?.kind, 'server');
    assert.match(r.error!.message, /reported an error mid-stream: upstream overloaded; the partial answer is kept/);
  });

  test('an error event whose data is not JSON is still an error, not a quiet cut', async () => {
    rawBody = sse(chunk({ content: 'Hi' })) + 'event: error\ndata: Internal Server Error\n\n';
    const r = await collect(endpoint(rawUrl).model('m').stream(ask));
    assert.equal(r.error?.kind, 'server');
    assert.match(r.error!.message, /Internal Server Error/);
  });

  test('the usage an error chunk carries is kept (OpenRouter)', async () => {
    rawBody =
      sse(chunk({ content: '', reasoning: 'We need' }), {
        error: { code: 400, message: 'Token limit reached' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: null }],
        usage: { prompt_tokens: 43, completion_tokens: 10, total_tokens: 53, completion_tokens_details: { reasoning_tokens: 4 } },
      }) + 'data: [DONE]\n\n';
    const r = await collect(endpoint(rawUrl).model('m').stream(ask));
    assert.equal(r.error?.kind, 'server');
    assert.match(r.error!.message, /Token limit reached/);
    assert.deepEqual(usageOf(r.parts), { prompt: 43, completion: 10, reasoning: 4 });
    assert.deepEqual(r.error!.details.usage, { prompt: 43, completion: 10, reasoning: 4 });
  });

  test('the engine counts what a call that failed mid-stream said it cost (run cost, spend cap)', async () => {
    rawBody =
      sse(chunk({ content: 'Partial ' }), {
        error: { code: 502, message: 'Upstream went away' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: null }],
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
      }) + 'data: [DONE]\n\n';
    const engine = new Engine({ models: { forRole: () => endpoint(rawUrl).model('m') }, prices: { m: { input: 1, output: 4 } }, progressIntervalMs: 0 });
    const events: KnownRunEvent[] = [];
    for await (const e of engine.run({ query: 'hi', mode: 'instant', effort: 1 })) events.push(e);
    const last = events.at(-1)!;
    assert.equal(last.type, 'run.failed');
    assert.match(String((last.data as { error: string }).error), /Upstream went away/);
    const usage = events.find((e) => e.type === 'usage' && e.threadId === 'root');
    assert.ok(usage, 'a usage event for the failed thread');
    const data = usage.data as { usage: { prompt: number; completion: number }; cost: number | null };
    assert.equal(data.usage.prompt, 1000);
    assert.equal(data.usage.completion, 500);
    // $1/M in, $4/M out: 0.001 + 0.002. Not "unknown": the server said what the call cost.
    assert.ok(data.cost !== null && Math.abs(data.cost - 0.003) < 1e-9, JSON.stringify(data));
  });

  test('a clean [DONE] without any finish reason is a finished answer', async () => {
    rawBody = sse(chunk({ content: 'done' })) + 'data: [DONE]\n\n';
    const r = await collect(endpoint(rawUrl).model('m').stream(ask));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.parts.find((p) => p.type === 'finish'), { type: 'finish', reason: 'stop' });
  });
});

describe('tool calls written as text', () => {
  const hermes = 'Let me look.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>';

  test('Hermes <tool_call> in the content becomes a tool call, never answer text', async () => {
    server.enqueue(textStream(hermes, { pieces: 9 }));
    const r = await collect(endpoint().model('qwen').stream({ ...ask, tools: [readFile] }));
    assert.equal(r.text, 'Let me look.');
    assert.deepEqual(callsOf(r.parts), [{ id: 'call_text_0', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
    assert.deepEqual(r.parts.find((p) => p.type === 'finish'), { type: 'finish', reason: 'tool_calls' });
    assert.ok(r.parts.some((p) => p.type === 'notice' && p.code === 'tool_calls_in_text'));
    assert.ok(!r.parts.some((p) => p.type === 'text' && p.text.includes('tool_call')), 'no tag reached the answer');
  });

  test('Mistral [TOOL_CALLS] after <think> reasoning', async () => {
    server.enqueue(textStream('<think>Need the file.</think>[TOOL_CALLS]read_file[ARGS]{"path": "a.ts"}', { pieces: 7 }));
    const r = await collect(endpoint().model('devstral').stream({ ...ask, tools: [readFile] }));
    assert.equal(r.reasoning, 'Need the file.');
    assert.equal(r.text, '');
    assert.deepEqual(callsOf(r.parts)?.map((c) => c.name), ['read_file']);
  });

  test('without tools offered, the same text is just text', async () => {
    server.enqueue(textStream(hermes, { pieces: 9 }));
    const r = await collect(endpoint().model('qwen').stream(ask));
    assert.equal(r.text, hermes);
    assert.equal(callsOf(r.parts), undefined);
  });
});

describe('a server that rejects `tools`', () => {
  for (const message of ['registry.ollama.ai/library/gemma:2b does not support tools', '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set']) {
    test(`400 "${message.slice(0, 40)}…": tools go into the prompt, remembered`, async () => {
      server.enqueue({ kind: 'error', status: 400, message }, textStream('<tool_call>{"name":"read_file","arguments":{"path":"a.ts"}}</tool_call>'), textStream('It says hi.'));
      const model = endpoint().model('gemma');
      const first = await collect(model.stream({ ...ask, tools: [readFile] }));
      assert.equal(first.error, undefined);
      assert.ok(first.parts.some((p) => p.type === 'notice' && p.code === 'param_dropped' && /described in the prompt/.test(p.message)));
      assert.deepEqual(callsOf(first.parts)?.map((c) => c.name), ['read_file']);
      assert.equal(model.capabilities.tools, false, 'remembered');
      const retry = chats()[1]!.body;
      assert.equal(retry.tools, undefined);
      assert.equal(retry.messages[0].role, 'system');
      assert.match(retry.messages[0].content, /<tools>[\s\S]*"read_file"[\s\S]*<tool_call>/);

      // The next call carries the conversation's tool traffic as text too: no `tool` role, no `tool_calls`.
      const calls = callsOf(first.parts)!;
      await collect(
        model.stream({
          messages: [...ask.messages, { role: 'assistant', content: null, toolCalls: calls }, { role: 'tool', toolCallId: calls[0]!.id, content: 'hi' }],
          tools: [readFile],
        }),
      );
      const next = chats()[2]!.body;
      assert.equal(next.tools, undefined, 'no second 400');
      assert.deepEqual(next.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant', 'user']);
      assert.match(next.messages[2].content, /^<tool_call>\n\{"name":"read_file"/);
      assert.equal(next.messages[3].content, '<tool_response>\nhi\n</tool_response>');
    });
  }

  test('a 400 about a tool call the model got wrong does not drop tools', async () => {
    server.enqueue({ kind: 'error', status: 400, message: 'Tool call validation failed: tool_use_failed' });
    const r = await collect(endpoint().model('m').stream({ ...ask, tools: [readFile] }));
    assert.equal(r.error?.kind, 'bad_request');
    assert.equal(chats().length, 1);
  });
});
