// Agentic mode through the engine and the CLI (DESIGN §3.1, §5, §6.1): the tool loop on a temp-dir
// workspace, events, spawn_threads among the tools, budgets, non-interactive approvals and undo.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AutoApprover, NodeCommandRunner, NodeWorkspace } from '../../src/agent';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { parseRunEvent, type KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import { startScriptedServer, textStream, toolCallStream, type RecordedRequest, type ScriptedServer } from '../fixtures/scriptedServer';
import { runArc } from './cliProcess';

const arc = (args: string[], env: Record<string, string>) => runArc(args, { env });

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());


function tempWorkspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-agent-ws-'));
  writeFileSync(path.join(dir, 'math.js'), 'exports.add = (a, b) => a - b;\n');
  writeFileSync(path.join(dir, 'test.js'), "const { add } = require('./math');\nif (add(2, 3) !== 5) { console.error('FAIL add'); process.exit(1); }\nconsole.log('ok');\n");
  writeFileSync(path.join(dir, '.env'), 'SECRET=hunter2\n');
  return dir;
}

const tools = (req: RecordedRequest) => (req.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name);
const toolResults = (req: RecordedRequest) => req.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content) as string[];

/** A scripted stand-in for a model that fixes the bug: read, edit, run the tests, answer. */
function fixerScript() {
  return (req: RecordedRequest) => {
    if (String(req.body.messages[0].content).includes('parallel threads')) return textStream('child says: subtraction bug', { usage: { prompt_tokens: 5, completion_tokens: 4 } });
    const n = toolResults(req).length;
    if (n === 0) return toolCallStream([{ id: 'r1', name: 'read_file', arguments: JSON.stringify({ path: 'math.js', startLine: null, endLine: null }) }]);
    if (n === 1) return toolCallStream([{ id: 's1', name: 'spawn_threads', arguments: JSON.stringify({ threads: [{ goal: 'What is wrong with a - b for add?', context: null }] }) }]);
    if (n === 2) return toolCallStream([{ id: 'e1', name: 'edit_file', arguments: JSON.stringify({ path: 'math.js', edits: [{ search: 'a - b', replace: 'a + b' }] }) }]);
    if (n === 3) return toolCallStream([{ id: 'c1', name: 'run_command', arguments: JSON.stringify({ command: 'node test.js', timeoutSeconds: null }) }]);
    return textStream('Fixed add: it subtracted. The tests pass.', { usage: { prompt_tokens: 50, completion_tokens: 9 } });
  };
}

test('agentic run through the engine: read, spawn, edit (approved), run tests, answer; events for every tool', async () => {
  const dir = tempWorkspace();
  server.respond(fixerScript());
  try {
    const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
    const engine = new Engine({
      models: { forRole: () => ep.model('m') },
      progressIntervalMs: 0,
      agent: () => ({
        workspace: new NodeWorkspace({ roots: [dir] }),
        approver: new AutoApprover({ edits: true, commandRegexes: ['node test\\.js$'] }),
        runner: new NodeCommandRunner(),
        trusted: true,
        commandPolicy: { allowedCommands: ['node test\\.js$'] },
      }),
    });
    const events: KnownRunEvent[] = [];
    for await (const e of engine.run({ effort: 1, query: 'Fix the failing test in this repo', mode: 'agentic' })) events.push(e);
    for (const e of events) assert.ok(parseRunEvent(JSON.parse(JSON.stringify(e))).ok, e.type);
    const fin = events.at(-1)!;
    assert.equal(fin.type, 'run.finished', JSON.stringify(fin.data));
    if (fin.type !== 'run.finished') return;
    assert.match(fin.data.answer, /Fixed add/);
    assert.match(fin.data.answer, /math\.js/, 'the answer ends with what changed');
    assert.equal(readFileSync(path.join(dir, 'math.js'), 'utf8'), 'exports.add = (a, b) => a + b;\n');
    const called = events.filter((e) => e.type === 'tool.called').map((e) => (e.data as { name?: string }).name);
    assert.deepEqual(called, ['read_file', 'spawn_threads', 'edit_file', 'run_command']);
    assert.ok(events.some((e) => e.type === 'thread.started' && e.parentId === 'root'), 'spawn_threads ran a child thread');
    const budget = events.find((e) => e.type === 'run.budget');
    assert.ok(budget && budget.type === 'run.budget' && budget.data.total > 0);
    const first = server.requests.find((r) => tools(r).length > 0)!;
    assert.ok(tools(first).includes('spawn_threads') && tools(first).includes('edit_file'));
    const commandResult = toolResults(server.requests.at(-1)!)[3]!;
    assert.match(commandResult, /ok/);
  } finally {
    server.respond(undefined);
  }
});

test('without a workspace, agentic mode runs as reasoning and says so', async () => {
  server.enqueue(textStream('reasoned instead'));
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const engine = new Engine({ models: { forRole: () => ep.model('m') }, progressIntervalMs: 0 });
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run({ effort: 1, query: 'Refactor the project', mode: 'agentic', parallel: { spawn: false }, scale: 'off' })) events.push(e);
  assert.ok(events.some((e) => e.type === 'thread.notice' && e.data.code === 'mode_unavailable' && /--workspace/.test(e.data.message)));
  assert.equal(events.at(-1)!.type, 'run.finished');
});

test('arc ask --mode agentic --workspace: non-interactive without --yes applies nothing and says so; --yes applies; arc undo restores', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-agent-home-'));
  const dir = tempWorkspace();
  const original = readFileSync(path.join(dir, 'math.js'));
  server.respond(fixerScript());
  try {
    const base = ['ask', '--mode', 'agentic', '--workspace', dir, '--base-url', server.url, '--model', 'm'];
    const dry = await arc([...base, 'fix the test'], { ARC_HOME: home });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /not interactive: agent edits will not be applied/);
    assert.match(dry.stdout, /Not applied: edit to math\.js \(non-interactive run without --yes: edit not applied\)/);
    assert.deepEqual(readFileSync(path.join(dir, 'math.js')), original);
    const ran = toolResults(server.requests.at(-1)!);
    assert.match(ran[2]!, /not applied/i, 'the model was told the edit was not applied');
    assert.match(ran[3]!, /approv|not run|refused/i, 'the command did not run without --allow-command');

    const real = await arc([...base, '--yes', '--allow-command', 'node test\\.js$', 'fix the test'], { ARC_HOME: home });
    assert.equal(real.code, 0, real.stderr);
    assert.equal(readFileSync(path.join(dir, 'math.js'), 'utf8'), 'exports.add = (a, b) => a + b;\n');
    assert.match(toolResults(server.requests.at(-1)!)[3]!, /ok/);

    const undo = await arc(['undo', '--workspace', dir], { ARC_HOME: home });
    assert.equal(undo.code, 0, undo.stderr);
    assert.deepEqual(readFileSync(path.join(dir, 'math.js')), original, 'byte for byte');
    const again = await arc(['undo', '--workspace', dir], { ARC_HOME: home });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /nothing to undo/);

    const missing = await arc([...base.slice(0, 3), '--workspace', path.join(dir, 'nope'), '--base-url', server.url, '--model', 'm', 'q'], { ARC_HOME: home });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /is not a folder/);
    assert.ok(existsSync(path.join(dir, '.env')));
  } finally {
    server.respond(undefined);
  }
});
