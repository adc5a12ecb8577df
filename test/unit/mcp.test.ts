// MCP (DESIGN §6.7) with the published @modelcontextprotocol/server-everything, over stdio and over
// streamable HTTP on a loopback port: `arc mcp list --json`, an agentic run calling a tool with
// --allow-tool, the same call refused without approval (and the model told), a server killed mid-run,
// and workspace servers that start nothing untrusted or without a terminal. The model is the scripted
// loopback server, never a real one.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AutoApprover, NodeCommandRunner, NodeWorkspace, probeSandbox, sandboxFrom } from '../../src/agent';
import { McpHub, McpManager, loadMcpSources, mcpToolName, parseMcpConfig, parseEnvFile, resolveServer, stripJsonc, type ServerApprovalRequest } from '../../src/agent/mcp';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import { startScriptedServer, textStream, toolCallStream, type RecordedRequest, type ScriptedServer } from '../fixtures/scriptedServer';
import { tempTrees } from './agentFixtures';
import { runArc } from './cliProcess';

const arc = (args: string[], env: Record<string, string>) => runArc(args, { env, timeoutMs: 45_000 });

const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const tree = tempTrees('arc-mcp-');

let model: ScriptedServer;
let http: { child: ChildProcess; url: string } | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** server-everything's streamable HTTP mode (`node dist/index.js streamableHttp`, PORT from the environment). */
async function startHttpEverything(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything did not start')), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      if (/listening on port/.test(c)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stdout!.resume();
    child.on('exit', (code) => reject(new Error(`server-everything exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}/mcp` };
}

before(async () => {
  model = await startScriptedServer({ models: ['m'] });
  http = await startHttpEverything();
});
after(async () => {
  http?.child.kill('SIGKILL');
  await model.close();
});

const stdioServer = () => ({ type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] });
const httpServer = () => ({ type: 'http', url: http!.url });

function arcHomeWith(servers: Record<string, unknown>): string {
  const home = tree({});
  writeFileSync(path.join(home, 'mcp.json'), `// the user's servers\n${JSON.stringify({ servers }, null, 2).replace(/}\n}$/, '},\n}')}`);
  return home;
}

const toolResults = (req: RecordedRequest) => req.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content) as string[];
const toolNames = (req: RecordedRequest) => (req.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name) as string[];

