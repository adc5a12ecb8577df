// Inline chat's pure helpers on the editor side: prompt prefixes, follow-up intent, labels, the region
// and context window, diagnostics, and the event feed the sidebar subscribes to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorLine, formatDiagnostics, regionOf, surroundingLines } from '../../src/vscode/inline/context';
import { InlineRunFeed } from '../../src/vscode/inline/feed';
import { fixQuery, followUpIntent, parsePrompt, progressLabel, threadLabel } from '../../src/vscode/inline/prompt';
import type { KnownRunEvent } from '../../src/core/run/events';

test('parsePrompt: mode, effort and intent prefixes, combined, then the request', () => {
  assert.deepEqual(parsePrompt('make it shorter'), { query: 'make it shorter' });
  assert.deepEqual(parsePrompt('/reasoning why is this slow?'), { query: 'why is this slow?', mode: 'reasoning' });
  assert.deepEqual(parsePrompt('  /reason /effort 0.5 tidy up'), { query: 'tidy up', mode: 'reasoning', effort: 0.5 });
  assert.deepEqual(parsePrompt('/instant /e=2 /edit rename x'), { query: 'rename x', mode: 'instant', effort: 2, intent: 'edit' });
  assert.deepEqual(parsePrompt('/ask what is this'), { query: 'what is this', intent: 'answer' });
  assert.deepEqual(parsePrompt('/AUTO'), { query: '', mode: 'auto' });
  assert.deepEqual(parsePrompt('/effort 3 go'), { query: 'go', badEffort: '3' });
  assert.deepEqual(parsePrompt('/effort go'), { query: 'go', badEffort: '(missing)' });
  // Not ours: left in the request as written.
  assert.deepEqual(parsePrompt('/tmp fills up, why?'), { query: '/tmp fills up, why?' });
  assert.deepEqual(parsePrompt('/usr/bin/env node'), { query: '/usr/bin/env node' });
  assert.deepEqual(parsePrompt('/agentic /frobnicate x'), { query: '/frobnicate x', mode: 'agentic' });
});

test('followUpIntent: a short modifier continues the thread, a question after an edit is answered', () => {
  assert.equal(followUpIntent('edit', undefined, 'add docs'), 'edit');
  assert.equal(followUpIntent('answer', 'edit', 'shorter'), 'edit');
  assert.equal(followUpIntent('edit', 'answer', 'shorter'), 'answer');
  assert.equal(followUpIntent('answer', 'edit', 'why did you remove the loop?'), 'answer');
  assert.equal(followUpIntent('edit', 'answer', 'now rewrite the whole function to use a map instead of the loop'), 'edit');
  assert.equal(followUpIntent('edit', 'edit', 'also handle null'), 'edit');
});

test('labels: thread title, progress with and without a budget, fix request', () => {
  assert.equal(threadLabel('auto', 1), 'ARC · Auto · effort 1.0×');
  assert.equal(threadLabel('auto', 0.5, 'reasoning'), 'ARC · Auto → reasoning · effort 0.5×');
  assert.equal(threadLabel('instant', 0.25), 'ARC · Instant · effort 0.25×');
  assert.equal(progressLabel({ mode: 'reasoning', tokens: 340, budget: 1800 }), 'reasoning · 340 / 1,800 tokens');
  assert.equal(progressLabel({ tokens: 12 }), '12 tokens');
  assert.equal(progressLabel({ mode: 'instant', tokens: 0 }), 'instant');
  assert.equal(progressLabel({ mode: 'reasoning', tokens: 0, budget: 900 }), 'reasoning · 0 / 900 tokens');
  assert.match(fixQuery(2), /diagnostics/);
  assert.doesNotMatch(fixQuery(0), /diagnostics/);
});

test('regionOf: whole lines; a selection ending at column 0 stops at the line before; a cursor is its line', () => {
  assert.deepEqual(regionOf({ startLine: 3, startCharacter: 4, endLine: 5, endCharacter: 2 }, 10), { startLine: 3, endLine: 6 });
  assert.deepEqual(regionOf({ startLine: 3, startCharacter: 0, endLine: 6, endCharacter: 0 }, 10), { startLine: 3, endLine: 6 });
  assert.deepEqual(regionOf({ startLine: 4, startCharacter: 2, endLine: 4, endCharacter: 2 }, 10), { startLine: 4, endLine: 5 });
  assert.deepEqual(regionOf({ startLine: 9, startCharacter: 0, endLine: 12, endCharacter: 1 }, 10), { startLine: 9, endLine: 10 });
});

