// Inline chat's pure edit logic: the whole-line deltas the editor applies, span mapping for edits made
// by others, the prose filter, and the proposal model's accept / reject contract — checked against a
// simulated buffer, byte for byte (CRLF, no final newline, non-ASCII).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProposalModel } from '../../src/edit/proposal';
import { LeadingProseFilter } from '../../src/edit/replyFilter';
import { applyDelta, lineDelta, mapSpan } from '../../src/edit/textDelta';
import { detectLineStyle } from '../../src/edit/lineText';

const atLineStart = (t: string, i: number) => i === 0 || i === t.length || t[i - 1] === '\n';

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('lineDelta: whole lines, and applying it gives the new text', () => {
  assert.equal(lineDelta('a\nb\n', 'a\nb\n'), undefined);
  assert.deepEqual(lineDelta('a\nb\nc\n', 'a\nB\nc\n'), { start: 2, end: 4, text: 'B\n' });
  assert.deepEqual(lineDelta('a\nc\n', 'a\nb\nc\n'), { start: 2, end: 2, text: 'b\n' });
  assert.deepEqual(lineDelta('a\nb\nc\n', 'a\nc\n'), { start: 2, end: 4, text: '' });
  // A change inside a line replaces the whole line, not a few characters.
  assert.deepEqual(lineDelta('x = 1\n', 'x = 2\n'), { start: 0, end: 6, text: 'x = 2\n' });
  // A common suffix that does not start a line in both texts is cut back to the next line.
  const d = lineDelta('x\ny\n', 'x\nzy\n')!;
  assert.deepEqual(d, { start: 2, end: 4, text: 'zy\n' });
  // No final newline.
  assert.equal(applyDelta('a\nb', lineDelta('a\nb', 'a\nb\nc')), 'a\nb\nc');
  assert.equal(applyDelta('', lineDelta('', 'x\n')), 'x\n');
});

test('lineDelta: random texts round-trip and the span is whole lines (CRLF and non-ASCII included)', () => {
  const rnd = seeded(7);
  const pool = ['alpha', 'beta', '  gamma();', '}', '', 'Straße', '日本語', '😀 ok', 'x\r'];
  const make = () => {
    const n = Math.floor(rnd() * 8);
    const lines = Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)]!);
    const eol = rnd() < 0.5 ? '\n' : '\r\n';
    return lines.join(eol) + (rnd() < 0.5 && n ? eol : '');
  };
  for (let i = 0; i < 2000; i++) {
    const a = make();
    const b = rnd() < 0.3 ? a : make();
    const d = lineDelta(a, b);
    assert.equal(applyDelta(a, d), b, JSON.stringify({ a, b, d }));
    if (d) {
      assert.ok(atLineStart(a, d.start) && atLineStart(b, d.start), JSON.stringify({ a, b, d }));
      assert.ok(atLineStart(a, d.end), JSON.stringify({ a, b, d }));
    }
  }
});

test('mapSpan: edits before shift the span, after leave it, inside grow it', () => {
  // span [10, 20)
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 0, rangeLength: 0, text: 'abc' }]), { start: 13, end: 23, inside: false });
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 2, rangeLength: 5, text: '' }]), { start: 5, end: 15, inside: false });
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 20, rangeLength: 0, text: 'x' }]), { start: 10, end: 20, inside: false });
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 25, rangeLength: 3, text: '' }]), { start: 10, end: 20, inside: false });
  // Typing at the span's first character edits its first line.
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 10, rangeLength: 0, text: 'x' }]), { start: 10, end: 21, inside: true });
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 12, rangeLength: 4, text: 'ab' }]), { start: 10, end: 18, inside: true });
  // A deletion ending exactly at the start is before it.
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 8, rangeLength: 2, text: '' }]), { start: 8, end: 18, inside: false });
  // Overlapping the start: the span takes the change in.
  assert.deepEqual(mapSpan(10, 20, [{ rangeOffset: 8, rangeLength: 4, text: 'Z' }]), { start: 8, end: 17, inside: true });
  // Several changes (undo makes them), any order.
  assert.deepEqual(
    mapSpan(10, 20, [
      { rangeOffset: 30, rangeLength: 0, text: 'later' },
      { rangeOffset: 15, rangeLength: 1, text: 'xyz' },
      { rangeOffset: 0, rangeLength: 0, text: '12' },
    ]),
    { start: 12, end: 24, inside: true },
  );
});

