import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyHunks, layout, type Resolution } from '../../src/edit/applyHunks';
import { detectLineStyle, lineRangeOffsets, splitLines, type LineStyle } from '../../src/edit/lineText';
import { StreamingLineDiff, diffProposal, type Hunk, type StreamingDiffOptions } from '../../src/edit/streamingDiff';

type Brief = [origStart: number, origLines: string[], newLines: string[]];
const brief = (hunks: readonly Hunk[]): Brief[] => hunks.map((h) => [h.origStart, [...h.origLines], [...h.newLines]]);

interface Streamed {
  final: Hunk[];
  snapshots: Hunk[][];
}

function stream(original: string, chunks: readonly string[], options?: StreamingDiffOptions): Streamed {
  const diff = new StreamingLineDiff(original, options);
  const snapshots: Hunk[][] = [];
  for (const c of chunks) {
    diff.push(c);
    snapshots.push(diff.hunks());
  }
  diff.finish();
  return { final: diff.hunks(), snapshots };
}

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// Deterministic, so a failure reproduces.
function randomChunks(text: string, seed: number): string[] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(next() * 12);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

const allIds = (hunks: readonly Hunk[]): Set<string> => new Set(hunks.map((h) => h.id));

/** The proposal as the region would hold it: the region's EOL and trailing-newline convention. */
function normalised(proposal: string, style: LineStyle): string {
  const lines = splitLines(proposal).lines;
  if (lines.length === 0) return '';
  return lines.join(style.eol) + (style.finalNewline ? style.eol : '');
}

const CODE = [
  'import { readFile } from "node:fs/promises";',
  '',
  'export async function load(path: string) {',
  '  const text = await readFile(path, "utf8");',
  '  const data = JSON.parse(text);',
  '  if (!data) {',
  '    throw new Error("empty");',
  '  }',
  '  return data;',
  '}',
  '',
  'export function size(data: unknown[]) {',
  '  return data.length;',
  '}',
  '',
].join('\n');

const CODE_EDITED = [
  'import { readFile } from "node:fs/promises";',
  'import { log } from "./log";',
  '',
  'export async function load(path: string, encoding = "utf8") {',
  '  const text = await readFile(path, encoding);',
  '  const data = JSON.parse(text);',
  '  if (!data) {',
  '    log("empty file", path);',
  '    throw new Error(`empty: ${path}`);',
  '  }',
  '  return data;',
  '}',
  '',
  'export function size(data: unknown[]) {',
  '  return data.length;',
  '}',
  '',
].join('\n');

test('a replaced line in the middle is one hunk', () => {
  const hunks = diffProposal('a\nb\nc\nd\n', 'a\nB\nc\nd\n');
  assert.deepEqual(brief(hunks), [[1, ['b'], ['B']]]);
  assert.ok(hunks.every((h) => h.stable));
});

test('insertions, deletions and multi-line replacements', () => {
  assert.deepEqual(brief(diffProposal('a\nb\nc\n', 'a\nb\nX\nY\nc\n')), [[2, [], ['X', 'Y']]]);
  assert.deepEqual(brief(diffProposal('a\nb\nc\nd\n', 'a\nd\n')), [[1, ['b', 'c'], []]]);
  assert.deepEqual(brief(diffProposal('a\nb\nc\nd\ne\n', 'a\nB1\nB2\nB3\ne\n')), [[1, ['b', 'c', 'd'], ['B1', 'B2', 'B3']]]);
  assert.deepEqual(brief(diffProposal(CODE, CODE_EDITED)), [
    [1, [], ['import { log } from "./log";']],
    [2, ['export async function load(path: string) {', '  const text = await readFile(path, "utf8");'],
      ['export async function load(path: string, encoding = "utf8") {', '  const text = await readFile(path, encoding);']],
    [6, ['    throw new Error("empty");'], ['    log("empty file", path);', '    throw new Error(`empty: ${path}`);']],
  ]);
});

test('pure additions at the start and at the end', () => {
  assert.deepEqual(brief(diffProposal('a\nb\n', 'S1\nS2\na\nb\nE\n')), [
    [0, [], ['S1', 'S2']],
    [2, [], ['E']],
  ]);
});