test('surroundingLines: a window each side, bounded by lines and characters, never the whole file', () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i}`);
  const s = surroundingLines((i) => lines[i]!, lines.length, { startLine: 5000, endLine: 5010 });
  assert.equal(s.before.split('\n').length, 30);
  assert.equal(s.before.split('\n')[0], 'line 4970');
  assert.equal(s.before.split('\n').at(-1), 'line 4999');
  assert.equal(s.after.split('\n')[0], 'line 5010');
  assert.equal(s.after.split('\n').length, 30);
  const edge = surroundingLines((i) => lines[i]!, lines.length, { startLine: 0, endLine: 2 }, 5);
  assert.equal(edge.before, '');
  assert.equal(edge.after, 'line 2\nline 3\nline 4\nline 5\nline 6');
  const long = Array.from({ length: 100 }, () => 'x'.repeat(1000));
  const capped = surroundingLines((i) => long[i]!, long.length, { startLine: 50, endLine: 51 }, 30, 3500);
  assert.equal(capped.before.split('\n').length, 3, 'the lines nearest the region win');
});

test('formatDiagnostics: 1-based lines, errors first, source and code', () => {
  const out = formatDiagnostics([
    { line: 4, severity: 'warning', message: 'unused  variable\n x', source: 'ts', code: 6133 },
    { line: 9, severity: 'error', message: "'y' is not defined", source: 'eslint', code: 'no-undef' },
  ]);
  assert.deepEqual(out, ["line 10: error: 'y' is not defined (eslint no-undef)", 'line 5: warning: unused variable x (ts 6133)']);
  assert.equal(formatDiagnostics(Array.from({ length: 50 }, (_, i) => ({ line: i, severity: 'hint' as const, message: 'm' }))).length, 20);
});

test('InlineRunFeed: subscribers get every event, replay on request, a throwing one harms nobody', () => {
  const feed = new InlineRunFeed(3);
  const ev = (seq: number) => ({ v: 1, seq, t: 0, runId: 'r', threadId: 'root', type: 'run.started', data: { query: 'q', requestedMode: 'auto' } }) as KnownRunEvent;
  const got: number[] = [];
  feed.subscribe(() => {
    throw new Error('view bug');
  });
  const sub = feed.subscribe((n) => got.push(n.event.seq));
  for (let i = 0; i < 5; i++) feed.emit({ threadId: 't', uri: 'file:///a', query: 'q', intent: 'edit', event: ev(i) });
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  sub.dispose();
  feed.emit({ threadId: 't', uri: 'file:///a', query: 'q', intent: 'edit', event: ev(5) });
  assert.equal(got.length, 5);
  const replayed: number[] = [];
  feed.subscribe((n) => replayed.push(n.event.seq), { replay: true });
  assert.deepEqual(replayed, [3, 4, 5], 'the last `keep` events');
});

test('the prompt widget goes above the region, or below it at the top of the file — never inside it', () => {
  // The editor puts a thread's widget below its anchor line.
  assert.equal(anchorLine({ startLine: 4, endLine: 7 }, 10), 3, 'the line above the selection');
  // A selection starting on line 1: below the line after it (a diff there only grows above that line).
  assert.equal(anchorLine({ startLine: 0, endLine: 3 }, 10), 3);
  // The whole file: its last line (the widget then follows the diff's end while one is shown).
  assert.equal(anchorLine({ startLine: 0, endLine: 10 }, 10), 9);
  assert.equal(anchorLine({ startLine: 0, endLine: 1 }, 1), 0);
  for (let lineCount = 1; lineCount <= 6; lineCount++) {
    for (let start = 0; start < lineCount; start++) {
      for (let end = start + 1; end <= lineCount; end++) {
        const a = anchorLine({ startLine: start, endLine: end }, lineCount);
        assert.ok(a >= 0 && a < lineCount, `a line of the file (${start}–${end} of ${lineCount}): ${a}`);
        // Below line a: not between two lines of the region.
        assert.ok(a < start || a >= end - 1, `not inside the region (${start}–${end} of ${lineCount}): ${a}`);
      }
    }
  }
});
