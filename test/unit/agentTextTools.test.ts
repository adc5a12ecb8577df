// Agentic mode on models that write their tool calls as text (DESIGN §4): through the Engine and
// the real provider against the scripted loopback server, a read-then-edit task completes when the
// model writes Hermes `<tool_call>` text, and when the server rejects `tools` with a 400.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { AutoApprover, NodeCommandRunner, NodeWorkspace } from '../../src/agent';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import { startScriptedServer, textStream, type RecordedRequest, type Script, type ScriptedServer } from '../fixtures/scriptedServer';
import { tempTrees } from './agentFixtures';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());
afterEach(() => {
  server.respond(undefined);
  server.requests.length = 0;
});
const tree = tempTrees('arc-text-tools-');

type Msg = { role: string; content: string | null };
/** How many tool results the model has seen: native `tool` messages, or `<tool_response>` blocks in the prompt form. */
function resultsSeen(req: RecordedRequest): number {
  const msgs = req.body.messages as Msg[];
  return msgs.filter((m) => m.role === 'tool').length + msgs.reduce((n, m) => n + (m.role === 'user' ? (m.content ?? '').split('<tool_response>').length - 1 : 0), 0);
}

/** A model that knows only the Hermes form: read the file, fix it, answer. */
function hermesModel(opts: { rejectTools: boolean }) {
  return (req: RecordedRequest): Script => {
    if (opts.rejectTools && req.body.tools) {
      return { kind: 'error', status: 400, message: 'registry.ollama.ai/library/hermes3:8b does not support tools' };
    }
    const usage = { prompt_tokens: 40, completion_tokens: 12 };
    switch (resultsSeen(req)) {
      case 0:
        return textStream('I will read the file first.\n\n<tool_call>\n{"name": "read_file", "arguments": {"path": "math.js"}}\n</tool_call>', { pieces: 11, usage });
      case 1:
        return textStream('<tool_call>\n{"name": "edit_file", "arguments": {"path": "math.js", "edits": [{"search": "a - b", "replace": "a + b"}]}}\n</tool_call>', { pieces: 13, usage });
      default:
        return textStream('Fixed `add` in math.js: it subtracted.', { usage });
    }
  };
}

async function agenticRun(dir: string): Promise<KnownRunEvent[]> {
  const ep = new OpenAIEndpoint({ id: 'local', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const engine = new Engine({
    models: { forRole: () => ep.model('hermes') },
    progressIntervalMs: 0,
    agent: () => ({
      workspace: new NodeWorkspace({ roots: [dir] }),
      approver: new AutoApprover({ edits: true }),
      runner: new NodeCommandRunner({ sandbox: 'off' }),
      trusted: true,
    }),
  });
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run({ query: 'Fix add in math.js', mode: 'agentic', effort: 1, parallel: { spawn: false }, scale: 'off' })) events.push(e);
  return events;
}

function assertFixed(dir: string, events: KnownRunEvent[]): void {
  const fin = events.at(-1)!;
  assert.equal(fin.type, 'run.finished', JSON.stringify(fin.data));
  if (fin.type !== 'run.finished') return;
  assert.match(fin.data.answer, /Fixed `add` in math\.js/);
  assert.doesNotMatch(fin.data.answer, /tool_call/, 'no tool-call text reached the answer');
  assert.equal(readFileSync(path.join(dir, 'math.js'), 'utf8'), 'exports.add = (a, b) => a + b;\n');
  const called = events.filter((e) => e.type === 'tool.called').map((e) => (e.data as { name?: string }).name);
  assert.deepEqual(called, ['read_file', 'edit_file']);
  const deltas = events.filter((e) => e.type === 'thread.delta').map((e) => String((e.data as { text?: string }).text ?? '')).join('');
  assert.doesNotMatch(deltas, /<tool_call>|"arguments"/, 'nothing of a call was streamed as answer text');
}

test('a model that writes Hermes <tool_call> text completes a read-then-edit task', async () => {
  const dir = tree({ 'math.js': 'exports.add = (a, b) => a - b;\n' });
  server.respond(hermesModel({ rejectTools: false }));
  const events = await agenticRun(dir);
  assertFixed(dir, events);
  assert.ok(events.some((e) => e.type === 'thread.notice' && e.data.code === 'tool_calls_in_text'));
  // The server took native tools, so the results went back as native tool messages.
  const last = server.requests.at(-1)!.body;
  assert.ok(last.tools.length > 0);
  assert.match((last.messages as Msg[]).find((m) => m.role === 'tool')!.content!, /exports\.add = \(a, b\) => a - b/);
});

test('a server that rejects `tools` with a 400: tools in the prompt, the task still completes', async () => {
  const dir = tree({ 'math.js': 'exports.add = (a, b) => a - b;\n' });
  server.respond(hermesModel({ rejectTools: true }));
  const events = await agenticRun(dir);
  assertFixed(dir, events);
  assert.ok(events.some((e) => e.type === 'thread.notice' && e.data.code === 'param_dropped' && /"tools"/.test(e.data.message)));
  const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(chats.filter((r) => r.body.tools).length, 1, 'tools were sent once, then never again');
  const last = chats.at(-1)!.body;
  const msgs = last.messages as Msg[];
  assert.match(msgs[0]!.content!, /<tools>[\s\S]*"name":"edit_file"/);
  assert.ok(!msgs.some((m) => m.role === 'tool'), 'no tool-role messages to a server without tools');
  assert.ok(msgs.some((m) => m.role === 'user' && /<tool_response>\nmath\.js \(lines 1-1 of 1\)/.test(m.content ?? '')));
  assert.ok(msgs.some((m) => m.role === 'assistant' && /^I will read the file first\.\n<tool_call>\n\{"name":"read_file"/.test(m.content ?? '')));
});
