// The agent's tools on a temp-dir workspace: what the model gets back (including every failure as a
// message it can act on), approvals with diffs, and snapshots that undo a run byte for byte.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compileCommandPolicy } from '../../src/agent/commandPolicy';
import { NodeCommandRunner } from '../../src/agent/commandRunner';
import { NodeWorkspace } from '../../src/agent/nodeWorkspace';
import { SnapshotStore, type SnapshotData } from '../../src/agent/snapshots';
import { createAgentTools, createToolContext, executeToolCall, type ToolContext, type ToolLimits } from '../../src/agent';
import { RecordingApprover, tempTrees } from './agentFixtures';

const tree = tempTrees('arc-agent-tools-');


function setup(files: Record<string, string | Buffer>, approver = new RecordingApprover(), limits: Partial<ToolLimits> = {}) {
  const dir = tree(files);
  const workspace = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
  const ctx: ToolContext = createToolContext({
    workspace,
    approver,
    runner: new NodeCommandRunner(),
    policy: compileCommandPolicy({}),
    signal: new AbortController().signal,
    limits: limits,
  });
  const tools = createAgentTools({ trusted: true });
  let n = 0;
  const run = (name: string, args: unknown) =>
    executeToolCall({ id: `c${++n}`, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }, tools, ctx);
  const read = (rel: string) => readFileSync(path.join(dir, rel));
  return { dir, ctx, run, read, approver, workspace };
}

