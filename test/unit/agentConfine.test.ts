// Agentic mode's workspace boundary (DESIGN §5): confinement (.., absolute, symlinks), hidden secrets
// and .arcignore entries, and search_text giving the same answer through ripgrep and the Node engine.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compileGlob, IgnoreRules, isSensitivePath } from '../../src/agent/filters';
import { NodeWorkspace } from '../../src/agent/nodeWorkspace';
import { findRipgrep } from '../../src/agent/search';
import { WorkspaceError } from '../../src/agent/workspace';
import { tempTrees } from './agentFixtures';

const tree = tempTrees('arc-agent-ws-');

async function refusal(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof WorkspaceError, `a WorkspaceError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

const RG = findRipgrep();

describe('confinement', () => {
  test('".." that leaves the workspace is refused; ".." that stays inside is fine', async () => {
    const dir = tree({ 'a.txt': 'a', 'src/b.txt': 'b' });
    writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-outside.txt`), 'outside');
    tree.track(path.join(path.dirname(dir), `${path.basename(dir)}-outside.txt`));
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    await refusal(ws.resolve('../x.txt'), 'outside', /escapes the workspace/);
    await refusal(ws.resolve(`src/../../${path.basename(dir)}-outside.txt`), 'outside', /escapes the workspace/);
    await refusal(ws.readFile(`../${path.basename(dir)}-outside.txt`), 'outside', /escapes/);
    assert.equal((await ws.resolve('src/../a.txt')).path, 'a.txt');
    assert.equal((await ws.resolve('./src/b.txt')).path, 'src/b.txt');
    // A name that merely starts with two dots is inside.
    assert.equal((await ws.resolve('..hidden-name')).path, '..hidden-name');
  });

  test('absolute paths outside are refused; inside they are accepted and made relative', async () => {
    const dir = tree({ 'src/b.txt': 'b' });
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    await refusal(ws.resolve('/etc/passwd'), 'outside', /outside the workspace/);
    await refusal(ws.readFile('/etc/passwd'), 'outside', /absolute path must point inside/);
    assert.equal((await ws.resolve(path.join(dir, 'src/b.txt'))).path, 'src/b.txt');
  });

  test('symbolic links out of the workspace are refused for reads and writes, links inside work', async () => {
    const outside = tree({ 'secret.txt': 'outside secret', 'sub/x.txt': 'x' });
    const dir = tree({ 'real.txt': 'real' });
    symlinkSync(outside, path.join(dir, 'outdir'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    symlinkSync(path.join(outside, 'nothing-yet.txt'), path.join(dir, 'dangling.txt'));
    symlinkSync(path.join(dir, 'real.txt'), path.join(dir, 'alias.txt'));
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    await refusal(ws.readFile('leak.txt'), 'outside', /symbolic link .*outside the workspace/);
    await refusal(ws.readFile('outdir/secret.txt'), 'outside', /symbolic link/);
    await refusal(ws.createFile('outdir/new.txt', Buffer.from('no')), 'outside', /symbolic link/);
    await refusal(ws.createFile('outdir/deeper/new.txt', Buffer.from('no')), 'outside', /symbolic link/);
    await refusal(ws.writeFile('dangling.txt', Buffer.from('no')), 'outside', /symbolic link/);
    assert.equal(Buffer.from(await ws.readFile('alias.txt')).toString(), 'real');
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside secret');
    assert.throws(() => readFileSync(path.join(outside, 'new.txt')));
    // Walks do not follow links either.
    const listed = await ws.listFiles('**', { limit: 100 });
    assert.deepEqual(listed.paths, ['real.txt']);
  });

  test('a workspace reached through a symlinked root still confines', async () => {
    const dir = tree({ 'a.txt': 'a' });
    const linkParent = mkdtempSync(path.join(os.tmpdir(), 'arc-agent-link-'));
    tree.track(linkParent);
    symlinkSync(dir, path.join(linkParent, 'ws'));
    const ws = new NodeWorkspace({ roots: [path.join(linkParent, 'ws')], ripgrepPath: null });
    assert.equal(Buffer.from(await ws.readFile('a.txt')).toString(), 'a');
    assert.equal((await ws.resolve(path.join(dir, 'a.txt'))).path, 'a.txt');
    await refusal(ws.resolve('../x'), 'outside', /escapes/);
  });

  test('multi-root: paths carry the folder name; a path without one means the first folder', async () => {
    const a = tree({ 'x.txt': 'in a' });
    const b = tree({ 'x.txt': 'in b' });
    const ws = new NodeWorkspace({ roots: [a, b], ripgrepPath: null });
    const [na, nb] = ws.roots.map((r) => r.name);
    assert.equal(Buffer.from(await ws.readFile(`${nb}/x.txt`)).toString(), 'in b');
    assert.equal(Buffer.from(await ws.readFile('x.txt')).toString(), 'in a');
    assert.deepEqual((await ws.listFiles('x.txt', { limit: 10 })).paths, [`${na}/x.txt`, `${nb}/x.txt`]);
    await refusal(ws.resolve(`${nb}/../../x`), 'outside', /escapes/);
  });
});

