// Real recorded streams (other projects' published test recordings, test/fixtures/replay/*/manifest.json)
// replayed byte for byte from a loopback server through the real provider and the real `openai`
// client. Each case asserts what a correct client reads from the recording. A new provider quirk is
// one data file and one manifest entry away from a test.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { ChatRequest, StreamPart } from '../../src/core/model/types';
import { collect } from './helpers';

// Compiled tests run from out/test/unit; the data stays in the source tree.
const ROOT = path.resolve(__dirname, '../../../test/fixtures/replay');

const textExpectation = z.union([
  z.object({ exact: z.string() }),
  z.object({ length: z.number(), start: z.string(), end: z.string(), sha256: z.string() }),
]);
const caseSchema = z.object({
  case: z.string(),
  file: z.string(),
  framing: z.enum(['sse', 'jsonl']),
  covers: z.array(z.string()),
  origin: z.object({ repository: z.string(), path: z.string(), commit: z.string(), licence: z.string() }),
  request: z.object({ tools: z.array(z.string()) }),
  expected: z.object({
    answer: textExpectation,
    reasoning: textExpectation,
    toolCalls: z.array(z.object({ name: z.string(), arguments: z.string() })),
    usage: z.object({ prompt: z.number(), completion: z.number(), reasoning: z.number() }).nullable(),
    finish: z.string().nullable().optional(),
    error: z.object({ kind: z.string(), messageIncludes: z.string() }).optional(),
  }),
  sourceExpects: z.string(),
  note: z.string().optional(),
});
type Case = z.infer<typeof caseSchema> & { source: string; body: string };

function loadCorpus(): Case[] {
  const out: Case[] = [];
  for (const source of readdirSync(ROOT).sort()) {
    const manifest = z.object({ cases: z.array(caseSchema) }).parse(JSON.parse(readFileSync(path.join(ROOT, source, 'manifest.json'), 'utf8')));
    const files = readdirSync(path.join(ROOT, source)).filter((f) => f !== 'manifest.json');
    assert.deepEqual(files.sort(), manifest.cases.map((c) => c.file).sort(), `${source}: every recording has a manifest entry and every entry its recording`);
    for (const c of manifest.cases) out.push({ ...c, source, body: readFileSync(path.join(ROOT, source, c.file), 'utf8') });
  }
  return out;
}

const corpus = loadCorpus();

/** What goes on the wire: SSE recordings verbatim; line-per-chunk recordings framed as their source's harness does. */
function wireBytes(c: Case): string {
  if (c.framing === 'sse') return c.body;
  const lines = c.body.split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => `data: ${l}\n\n`).join('') + 'data: [DONE]\n\n';
}

let server: http.Server;
let baseUrl = '';
const byModel = new Map<string, Case>();
before(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (b: Buffer) => (raw += b.toString('utf8')));
    req.on('end', () => {
      const c = byModel.get(String((JSON.parse(raw) as { model?: unknown }).model));
      if (!c) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such case"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // In uneven slices, so events and even UTF-8 sequences arrive cut as they do over a network.
      const bytes = Buffer.from(wireBytes(c), 'utf8');
      for (let i = 0; i < bytes.length; i += 997) res.write(bytes.subarray(i, i + 997));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function assertText(actual: string, expected: z.infer<typeof textExpectation>, what: string): void {
  if ('exact' in expected) {
    assert.equal(actual, expected.exact, what);
    return;
  }
  assert.equal(actual.length, expected.length, `${what}: length`);
  assert.ok(actual.startsWith(expected.start), `${what}: start`);
  assert.ok(actual.endsWith(expected.end), `${what}: end`);
  assert.equal(createHash('sha256').update(actual).digest('hex'), expected.sha256, `${what}: content`);
}

describe('replay corpus: real recorded streams through the real provider', () => {
  for (const c of corpus) {
    test(`${c.source}/${c.case} (${c.covers.join(', ')})`, async () => {
      const model = `${c.source}/${c.case}`;
      byModel.set(model, c);
      const endpoint = new OpenAIEndpoint({ id: 'replay', baseUrl, timeoutSeconds: 10, maxRetries: 0 });
      const request: ChatRequest = {
        messages: [{ role: 'user', content: 'replayed' }],
        ...(c.request.tools.length ? { tools: c.request.tools.map((name) => ({ name, description: name, parameters: { type: 'object' } })) } : {}),
      };
      const r = await collect(endpoint.model(model).stream(request));
      const e = c.expected;
      assertText(r.text, e.answer, 'answer');
      assertText(r.reasoning, e.reasoning, 'reasoning');
      const calls = r.parts.find((p): p is Extract<StreamPart, { type: 'tool_calls' }> => p.type === 'tool_calls')?.calls ?? [];
      assert.deepEqual(calls.map(({ name, arguments: args }) => ({ name, arguments: args })), e.toolCalls, 'tool calls');
      const usage = r.parts.find((p): p is Extract<StreamPart, { type: 'usage' }> => p.type === 'usage')?.usage;
      assert.deepEqual(usage ?? null, e.usage, 'usage (completion includes reasoning)');
      if (e.error) {
        assert.equal(r.error?.kind, e.error.kind, `error kind: ${r.error?.message}`);
        assert.ok(r.error!.message.includes(e.error.messageIncludes), r.error!.message);
        if (r.text || r.reasoning) assert.match(r.error!.message, /partial answer is kept/);
        if (e.usage) assert.deepEqual(r.error!.details.usage, e.usage, 'the error carries the usage too');
      } else {
        assert.equal(r.error, undefined, r.error?.message);
        assert.equal(r.parts.find((p) => p.type === 'finish')?.type === 'finish' ? (r.parts.find((p) => p.type === 'finish') as { reason: string }).reason : undefined, e.finish);
      }
    });
  }
});

test('the corpus: ≥ 20 streams from ≥ 3 sources, covering the wire forms DESIGN §4 names', () => {
  assert.ok(corpus.length >= 20, `${corpus.length} cases`);
  assert.ok(new Set(corpus.map((c) => c.origin.repository)).size >= 3);
  const covered = new Set(corpus.flatMap((c) => c.covers));
  for (const need of [
    'content-parts',
    'usage-excludes-reasoning',
    'reasoning_content',
    'reasoning-field',
    'think-tags-in-content',
    'tool-call-split-across-chunks',
    'tool-call-whole-in-one-chunk',
    'event-error',
  ]) {
    assert.ok(covered.has(need), `covers ${need}`);
  }
});
