// Checkpoints through the CLI (DESIGN §6.8, issue 21): three agentic runs that change a file and one
// that changes nothing, on the scripted server; `arc checkpoints --json` lists three; `arc undo --to 2`
// restores run 1's bytes (CRLF and a missing final newline kept); `arc undo` then the original. Also
// the undo stack's conversation (compacted, secrets scrubbed, backward compatible) and "undo restore".
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { NodeWorkspace, SnapshotStore, UndoStack, compactConversation, CHECKPOINT_MESSAGE_CHARS } from '../../src/agent';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { ChangeSet, fileState, ProposalModel } from '../../src/edit';
import { startScriptedServer, textStream, toolCallStream, type ScriptedServer } from '../fixtures/scriptedServer';
import { runArc } from './cliProcess';

const arc = (args: string[], env: Record<string, string>) => runArc(args, { env });

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(async () => {
  await server.close();
});

test('arc checkpoints --json lists the three runs that changed files; undo --to 2 restores run 1 (CRLF, no final newline); undo the original', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-cp-home-'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-cp-ws-'));
  const file = path.join(dir, 'notes.txt');
  const original = 'one\r\ntwo\r\nthree';
  writeFileSync(file, original);
  const edits: Array<[string, string] | undefined> = [['one', 'ONE'], ['two', 'TWO'], undefined, ['three', 'THREE']];
  let run = 0;
  server.respond((req) => {
    const results = req.body.messages.filter((m: { role: string }) => m.role === 'tool').length;
    const e = edits[run];
    if (results === 0 && e) return toolCallStream([{ id: `e${run}`, name: 'edit_file', arguments: JSON.stringify({ path: 'notes.txt', edits: [{ search: e[0], replace: e[1] }] }) }]);
    return textStream(e ? 'Edited.' : 'Nothing to change.');
  });
  try {
    const base = ['ask', '--mode', 'agentic', '--workspace', dir, '--base-url', server.url, '--model', 'm', '--yes'];
    for (run = 0; run < edits.length; run++) {
      const r = await arc([...base, `run ${run + 1}`], { ARC_HOME: home });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(readFileSync(file, 'utf8'), 'ONE\r\nTWO\r\nTHREE');
    const listed = await arc(['checkpoints', '--json', '--workspace', dir], { ARC_HOME: home });
    assert.equal(listed.code, 0, listed.stderr);
    const cps = JSON.parse(listed.stdout).checkpoints as Array<{ n: number; runId: string; t: number; query: string; files: string[] }>;
    assert.deepEqual(cps.map((c) => [c.n, c.query, c.files]), [[1, 'run 1', ['notes.txt']], [2, 'run 2', ['notes.txt']], [3, 'run 4', ['notes.txt']]]);
    for (const c of cps) assert.ok(c.runId && c.t > 0);

    const to2 = await arc(['undo', '--to', '2', '--workspace', dir], { ARC_HOME: home });
    assert.equal(to2.code, 0, to2.stderr);
    assert.match(to2.stdout, /Undid run 3/);
    assert.match(to2.stdout, /Undid run 2/);
    assert.deepEqual(readFileSync(file), Buffer.from('ONE\r\ntwo\r\nthree'), "run 1's bytes: CRLF and no final newline");
    const one = await arc(['undo', '--workspace', dir], { ARC_HOME: home });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(readFileSync(file), Buffer.from(original), 'the original, byte for byte');
    const left = await arc(['checkpoints', '--json', '--workspace', dir], { ARC_HOME: home });
    assert.deepEqual(JSON.parse(left.stdout).checkpoints, []);
  } finally {
    server.respond(undefined);
  }
});