test('LeadingProseFilter drops a sentence before the fence and keeps code without one', () => {
  const run = (original: string, chunks: string[]) => {
    const f = new LeadingProseFilter(original);
    return chunks.map((c) => f.push(c)).join('') + f.end();
  };
  assert.equal(run('let a = 1;\n', ['Here is the code:\n\n```js\nlet a = 2;\n```\n']), '```js\nlet a = 2;\n```\n');
  assert.equal(run('let a = 1;\n', ['Here', ' is it:\n`', '``js\nlet a', ' = 2;\n```']), '```js\nlet a = 2;\n```');
  assert.equal(run('let a = 1;\n', ['```js\nlet a = 2;\n```\n']), '```js\nlet a = 2;\n```\n');
  // Unfenced code that starts with an original line passes at once, whole.
  assert.equal(run('let a = 1;\nlet b;\n', ['let a = 1;\nlet b = 2;\n']), 'let a = 1;\nlet b = 2;\n');
  // Unfenced new code passes after a few lines, nothing lost.
  assert.equal(run('x\n', ['one\ntwo\nthree\nfour\n']), 'one\ntwo\nthree\nfour\n');
  // A markdown original whose own lines come before a fence keeps them.
  assert.equal(run('# Title\n```sh\nls\n```\n', ['# Title\n```sh\nls -la\n```\n']), '# Title\n```sh\nls -la\n```\n');
  // Short replies end up whole.
  assert.equal(run('x\n', ['y']), 'y');
});

/** A buffer: text before the region, the region, text after; updated only through lineDelta, as the editor is. */
class SimBuffer {
  region: string;
  constructor(
    readonly before: string,
    region: string,
    readonly after: string,
  ) {
    this.region = region;
  }
  show(target: string): void {
    const d = lineDelta(this.region, target);
    const doc = this.before + this.region + this.after;
    const next = applyDelta(doc, d ? { start: this.before.length + d.start, end: this.before.length + d.end, text: d.text } : undefined);
    this.region = target;
    assert.equal(next, this.text());
  }
  text(): string {
    return this.before + this.region + this.after;
  }
}

function streamInto(model: ProposalModel, buffer: SimBuffer, reply: string, size = 5): void {
  for (let i = 0; i < reply.length; i += size) {
    model.push(reply.slice(i, i + size));
    buffer.show(model.view().text);
  }
  model.finish();
  buffer.show(model.view().text);
}

const ORIGINAL = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';
const REPLY =
  'Sure:\n```js\nfunction add(left, right) {\n  return left + right;\n}\n\nfunction sub(a, b) {\n  // difference\n  return a - b;\n}\n```\nDone.';

test('ProposalModel: streamed, accepted hunk by hunk, the buffer is the original plus the accepted hunks', () => {
  const model = new ProposalModel(ORIGINAL);
  const buf = new SimBuffer('// head\n', ORIGINAL, '// tail\n');
  streamInto(model, buf, REPLY, 3);
  assert.equal(model.streaming, false);
  const hunks = model.hunks();
  assert.equal(hunks.length, 2);
  assert.deepEqual([...hunks[0]!.origLines], ['function add(a, b) {', '  return a + b;']);
  assert.deepEqual([...hunks[1]!.newLines], ['  // difference']);
  // While pending, the view shows both the removed and the added lines.
  assert.ok(buf.region.includes('  return a + b;\n') && buf.region.includes('  return left + right;\n'));
  assert.equal(model.resolve(hunks[1]!.id, 'accepted'), true);
  buf.show(model.view().text);
  assert.equal(model.resolve(hunks[1]!.id, 'rejected'), false, 'decided once');
  assert.equal(model.resolve(hunks[0]!.id, 'rejected'), true);
  buf.show(model.view().text);
  assert.equal(model.done, true);
  const expected = ORIGINAL.replace('  return a - b;', '  // difference\n  return a - b;');
  assert.equal(buf.region, expected);
  assert.equal(model.finalText(), expected);
  assert.equal(buf.text(), `// head\n${expected}// tail\n`);
  assert.deepEqual(model.counts(), { hunks: 2, pending: 0, accepted: 1, rejected: 1, added: 1, removed: 0 });
});

