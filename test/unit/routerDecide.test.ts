// The routing decision: expected success minus an effort-weighted cost, allowed modes, tool
// calling, learned bias, intent and the inline-question rule, the run.routed shape, the Router seam.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventDataSchemas, type Mode } from '../../src/core/run/events';
import {
  MODE_COST,
  WEAK_SUCCESS,
  clampEffort,
  costWeight,
  decide,
  expectedSuccess,
  explainRoute,
} from '../../src/router/decide';
import { DIM, SIGNALS, HASH_SIZE, type RouteContext } from '../../src/router/features';
import { MODES, type RouterModel } from '../../src/router/model';
import { LocalRouter, countLines, routeContextOf } from '../../src/router/router';
import { parseDataset } from '../../src/router/train/trainer';

const ROOT = path.resolve(__dirname, '../../..');
const dataset = parseDataset(readFileSync(path.join(ROOT, 'data/router/queries.jsonl'), 'utf8'));
const rank = (m: Mode) => MODES.indexOf(m);

/** A model that ignores the text: fixed mode probabilities and intent, optionally one signal's weight. */
function fixedModel(p: Record<Mode, number>, editLogit = -5): RouterModel {
  return {
    modeWeights: new Float64Array(MODES.length * DIM),
    modeBias: Float64Array.from(MODES.map((m) => Math.log(p[m]))),
    intentWeights: new Float64Array(DIM),
    intentBias: editLogit,
  };
}

test('expected success follows the capability ladder', () => {
  const p = { instant: 0.2, reasoning: 0.5, agentic: 0.3 };
  assert.equal(expectedSuccess('agentic', p), 1);
  assert.ok(Math.abs(expectedSuccess('reasoning', p) - (0.2 + 0.5 + WEAK_SUCCESS * 0.3)) < 1e-12);
  assert.ok(Math.abs(expectedSuccess('instant', p) - (0.2 + WEAK_SUCCESS * 0.8)) < 1e-12);
  assert.ok(MODE_COST.instant < MODE_COST.reasoning && MODE_COST.reasoning < MODE_COST.agentic);
});

test('the cost weight falls as effort rises and effort is clamped to [0.1, 2]', () => {
  assert.ok(costWeight(0.1) > costWeight(0.5) && costWeight(0.5) > costWeight(1) && costWeight(1) > costWeight(2));
  assert.equal(clampEffort(undefined), 1);
  assert.equal(clampEffort(0), 0.1);
  assert.equal(clampEffort(9), 2);
  assert.equal(clampEffort(Number.NaN), 1);
  // agentic stays reachable at the lowest effort: its penalty is below its largest possible gain
  assert.ok(costWeight(0.1) * MODE_COST.agentic < 1 - WEAK_SUCCESS);
});

test('a borderline query flips from reasoning to instant at low effort, and not at high effort', () => {
  const model = fixedModel({ instant: 0.47, reasoning: 0.5, agentic: 0.03 });
  const at = (effort: number) => decide('anything', {}, { model, effort }).mode;
  assert.equal(at(1), 'reasoning');
  assert.equal(at(2), 'reasoning');
  assert.equal(at(0.1), 'instant');
  const low = decide('anything', {}, { model, effort: 0.1 });
  assert.match(low.reason, /reasoning \(0\.50\) not worth its cost at effort 0\.1/);
  // a clear agentic task is still agentic at the lowest effort
  assert.equal(decide('x', {}, { model: fixedModel({ instant: 0.03, reasoning: 0.03, agentic: 0.94 }), effort: 0.1 }).mode, 'agentic');
});

test('on the shipped model, lower effort never picks a costlier mode, and some decisions do flip', () => {
  let flips = 0;
  for (const e of dataset) {
    const [lo, mid, hi] = [0.1, 1, 2].map((effort) => rank(decide(e.query, e.context, { effort }).mode));
    assert.ok(lo! <= mid! && mid! <= hi!, e.query);
    if (lo! < mid!) flips++;
  }
  assert.ok(flips > 0);
});

test('a disabled mode is never chosen', () => {
  const enabledModes: Mode[] = ['instant', 'agentic'];
  for (const e of dataset) assert.notEqual(decide(e.query, e.context, { enabledModes }).mode, 'reasoning', e.query);
  const d = decide('x', {}, { model: fixedModel({ instant: 0.05, reasoning: 0.9, agentic: 0.05 }), enabledModes: ['instant'] });
  assert.equal(d.mode, 'instant');
  assert.match(d.reason, /reasoning is disabled/);
});

test('without tool calling agentic is never chosen', () => {
  for (const e of dataset.filter((x) => x.mode === 'agentic')) {
    assert.notEqual(decide(e.query, e.context, { toolCalling: false }).mode, 'agentic', e.query);
  }
  const d = decide('run the tests', {}, { model: fixedModel({ instant: 0.02, reasoning: 0.03, agentic: 0.95 }), toolCalling: false });
  assert.notEqual(d.mode, 'agentic');
  assert.match(d.reason, /agentic needs tool calling/);
  assert.equal(decide('run the tests and tell me what fails', {}, {}).mode, 'agentic', 'tools allowed by default');
});