describe('hidden files', () => {
  const files = {
    '.env': 'API_KEY=SECRET123\n',
    '.env.local': 'TOKEN=SECRET123\n',
    'config/.env.production': 'SECRET123\n',
    'keys/server.pem': 'SECRET123\n',
    'keys/id_rsa': 'SECRET123\n',
    'keys/id_ed25519.pub': 'SECRET123\n',
    'certs/site.KEY': 'SECRET123\n',
    'secrets/vault.json': '{"v":"SECRET123"}\n',
    'logs/app.log': 'SECRET123\n',
    'logs/keep.log': 'SECRET123 kept\n',
    'build/out.js': 'SECRET123\n',
    'src/build/ok.js': 'SECRET123 in src/build\n',
    '.arcignore': '# private\nsecrets/\n*.log\n!keep.log\n/build\n',
    'src/config.ts': 'export const key = process.env.SECRET123;\n',
    'README.md': 'read me\n',
  };

  test('secrets and .arcignore entries are invisible to list and search, and refused by read', async () => {
    const dir = tree(files);
    symlinkSync(path.join(dir, '.env'), path.join(dir, 'notes.txt'));
    for (const rg of [null, ...(RG ? [RG] : [])]) {
      const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: rg });
      const listed = (await ws.listFiles('**', { limit: 100 })).paths;
      assert.deepEqual(listed, ['.arcignore', 'README.md', 'logs/keep.log', 'src/build/ok.js', 'src/config.ts']);
      const found = await ws.searchText('SECRET123', { limit: 100 });
      assert.equal(found.engine, rg ? 'ripgrep' : 'node');
      assert.deepEqual(
        found.matches.map((m) => m.path),
        ['logs/keep.log', 'src/build/ok.js', 'src/config.ts'],
        `engine ${found.engine}`,
      );
      for (const p of ['.env', '.env.local', 'config/.env.production', 'keys/server.pem', 'keys/id_rsa', 'certs/site.KEY', 'secrets/vault.json', 'logs/app.log', 'build/out.js', 'notes.txt']) {
        await refusal(ws.readFile(p), 'hidden', /hidden from ARC/);
        assert.equal(await ws.isHidden(p), true, p);
      }
      assert.equal(await ws.isHidden('src/config.ts'), false);
    }
  });

  test('an approved read gets the bytes', async () => {
    const dir = tree(files);
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    assert.equal(Buffer.from(await ws.readFile('.env', { allowHidden: true })).toString(), 'API_KEY=SECRET123\n');
  });

  test('sensitive names and ignore rules', () => {
    for (const p of ['.env', 'a/.env', '.env.test', 'x/id_rsa.pub', 'k.PEM', '.env/lib/site.py', 'a/b/c.p12', '.npmrc', 'a/.envrc']) assert.ok(isSensitivePath(p), p);
    for (const p of ['env', 'src/environment.ts', 'keyboard.ts', 'docs/keys.md', 'src/env.ts', 'lib/env.py', 'docs/secrets-management.md']) assert.ok(!isSensitivePath(p), p);
    const rules = new IgnoreRules('dist/\n/top.txt\ndocs/*.md\n!docs/keep.md\n\\#literal\n**/tmp/**\n');
    assert.ok(rules.ignores('dist/a.js'));
    assert.ok(rules.ignores('pkg/dist/a.js'));
    assert.ok(!rules.ignores('dist', false), 'dir-only rule does not hide a file named dist');
    assert.ok(rules.ignores('top.txt'));
    assert.ok(!rules.ignores('sub/top.txt'), 'a leading / anchors');
    assert.ok(rules.ignores('docs/a.md'));
    assert.ok(!rules.ignores('docs/keep.md'));
    assert.ok(!rules.ignores('docs/sub/a.md'));
    assert.ok(rules.ignores('#literal'));
    assert.ok(rules.ignores('a/tmp/b/c'));
  });

  test('globs: no slash matches names at any depth, a slash matches the path, leaving is refused', () => {
    const g = (glob: string, p: string) => compileGlob(glob)(p);
    assert.ok(g('*.ts', 'src/deep/a.ts'));
    assert.ok(g('src/**/*.ts', 'src/a.ts'));
    assert.ok(!g('src/*.ts', 'src/deep/a.ts'));
    assert.ok(g('**', '.github/workflows/ci.yml'));
    assert.ok(!g('*.ts', 'a.tsx'));
    assert.throws(() => compileGlob('../**'), /cannot leave/);
    assert.throws(() => compileGlob('/etc/*'), /absolute/);
  });
});

