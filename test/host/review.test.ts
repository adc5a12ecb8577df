// Agent edits reviewed in the editor and checkpoints per turn (issue 21), in a real extension host: an
// agentic sidebar run edits two files; they stay on disk as they were while the changes are pending in
// their buffers; one hunk of A is kept and one undone (inline chat's arc.inline.* commands), all of B
// kept from the changed-files list; the disk then holds exactly the expected bytes (CRLF and a missing
// final newline kept). Then three turns that each edit a file, Restore to turn 2 (files and
// conversation), and Undo restore.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { startScriptedServer, textStream, toolCallStream, type ScriptedServer } from '../fixtures/scriptedServer';
import { until } from './wait';

const config = () => vscode.workspace.getConfiguration('arc');
const folder = () => vscode.workspace.workspaceFolders![0]!.uri;
const uriOf = (name: string) => vscode.Uri.joinPath(folder(), name);
// The bytes on disk (not through the editor's file service).
const read = async (name: string) => fs.readFileSync(uriOf(name).fsPath, 'utf8');
const write = (name: string, text: string) => vscode.workspace.fs.writeFile(uriOf(name), Buffer.from(text, 'utf8'));

interface Review {
  files: Array<{ path: string; added: number; removed: number; pending: number; state: string }>;
  pending: number;
}
interface Proposal {
  uri: string;
  state: string;
  hunks: Array<{ id: string; status: string; newLines: string[] }>;
}

const A = 'review-a.js';
const B = 'review-b.txt';
const A0 = 'function one() {\r\n  return 1;\r\n}\r\n\r\nfunction two() {\r\n  return 2;\r\n}\r\n\r\nfunction three() {\r\n  return 3;\r\n}\r\n';
const B0 = 'alpha\nbeta\ngamma';