test('a checkpoint carries the conversation (compacted, secrets scrubbed); old entries without one still read; a restore can be undone', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-cp-home-'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-cp-ws-'));
  writeFileSync(path.join(dir, 'a.txt'), 'v0\n');
  const store = new JsonFileStore(home);
  const stack = new UndoStack(store, [dir]);
  const ws = new NodeWorkspace({ roots: [dir] });
  const edit = async (to: string) => {
    const s = new SnapshotStore();
    await s.capture(ws, 'a.txt');
    await ws.writeFile('a.txt', Buffer.from(to));
    s.wrote('a.txt', Buffer.from(to));
    return s;
  };
  assert.equal(await stack.push({ runId: 'r1', query: 'one', snapshots: await edit('v1\n') }), 1);
  assert.equal(await stack.push({ runId: 'r2', query: 'two', snapshots: await edit('v2\n') }), 2);
  const long = 'x'.repeat(CHECKPOINT_MESSAGE_CHARS + 10);
  assert.equal(await stack.annotate('r2', [{ role: 'user', text: 'my key is sk-abcdefghijklmnopqrstuvwx and secret-value-1' }, { role: 'assistant', text: long }], ['secret-value-1']), true);
  assert.equal(await stack.annotate('nope', []), false);
  const entries = await stack.entries();
  assert.equal(entries[0]!.conversation, undefined, 'an entry without a conversation still reads');
  const conv = entries[1]!.conversation!;
  assert.doesNotMatch(conv[0]!.text, /abcdefghijklmnop|secret-value-1/);
  assert.equal(conv[1]!.text, `${'x'.repeat(CHECKPOINT_MESSAGE_CHARS)}\n[… 10 more characters not kept]`);
  assert.equal(compactConversation(Array.from({ length: 300 }, () => ({ role: 'user' as const, text: 'q' }))).length, 100);

  // Restore to before run 1, then undo that restore (what the sidebar's "Undo restore" does).
  const now = new SnapshotStore();
  await now.capture(ws, 'a.txt');
  const removed = entries.filter((e) => e.n >= 1);
  await stack.undo(ws, 1);
  assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'v0\n');
  await now.undo(ws);
  await stack.reinstate(removed);
  assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'v2\n');
  assert.deepEqual((await stack.list()).map((c) => c.n), [1, 2]);
  assert.equal(await stack.push({ runId: 'r3', query: 'three', snapshots: await edit('v3\n') }), 3, 'numbering goes on after a reinstate');
});

test('the pending-change model for an agent edit: whole-file proposal, hunks kept and undone byte-exact; the changed-files list', () => {
  const original = 'a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng';
  const proposed = 'A\r\nb\r\nc\r\nd\r\ne\r\nf\r\nG';
  const m = ProposalModel.whole(original, proposed);
  assert.equal(m.streaming, false);
  assert.equal(m.hunks().length, 2);
  assert.equal(m.finalText('accepted'), proposed, 'CRLF and no final newline kept');
  const [h1, h2] = m.hunks();
  m.resolve(h1!.id, 'accepted');
  m.resolve(h2!.id, 'rejected');
  assert.equal(m.finalText(), 'A\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng');
  // Trailing whitespace is the agent's to change (not ignored as in inline chat's streamed replies).
  assert.equal(ProposalModel.whole('x\n', 'x  \n').hunks().length, 1);
  // Fences are content in a file, not markup.
  assert.equal(ProposalModel.whole('a\n', '```\na\n```\n').finalText('accepted'), '```\na\n```\n');
  const set = new ChangeSet('run');
  const c = m.counts();
  set.set({ path: 'a.txt', uri: 'file:///a.txt', added: c.added, removed: c.removed, hunks: c.hunks, pending: 0, state: fileState(c, 'resolved') });
  set.set({ path: 'b.txt', uri: 'file:///b.txt', added: 2, removed: 1, hunks: 1, pending: 1, state: 'pending' });
  assert.deepEqual(set.summary().files.map((f) => [f.path, f.state]), [['a.txt', 'partly kept'], ['b.txt', 'pending']]);
  assert.equal(set.summary().pending, 1);
  assert.equal(fileState(c, 'undone'), 'undone');
});
