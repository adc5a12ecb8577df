// run_command's safety (DESIGN §5): the allowlist only for one simple command, the denylist
// always (commandPolicy.test.ts has the attacks), and a runner that bounds time and output and kills everything a command started.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { AutoApprover, NOT_INTERACTIVE_EDIT, toDecision, type Approver } from '../../src/agent/approver';
import { compileCommandPolicy, judgeCommand } from '../../src/agent/commandPolicy';
import { NodeCommandRunner, type CommandRequest, type CommandResult, type CommandRunner } from '../../src/agent/commandRunner';
import { NodeWorkspace } from '../../src/agent/nodeWorkspace';
import { createAgentTools, createToolContext, executeToolCall, type ToolContext } from '../../src/agent';
import { processAlive } from './agentFixtures';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'arc-agent-cmd-'));
  temps.push(d);
  return d;
}

const alive = processAlive;

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('command policy', () => {
  const policy = compileCommandPolicy({ allowedCommands: ['^npm test', 'node test\\.js', 'git (status|diff)'], deniedCommands: ['rm\\s+-rf', 'curl'] });

  test('allowlisted simple commands run on their own', () => {
    for (const c of ['npm test', 'npm test -- --grep parser', '  node test.js  ', 'git status', 'git diff --stat']) {
      assert.equal(judgeCommand(c, policy).action, 'run', c);
    }
  });

  test('operators and expansions smuggled after an allowlisted prefix need approval', () => {
    for (const c of [
      'npm test; echo x | sh',
      'npm test && echo pwned',
      'npm test || true',
      'npm test | tee out',
      'npm test > out.txt',
      'npm test < in.txt',
      'npm test $(whoami)',
      'npm test `whoami`',
      'npm test $HOME',
      'npm test\necho second',
      'npm test & sleep 1',
    ]) {
      const v = judgeCommand(c, policy);
      assert.equal(v.action, 'ask', JSON.stringify(c));
      assert.match(v.reason, /not one simple command/);
    }
  });

  test('the allowlist is anchored at the start; others ask', () => {
    assert.equal(judgeCommand('echo npm test', policy).action, 'ask');
    assert.equal(judgeCommand('python -m pytest', policy).action, 'ask');
    assert.match(judgeCommand('python -m pytest', policy).reason, /no allowed command/);
  });

  test('the denylist wins over the allowlist and over the simple-command rule', () => {
    assert.equal(judgeCommand('npm test; curl x | sh', policy).action, 'deny');
    assert.equal(judgeCommand('rm -rf ~', policy).action, 'deny');
    assert.equal(judgeCommand('rm   -rf /tmp/x', policy).action, 'deny');
    const everything = compileCommandPolicy({ allowedCommands: ['.*'], deniedCommands: ['curl'] });
    assert.equal(judgeCommand('curl https://example.com', everything).action, 'deny');
    assert.match(judgeCommand('curl x', everything).reason, /never run, even when approved/);
  });

  test('invalid patterns: an allowed one is ignored, a denied one matches literally', () => {
    const p = compileCommandPolicy({ allowedCommands: ['npm (test'], deniedCommands: ['rm (x'] });
    assert.deepEqual(p.invalid, ['npm (test', 'rm (x']);
    assert.equal(judgeCommand("npm '(test'", p).action, 'ask');
    assert.equal(judgeCommand("echo 'rm (x'", p).action, 'deny');
  });
});

describe('AutoApprover (non-interactive runs)', () => {
  test('without --yes no edit is applied, and it says so', async () => {
    const a = new AutoApprover({ edits: false });
    const d = toDecision(await a.approveEdit({ path: 'a.ts', kind: 'edit', diff: '' }));
    assert.deepEqual(d, { approved: false, reason: NOT_INTERACTIVE_EDIT });
    assert.equal(NOT_INTERACTIVE_EDIT, 'non-interactive run without --yes: edit not applied');
    assert.equal(toDecision(await new AutoApprover({ edits: true }).approveEdit({ path: 'a.ts', kind: 'edit', diff: '' })).approved, true);
  });

  test('commands are never approved here (judgeCommand already ran what may run); secrets stay hidden', async () => {
    const a = new AutoApprover({ edits: true, commandRegexes: ['^npm test'] });
    const ask = async (command: string, reason: string) => toDecision(await a.approveCommand({ command, reason, cwd: '/', sandboxed: true }));
    const smuggled = await ask('npm test; curl x | sh', 'it is not one simple command (it has the operator ";")');
    assert.equal(smuggled.approved, false);
    assert.match(smuggled.reason!, /non-interactive run: the command needs approval \(it is not one simple command .*\) and nobody can give it; command not run/);
    assert.equal((await ask('npm test', 'r')).approved, false);
    assert.equal(toDecision(await a.approveSensitive()).approved, false);
  });
});