test('learned mode bias shifts probabilities as additive log-odds', () => {
  const model = fixedModel({ instant: 0.3, reasoning: 0.6, agentic: 0.1 });
  assert.equal(decide('x', {}, { model }).mode, 'reasoning');
  const biased = decide('x', {}, { model, modeBias: { reasoning: -3 } });
  assert.equal(biased.mode, 'instant');
  const p = biased.probabilities;
  const expected = (0.6 * Math.exp(-3)) / (0.3 + 0.6 * Math.exp(-3) + 0.1);
  assert.ok(Math.abs(p.reasoning - expected) < 1e-4);
});

test('intent: edits for change requests, answers for questions, and inline questions are always answers', () => {
  const cases: Array<[string, RouteContext, 'answer' | 'edit']> = [
    ['add a null check for user', { source: 'inline', selectionLines: 6, language: 'typescript' }, 'edit'],
    ['rename tmp to buffer', { source: 'inline', selectionLines: 4 }, 'edit'],
    ['what does this do?', { source: 'inline', selectionLines: 6 }, 'answer'],
    ['explain this function', { source: 'palette', selectionLines: 12 }, 'answer'],
    ['where is the database connection configured?', { source: 'sidebar' }, 'answer'],
    ['rename getUser to fetchUser everywhere', { source: 'palette' }, 'edit'],
  ];
  for (const [q, ctx, intent] of cases) assert.equal(decide(q, ctx).intent, intent, q);
  // The rule, isolated from the model: an intent head that always says "edit".
  const model = fixedModel({ instant: 0.9, reasoning: 0.05, agentic: 0.05 }, 5);
  assert.equal(decide('should this be a const?', { source: 'inline', selectionLines: 3 }, { model }).intent, 'answer');
  assert.equal(decide('should this be a const?', { source: 'sidebar', selectionLines: 3 }, { model }).intent, 'edit');
  assert.equal(decide('can you make this a const?', { source: 'inline', selectionLines: 3 }, { model }).intent, 'edit', 'a polite request is not a question');
});

test('the decision has exactly the run.routed / arc route shape', () => {
  const d = decide('why does this test fail?\n```\nexpect(1).toBe(2)\n```', { source: 'sidebar' });
  assert.deepEqual(Object.keys(d).sort(), ['confidence', 'intent', 'mode', 'probabilities', 'reason']);
  assert.deepEqual(Object.keys(d.probabilities).sort(), ['agentic', 'instant', 'reasoning']);
  assert.ok(eventDataSchemas['run.routed'].safeParse(d).success);
  const sum = d.probabilities.instant + d.probabilities.reasoning + d.probabilities.agentic;
  assert.ok(Math.abs(sum - 1) < 1e-3);
  assert.equal(d.confidence, d.probabilities[d.mode]);
});

test('reasons are short English text naming signals, whatever the language of the query', () => {
  const queries = ['为什么测试失败了？', 'Почему падают тесты в проекте?', 'なぜこの再帰はスタックオーバーフローするの？', 'Warum ist das langsam?'];
  for (const q of queries) {
    const { reason } = decide(q, { source: 'sidebar' });
    assert.match(reason, /^[\x20-\x7e…→]+$/, reason);
    assert.match(reason, / → (instant|reasoning|agentic)( edit)? \(\d\.\d\d\)/);
    assert.ok(reason.length < 200);
  }
  const trace = decide("why does this crash?\n```js\nconst x = null; x.id\n```\nTypeError: Cannot read properties of null (reading 'id')", { source: 'sidebar' });
  assert.equal(trace.mode, 'reasoning');
  assert.match(trace.reason, /why|code|error/);
});

test('explainRoute exposes the pieces behind a decision', () => {
  const x = explainRoute('rename getUser to fetchUser everywhere', { source: 'palette' }, { effort: 0.5 });
  assert.equal(x.decision.mode, 'agentic');
  assert.equal(x.effort, 0.5);
  assert.ok(x.signals.includes('cue_scope_all'));
  assert.ok(x.contributions.length > 0);
  assert.deepEqual(x.allowed, ['instant', 'reasoning', 'agentic']);
  for (const m of MODES) assert.ok(Number.isFinite(x.scores[m]));
  assert.ok(x.contributions.every((c) => c.weight > 0));
});

test('LocalRouter implements the Router seam from a RunRequest', () => {
  assert.equal(countLines(''), 0);
  assert.equal(countLines('a'), 1);
  assert.equal(countLines('a\nb\n'), 2);
  const ctx = routeContextOf({ effort: 1, query: 'q', source: 'inline', context: { selection: { text: 'a\nb\nc', language: 'go' } } });
  assert.deepEqual(ctx, { selectionLines: 3, language: 'go', source: 'inline' });
  let calls = 0;
  const router = new LocalRouter(() => (calls++, { enabledModes: ['instant', 'reasoning'] }));
  const d = router.route({ effort: 1, query: 'rename getUser to fetchUser across the codebase', source: 'palette' });
  assert.notEqual(d.mode, 'agentic');
  assert.equal(calls, 1, 'options are read per route, so settings apply at once');
  assert.ok(eventDataSchemas['run.routed'].safeParse(d).success);
});

test('latency sanity: thousands of decisions run (timings belong to the benchmarks)', (t) => {
  const qs = dataset.map((e) => [e.query, e.context] as const);
  const n = 5000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [q, c] = qs[i % qs.length]!;
    decide(q, c);
  }
  const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
  t.diagnostic(`mean ${us.toFixed(1)} µs per decision over ${n}`);
  assert.ok(Number.isFinite(us));
});

test('signals occupy the feature slots the weights expect', () => {
  assert.equal(SIGNALS.length, DIM - HASH_SIZE);
});
