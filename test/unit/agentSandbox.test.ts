// The command sandbox (DESIGN §5), for real: bubblewrap on these machines (the test command installs
// it). Each rule is tried as an attack and a variant: writes outside the workspace, hidden files,
// hard links, protected paths, the network, processes that try to outlive their command, ARC's own
// /proc, keys in the environment; and what happens without a sandbox (everything asks; "required"
// refuses with a way to install one).
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { compileCommandPolicy } from '../../src/agent/commandPolicy';
import { NodeCommandRunner } from '../../src/agent/commandRunner';
import { NodeWorkspace } from '../../src/agent/nodeWorkspace';
import { isolationFor, probeSandbox, resetSandboxProbe } from '../../src/agent/sandbox';
import { createAgentTools, createToolContext, executeToolCall, type ToolContext } from '../../src/agent';
import type { Approver, CommandApprovalRequest } from '../../src/agent/approver';
import { processAlive, tempTrees } from './agentFixtures';

const tree = tempTrees('arc-sandbox-');
const probe = probeSandbox();
// The test command installs bubblewrap (scripts/editor/setup.sh); a machine without it must say so, not pass quietly.
const skip = process.platform !== 'linux' ? 'bubblewrap is Linux only' : process.env.ARC_SKIP_SANDBOX_TESTS ? 'ARC_SKIP_SANDBOX_TESTS is set' : false;

test('a sandbox is available on this machine (npm test installs bubblewrap)', { skip }, () => {
  assert.equal(probe.kind, 'bubblewrap', `no sandbox: ${probe.reason}; ${probe.hint}`);
});

function hostile(): { ws: string; outside: string } {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'arc-outside-'));
  tree.track(outside);
  writeFileSync(path.join(outside, 'victim.txt'), 'outside data\n');
  const ws = tree({
    'package.json': JSON.stringify({ name: 'hostile', scripts: { test: `touch ${outside}/from-script; cat .env` } }),
    '.env': 'SECRET=hunter2\n',
    '.envrc': 'export TOKEN=envrc-secret\n',
    'config/prod.env': 'DB=prod-secret\n',
    '.arcignore': 'private/\n',
    'private/notes.txt': 'ignored-secret\n',
    '.git/config': '[remote "origin"]\n\turl = https://user:ghp_token@example.com/r.git\n',
    '.git/hooks/pre-commit': '#!/bin/sh\necho hook\n',
    'src/app.js': 'console.log(1)\n',
  });
  linkSync(path.join(outside, 'victim.txt'), path.join(ws, 'innocent.txt'));
  return { ws, outside };
}

const runner = (extra: ConstructorParameters<typeof NodeCommandRunner>[0] = {}) => new NodeCommandRunner({ killGraceMs: 300, probe, ...extra });

async function inSandbox(ws: string, command: string, extra: ConstructorParameters<typeof NodeCommandRunner>[0] = {}) {
  const workspace = new NodeWorkspace({ roots: [ws] });
  return runner(extra).run({ command, cwd: ws, timeoutMs: 15_000, sandboxPaths: await workspace.sandboxPaths() });
}

