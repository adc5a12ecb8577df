// How the sidebar words a run (issue 22), in plain Node: notices folded into one details line per run
// (repeats counted, never lost), thread labels that keep the whole goal, token counts that say what
// they count (so a "reasoning cut at 1,000" note and "1,992 / 2,024" agree), and a cost that is
// "unknown" from the first event of a model without a price rather than "$0".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyRaw, createRunView } from '../../src/protocol/runTree';
import { noteLabel, runNotes } from '../../src/protocol/runNotes';
import { costState, threadLabel, tokensText, tokensTitle } from '../../src/protocol/threadDisplay';

let seq = 0;
const ev = (type: string, data: unknown, threadId = 'root', parentId?: string) => ({ v: 1, seq: seq++, t: 1000 + seq, runId: 'run-1', threadId, ...(parentId ? { parentId } : {}), type, data });
const usage = (completion: number, reasoning: number) => ({ prompt: 10, completion, reasoning });

test('notices of a run fold into one details line: grouped by kind, repeats counted, messages kept', () => {
  const view = createRunView('q');
  const raw = [ev('run.started', { query: 'q', requestedMode: 'auto' }), ev('thread.started', { goal: 'q', role: 'reasoning', mode: 'reasoning', budget: 2024 })];
  // One "no usage" per call, as the provider sends it: five calls, five notices.
  for (let i = 0; i < 5; i++) raw.push(ev('thread.notice', { code: 'usage_missing', message: 'local reported no token usage for this call.' }));
  raw.push(ev('thread.notice', { code: 'budget_reached', message: 'Reasoning reached its budget of 1000 tokens (1× the usual 1000); asking for the answer now.' }));
  raw.push(ev('thread.notice', { code: 'param_dropped', message: 'The server refused max_completion_tokens; sent max_tokens.' }));
  raw.push(ev('thread.notice', { code: 'brand_new_code', message: 'Something new.' }));
  assert.equal(applyRaw(view, raw), 0);
  assert.equal(view.notices.length, 4, 'the five identical notices are one entry');
  assert.equal(view.notices[0]!.count, 5);
  const notes = runNotes(view.notices);
  assert.equal(notes.total, 8);
  assert.deepEqual(notes.groups.map((g) => [g.code, g.count]), [['usage_missing', 5], ['budget_reached', 1], ['param_dropped', 1], ['brand_new_code', 1]]);
  assert.equal(notes.summary, 'Details: no usage reported ×5 · reasoning cut at its budget · parameter dropped · brand new code');
  assert.match(notes.tooltip, /no usage reported: local reported no token usage for this call\. ×5/);
  assert.match(notes.tooltip, /parameter dropped: The server refused max_completion_tokens/);
  assert.equal(runNotes([]).summary, '');
  assert.equal(runNotes([]).total, 0);
  assert.equal(noteLabel('thinking_control'), 'thinking control');
});

test('different messages of one kind stay apart under one group', () => {
  const notes = runNotes([
    { code: 'budget_reached', message: 'budget of 1509 tokens' },
    { code: 'budget_reached', message: 'budget of 882 tokens', count: 2 },
  ]);
  assert.equal(notes.groups.length, 1);
  assert.equal(notes.groups[0]!.count, 3);
  assert.deepEqual(notes.groups[0]!.messages, [{ text: 'budget of 1509 tokens', count: 1 }, { text: 'budget of 882 tokens', count: 2 }]);
});

test('a thread label keeps the whole goal (no cut mid-word), without the internal part markers', () => {
  const goal = 'CHILD-1: compute the asymptotic complexity of building a binary heap bottom-up and explain why it is linear rather than n log n, with the summation written out [part:q1:0]';
  const label = threadLabel({ parentId: 'root', goal });
  assert.equal(label, `Thread: ${goal.replace(' [part:q1:0]', '')}`);
  assert.ok(!label.includes('…'));
  assert.equal(threadLabel({ goal: 'q', model: 'sim/sim-reasoning' }), 'Answer · sim/sim-reasoning');
  assert.match(threadLabel({ parentId: 'root', goal: 'x', step: { index: 1, title: 'Second', system: 2, difficulty: 0.8, budget: 900, dependsOn: [] } }), /^Step 2 · System 2 · difficulty 0\.80 · budget 900: Second$/);
});