describe('read, list, search', () => {
  test('read_file: whole file, a range, and clear errors', async () => {
    const { run } = setup({ 'a.txt': 'one\ntwo\nthree\n', 'src/x.ts': 'x', 'bin.dat': Buffer.from([1, 0, 2]), 'empty.txt': '' });
    assert.equal((await run('read_file', { path: 'a.txt' })).content, 'a.txt (lines 1-3 of 3)\none\ntwo\nthree\n');
    assert.equal((await run('read_file', { path: 'a.txt', startLine: 2, endLine: 2 })).content, 'a.txt (lines 2-2 of 3)\ntwo\n');
    assert.equal((await run('read_file', { path: 'a.txt', startLine: 2, endLine: null })).content, 'a.txt (lines 2-3 of 3)\ntwo\nthree\n');
    assert.match((await run('read_file', { path: 'a.txt', startLine: 9 })).content, /^Error: startLine 9 is past the end: "a.txt" has 3 lines/);
    assert.match((await run('read_file', { path: 'nope.txt' })).content, /^Error: "nope.txt" does not exist\. Use list_files/);
    assert.match((await run('read_file', { path: 'src' })).content, /is a folder; use list_files/);
    assert.match((await run('read_file', { path: 'bin.dat' })).content, /looks binary/);
    assert.match((await run('read_file', { path: 'empty.txt' })).content, /is empty/);
  });

  test('read_file: long files are cut at a line with a note saying where to go on', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}\n`).join('');
    const { run } = setup({ 'long.txt': lines }, new RecordingApprover(), { resultChars: 2000 });
    const o = await run('read_file', { path: 'long.txt' });
    assert.ok(o.content.length <= 2000, `${o.content.length} chars`);
    const m = /truncated at line (\d+): call read_file with startLine=(\d+)/.exec(o.content);
    assert.ok(m, o.content.slice(-200));
    assert.equal(Number(m[2]), Number(m[1]) + 1);
    const next = await run('read_file', { path: 'long.txt', startLine: Number(m[2]) });
    assert.match(next.content, new RegExp(`^long.txt \\(lines ${m[2]}-`));
  });

  test('list_files, search_text and find_symbol answer in plain lines', async () => {
    const { run } = setup({ 'src/a.ts': 'export function alpha() {}\n', 'src/b.ts': 'alpha();\n', 'README.md': 'alpha\n' });
    assert.equal((await run('list_files', { glob: '*.ts' })).content, '2 files match "*.ts":\nsrc/a.ts\nsrc/b.ts');
    assert.equal((await run('list_files', { glob: '*.py' })).content, 'No files match "*.py".');
    assert.equal(
      (await run('search_text', { query: 'alpha\\(', glob: 'src/**' })).content,
      '2 matches for regex "alpha\\\\(" in files matching "src/**":\nsrc/a.ts:1: export function alpha() {}\nsrc/b.ts:1: alpha();',
    );
    assert.match((await run('search_text', { query: 'alpha(' })).content, /^2 matches for literal text "alpha\("/);
    assert.match((await run('find_symbol', { name: 'alpha' })).content, /1 definition of "alpha" \(found by a text heuristic.*\nsrc\/a.ts:1: \[function\]/);
    assert.match((await run('get_diagnostics', {})).content, /not available outside the editor/);
    assert.match((await run('list_files', { glob: '../*' })).content, /^Error: glob "..\/\*" contains ".."/);
  });
});

describe('malformed calls are errors the model can act on', () => {
  test('bad JSON, wrong shapes, unknown tools, missing arguments', async () => {
    const { run } = setup({ 'a.txt': 'a' });
    assert.match((await run('read_file', '{"path": "a.txt"')).content, /^Error: the arguments for read_file are not valid JSON/);
    assert.match((await run('read_file', '["a.txt"]')).content, /must be a JSON object, not an array/);
    assert.match((await run('delete_everything', { path: 'a.txt' })).content, /^Error: there is no tool named "delete_everything"\. Available tools: read_file, /);
    assert.match((await run('read_file', {})).content, /^Error: invalid arguments for read_file: path: /);
    assert.match((await run('read_file', { path: 'a.txt', startLine: 0 })).content, /startLine: Too small/);
    assert.match((await run('edit_file', { path: 'a.txt', edits: [] })).content, /edits: Too small/);
    // Absent optional arguments are null; unknown extra keys are ignored.
    assert.equal((await run('read_file', { path: 'a.txt', extra: 1 })).ok, true);
  });
});

describe('edit_file and create_file', () => {
  test('an approved edit is shown as a unified diff, then applied', async () => {
    const { run, read, approver, ctx } = setup({ 'src/m.ts': 'const a = 1;\nconst b = 2;\n' });
    const o = await run('edit_file', { path: 'src/m.ts', edits: [{ search: 'const b = 2;', replace: 'const b = 3;' }] });
    assert.equal(o.content, 'Applied 1 edit to "src/m.ts" (+1 −1 lines).');
    assert.equal(read('src/m.ts').toString(), 'const a = 1;\nconst b = 3;\n');
    assert.equal(approver.edits.length, 1);
    assert.match(approver.edits[0]!.diff, /--- a\/src\/m.ts\n\+\+\+ b\/src\/m.ts\n@@ -1,2 \+1,2 @@\n const a = 1;\n-const b = 2;\n\+const b = 3;/);
    assert.deepEqual([...ctx.changes], [['src/m.ts', 'edited']]);
  });

  test('a search that matches nowhere, or more than once, changes nothing and says why', async () => {
    const original = 'function f() {\n  return 1;\n}\nfunction g() {\n  return 1;\n}\n';
    const { run, read, approver } = setup({ 'a.js': original });
    const notFound = await run('edit_file', { path: 'a.js', edits: [{ search: 'function f() {\n    return 1;', replace: 'x' }] });
    assert.equal(notFound.ok, false);
    assert.match(notFound.content, /the search text was not found in "a.js"\. Its first line appears at line 1, so the rest differs/);
    assert.match(notFound.content, /Nothing was changed\./);
    const twice = await run('edit_file', { path: 'a.js', edits: [{ search: 'return 1;', replace: 'return 2;' }] });
    assert.match(twice.content, /found 2 times in "a.js" \(at lines 2, 5\); include more surrounding lines/);
    // The first block would apply, the second fails: all or nothing.
    const partial = await run('edit_file', {
      path: 'a.js',
      edits: [
        { search: 'function f() {\n  return 1;', replace: 'function f() {\n  return 7;' },
        { search: 'no such text', replace: '' },
      ],
    });
    assert.match(partial.content, /^Error: edit 2 of 2: the search text was not found/);
    assert.equal(read('a.js').toString(), original);
    assert.equal(approver.edits.length, 0, 'nothing was offered for approval');
  });

  test('CRLF files match LF search text and keep their line endings', async () => {
    const { run, read } = setup({ 'w.txt': 'a\r\nb\r\nc\r\n' });
    const o = await run('edit_file', { path: 'w.txt', edits: [{ search: 'a\nb', replace: 'a\nB\nb2' }] });
    assert.match(o.content, /CRLF/);
    assert.equal(read('w.txt').toString(), 'a\r\nB\r\nb2\r\nc\r\n');
  });

  test('a rejected edit is not applied and the model is told', async () => {
    const { run, read, ctx } = setup({ 'a.txt': 'old\n' }, new RecordingApprover({ edits: false }));
    const o = await run('edit_file', { path: 'a.txt', edits: [{ search: 'old', replace: 'new' }] });
    assert.match(o.content, /was NOT applied: the user rejected it\. The file is unchanged\./);
    assert.equal(read('a.txt').toString(), 'old\n');
    assert.equal(ctx.changes.size, 0);
    assert.equal(ctx.snapshots.size, 0, 'no snapshot for an edit never made');
  });

  test('non-UTF-8 files are left alone rather than re-encoded', async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1
    const { run, read } = setup({ 'l.txt': latin1 });
    assert.match((await run('edit_file', { path: 'l.txt', edits: [{ search: 'caf', replace: 'CAF' }] })).content, /not valid UTF-8/);
    assert.deepEqual(read('l.txt'), latin1);
  });

  test('create_file makes folders, refuses to overwrite, and respects a refusal', async () => {
    const { run, read, dir } = setup({ 'exists.txt': 'keep me' });
    assert.equal((await run('create_file', { path: 'new/deep/f.txt', content: 'hi' })).content, 'Created "new/deep/f.txt" (2 bytes; new folders: new, new/deep).');
    assert.equal(read('new/deep/f.txt').toString(), 'hi');
    const again = await run('create_file', { path: 'exists.txt', content: 'overwrite' });
    assert.match(again.content, /^Error: "exists.txt" already exists; create_file never overwrites\. Use edit_file/);
    assert.equal(read('exists.txt').toString(), 'keep me');
    const refused = setup({}, new RecordingApprover({ edits: false }));
    assert.match((await refused.run('create_file', { path: 'x.txt', content: 'x' })).content, /"x.txt" was NOT created: the user rejected it/);
    assert.equal(existsSync(path.join(refused.dir, 'x.txt')), false);
    assert.ok(dir);
  });
});

describe('hidden files through the tools', () => {
  test('.env is refused unless the user approves; a refusal is not asked again', async () => {
    const denied = setup({ '.env': 'KEY=abc\n', 'a.txt': 'a' });
    const o = await denied.run('read_file', { path: '.env' });
    assert.match(o.content, /^Error: ".env" is hidden from ARC \(.*secret.*\): .* the user did not approve/);
    assert.doesNotMatch(o.content, /abc/);
    assert.match((await denied.run('read_file', { path: '.env' })).content, /already declined/);
    assert.deepEqual(denied.approver.sensitive.map((r) => r.path), ['.env'], 'asked once');
    assert.equal((await denied.run('list_files', { glob: '**' })).content, '1 file matches "**":\na.txt');
    assert.equal((await denied.run('search_text', { query: 'KEY' })).content, 'No matches for regex "KEY".');

    const approved = setup({ '.env': 'KEY=abc\n' }, new RecordingApprover({ sensitive: true }));
    assert.equal((await approved.run('read_file', { path: '.env' })).content, '.env (lines 1-1 of 1)\nKEY=abc\n');
  });
});

describe('untrusted workspaces', () => {
  test('offer read tools only', () => {
    const names = createAgentTools({ trusted: false }).names();
    assert.deepEqual(names, ['read_file', 'list_files', 'search_text', 'find_symbol', 'get_diagnostics']);
    const extra = {
      name: 'spawn_threads',
      description: 'x',
      schema: createAgentTools({ trusted: true }).get('list_files')!.schema,
      readOnly: true,
      run: async () => 'ok',
    };
    assert.ok(createAgentTools({ trusted: false, extraTools: [extra] }).names().includes('spawn_threads'));
    assert.ok(!createAgentTools({ trusted: false, extraTools: [{ ...extra, readOnly: false }] }).names().includes('spawn_threads'));
  });
});

describe('snapshots and undo', () => {
  test('undo restores every file byte for byte and removes what the run created', async () => {
    const crlf = Buffer.from('line one\r\nline two\r\n');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo wörld ✓\n')]);
    const noEol = Buffer.from('no newline at end');
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { run, ctx, read, dir, workspace } = setup({ 'crlf.txt': crlf, 'bom.txt': bom, 'noeol.txt': noEol, 'blob.bin': binary });

    assert.equal((await run('edit_file', { path: 'crlf.txt', edits: [{ search: 'one', replace: 'ONE' }] })).ok, true);
    assert.equal((await run('edit_file', { path: 'crlf.txt', edits: [{ search: 'two', replace: 'TWO' }] })).ok, true);
    assert.equal((await run('edit_file', { path: 'bom.txt', edits: [{ search: 'wörld', replace: 'world' }] })).ok, true);
    assert.equal((await run('edit_file', { path: 'noeol.txt', edits: [{ search: 'end', replace: 'end\n' }] })).ok, true);
    assert.equal((await run('create_file', { path: 'made/sub/new.txt', content: 'new\r\n' })).ok, true);
    assert.equal((await run('edit_file', { path: 'made/sub/new.txt', edits: [{ search: 'new', replace: 'newer' }] })).ok, true);
    // A binary file written by another writer through the same store.
    await ctx.snapshots.capture(workspace, 'blob.bin');
    await workspace.writeFile('blob.bin', Buffer.from('overwritten'));
    ctx.snapshots.wrote('blob.bin', Buffer.from('overwritten'));

    assert.deepEqual([...ctx.changes], [['crlf.txt', 'edited'], ['bom.txt', 'edited'], ['noeol.txt', 'edited'], ['made/sub/new.txt', 'created']]);
    assert.notDeepEqual(read('crlf.txt'), crlf);
    // The user touches a file after the run; undo still restores it, and says so.
    writeFileSync(path.join(dir, 'bom.txt'), 'changed by the user');

    // The extension persists the snapshots as JSON and undoes from them later.
    const data = JSON.parse(JSON.stringify(ctx.snapshots.toJSON())) as SnapshotData;
    assert.equal(data.files.length, 5, 'one snapshot per file, taken before its first write');
    const result = await SnapshotStore.fromJSON(data).undo(new NodeWorkspace({ roots: [dir], ripgrepPath: null }));

    assert.deepEqual(read('crlf.txt'), crlf);
    assert.deepEqual(read('bom.txt'), bom);
    assert.deepEqual(read('noeol.txt'), noEol);
    assert.deepEqual(read('blob.bin'), binary);
    assert.equal(existsSync(path.join(dir, 'made')), false, 'created file and folders are gone');
    assert.deepEqual(result.deleted, ['made/sub/new.txt']);
    assert.deepEqual(result.removedDirs, ['made/sub', 'made']);
    assert.deepEqual(result.changedSince, ['bom.txt']);
    assert.deepEqual(result.errors, []);
  });

  test('undo brings back a file deleted after the run', async () => {
    const { run, ctx, dir } = setup({ 'a.txt': 'a\n' });
    await run('edit_file', { path: 'a.txt', edits: [{ search: 'a', replace: 'b' }] });
    rmSync(path.join(dir, 'a.txt'));
    const r = await ctx.snapshots.undo(new NodeWorkspace({ roots: [dir], ripgrepPath: null }));
    assert.deepEqual(r.restored, ['a.txt']);
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'a\n');
  });
});