describe('commands in the sandbox', { skip }, () => {
  test('writes land only inside the workspace: outside paths are read-only or private', async () => {
    const { ws, outside } = hostile();
    const r = await inSandbox(ws, `echo in > made.txt; echo x > ${outside}/escaped.txt; echo y >> ${outside}/victim.txt; touch ${process.cwd()}/arc-escape-probe; touch $HOME/arc-escape-probe; echo done`);
    assert.equal(r.sandboxed, true);
    assert.match(r.output, /done/);
    assert.equal(readFileSync(path.join(ws, 'made.txt'), 'utf8'), 'in\n');
    assert.equal(existsSync(path.join(outside, 'escaped.txt')), false, 'the private /tmp hides the real one');
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'outside data\n');
    assert.equal(existsSync(path.join(process.cwd(), 'arc-escape-probe')), false);
    assert.equal(existsSync(path.join(os.homedir(), 'arc-escape-probe')), false);
  });

  test('hidden files (secrets, .arcignore, .git/config) and hard links cannot be read or written', async () => {
    const { ws, outside } = hostile();
    const r = await inSandbox(ws, 'cat .env .envrc config/prod.env private/notes.txt .git/config innocent.txt; echo gotcha > innocent.txt; grep -r secret . ; echo end');
    for (const secret of ['hunter2', 'envrc-secret', 'prod-secret', 'ignored-secret', 'ghp_token', 'outside data']) assert.doesNotMatch(r.output, new RegExp(secret), secret);
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'outside data\n', 'no write through a hard link');
    assert.equal(readFileSync(path.join(ws, '.env'), 'utf8'), 'SECRET=hunter2\n');
  });

  test('protected paths are read-only: git hooks and config cannot be planted', async () => {
    const { ws } = hostile();
    const r = await inSandbox(ws, 'echo "touch /tmp/pwned" > .git/hooks/pre-commit; echo "[core] fsmonitor = touch /tmp/p" >> .git/config; mkdir -p .vscode; echo {} > .vscode/tasks.json; cat .git/hooks/pre-commit');
    assert.equal(readFileSync(path.join(ws, '.git/hooks/pre-commit'), 'utf8'), '#!/bin/sh\necho hook\n');
    assert.doesNotMatch(readFileSync(path.join(ws, '.git/config'), 'utf8'), /fsmonitor/);
    assert.match(r.output, /echo hook/, 'readable, not writable');
  });

  test('no network unless arc.agent.commandNetwork, and then there is', async () => {
    const server = createServer((s) => s.end('hello from outside\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const { ws } = hostile();
      const probeNet = `node -e "require('net').connect(${port},'127.0.0.1').on('data',d=>{process.stdout.write(String(d));process.exit(0)}).on('error',e=>{console.log('neterr',e.code);process.exit(3)})"`;
      const off = await inSandbox(ws, probeNet);
      assert.doesNotMatch(off.output, /hello from outside/);
      assert.match(off.output, /neterr/);
      const on = await inSandbox(ws, probeNet, { network: true });
      assert.match(on.output, /hello from outside/);
    } finally {
      server.close();
    }
  });

  test("ARC's own process and its environment are out of sight; keys are not passed", async () => {
    const { ws } = hostile();
    const r = await inSandbox(ws, `ls /proc | grep -cE '^[0-9]+$'; cat /proc/${process.pid}/environ; echo key=\${OPENAI_API_KEY:-none} tok=\${MY_SERVICE_TOKEN:-none}`, {
      env: { ...process.env, OPENAI_API_KEY: 'sk-sandbox-secret', MY_SERVICE_TOKEN: 'tok-secret' },
    });
    assert.match(r.output, /key=none tok=none/);
    assert.doesNotMatch(r.output, /sk-sandbox-secret|tok-secret/);
    const count = Number(r.output.split('\n')[0]);
    assert.ok(count > 0 && count < 10, `only the sandbox's own processes are visible (${count})`);
  });

  test('nothing a command starts outlives it: setsid, nohup and double forks end with it', async () => {
    const { ws } = hostile();
    const tag = `3${Math.floor(Math.random() * 1e6)}`;
    const r = await inSandbox(ws, `setsid -f sleep ${tag}.1; nohup sleep ${tag}.2 >/dev/null 2>&1 & (sleep ${tag}.3 &) ; echo started`);
    assert.match(r.output, /started/);
    await sleep(300);
    assert.deepEqual(sleepers(tag), [], 'no sleep survived');
  });

  test('a timeout ends the whole sandbox', async () => {
    const { ws } = hostile();
    const tag = `4${Math.floor(Math.random() * 1e6)}`;
    const workspace = new NodeWorkspace({ roots: [ws] });
    const start = Date.now();
    const r = await runner().run({ command: `setsid -f sleep ${tag}.1; sleep ${tag}.2`, cwd: ws, timeoutMs: 500, sandboxPaths: await workspace.sandboxPaths() });
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - start < 5000);
    await sleep(300);
    assert.deepEqual(sleepers(tag), []);
  });
});

/** PIDs of `sleep <tag>…` processes still running anywhere on the machine. */
function sleepers(tag: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('sleep') && cmd[1]?.startsWith(tag) && processAlive(Number(pid))) found.push(Number(pid));
    } catch {
      // gone
    }
  }
  return found;
}