test('token counts say what they count: the whole output against the whole budget, then the reasoning share', () => {
  const view = createRunView('q');
  applyRaw(view, [
    ev('run.started', { query: 'q', requestedMode: 'reasoning' }),
    ev('run.budget', { effort: 1, estimate: 1000, reasoning: 1000, answer: 1024, total: 2024, enforcement: 'forcing', bucket: 'b' }),
    ev('thread.started', { goal: 'q', role: 'reasoning', mode: 'reasoning', budget: 2024, model: 'sim/sim-reasoning' }),
    ev('thread.progress', { tokens: 1500 }),
  ]);
  const root = view.threads.get('root')!;
  assert.equal(tokensText(root), '1,500 / 2,024 tokens', 'while streaming only the total is known');
  assert.equal(tokensTitle(root, view.budget), 'Output tokens of this thread (reasoning and answer together) against its whole budget: 1,000 for reasoning + 1,024 for the answer.');
  applyRaw(view, [ev('thread.notice', { code: 'budget_reached', message: 'Reasoning reached its budget of 1000 tokens' }), ev('thread.finished', { status: 'done', answer: 'a', usage: usage(1992, 1000) })]);
  assert.equal(tokensText(root), '1,992 / 2,024 tokens (1,000 reasoning over both calls + 992 answer)', 'the reasoning part matches the note’s budget');
  // The demo's case: cut at 1,000, then the simulator reasons 947 more in the answer call (2 calls' usage).
  const child = { tokens: 2047, budget: 2024, reasoningTokens: 1947, noticeCodes: ['budget_reached'] };
  assert.equal(tokensText(child), '2,047 / 2,024 tokens (1,947 reasoning over both calls + 100 answer)');
  assert.equal(tokensText({ ...child, noticeCodes: [] }), '2,047 / 2,024 tokens (1,947 reasoning + 100 answer)');
  assert.equal(tokensText({ tokens: 40, budget: null }), '40 tokens');
  assert.equal(tokensTitle({ parentId: 'root', budget: 400 }, view.budget), 'Output tokens of this thread (reasoning and answer together) against its whole budget.');
});

test('cost: nothing before usage, "unknown" from the first event of an unpriced model, the sum otherwise', () => {
  const start = [ev('run.started', { query: 'q', requestedMode: 'instant' }), ev('thread.started', { goal: 'q', role: 'instant', mode: 'instant', budget: null, model: 'local/llama' })];
  const unpriced = createRunView('q');
  applyRaw(unpriced, start);
  assert.deepEqual(costState(unpriced, ['local/llama']), { kind: 'unknown', model: 'local/llama' }, 'unknown while it streams, not $0');
  const priced = createRunView('q');
  applyRaw(priced, start);
  assert.deepEqual(costState(priced, []), { kind: 'none' }, 'no figure before any usage arrived');
  applyRaw(priced, [ev('usage', { model: 'local/llama', usage: usage(20, 0), cost: 0.002 })]);
  assert.deepEqual(costState(priced, []), { kind: 'known', usd: 0.002 });
  applyRaw(priced, [ev('usage', { model: 'other/m', usage: usage(20, 0), cost: null })]);
  assert.deepEqual(costState(priced, []), { kind: 'unknown' }, 'a call without a price makes the whole run unknown');
});

test('the sidebar view is titled so nobody takes it for VS Code\'s own Chat (its id stays arc.sidebar)', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { views: Record<string, Array<{ id: string; name: string }>> } };
  const view = pkg.contributes.views.arc!.find((v) => v.id === 'arc.sidebar');
  assert.ok(view, 'the arc.sidebar view is contributed');
  assert.equal(view.name, 'Conversation', 'the palette reads "ARC: Focus on Conversation View"');
  assert.doesNotMatch(view.name, /\bchat\b/i);
});