test('re-emitted unchanged lines never show as hunks, not even while streaming', () => {
  for (const chunks of [[...CODE], chunksOf(CODE, 10), randomChunks(CODE, 7)]) {
    const { final, snapshots } = stream(CODE, chunks);
    assert.deepEqual(final, []);
    snapshots.forEach((s, i) => assert.deepEqual(s, [], `after push ${i}: ${JSON.stringify(s)}`));
  }
});

test('CR and trailing whitespace differences are not changes; trailing whitespace can be made to count', () => {
  const original = 'let a = 1;  \nlet b = 2;\n';
  const proposal = 'let a = 1;\r\nlet b = 2;\t\r\n';
  assert.deepEqual(diffProposal(original, proposal), []);
  assert.equal(applyHunks(original, [], new Set()), original);
  const strict = diffProposal(original, proposal, { ignoreTrailingWhitespace: false });
  assert.deepEqual(brief(strict), [[0, ['let a = 1;  ', 'let b = 2;'], ['let a = 1;', 'let b = 2;\t']]]);
  assert.deepEqual(diffProposal('x\ny\n', 'x\r\ny\r\n', { ignoreTrailingWhitespace: false }), []);
});

test('a partial line is held back until its newline or finish', () => {
  const diff = new StreamingLineDiff('a\nb\nc\n');
  diff.push('X\nY');
  assert.deepEqual(diff.proposalLines(), ['X']);
  assert.deepEqual(brief(diff.hunks()), [[0, [], ['X']]]);
  diff.push('Z');
  assert.deepEqual(diff.proposalLines(), ['X']);
  diff.push('\r');
  assert.deepEqual(diff.proposalLines(), ['X']);
  diff.push('\na\nb\nc');
  assert.deepEqual(diff.proposalLines(), ['X', 'YZ', 'a', 'b']);
  diff.finish();
  assert.deepEqual(diff.proposalLines(), ['X', 'YZ', 'a', 'b', 'c']);
  assert.deepEqual(brief(diff.hunks()), [[0, [], ['X', 'YZ']]]);
  assert.throws(() => diff.push('more'), /after finish/);
});

test('one character per push, random chunks and one push give the same final hunks', () => {
  const cases: Array<[string, string]> = [
    [CODE, CODE_EDITED],
    ['a\nb\nc\nd\ne\n', 'a\nB\nc\nD\ne\n'],
    ['x\n}\n\n}\n\ny\n', 'x\n}\nnew\n}\n\n}\n\ny\nz'],
    [CODE, '```ts\n' + CODE_EDITED + '```\n'],
  ];
  for (const [original, proposal] of cases) {
    const once = stream(original, [proposal]).final;
    assert.deepEqual(stream(original, [...proposal]).final, once);
    for (const seed of [1, 2, 3]) assert.deepEqual(stream(original, randomChunks(proposal, seed)).final, once);
    assert.deepEqual(stream(original, chunksOf(proposal, 10)).final, once);
  }
});

test('a hunk seen as stable never changes id or content, and hunks do settle before the end', () => {
  // A longer region, so that several hunks settle while the stream is still going.
  const original = `${CODE}\n${CODE.replace(/load/g, 'read')}`;
  const proposal = `${CODE_EDITED}\n${CODE.replace(/load/g, 'read').replace('return data.length;', 'return data.length + 0;')}`;
  for (const chunks of [[...proposal], randomChunks(proposal, 42)]) {
    const { final, snapshots } = stream(original, chunks);
    const seen = new Map<string, string>();
    for (const snap of snapshots) {
      const ids = snap.map((h) => h.id);
      assert.equal(new Set(ids).size, ids.length, 'ids are unique');
      for (const h of snap.filter((x) => x.stable)) {
        const json = JSON.stringify(h);
        assert.equal(seen.get(h.id) ?? json, json, `stable hunk ${h.id} changed`);
        seen.set(h.id, json);
      }
      // Once stable, a hunk stays in every later snapshot.
      for (const id of seen.keys()) assert.ok(ids.includes(id), `stable hunk ${id} vanished`);
    }
    assert.ok(seen.size >= 3, `only ${seen.size} hunks settled while streaming`);
    for (const [id, json] of seen) assert.equal(JSON.stringify(final.find((h) => h.id === id)), json);
    assert.equal(applyHunks(original, final, allIds(final)), proposal);
    assert.ok(final.every((h) => h.stable));
  }
});