describe('unsandboxed commands (arc.agent.sandbox off)', () => {
  test('a setsid child is found by its marker and ended; ARC does not wait on its pipes', async () => {
    const ws = tree({ 'a.txt': 'a' });
    const tag = `5${Math.floor(Math.random() * 1e6)}`;
    const start = Date.now();
    const r = await runner({ sandbox: 'off' }).run({ command: `setsid -f sleep ${tag}.1; (sleep ${tag}.2 &); echo started`, cwd: ws, timeoutMs: 10_000 });
    assert.equal(r.sandboxed, false);
    assert.match(r.output, /started/);
    assert.ok(Date.now() - start < 4000, 'the result does not wait for the strays');
    await sleep(200);
    assert.deepEqual(sleepers(tag), []);
    assert.ok((r.strays ?? 0) >= 1, 'the result says strays were ended');
  });

  test('keys are scrubbed from the environment by name and by convention', async () => {
    const ws = tree({ 'a.txt': 'a' });
    const r = await runner({ sandbox: 'off', env: { ...process.env, OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'sk-2', CUSTOM_VAR: 'kept', MY_KEY_ENV: 'sk-3' }, stripEnv: ['MY_KEY_ENV'] }).run({
      command: 'echo ${OPENAI_API_KEY:-a} ${ANTHROPIC_API_KEY:-b} ${MY_KEY_ENV:-c} ${CUSTOM_VAR:-d}',
      cwd: ws,
      timeoutMs: 10_000,
    });
    assert.match(r.output, /^a b c kept/);
  });
});

describe('without a sandbox', () => {
  const approveAll = (asked: CommandApprovalRequest[]): Approver => ({
    approveEdit: async () => true,
    approveSensitive: async () => false,
    approveCommand: async (r) => (asked.push(r), { approved: false, reason: 'declined in the test' }),
  });
  function ctx(ws: string, r: NodeCommandRunner, approver: Approver, allowed: string[] = []): ToolContext {
    return createToolContext({
      workspace: new NodeWorkspace({ roots: [ws] }),
      approver,
      runner: r,
      policy: compileCommandPolicy({ allowedCommands: allowed }),
      signal: new AbortController().signal,
    });
  }
  const call = (command: string) => ({ id: 'c', name: 'run_command', arguments: JSON.stringify({ command, timeoutSeconds: null }) });
  const noBwrap = { reason: 'bubblewrap (bwrap) is not installed', hint: 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap)' };

  test('a probe of a missing bwrap says so and how to install it', () => {
    resetSandboxProbe();
    const p = probeSandbox({ bwrapPath: path.join(os.tmpdir(), 'no-such-dir', 'bwrap') });
    assert.equal(p.kind, undefined);
    assert.match(p.reason!, /not installed/);
    assert.match(p.hint!, /apt-get install bubblewrap/);
    resetSandboxProbe();
  });

  test('"required" refuses to run commands, naming how to install bubblewrap', async () => {
    const ws = tree({ 'a.txt': 'a' });
    const r = runner({ sandbox: 'required', probe: noBwrap });
    assert.equal(r.isolation.kind, 'refused');
    const asked: CommandApprovalRequest[] = [];
    const o = await executeToolCall(call('ls'), createAgentTools({ trusted: true }), ctx(ws, r, approveAll(asked)));
    assert.equal(o.ok, false);
    assert.match(o.content, /arc\.agent\.sandbox is "required".*not installed.*apt-get install bubblewrap/);
    assert.deepEqual(asked, [], 'nobody is asked: it cannot run');
    const direct = await r.run({ command: 'touch ran', cwd: ws, timeoutMs: 5000 });
    assert.match(direct.output, /not run/);
    assert.equal(existsSync(path.join(ws, 'ran')), false);
  });

  test('"auto" without a sandbox: an allowlisted command still asks, and the prompt says it runs unsandboxed', async () => {
    const ws = tree({ 'a.txt': 'a' });
    for (const r of [runner({ sandbox: 'auto', probe: noBwrap }), runner({ sandbox: 'off' })]) {
      const asked: CommandApprovalRequest[] = [];
      const c = ctx(ws, r, approveAll(asked), ['^ls']);
      const o = await executeToolCall(call('ls'), createAgentTools({ trusted: true }), c);
      assert.match(o.content, /NOT run: declined in the test/);
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.sandboxed, false);
      assert.match(asked[0]!.reason, /no sandbox/);
    }
  });

  test('isolation descriptions say where commands run', () => {
    assert.match(isolationFor('auto', { kind: 'bubblewrap', program: '/usr/bin/bwrap' }, false).description, /sandboxed with bubblewrap \(no network/);
    assert.match(isolationFor('auto', noBwrap, false).description, /not sandboxed: bubblewrap .* not installed/);
    assert.equal(isolationFor('off', { kind: 'bubblewrap', program: '/usr/bin/bwrap' }, false).kind, 'none');
  });
});