test('ProposalModel: reject everything gives the original bytes back (CRLF, no final newline, non-ASCII)', () => {
  const original = 'const greeting = "Grüße";\r\nconst emoji = "😀";\r\nconst cjk = "日本語";';
  const reply = '```ts\nconst greeting = "Grüße, Welt";\nconst emoji = "😀";\nconst cjk = "日本語";\n```';
  const style = detectLineStyle(original, { eol: '\r\n', finalNewline: false });
  const model = new ProposalModel(original, { fallbackStyle: style });
  const buf = new SimBuffer('// ü\r\n', original, '');
  streamInto(model, buf, reply, 4);
  assert.ok(buf.region.includes('"Grüße, Welt";\r\n'), 'proposed lines take the region\'s CRLF');
  assert.ok(!/[^\r]\n/.test(buf.text()), 'no bare LF was introduced');
  model.resolveAll('rejected');
  buf.show(model.finalText());
  assert.equal(buf.text(), `// ü\r\n${original}`);
});

test('ProposalModel: accept all on a CRLF region without a final newline changes only the accepted lines', () => {
  const original = 'a = 1\r\nb = 2\r\nc = 3';
  const model = new ProposalModel(original, { fallbackStyle: { eol: '\r\n', finalNewline: false } });
  const buf = new SimBuffer('x\r\n', original, '');
  streamInto(model, buf, '```\na = 1\nb = 20\nc = 3\nd = 4\n```', 2);
  model.resolveAll('accepted');
  buf.show(model.finalText());
  assert.equal(buf.text(), 'x\r\na = 1\r\nb = 20\r\nc = 3\r\nd = 4');
});

test('ProposalModel: provisional hunks cannot be decided; stable ones can while streaming', () => {
  const original = ['one', 'two', 'three', 'four', 'five', 'six', ''].join('\n');
  const model = new ProposalModel(original);
  model.push('```\none\nTWO\nthree\nfour\n');
  const stable = model.hunks().filter((h) => h.stable);
  assert.equal(stable.length, 1);
  assert.equal(model.resolve(stable[0]!.id, 'accepted'), true);
  model.push('FIVE\n');
  const provisional = model.hunks().find((h) => !h.stable);
  assert.ok(provisional);
  assert.equal(model.canResolve(provisional.id), false);
  model.push('six\n```\n');
  model.finish();
  assert.equal(model.resolution(stable[0]!.id), 'accepted', 'an early decision survives the rest of the stream');
  model.resolveAll('accepted');
  assert.equal(model.finalText(), original.replace('two', 'TWO').replace('five', 'FIVE'));
});

test('ProposalModel: hunkAtLine finds the hunk under the cursor, else the next, else the last', () => {
  const original = 'a\nb\nc\nd\ne\nf\ng\n';
  const model = new ProposalModel(original, { dropLeadingProse: false });
  model.push('a\nB\nc\nd\ne\nF\ng\n');
  model.finish();
  const [h1, h2] = model.hunks();
  const [r1, r2] = model.ranges();
  assert.equal(model.hunkAtLine(r1!.removed.start), h1!.id);
  assert.equal(model.hunkAtLine(r1!.added.start), h1!.id);
  assert.equal(model.hunkAtLine(0), h1!.id);
  assert.equal(model.hunkAtLine(r1!.added.end), h2!.id);
  assert.equal(model.hunkAtLine(r2!.added.end + 3), h2!.id);
});

