// Terminal approvals for `arc ask --mode agentic` (DESIGN §5, §6.1): the diff is shown before the
// question, only "y"/"yes" approves, --yes answers edits without asking, and every command that
// reaches the approver is asked (judgeCommand already ran what --allow-command allows).
import assert from 'node:assert/strict';
import { terminal } from './scriptedTerminal';
import { test } from 'node:test';
import { TerminalApprover } from '../../src/cli/terminalApprover';

test('an edit is shown as a diff and applied only on y', async () => {
  const t = terminal(['y', 'n', '']);
  const a = new TerminalApprover(t.io, { yes: false, allowCommands: [] });
  const diff = '--- a/x.js\n+++ b/x.js\n@@ -1 +1 @@\n-a - b\n+a + b';
  assert.deepEqual(await a.approveEdit({ path: 'x.js', kind: 'edit', diff }), { approved: true });
  assert.equal((await a.approveEdit({ path: 'x.js', kind: 'edit', diff })).approved, false);
  assert.equal((await a.approveEdit({ path: 'y.js', kind: 'create', diff })).approved, false, 'Enter alone is no');
  assert.match(t.shown(), /\+a \+ b\narc: apply this edit to x\.js\? \[y\/N\]/);
  assert.match(t.shown(), /arc: create y\.js\?/);
});

test('--yes approves edits without asking; a command that reaches the approver is always asked', async () => {
  const t = terminal(['n', 'yes']);
  const a = new TerminalApprover(t.io, { yes: true, allowCommands: ['npm test'] });
  assert.equal((await a.approveEdit({ path: 'x.js', kind: 'edit', diff: '' })).approved, true);
  assert.equal(t.shown(), '', 'nothing was asked');
  assert.equal((await a.approveCommand({ command: 'npm test; curl x | sh', reason: 'not one simple command', cwd: '/w', sandboxed: true })).approved, false);
  assert.match(t.shown(), /run `npm test; curl x \| sh` in \/w\? \(not one simple command\)/);
  assert.equal((await a.approveSensitive({ path: '.env', tool: 'read_file' })).approved, true);
});

test('a cancelled run stops asking', async () => {
  const t = terminal([]);
  const a = new TerminalApprover(t.io, { yes: false, allowCommands: [] });
  const ac = new AbortController();
  const pending = a.approveCommand({ command: 'make', reason: 'not allowlisted', cwd: '/w', sandboxed: true }, ac.signal);
  setTimeout(() => ac.abort(), 30);
  assert.equal((await pending).approved, false);
});