test('the masked set of a workspace: hidden entries, hard links and .git/config; protected paths read-only', async () => {
  const { ws } = hostile();
  mkdirSync(path.join(ws, 'node_modules/x'), { recursive: true });
  writeFileSync(path.join(ws, 'node_modules/x/.env'), 'not walked');
  const p = await new NodeWorkspace({ roots: [ws] }).sandboxPaths();
  const rel = (xs: string[]) => xs.map((x) => path.relative(ws, x)).sort();
  assert.deepEqual(rel(p.masked), ['.env', '.envrc', '.git/config', 'config/prod.env', 'innocent.txt', 'private']);
  assert.deepEqual(rel(p.readOnly), ['.arcignore', '.git/hooks']);
  assert.deepEqual(p.writable, [ws]);
});

describe('the mask list between commands (walked again only when a folder changed)', { skip }, () => {
  // Past the cache's racy window, so that the first walk is kept.
  const settle = () => sleep(120);

  test('an unchanged workspace is not walked again; a secret that appears later is masked at once', async () => {
    const { ws } = hostile();
    mkdirSync(path.join(ws, 'deep/er'), { recursive: true });
    writeFileSync(path.join(ws, 'deep/er/code.js'), 'x\n');
    await settle();
    const workspace = new NodeWorkspace({ roots: [ws] });
    const run = async (command: string) => runner().run({ command, cwd: ws, timeoutMs: 15_000, sandboxPaths: await workspace.sandboxPaths() });
    assert.match((await run('ls deep/er')).output, /code\.js/);
    assert.equal(workspace.hiddenEntries.walkCount, 1);
    await run('cat deep/er/code.js');
    assert.equal(workspace.hiddenEntries.walkCount, 1, 'nothing changed: no second walk');
    // Something outside the agent (a git checkout, the user) adds a secret deep in the tree.
    writeFileSync(path.join(ws, 'deep/er/.env'), 'TOKEN=planted-later\n');
    const r = await run('cat deep/er/.env; echo end');
    assert.doesNotMatch(r.output, /planted-later/);
    assert.equal(workspace.hiddenEntries.walkCount, 2);
  });

  test('variant: the folder\'s mtime set back after adding the secret, and a new hard link to a file outside', async () => {
    const { ws, outside } = hostile();
    mkdirSync(path.join(ws, 'a/b'), { recursive: true });
    mkdirSync(path.join(ws, 'c'), { recursive: true });
    await settle();
    const workspace = new NodeWorkspace({ roots: [ws] });
    const paths = () => workspace.sandboxPaths();
    await paths();
    const dir = path.join(ws, 'a/b');
    const before = statSync(dir, { bigint: true }).mtimeNs;
    writeFileSync(path.join(dir, 'id_rsa'), 'PRIVATE KEY planted\n');
    const ns = String(before % 1_000_000_000n).padStart(9, '0');
    execFileSync('touch', ['-m', '-d', `@${before / 1_000_000_000n}.${ns}`, dir]);
    assert.equal(statSync(dir, { bigint: true }).mtimeNs, before, 'the mtime really is back');
    const r1 = await runner().run({ command: 'cat a/b/id_rsa; echo end', cwd: ws, timeoutMs: 15_000, sandboxPaths: await paths() });
    assert.doesNotMatch(r1.output, /planted/);
    await settle();
    linkSync(path.join(outside, 'victim.txt'), path.join(ws, 'c/looks-fine.txt'));
    const r2 = await runner().run({ command: 'cat c/looks-fine.txt; echo end', cwd: ws, timeoutMs: 15_000, sandboxPaths: await paths() });
    assert.doesNotMatch(r2.output, /outside data/);
    const masked = (await paths()).masked.map((x) => path.relative(ws, x));
    assert.ok(masked.includes('a/b/id_rsa') && masked.includes('c/looks-fine.txt'), masked.join(', '));
  });
});

after(() => rmSync(path.join(os.tmpdir(), 'no-such-dir'), { recursive: true, force: true }));