test('provisional hunks show an unanchored tail as inserted, and lines skipped by a match as removed', () => {
  const diff = new StreamingLineDiff('alpha\nbeta\ngamma\ndelta\n');
  diff.push('alpha\nBETA\n');
  assert.deepEqual(diff.hunks().map((h) => [h.origStart, [...h.origLines], [...h.newLines], h.stable]), [[1, [], ['BETA'], false]]);
  diff.push('gamma\n');
  assert.deepEqual(diff.hunks().map((h) => [h.origStart, [...h.origLines], [...h.newLines], h.stable]), [[1, ['beta'], ['BETA'], false]]);
  const provisionalId = diff.hunks()[0]!.id;
  diff.push('delta\n');
  assert.deepEqual(diff.hunks().map((h) => [h.origStart, [...h.origLines], [...h.newLines], h.stable]), [[1, ['beta'], ['BETA'], true]]);
  // A provisional hunk that settles as it was keeps its id, so the editor need not redraw it.
  assert.equal(diff.hunks()[0]!.id, provisionalId);
});

test('a look-alike run far down the region does not anchor an insertion there', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  lines[250] = 'const cache = new Map();';
  lines[251] = 'export default cache;';
  const original = lines.join('\n') + '\n';
  const inserted = 'const cache = new Map();\nexport default cache;\n';
  const { final, snapshots } = stream(original, chunksOf(inserted + original, 7));
  assert.deepEqual(brief(final), [[0, [], ['const cache = new Map();', 'export default cache;']]]);
  for (const snap of snapshots) assert.ok(snap.every((h) => h.origLines.length === 0), JSON.stringify(snap.map((h) => h.origStart)));
});

test('braces and blank lines alone do not anchor an inserted block onto the original', () => {
  const original = 'function a() {\n  return 1;\n}\n\nfunction c() {\n  return 3;\n}\n';
  const inserted = 'function b() {\n  if (x) {\n  }\n}\n\n';
  const { final, snapshots } = stream(original, [...(inserted + original)]);
  assert.deepEqual(brief(final), [[0, [], inserted.trimEnd().split('\n').concat([''])]]);
  for (const snap of snapshots) assert.ok(snap.every((h) => h.origLines.length === 0), JSON.stringify(snap));
});

test('a markdown fence around the proposal is stripped, even split across chunks', () => {
  const original = 'a\nb\nc\n';
  const expected = brief(diffProposal(original, 'a\nB\nc\n'));
  const fenced = [
    '```ts\na\nB\nc\n```\n',
    '```typescript\na\nB\nc\n```',
    '\n\n```\na\nB\nc\n```\nThis renames b to B.\n',
    '~~~js\na\nB\nc\n~~~\n',
    'a\nB\nc\n```\n\n',
  ];
  for (const proposal of fenced) {
    for (let i = 1; i < proposal.length; i++) {
      const hunks = stream(original, [proposal.slice(0, i), proposal.slice(i)]).final;
      assert.deepEqual(brief(hunks), expected, `${JSON.stringify(proposal)} cut at ${i}`);
    }
    assert.deepEqual(brief(stream(original, [...proposal]).final), expected);
  }
  // Never shown, not even for a moment.
  for (const snap of stream(original, [...'```ts\na\nB\nc\n```\n']).snapshots) {
    assert.ok(snap.every((h) => !h.newLines.some((l) => l.includes('`'))), JSON.stringify(snap));
  }
});