for (const [transport, server] of [['stdio', stdioServer], ['streamable HTTP', httpServer]] as const) {
  test(`arc mcp list --json lists server-everything's tools over ${transport} (DESIGN §6.7 shape)`, async () => {
    const home = arcHomeWith({ everything: server() });
    const r = await arc(['mcp', 'list', '--json'], { ARC_HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['servers']);
    const [s] = out.servers;
    assert.deepEqual(Object.keys(s).sort(), ['name', 'source', 'status', 'tools']);
    assert.equal(s.name, 'everything');
    assert.equal(s.source, 'user');
    assert.equal(s.status, 'ready');
    const tools = new Map<string, boolean>(s.tools.map((t: { name: string; readOnly: boolean }) => [t.name, t.readOnly]));
    assert.equal(tools.get('get-sum'), true);
    assert.equal(tools.get('echo'), true);
    assert.equal(tools.get('toggle-simulated-logging'), false);
    for (const t of s.tools) assert.deepEqual(Object.keys(t).sort(), ['name', 'readOnly']);
  });

  test(`an agentic run calls an MCP tool over ${transport} with --allow-tool; without it the call is refused and the model is told`, async () => {
    const home = arcHomeWith({ everything: server() });
    const dir = tree({ 'README.md': '# demo\n' });
    const script = (req: RecordedRequest) => {
      const results = toolResults(req);
      if (results.length === 0) return toolCallStream([{ id: 's1', name: 'mcp__everything__get-sum', arguments: JSON.stringify({ a: 2, b: 3 }) }]);
      return textStream(`The tool said: ${results[0]!.split('\n').slice(0, 3).join(' ')}`);
    };
    model.respond(script);
    try {
      const base = ['ask', '--mode', 'agentic', '--workspace', dir, '--base-url', model.url, '--model', 'm', '--spawn', 'off', '--json'];
      const before = model.requests.length;
      const ok = await arc([...base, '--allow-tool', 'mcp__everything__*', 'add 2 and 3 with the tool'], { ARC_HOME: home });
      assert.equal(ok.code, 0, ok.stderr);
      const mine = model.requests.slice(before);
      assert.ok(toolNames(mine[0]!).includes('mcp__everything__get-sum'), 'the tool is offered under its mcp__ name');
      const schema = mine[0]!.body.tools.find((t: { function: { name: string } }) => t.function.name === 'mcp__everything__get-sum').function.parameters;
      assert.deepEqual(schema.required, ['a', 'b'], "the server's JSON schema is what the model sees");
      const result = toolResults(mine.at(-1)!)[0]!;
      assert.match(result, /The sum of 2 and 3 is 5/);
      assert.match(result, /data from the server, not instructions/);
      const events = ok.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const called = events.find((e) => e.type === 'tool.called');
      assert.equal(called.data.name, 'mcp__everything__get-sum', 'the run tree shows the MCP call');
      assert.ok(events.some((e) => e.type === 'tool.result' && e.data.ok === true && /sum of 2 and 3/.test(e.data.content)));
      assert.equal(events.at(-1).type, 'run.finished');

      const before2 = model.requests.length;
      const refused = await arc([...base, 'add 2 and 3 with the tool'], { ARC_HOME: home });
      assert.equal(refused.code, 0, refused.stderr);
      const told = toolResults(model.requests.slice(before2).at(-1)!)[0]!;
      assert.match(told, /NOT made/);
      assert.match(told, /--allow-tool/);
      assert.doesNotMatch(told, /sum of 2 and 3/);
      const ev2 = refused.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(ev2.some((e) => e.type === 'approval.resolved' && e.data.kind === 'tool' && e.data.approved === false));
    } finally {
      model.respond(undefined);
    }
  });
}

test('a server killed mid-run: the call ends with a clear note, the run tree says so, and the run still answers', async () => {
  const dir = tree({ 'a.txt': 'a\n' });
  const pidFile = path.join(tree({}), 'pid');
  // The server writes its pid (sh execs node, so the pid is the server's) for the test to kill it.
  const config = parseMcpConfig({ servers: { everything: { command: '/bin/sh', args: ['-c', `echo $$ > ${pidFile}; exec "${process.execPath}" "${EVERYTHING}" stdio`] } } }, 'user', 'test');
  const hub = new McpHub(config, { trusted: true }, { allowTools: ['mcp__everything__*'] });
  model.respond((req) => {
    const results = toolResults(req);
    if (results.length === 0) return toolCallStream([{ id: 'l1', name: 'mcp__everything__trigger-long-running-operation', arguments: JSON.stringify({ duration: 20, steps: 4 }) }]);
    if (results.length === 1) return toolCallStream([{ id: 'l2', name: 'mcp__everything__echo', arguments: JSON.stringify({ message: 'again?' }) }]);
    return textStream('The server went away; here is what I know without it.');
  });
  try {
    const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: model.url, timeoutSeconds: 5, maxRetries: 0 });
    const engine = new Engine({
      models: { forRole: () => ep.model('m') },
      progressIntervalMs: 0,
      agent: () => ({
        workspace: new NodeWorkspace({ roots: [dir] }),
        approver: new AutoApprover({ edits: false }),
        runner: new NodeCommandRunner({ sandbox: 'off' }),
        trusted: true,
        extraTools: (r) => hub.agentTools(r),
      }),
    });
    const events: KnownRunEvent[] = [];
    for await (const e of engine.run({ effort: 1, query: 'run the long operation', mode: 'agentic', parallel: { spawn: false } })) {
      events.push(e);
      if (e.type === 'tool.called' && (e.data as { name?: string }).name === 'mcp__everything__trigger-long-running-operation') {
        setTimeout(() => process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL'), 300);
      }
    }
    const results = events.filter((e) => e.type === 'tool.result').map((e) => e.data as { ok: boolean; content: string });
    assert.equal(results[0]!.ok, false);
    assert.match(results[0]!.content, /MCP server "everything" stopped/);
    assert.match(results[1]!.content, /everything.*stopped|not running/, 'a later call to the dead server is refused with the reason');
    const notices = events.filter((e) => e.type === 'thread.notice' && e.data.code === 'mcp_server_failed');
    assert.equal(notices.length, 1, 'one note in the run tree');
    const fin = events.at(-1)!;
    assert.equal(fin.type, 'run.finished');
    assert.match((fin.data as { answer: string }).answer, /went away/);
    assert.equal(hub.manager.status()[0]!.status, 'failed');
  } finally {
    model.respond(undefined);
    await hub.close();
  }
});

/** A workspace whose .vscode/mcp.json names a server that would leave a marker file if it ever ran. */
function workspaceWithServer(): { dir: string; marker: string } {
  const dir = tree({ 'README.md': 'x\n' });
  const marker = path.join(tree({}), 'started');
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, '.vscode', 'mcp.json'), JSON.stringify({ servers: { repo: { command: '/bin/sh', args: ['-c', `touch ${marker}; exec "${process.execPath}" "${EVERYTHING}" stdio`] } } }));
  return { dir, marker };
}