test('ProposalModel: decisions restore (an undo brings an earlier view back)', () => {
  const model = new ProposalModel('a\nb\nc\nd\ne\n', { dropLeadingProse: false });
  model.push('A\nb\nc\nd\nE\n');
  model.finish();
  const before = { text: model.view().text, decisions: model.decisions() };
  model.resolve(model.hunks()[0]!.id, 'accepted');
  assert.notEqual(model.view().text, before.text);
  model.restoreDecisions(before.decisions);
  assert.equal(model.view().text, before.text);
  assert.equal(model.pending().length, 2);
});

test('ProposalModel: a final reply different from the stream replaces the hunks', () => {
  const model = new ProposalModel('x = 1\ny = 2\n');
  model.push('```\nx = 1\ny = 3\n```\n');
  model.replaceReply('```\nx = 10\ny = 2\n```\n');
  assert.equal(model.streaming, false);
  model.resolveAll('accepted');
  assert.equal(model.finalText(), 'x = 10\ny = 2\n');
});

test('ProposalModel: an unchanged reply has no hunks, re-emitted lines are not changes', () => {
  const model = new ProposalModel('keep\nthis  \n');
  model.push('```\nkeep\nthis\n```');
  model.finish();
  assert.equal(model.hunks().length, 0);
  assert.equal(model.view().text, 'keep\nthis  \n');
  assert.equal(model.done, true);
});

test('ProposalModel: 50 changed lines in a long region, streamed token by token, land exactly', () => {
  const lines = Array.from({ length: 400 }, (_, i) => `  const v${i} = compute(${i});`);
  const original = lines.join('\n') + '\n';
  const edited = lines.map((l, i) => (i >= 100 && i < 150 ? l.replace('compute', 'computeFast') : l));
  const reply = '```ts\n' + edited.join('\n') + '\n```\n';
  const model = new ProposalModel(original);
  const buf = new SimBuffer('', original, '');
  streamInto(model, buf, reply, 4);
  assert.equal(model.hunks().length, 1);
  model.resolveAll('accepted');
  buf.show(model.finalText());
  assert.equal(buf.text(), edited.join('\n') + '\n');
});

test('ProposalModel: the closing fence completes the proposal — the same final view as the end of the run, commentary after it ignored', () => {
  const original = 'function add(a, b) {\n  return a + b;\n}\n\nconst x = 1;\n';
  const code = 'function add(left, right) {\n  return left + right;\n}\n\nconst x = 1;\n';
  const reply = 'Here it is:\n```js\n' + code + '```\nI renamed the parameters.\n';
  const early = new ProposalModel(original);
  const late = new ProposalModel(original, { stripFences: true });
  let closedAt = -1;
  for (let i = 0; i < reply.length; i += 3) {
    early.push(reply.slice(i, i + 3));
    if (closedAt < 0 && !early.streaming) closedAt = i + 3;
  }
  const fenceEnd = reply.indexOf('```\n', reply.indexOf('```js') + 1) + 4;
  assert.ok(closedAt >= fenceEnd && closedAt < fenceEnd + 3, `complete once the closing fence line is in (at ${closedAt}, fence ends at ${fenceEnd})`);
  // The whole reply (commentary included) is kept, so the run's final answer compares equal.
  assert.equal(early.reply, reply);
  late.push(reply);
  late.finish();
  assert.equal(early.view().text, late.view().text);
  assert.deepEqual(early.hunks(), late.hunks());
  assert.ok(early.hunks().every((h) => h.stable));
  early.finish();
  assert.equal(early.view().text, late.view().text);
  // A region that has fence lines of its own (Markdown) cannot tell: it stays open until the end.
  const md = new ProposalModel('Text\n```\ncode\n```\n');
  md.push('```md\nText!\n```\ncode\n```\n```\nmore');
  assert.equal(md.streaming, true);
});