test('fences that belong to the region are content', () => {
  const md = 'Intro\n```js\nlet a = 1;\n```\nOutro\n';
  // Re-emitted without a wrapper: nothing changes.
  assert.deepEqual(diffProposal(md, md), []);
  // Wrapped in a fence of the same kind: only the wrapper goes.
  const edited = md.replace('let a = 1;', 'let a = 2;');
  assert.deepEqual(brief(diffProposal(md, '```markdown\n' + edited + '```\n')), [[2, ['let a = 1;'], ['let a = 2;']]]);
  // A region that is exactly a fenced block, re-emitted as is.
  const block = '```js\nlet a = 1;\n```\n';
  assert.deepEqual(diffProposal(block, block), []);
  assert.deepEqual(diffProposal(block, '````md\n' + block + '````\n'), []);
  assert.deepEqual(diffProposal('a\n', '```', { stripFences: false }).length, 1);
});

test('CRLF original: a proposal given with LF is applied with CRLF; reject is byte-exact', () => {
  const original = 'one\r\ntwo\r\nthree\r\n';
  const proposal = 'one\n2\nthree\nfour\n';
  const hunks = diffProposal(original, proposal);
  assert.deepEqual(brief(hunks), [
    [1, ['two'], ['2']],
    [3, [], ['four']],
  ]);
  assert.equal(applyHunks(original, hunks, allIds(hunks)), 'one\r\n2\r\nthree\r\nfour\r\n');
  assert.equal(applyHunks(original, hunks, new Set()), original);
  assert.equal(applyHunks(original, hunks, new Set([hunks[1]!.id])), 'one\r\ntwo\r\nthree\r\nfour\r\n');
});

test('mixed EOLs: the dominant one is used for new lines, untouched lines keep their own', () => {
  const original = 'a\r\nb\nc\r\nd\r\n';
  assert.deepEqual(detectLineStyle(original), { eol: '\r\n', finalNewline: true });
  assert.deepEqual(detectLineStyle('a\nb\r\n'), { eol: '\n', finalNewline: true });
  assert.deepEqual(detectLineStyle('abc'), { eol: '\n', finalNewline: false });
  assert.deepEqual(detectLineStyle('abc', { eol: '\r\n', finalNewline: true }), { eol: '\r\n', finalNewline: false });
  assert.deepEqual(detectLineStyle('', { eol: '\r\n', finalNewline: false }), { eol: '\r\n', finalNewline: false });
  const hunks = diffProposal(original, 'a\nb\nC\nd\n');
  assert.equal(applyHunks(original, hunks, allIds(hunks)), 'a\r\nb\nC\r\nd\r\n');
  assert.equal(applyHunks(original, hunks, new Set()), original);
});

test('a region without a trailing newline keeps that convention', () => {
  const original = 'a\nb';
  const hunks = diffProposal(original, 'a\nB\nc\n');
  assert.deepEqual(brief(hunks), [[1, ['b'], ['B', 'c']]]);
  assert.equal(applyHunks(original, hunks, allIds(hunks)), 'a\nB\nc');
  assert.equal(applyHunks(original, hunks, new Set()), 'a\nb');
  const appended = diffProposal(original, 'a\nb\nc');
  assert.deepEqual(brief(appended), [[2, [], ['c']]]);
  assert.equal(applyHunks(original, appended, allIds(appended)), 'a\nb\nc');
  const cut = diffProposal(original, 'a\n');
  assert.equal(applyHunks(original, cut, allIds(cut)), 'a');
});

test('non-ASCII and emoji survive byte-exact', () => {
  const original = 'naïve 日本語 😀\r\ncafé\r\nend 👋🏽';
  const proposal = 'naïve 日本語 😀\ncafé ☕\nend 👋🏽\n';
  const hunks = diffProposal(original, proposal);
  assert.deepEqual(brief(hunks), [[1, ['café'], ['café ☕']]]);
  assert.ok(Buffer.from(applyHunks(original, hunks, new Set()), 'utf8').equals(Buffer.from(original, 'utf8')));
  assert.equal(applyHunks(original, hunks, allIds(hunks)), 'naïve 日本語 😀\r\ncafé ☕\r\nend 👋🏽');
  // An emoji split across chunks (between its UTF-16 halves) is reassembled.
  assert.deepEqual(stream(original, [...proposal.split('')]).final, hunks);
});