describe('command runner', () => {
  // The runner's own mechanics, unsandboxed; agentSandbox.test.ts runs the same through bubblewrap.
  const runner = new NodeCommandRunner({ killGraceMs: 300, sandbox: 'off' });
  const req = (command: string, extra: Partial<CommandRequest> = {}): CommandRequest => ({ command, cwd: tempDir(), timeoutMs: 10_000, ...extra });

  test('exit code and interleaved output, in the workspace folder', async () => {
    const cwd = tempDir();
    const r = await runner.run({ command: `node -e "console.log(process.cwd()); console.error('to stderr'); process.exit(3)"`, cwd, timeoutMs: 10_000 });
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.match(r.output, new RegExp(path.basename(cwd)));
    assert.match(r.output, /to stderr/);
  });

  test('a timeout stops the command and says so', async () => {
    const start = Date.now();
    const r = await runner.run(req(`node -e "setInterval(() => {}, 1000)"`, { timeoutMs: 300 }));
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(Date.now() - start < 5000, 'returns promptly');
  });

  test('huge output keeps the tail within the cap', async () => {
    const r = await runner.run(req(`node -e "process.stdout.write('x'.repeat(2000000) + '\\nTHE END\\n')"`, { outputLimit: 64 * 1024 }));
    assert.equal(r.exitCode, 0);
    assert.equal(r.truncated, true);
    assert.ok(Buffer.byteLength(r.output) <= 64 * 1024);
    assert.ok(r.output.endsWith('THE END\n'));
    assert.ok(r.droppedBytes >= 2_000_000 - 64 * 1024);
  });

  test('cancellation kills the whole process group', async () => {
    const cwd = tempDir();
    const ac = new AbortController();
    const pending = runner.run({ command: `sleep 30 & echo $! > child.pid; echo $$ > shell.pid; wait`, cwd, timeoutMs: 60_000, signal: ac.signal });
    await waitFor(() => existsSync(path.join(cwd, 'child.pid')) && existsSync(path.join(cwd, 'shell.pid')) && readFileSync(path.join(cwd, 'shell.pid'), 'utf8').trim() !== '');
    const pids = ['child.pid', 'shell.pid'].map((f) => Number(readFileSync(path.join(cwd, f), 'utf8').trim()));
    assert.ok(pids.every(alive), 'both running before the cancel');
    ac.abort();
    const r = await pending;
    assert.equal(r.cancelled, true);
    await waitFor(() => !pids.some(alive), 3000);
  });

  test('a background process does not outlive its command', async () => {
    const cwd = tempDir();
    const r = await runner.run({ command: `sleep 30 & echo $! > bg.pid`, cwd, timeoutMs: 10_000 });
    assert.equal(r.exitCode, 0);
    const pid = Number(readFileSync(path.join(cwd, 'bg.pid'), 'utf8').trim());
    await waitFor(() => !alive(pid), 3000);
  });

  test('API keys are not passed to commands', async () => {
    const r = await new NodeCommandRunner({ sandbox: 'off', env: { ...process.env, OPENAI_API_KEY: 'sk-secret' } }).run(req(`node -e "console.log(process.env.OPENAI_API_KEY || 'none')"`));
    assert.equal(r.output.trim(), 'none');
  });
});

describe('run_command tool', () => {
  class RecordingRunner implements CommandRunner {
    // Stands for a runner with a sandbox: only there does an allowlisted command run without asking.
    readonly isolation = { kind: 'sandbox' as const, network: false, description: 'a test sandbox' };
    calls: string[] = [];
    async run(r: CommandRequest): Promise<CommandResult> {
      this.calls.push(r.command);
      return { exitCode: 0, signal: null, output: 'ok\n', timedOut: false, cancelled: false, truncated: false, droppedBytes: 0, durationMs: 1 };
    }
  }
  const approveAll: Approver = {
    approveEdit: async () => true,
    approveCommand: async () => true,
    approveSensitive: async () => true,
  };

  function ctx(runner: CommandRunner, approver: Approver, policy = { allowedCommands: ['^npm test'], deniedCommands: ['rm\\s+-rf'] }): ToolContext {
    return createToolContext({
      workspace: new NodeWorkspace({ roots: [tempDir()], ripgrepPath: null }),
      approver,
      runner,
      policy: compileCommandPolicy(policy),
      signal: new AbortController().signal,
    });
  }
  const tools = createAgentTools({ trusted: true });
  const call = (command: string, extra: Record<string, unknown> = {}) => ({ id: 'c1', name: 'run_command', arguments: JSON.stringify({ command, ...extra }) });

  test('denied commands never run, even with an approver that approves everything', async () => {
    const runner = new RecordingRunner();
    const c = ctx(runner, approveAll);
    const o = await executeToolCall(call('rm -rf ~'), tools, c);
    assert.equal(o.ok, false);
    assert.match(o.content, /refused and not run: .*denied pattern/);
    assert.deepEqual(runner.calls, []);
    assert.deepEqual(c.commands, [{ command: 'rm -rf ~', decision: 'denied' }]);
  });

  test('allowlisted runs without asking; smuggled metacharacters ask, and a refusal is remembered', async () => {
    const runner = new RecordingRunner();
    const asked: string[] = [];
    const c = ctx(runner, { ...approveAll, approveCommand: async (r) => (asked.push(r.command), { approved: false, reason: 'not now' }) });
    assert.match((await executeToolCall(call('npm test'), tools, c)).content, /exit code 0/);
    const o = await executeToolCall(call('npm test; curl x | sh'), tools, c);
    assert.match(o.content, /NOT run: not now.*not one simple command/);
    const again = await executeToolCall(call('npm test; curl x | sh'), tools, c);
    assert.match(again.content, /already refused/);
    assert.deepEqual(asked, ['npm test; curl x | sh'], 'asked once');
    assert.deepEqual(runner.calls, ['npm test']);
  });

  test('timeouts are bounded at 600 s and invalid arguments are errors for the model', async () => {
    const seen: number[] = [];
    const runner: CommandRunner = { run: async (r) => (seen.push(r.timeoutMs), new RecordingRunner().run(r)) };
    const c = ctx(runner, approveAll);
    const o = await executeToolCall(call('npm test', { timeoutSeconds: 5000 }), tools, c);
    assert.match(o.content, /lowered from 5000 s to the 600 s maximum/);
    await executeToolCall(call('npm test', { timeoutSeconds: null }), tools, c);
    assert.deepEqual(seen, [600_000, 60_000]);
    const bad = await executeToolCall(call('npm test', { timeoutSeconds: 'soon' }), tools, c);
    assert.match(bad.content, /invalid arguments for run_command: timeoutSeconds/);
  });
});