describe('search_text engines', () => {
  const files: Record<string, string | Buffer> = {
    'a.txt': 'alpha\nbeta foo\nfoo()\n',
    'a/b.txt': 'foo\n',
    'a-b.txt': 'foo bar\n',
    'crlf.txt': 'one foo\r\ntwo foo\r\n',
    'dir/Ünïcode.md': 'naïve foo café\n',
    'dir/deep/x.ts': 'function foo(a: number) { return a; }\nconst bar = foo(1);\n',
    'empty.txt': '',
    'bin.dat': Buffer.from([0x66, 0x6f, 0x6f, 0x00, 0x0a]),
    'late-bin.txt': Buffer.concat([Buffer.from('foo first\n'), Buffer.alloc(300_000, 0x78), Buffer.from([0x00])]),
    'big.txt': Buffer.concat([Buffer.from('foo\n'), Buffer.alloc(1024 * 1024, 0x79)]),
    'node_modules/pkg/index.js': 'foo\n',
    '.git/config': 'foo\n',
    '.hidden/dot.txt': 'foo here\n',
    'long.txt': `${'z'.repeat(1000)}foo\n`,
    'regex.txt': 'a.c abc a+c [x] (y) \\d 123\n',
  };

  const queries: Array<{ query: string; glob?: string }> = [
    { query: 'foo' },
    { query: 'foo$' },
    { query: '^foo' },
    { query: 'fo+\\(' },
    { query: 'foo(' }, // invalid regex: literal
    { query: 'a.c' },
    { query: '[x]' },
    { query: '\\d+' },
    { query: 'caf' },
    { query: 'foo', glob: '*.ts' },
    { query: 'foo', glob: 'dir/**' },
    { query: 'foo', glob: 'a/*' },
    { query: 'foo(?=\\()' }, // look-ahead: ripgrep rejects it, the Node engine answers
    { query: 'nothing-matches-this' },
  ];

  test('the Node engine: order, binary, size, CRLF and skip rules', async () => {
    const dir = tree(files);
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    const r = await ws.searchText('foo', { limit: 100 });
    assert.equal(r.engine, 'node');
    assert.deepEqual(
      r.matches.map((m) => `${m.path}:${m.line}`),
      ['.hidden/dot.txt:1', 'a/b.txt:1', 'a-b.txt:1', 'a.txt:2', 'a.txt:3', 'crlf.txt:1', 'crlf.txt:2', 'dir/deep/x.ts:1', 'dir/deep/x.ts:2', 'dir/Ünïcode.md:1', 'long.txt:1'],
    );
    assert.equal(r.matches.find((m) => m.path === 'crlf.txt')!.text, 'one foo');
    assert.ok(r.matches.find((m) => m.path === 'long.txt')!.text.length <= 401, 'long lines are cut');
    const lit = await ws.searchText('foo(', { limit: 100 });
    assert.equal(lit.mode, 'literal');
    assert.deepEqual(lit.matches.map((m) => m.path), ['a.txt', 'dir/deep/x.ts', 'dir/deep/x.ts']);
    const capped = await ws.searchText('foo', { limit: 3 });
    assert.equal(capped.truncated, true);
    assert.equal(capped.matches.length, 3);
  });

  test('ripgrep and the Node engine give identical results', { skip: RG ? false : 'ripgrep (rg) is not installed here: only the Node engine was tested' }, async () => {
    const dir = tree(files);
    const rgWs = new NodeWorkspace({ roots: [dir], ripgrepPath: RG! });
    const nodeWs = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    let rgAnswered = 0;
    for (const q of queries) {
      for (const limit of [100, 3]) {
        const a = await rgWs.searchText(q.query, { glob: q.glob, limit });
        const b = await nodeWs.searchText(q.query, { glob: q.glob, limit });
        if (a.engine === 'ripgrep') rgAnswered++;
        assert.equal(b.engine, 'node');
        assert.deepEqual(a.matches, b.matches, `${JSON.stringify(q)} limit ${limit}`);
        assert.equal(a.truncated, b.truncated, `${JSON.stringify(q)} limit ${limit}: truncated`);
        assert.equal(a.mode, b.mode);
      }
    }
    assert.ok(rgAnswered >= (queries.length - 1) * 2, 'ripgrep answered every query it supports');
    const la = await rgWs.searchText('foo(?=\\()', { limit: 100 });
    assert.equal(la.engine, 'node', 'a look-ahead falls back to the Node engine');
    assert.deepEqual(la.matches.map((m) => `${m.path}:${m.line}`), ['a.txt:3', 'dir/deep/x.ts:1', 'dir/deep/x.ts:2']);
  });

  test('find_symbol heuristic finds definitions, not calls', async () => {
    const dir = tree({
      'src/a.ts': 'export function parseThing(x: string) {\n  return parseThing2(x);\n}\nconst y = parseThing("a");\nexport class Widget {\n  render(): void {\n    this.render();\n  }\n}\nexport const makeIt = async (a: number) => a;\n',
      'py/m.py': 'def parse_thing(x):\n    return parse_thing(x)\nclass Widget:\n    pass\n',
      'go/m.go': 'func (s *Server) Handle(w http.ResponseWriter) {\n}\nfunc main() { s.Handle(nil) }\n',
      '.env': 'function parseThing() {}\n',
    });
    const ws = new NodeWorkspace({ roots: [dir], ripgrepPath: null });
    const at = async (name: string) => (await ws.findSymbols(name, { limit: 50 })).matches.map((m) => `${m.path}:${m.line}:${m.kind}`);
    assert.deepEqual(await at('parseThing'), ['src/a.ts:1:function']);
    assert.deepEqual(await at('Widget'), ['py/m.py:3:class', 'src/a.ts:5:class']);
    assert.deepEqual(await at('Widget.render'), ['src/a.ts:6:method']);
    assert.deepEqual(await at('parse_thing'), ['py/m.py:1:function']);
    assert.deepEqual(await at('Handle'), ['go/m.go:1:method']);
    assert.deepEqual(await at('makeIt'), ['src/a.ts:10:function']);
    assert.equal((await ws.findSymbols('x', { limit: 5 })).heuristic, true);
  });
});