test('reject-all is the original and accept-all the normalised proposal, across cases', () => {
  const cases: Array<[string, string]> = [
    [CODE, CODE_EDITED],
    [CODE.replace(/\n/g, '\r\n'), CODE_EDITED],
    [CODE.trimEnd(), CODE_EDITED],
    ['only\n', ''],
    ['', 'new\nlines\n'],
    ['a\nb\nc\n', 'c\nb\na\n'],
  ];
  for (const [original, proposal] of cases) {
    const hunks = diffProposal(original, proposal);
    assert.equal(applyHunks(original, hunks, new Set()), original);
    const style = detectLineStyle(original);
    assert.equal(applyHunks(original, hunks, allIds(hunks)), normalised(proposal, style), JSON.stringify([original, proposal]));
  }
});

test('accepting a subset gives exactly those changes', () => {
  const hunks = diffProposal(CODE, CODE_EDITED);
  const [imp, sig, err] = hunks;
  assert.equal(applyHunks(CODE, hunks, new Set([sig!.id])), CODE
    .replace('load(path: string) {', 'load(path: string, encoding = "utf8") {')
    .replace('readFile(path, "utf8")', 'readFile(path, encoding)'));
  assert.equal(applyHunks(CODE, hunks, new Set([imp!.id, err!.id])), CODE
    .replace('";\n', '";\nimport { log } from "./log";\n')
    .replace('    throw new Error("empty");', '    log("empty file", path);\n    throw new Error(`empty: ${path}`);'));
});

test('empty original: an insertion at the cursor', () => {
  const hunks = diffProposal('', 'x\ny');
  assert.deepEqual(brief(hunks), [[0, [], ['x', 'y']]]);
  assert.equal(applyHunks('', hunks, allIds(hunks)), 'x\ny\n');
  assert.equal(applyHunks('', hunks, allIds(hunks), { eol: '\r\n', finalNewline: false }), 'x\r\ny');
  assert.equal(applyHunks('', hunks, new Set()), '');
  assert.deepEqual(diffProposal('', ''), []);
});

test('an empty proposal, or one that stops early, deletes the rest of the region', () => {
  const empty = diffProposal('a\nb\n', '');
  assert.deepEqual(brief(empty), [[0, ['a', 'b'], []]]);
  assert.equal(applyHunks('a\nb\n', empty, allIds(empty)), '');
  assert.equal(applyHunks('a\nb\n', empty, new Set()), 'a\nb\n');
  assert.deepEqual(brief(diffProposal('a\nb\nc\nd\n', 'a\nb\n')), [[2, ['c', 'd'], []]]);
});

test('applyHunks refuses hunks that do not fit the original', () => {
  const hunks = diffProposal('a\nb\n', 'a\nB\n');
  assert.throws(() => applyHunks('a\nc\n', hunks, new Set()), /does not match/);
  assert.throws(() => applyHunks('a\n', hunks, new Set()), /outside/);
});

test('layout: removed lines then added lines, with their ranges', () => {
  const original = 'a\nb\nc\nd\n';
  const hunks = diffProposal(original, 'a\nB\nc\nd\ne\n');
  const [h1, h2] = hunks;
  const shown = layout(original, hunks, new Map());
  assert.equal(shown.text, 'a\nb\nB\nc\nd\ne\n');
  assert.deepEqual(shown.ranges, [
    { id: h1!.id, removed: { start: 1, end: 2 }, added: { start: 2, end: 3 } },
    { id: h2!.id, removed: { start: 5, end: 5 }, added: { start: 5, end: 6 } },
  ]);
  const oneDone = layout(original, hunks, new Map<string, Resolution>([[h1!.id, 'accepted']]));
  assert.equal(oneDone.text, 'a\nB\nc\nd\ne\n');
  assert.deepEqual(oneDone.ranges, [{ id: h2!.id, removed: { start: 4, end: 4 }, added: { start: 4, end: 5 } }]);

  const noNewline = layout('x\ny', diffProposal('x\ny', 'x\nY'), new Map());
  assert.equal(noNewline.text, 'x\ny\nY');
  assert.deepEqual(noNewline.ranges.map((r) => [r.removed, r.added]), [[{ start: 1, end: 2 }, { start: 2, end: 3 }]]);
});

