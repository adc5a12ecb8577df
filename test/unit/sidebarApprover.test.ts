// Approvals in the sidebar (src/vscode/sidebar/approver.ts), in plain Node: while the sidebar is
// visible, questions go there; otherwise to the editor's approver; auto-approved edits never ask.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Approver } from '../../src/agent/approver';
import type { ApprovalView } from '../../src/protocol/messages';
import { SidebarApprover, type ApprovalSink } from '../../src/vscode/sidebar/approver';

function setup(opts: { visible: boolean; autoApproveEdits?: boolean; allowedCommands?: string[]; answer?: boolean }) {
  const asked: Array<Omit<ApprovalView, 'id'>> = [];
  const fallbackCalls: string[] = [];
  const sink: ApprovalSink = {
    visible: opts.visible,
    request: async (view) => {
      asked.push(view);
      return { approved: opts.answer ?? true, reason: 'from the sidebar' };
    },
  };
  const fallback: Approver = {
    approveEdit: async () => (fallbackCalls.push('edit'), { approved: false, reason: 'modal' }),
    approveCommand: async () => (fallbackCalls.push('command'), { approved: false, reason: 'modal' }),
    approveSensitive: async () => (fallbackCalls.push('sensitive'), false),
    approveSpend: async () => (fallbackCalls.push('spend'), false),
  };
  const approver = new SidebarApprover(() => sink, fallback, { autoApproveEdits: opts.autoApproveEdits ?? false, allowedCommands: opts.allowedCommands ?? [] });
  return { approver, asked, fallbackCalls };
}

test('a visible sidebar gets edits (with their diff), commands, hidden files and the spend cap', async () => {
  const { approver, asked, fallbackCalls } = setup({ visible: true });
  assert.deepEqual(await approver.approveEdit({ path: 'a.ts', kind: 'edit', diff: '-x\n+y' }), { approved: true, reason: 'from the sidebar' });
  await approver.approveEdit({ path: 'b.ts', kind: 'create', diff: '+new' });
  await approver.approveCommand({ command: 'npm test', reason: 'no allowlist match', cwd: '/w', sandboxed: true });
  await approver.approveSensitive({ path: '.env', tool: 'read_file' });
  await approver.approveSpend!({ spent: 0.6, limit: 0.5, unit: 'USD' });
  assert.deepEqual(asked.map((a) => a.kind), ['edit', 'create', 'command', 'sensitive', 'spend']);
  assert.equal(asked[0]!.diff, '-x\n+y');
  assert.equal(asked[2]!.command, 'npm test');
  assert.deepEqual(fallbackCalls, []);
});

test('a hidden sidebar leaves every question to the editor\'s approver', async () => {
  const { approver, asked, fallbackCalls } = setup({ visible: false });
  assert.equal((await approver.approveEdit({ path: 'a.ts', kind: 'edit', diff: '' }) as { approved: boolean }).approved, false);
  await approver.approveCommand({ command: 'ls', reason: 'r', cwd: '/w', sandboxed: true });
  await approver.approveSensitive({ path: '.env', tool: 'read_file' });
  await approver.approveSpend!({ spent: 1, limit: 1, unit: 'USD' });
  assert.deepEqual(asked, []);
  assert.deepEqual(fallbackCalls, ['edit', 'command', 'sensitive', 'spend']);
});

test('auto-approved edits never ask; a command that reaches the approver is always asked', async () => {
  const auto = setup({ visible: true, autoApproveEdits: true, allowedCommands: ['npm test'], answer: false });
  assert.equal((await auto.approver.approveEdit({ path: 'a.ts', kind: 'edit', diff: '' }) as { approved: boolean }).approved, true);
  assert.deepEqual(auto.asked, [], 'nothing was asked');
  // judgeCommand already ran what the allowlist allows; whatever comes here is asked, and "Deny" is returned.
  assert.equal((await auto.approver.approveCommand({ command: 'npm test; rm x', reason: 'not one simple command', cwd: '/w', sandboxed: true }) as { approved: boolean }).approved, false);
  assert.equal(auto.asked.length, 1);
});
