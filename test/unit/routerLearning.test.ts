// Learning from what users do: bounded biases, re-asks, exploration limits, persistence, reset.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import type { RouteDecision } from '../../src/core/run/seams';
import { EXPLORE_MIN_GAP, MAX_BIAS, REASK_WINDOW_MS, RouterLearning, STEP, queryKey } from '../../src/router/learning';

const tmpStore = async () => new JsonFileStore(await fs.mkdtemp(path.join(os.tmpdir(), 'arc-learn-')));

const decision = (mode: RouteDecision['mode'], confidence: number): RouteDecision => ({
  mode,
  intent: 'answer',
  confidence,
  probabilities: { instant: 0.5, reasoning: 0.4, agentic: 0.1 },
  reason: 'r.',
});

test('an override raises the mode the user wanted and lowers the others, within bounds', async () => {
  const l = await RouterLearning.load(undefined, true);
  await l.record({ type: 'override', bucket: 'b', from: 'instant', to: 'reasoning' });
  assert.deepEqual(l.bias('b'), { instant: -STEP / 2, reasoning: STEP, agentic: -STEP / 2 });
  for (let i = 0; i < 50; i++) await l.record({ type: 'override', bucket: 'b', from: 'instant', to: 'reasoning' });
  assert.deepEqual(l.bias('b'), { instant: -MAX_BIAS, reasoning: MAX_BIAS, agentic: -MAX_BIAS });
  assert.equal(l.bias('other'), undefined, 'other kinds of query are untouched');
});

test('thumbs, edits and failed tools nudge the mode that ran', async () => {
  const l = await RouterLearning.load(undefined, true);
  await l.record({ type: 'thumbs', bucket: 'b', mode: 'reasoning', up: false });
  await l.record({ type: 'edit', bucket: 'b', mode: 'agentic', accepted: true });
  await l.record({ type: 'tool_failed', bucket: 'b', mode: 'agentic' });
  assert.deepEqual(l.bias('b'), { instant: 0, reasoning: -STEP / 2, agentic: 0 });
});

test('a re-ask with another mode or more effort is detected and learned from; an unrelated query is not', async () => {
  const l = await RouterLearning.load(undefined, true);
  const t0 = 1_000_000;
  assert.equal(await l.noteRun('Why is  this slow?', 'b1', 'instant', 1, t0), undefined);
  const re = await l.noteRun('why is this slow?', 'b1', 'reasoning', 1, t0 + 1000);
  assert.deepEqual(re, { type: 'reask', bucket: 'b1', from: 'instant', to: 'reasoning', moreEffort: false });
  assert.deepEqual(l.bias('b1'), { instant: -STEP / 4, reasoning: STEP / 2, agentic: -STEP / 4 });
  const effort = await l.noteRun('rename x', 'b2', 'instant', 1, t0);
  assert.equal(effort, undefined);
  assert.equal((await l.noteRun('rename x', 'b2', 'instant', 1.5, t0 + 10))?.type, 'reask');
  assert.deepEqual(l.bias('b2'), { instant: -STEP / 4, reasoning: STEP / 2, agentic: -STEP / 4 });
  assert.equal(await l.noteRun('late', 'b3', 'instant', 1, t0), undefined);
  assert.equal(await l.noteRun('late', 'b3', 'reasoning', 1, t0 + REASK_WINDOW_MS + 1), undefined, 'outside the window');
  assert.ok(l.snapshot().recent.every((r) => /^[0-9a-f]{16}$/.test(r.query)), 'only hashes stored');
  assert.equal(l.snapshot().recent[0]!.query, queryKey('why is this slow?'), 'normalized before hashing');
  assert.ok(!JSON.stringify(l.snapshot()).includes('slow'), 'no query text stored');
});

test('exploration: rare, only between instant and reasoning, only when unsure, never a disabled mode', async () => {
  const l = await RouterLearning.load(undefined, true);
  const always = () => 0;
  const all = ['instant', 'reasoning', 'agentic'] as const;
  const flipped = l.explore(decision('instant', 0.5), all, always);
  assert.equal(flipped.mode, 'reasoning');
  assert.match(flipped.reason, /Exploring: trying reasoning/);
  assert.equal(l.explore(decision('instant', 0.5), all, always).mode, 'instant', 'not again before the gap');
  for (let i = 0; i < EXPLORE_MIN_GAP; i++) await l.noteRun(`q${i}`, 'b', 'instant', 1, i);
  assert.equal(l.explore(decision('agentic', 0.3), all, always).mode, 'agentic', 'never out of agentic');
  assert.equal(l.explore(decision('instant', 0.9), all, always).mode, 'instant', 'not when confident');
  assert.equal(l.explore(decision('instant', 0.5), ['instant', 'agentic'], always).mode, 'instant', 'not into a disabled mode');
  assert.equal(l.explore(decision('instant', 0.5), all, () => 0.99).mode, 'instant', 'rare');
  const back = l.explore(decision('reasoning', 0.5), all, always);
  assert.equal(back.mode, 'instant');
});

test('learning off: no bias, no records, no exploration', async () => {
  const store = await tmpStore();
  const on = await RouterLearning.load(store, true);
  await on.record({ type: 'override', bucket: 'b', from: 'instant', to: 'reasoning' });
  const off = await RouterLearning.load(store, false);
  assert.equal(off.bias('b'), undefined);
  assert.equal(await off.record({ type: 'override', bucket: 'b', from: 'instant', to: 'reasoning' }), false);
  assert.equal(off.explore(decision('instant', 0.1), ['instant', 'reasoning'], () => 0).mode, 'instant');
});

test('persisted in the store, and reset clears it', async () => {
  const store = await tmpStore();
  const a = await RouterLearning.load(store, true);
  await a.record({ type: 'override', bucket: 'b', from: 'reasoning', to: 'instant' });
  const b = await RouterLearning.load(store, true);
  assert.deepEqual(b.bias('b'), { instant: STEP, reasoning: -STEP / 2, agentic: -STEP / 2 });
  await b.reset();
  assert.equal(b.bias('b'), undefined);
  assert.equal((await RouterLearning.load(store, true)).bias('b'), undefined);
});

test('showing a decision never explores; running one may', async () => {
  const { LearnedRouter } = await import('../../src/router/learnedRouter');
  const l = await RouterLearning.load(undefined, true);
  for (let i = 0; i < EXPLORE_MIN_GAP; i++) await l.noteRun(`q${i}`, 'b', 'instant', 1, i);
  const r = new LearnedRouter(l, () => ({}), () => 0);
  const q = 'check the loop';
  const shown = r.routeQuery(q, {});
  assert.ok(shown.confidence < 0.65, 'an unsure query, where exploration could happen');
  for (let i = 0; i < 5; i++) assert.deepEqual(r.routeQuery(q, {}), shown);
  assert.notEqual(r.route({ effort: 1, query: q }).mode, shown.mode, 'the engine path explores when the dice say so');
});