test('layout: deleting a hunk range gives the layout with that hunk resolved, down to applyHunks', () => {
  const cases: Array<[string, string]> = [
    [CODE, CODE_EDITED],
    [CODE.replace(/\n/g, '\r\n').trimEnd(), CODE_EDITED],
    ['a\nb', 'a\nB\nc'],
    ['a\r\nb\nc', 'a\nb'],
    ['a\nb', ''],
    ['', 'x\ny'],
    ['ä\n😀\n', '😀\nä\n'],
  ];
  const remove = (text: string, range: { start: number; end: number }): string => {
    const at = lineRangeOffsets(text, range);
    return text.slice(0, at.start) + text.slice(at.end);
  };
  for (const [original, proposal] of cases) {
    const hunks = diffProposal(original, proposal);
    // Resolve hunks one by one, alternating accept and reject, checking every step.
    const resolved = new Map<string, Resolution>();
    let shown = layout(original, hunks, resolved);
    for (const [i, h] of hunks.entries()) {
      const fate: Resolution = i % 2 === 0 ? 'accepted' : 'rejected';
      for (const f of ['accepted', 'rejected'] as const) {
        const r = shown.ranges.find((x) => x.id === h.id)!;
        const next = layout(original, hunks, new Map([...resolved, [h.id, f]]));
        assert.equal(remove(shown.text, f === 'accepted' ? r.removed : r.added), next.text, JSON.stringify([original, proposal, h.id, f]));
      }
      resolved.set(h.id, fate);
      shown = layout(original, hunks, resolved);
    }
    const accepted = new Set([...resolved].filter(([, f]) => f === 'accepted').map(([id]) => id));
    assert.equal(shown.text, applyHunks(original, hunks, accepted));
    assert.deepEqual(shown.ranges, []);
  }
});

test('line helpers: split keeps every byte, range offsets handle the last line', () => {
  for (const text of ['', 'a', 'a\n', 'a\r\nb', '\n\n', 'x\r\n\r\ny\n']) {
    const { lines, eols } = splitLines(text);
    assert.equal(lines.map((l, i) => l + eols[i]).join(''), text);
  }
  assert.deepEqual(lineRangeOffsets('a\r\nb\r\nc', { start: 2, end: 3 }), { start: 4, end: 7 });
  assert.deepEqual(lineRangeOffsets('a\r\nb\r\nc\r\n', { start: 2, end: 3 }), { start: 6, end: 9 });
  assert.deepEqual(lineRangeOffsets('a\nb', { start: 0, end: 2 }), { start: 0, end: 3 });
  assert.deepEqual(lineRangeOffsets('a\nb', { start: 1, end: 1 }), { start: 2, end: 2 });
});

test('a 50-line proposal streamed 10 characters at a time against a 10,000-line region stays fast', () => {
  const original = Array.from({ length: 10_000 }, (_, i) => `  const value${i} = compute(${i}, "${'x'.repeat(i % 17)}");`).join('\n') + '\n';
  const lines = splitLines(original).lines.slice(0, 50).map((l, i) => (i % 10 === 3 ? l.replace('compute', 'recompute') : l));
  const proposal = lines.join('\n') + '\n';
  const started = performance.now();
  const { final, snapshots } = stream(original, chunksOf(proposal, 10));
  const elapsed = performance.now() - started;
  assert.ok(snapshots.length > 200);
  // Five replaced lines settle while streaming; finish deletes the rest of the region.
  assert.equal(final.length, 6);
  assert.deepEqual(final.slice(0, 5).map((h) => h.origStart), [3, 13, 23, 33, 43]);
  assert.equal(final[5]!.origLines.length, 10_000 - 50);
  assert.ok(elapsed < 1500, `took ${elapsed.toFixed(0)} ms`);
});