suite('ARC review and checkpoints', function () {
  this.timeout(120_000);
  let server: ScriptedServer;

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['host-model'] });
    await config().update('endpoints', [{ id: 'loopback', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'loopback/host-model', vscode.ConfigurationTarget.Global);
    await config().update('agent.autoApproveEdits', false, vscode.ConfigurationTarget.Global);
    await config().update('agent.editReview', 'editor', vscode.ConfigurationTarget.Global);
    // The browser workbench auto-saves after a delay by default (desktop VS Code does not); auto save
    // would write a buffer with its pending change shown (README: Reviewing the agent's changes).
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    // Showing the sidebar activates ARC (and its arc.sidebar.* and arc.review.* commands).
    await vscode.commands.executeCommand('arc.sidebar.focus');
    await until('ARC to be active', async () => (await vscode.commands.getCommands(true)).includes('arc.review.state'), 30_000);
  });

  suiteTeardown(async () => {
    // The sidebar keeps its turns (and checkpoints) across tests: leave the next suite an empty chat.
    await vscode.commands.executeCommand('arc.newChat');
    await server?.close();
    for (const key of ['endpoints', 'models.instant', 'agent.autoApproveEdits', 'agent.editReview']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    for (const f of [A, B, 'review-c.txt']) await vscode.workspace.fs.delete(uriOf(f)).then(undefined, () => undefined);
  });

  test('an agent edit of two files is pending in the editor; hunks kept and undone, a file kept from the list; the disk holds exactly the kept bytes', async () => {
    await write(A, A0);
    await write(B, B0);
    const editA = { path: A, edits: [{ search: 'return 1;', replace: 'return 10;' }, { search: 'return 3;', replace: 'return 30;' }] };
    const editB = { path: B, edits: [{ search: 'beta', replace: 'BETA' }] };
    server.respond((req) => {
      const results = req.body.messages.filter((m: { role: string }) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'a', name: 'edit_file', arguments: JSON.stringify(editA) }]);
      if (results === 1) return toolCallStream([{ id: 'b', name: 'edit_file', arguments: JSON.stringify(editB) }]);
      return textStream('Proposed both edits.');
    });
    try {
      const r = (await vscode.commands.executeCommand('arc.sidebar.ask', 'Change the numbers in review-a.js and beta in review-b.txt', { mode: 'agentic' })) as { status: string };
      assert.strictEqual(r.status, 'finished');
      const review = (await vscode.commands.executeCommand('arc.review.state')) as Review;
      assert.deepStrictEqual(review.files.map((f) => [f.path, f.state]), [[A, 'pending'], [B, 'pending']]);
      const docA0 = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uriOf(A).fsPath);
      assert.strictEqual(await read(A), A0, `nothing is written before it is kept (dirty: ${docA0?.isDirty})`);
      assert.strictEqual(await read(B), B0);
      const pa = (await vscode.commands.executeCommand('arc.review.proposal', A)) as Proposal;
      assert.strictEqual(pa.hunks.length, 2);
      const docA = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pa.uri)!;
      assert.ok(docA.getText().includes('return 10;') && docA.getText().includes('return 1;'), 'the buffer shows both sides');
      // Keep the first hunk of A, undo the second (inline chat's commands).
      await vscode.commands.executeCommand('arc.inline.acceptHunk', pa.uri, pa.hunks[0]!.id);
      await vscode.commands.executeCommand('arc.inline.rejectHunk', pa.uri, pa.hunks[1]!.id);
      // Keep all of B from the changed-files list.
      await vscode.commands.executeCommand('arc.review.keep', B);
      await until('A saved', async () => (await read(A)) === A0.replace('return 1;', 'return 10;'));
      await until('B saved', async () => (await read(B)) === 'alpha\nBETA\ngamma');
      const after = (await vscode.commands.executeCommand('arc.review.state')) as Review;
      assert.deepStrictEqual(after.files.map((f) => [f.path, f.state]), [[A, 'partly kept'], [B, 'kept']]);
    } finally {
      server.respond(undefined);
    }
  });

  test('three turns each edit a file; Restore to turn 2 puts the files and the conversation back; Undo restore undoes it', async () => {
    await vscode.commands.executeCommand('arc.newChat');
    await config().update('agent.autoApproveEdits', true, vscode.ConfigurationTarget.Global);
    const C = 'review-c.txt';
    const C0 = 'one\r\ntwo\r\nthree';
    await write(C, C0);
    let turn = 0;
    server.respond((req) => {
      const results = req.body.messages.filter((m: { role: string }) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: `e${turn}`, name: 'edit_file', arguments: JSON.stringify({ path: C, edits: [{ search: ['one', 'two', 'three'][turn - 1]!, replace: `T${turn}` }] }) }]);
      return textStream(`Edited for turn ${turn}.`);
    });
    try {
      const turns: string[] = [];
      for (turn = 1; turn <= 3; turn++) {
        const r = (await vscode.commands.executeCommand('arc.sidebar.ask', `Turn ${turn}: edit review-c.txt`, { mode: 'agentic' })) as { turnId: string; status: string };
        assert.strictEqual(r.status, 'finished');
        turns.push(r.turnId);
      }
      assert.strictEqual(await read(C), 'T1\r\nT2\r\nT3');
      const cps = (await vscode.commands.executeCommand('arc.sidebar.checkpoints')) as { points: Array<{ turnId: string; files: string[] }> };
      assert.deepStrictEqual(cps.points.find((p) => p.turnId === turns[1])?.files, [C]);
      await vscode.commands.executeCommand('arc.sidebar.restore', turns[1], 'both');
      assert.strictEqual(await read(C), 'T1\r\ntwo\r\nthree', 'byte-exact as before turn 2 (CRLF, no final newline)');
      const s = (await vscode.commands.executeCommand('arc.sidebar.state')) as { turns: Array<{ id: string }> };
      assert.deepStrictEqual(s.turns.map((t) => t.id), [turns[0]]);
      await vscode.commands.executeCommand('arc.sidebar.undoRestore');
      assert.strictEqual(await read(C), 'T1\r\nT2\r\nT3');
      const s2 = (await vscode.commands.executeCommand('arc.sidebar.state')) as { turns: Array<{ id: string }> };
      assert.deepStrictEqual(s2.turns.map((t) => t.id), turns);
    } finally {
      server.respond(undefined);
      await config().update('agent.autoApproveEdits', false, vscode.ConfigurationTarget.Global);
    }
  });
});