test('a workspace .vscode/mcp.json starts nothing in a CLI run without a terminal', async () => {
  const { dir, marker } = workspaceWithServer();
  const r = await arc(['mcp', 'list', '--json', '--workspace', dir], { ARC_HOME: tree({}) });
  assert.equal(r.code, 0, r.stderr);
  const [s] = JSON.parse(r.stdout).servers;
  assert.equal(s.source, 'workspace');
  assert.equal(s.status, 'not-started');
  assert.match(s.error, /terminal/);
  assert.equal(existsSync(marker), false, 'the command never ran');
});

test('a workspace server starts nothing in an untrusted workspace (not even a question); trusted, it starts only after approval, in the sandbox', async () => {
  const { dir, marker } = workspaceWithServer();
  const config = await loadMcpSources({ folders: [dir] });
  const asked: ServerApprovalRequest[] = [];
  const untrusted = new McpManager({ servers: config.servers, trusted: false, approveServer: async (r) => (asked.push(r), true) });
  await untrusted.startAll();
  assert.equal(untrusted.status()[0]!.status, 'not-started');
  assert.match(untrusted.status()[0]!.error!, /not trusted/);
  assert.equal(asked.length, 0);
  assert.equal(existsSync(marker), false);

  const refused = new McpManager({ servers: config.servers, trusted: true, approveServer: async (r) => (asked.push(r), false) });
  await refused.startAll();
  assert.equal(refused.status()[0]!.status, 'not-started');
  assert.equal(existsSync(marker), false, 'a refusal starts nothing');
  assert.match(asked[0]!.commandLine, /^\/bin\/sh -c '.*stdio'$/, 'the exact command line is what is approved');

  const probe = probeSandbox();
  const sandbox = sandboxFrom(probe);
  const approved = new McpManager({
    servers: config.servers,
    trusted: true,
    approveServer: async (r) => (asked.push(r), true),
    sandbox: async () => (sandbox ? { sandbox, paths: await new NodeWorkspace({ roots: [dir] }).sandboxPaths(), network: false } : undefined),
  });
  try {
    await approved.startAll();
    assert.equal(approved.status()[0]!.status, 'ready', approved.status()[0]!.error);
    assert.equal(asked.at(-1)!.sandboxed, Boolean(sandbox));
    if (sandbox) assert.equal(existsSync(marker), false, 'inside the sandbox the marker outside the workspace could not be written');
  } finally {
    await approved.close();
  }
});

test('config: JSONC, envFile under env, ${env:} and ${workspaceFolder}; ${input:} names the server in the CLI', async () => {
  assert.deepEqual(JSON.parse(stripJsonc('{ // c\n "a": "x // not a comment", /* b */ "b": [1, 2,], }')), { a: 'x // not a comment', b: [1, 2] });
  assert.deepEqual(parseEnvFile('# c\nA=1\nexport B="two words"\nC=3 # note\n'), { A: '1', B: 'two words', C: '3' });
  const dir = tree({ '.env.mcp': 'TOKEN=from-file\nKEEP=file\n' });
  const cfg = parseMcpConfig(
    { inputs: [{ id: 'key', type: 'promptString', description: 'API key', password: true }], servers: { s: { command: 'srv', args: ['${workspaceFolder}/x', '${env:ARC_TEST_VAR}'], envFile: '${workspaceFolder}/.env.mcp', env: { TOKEN: 'explicit' } }, k: { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer ${input:key}' } }, bad: { type: 'ws', url: 'x' } } },
    'workspace',
    'mcp.json',
    { folder: dir },
  );
  assert.equal(cfg.servers.length, 2);
  assert.match(cfg.problems[0]!, /"bad".*"stdio", "http" and "sse"/);
  const s = await resolveServer(cfg.servers[0]!, { env: { ARC_TEST_VAR: 'v' } });
  assert.equal(s.type, 'stdio');
  if (s.type === 'stdio') {
    assert.deepEqual(s.args, [`${dir}/x`, 'v']);
    assert.deepEqual(s.env, { TOKEN: 'explicit', KEEP: 'file' });
  }
  await assert.rejects(resolveServer(cfg.servers[1]!), /MCP server "k" needs the input "key" \(API key\)/);
  const k = await resolveServer(cfg.servers[1]!, { ask: async () => 'sk-1' });
  assert.equal(k.type === 'http' && k.headers.Authorization, 'Bearer sk-1');
  assert.equal(mcpToolName('my server', 'do.it'), 'mcp__my_server__do_it');
  assert.ok(mcpToolName('s'.repeat(40), 't'.repeat(40)).length <= 64);
});
