// SCALE decompose and assess: the tolerant JSON reader, plan validation beyond shape (dependencies
// only on earlier steps, ids renumbered), the repair turn, score parsing, and what a step sees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessMessages, INVALID_DIFFICULTY, parseDifficulty } from '../../src/effort/scale/assess';
import { extractJsonObject } from '../../src/effort/scale/json';
import { decomposeMessages, parsePlan, repairMessages, type Plan } from '../../src/effort/scale/plan';
import { MAX_CARRIED_CHARS, stepAnswerOf, stepMessages } from '../../src/effort/scale/steps';

const step = (id: number | undefined, dependsOn?: number[] | null, extra: Record<string, unknown> = {}) => ({
  ...(id !== undefined ? { id } : {}),
  title: `T${id ?? '?'}`,
  goal: `goal ${id ?? '?'}`,
  ...(dependsOn !== undefined ? { dependsOn } : {}),
  ...extra,
});
const planJson = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ conditions: ['a = 1', 'b = 2'], question: 'What is a + b?', steps, ...extra });

function ok(reply: string): Plan {
  const r = parsePlan(reply);
  if (!r.ok) assert.fail(`expected a plan, got: ${r.error}`);
  return r.plan;
}
function err(reply: string): string {
  const r = parsePlan(reply);
  if (r.ok) assert.fail('expected the plan to be rejected');
  return r.error;
}

test('extractor: fenced json wins, prose around a bare object is ignored, braces in strings do not count', () => {
  const fenced = 'Here is the plan:\n```json\n{"a": 1, "s": "}{"}\n```\nand {"b": 2}';
  assert.deepEqual(extractJsonObject(fenced), { ok: true, value: { a: 1, s: '}{' } });
  assert.deepEqual(extractJsonObject('Sure. {"x": {"y": [1, 2]}} Hope that helps {"z": 3}'), { ok: true, value: { x: { y: [1, 2] } } });
  // A non-JSON brace group before the object is skipped: the first balanced object that parses.
  assert.deepEqual(extractJsonObject('use {x} as a placeholder: {"ok": true}'), { ok: true, value: { ok: true } });
  assert.deepEqual(extractJsonObject('<think>{"draft": 1}</think>{"final": 2}'), { ok: true, value: { final: 2 } });
  const cut = extractJsonObject('{"steps": [{"id": 1, "title": "x"');
  assert.equal(cut.ok, false);
  assert.match(!cut.ok ? cut.error : '', /never closed/);
  // An object nested in a broken one is not taken for the answer: the error names the real problem.
  const trailing = extractJsonObject('{"a": {"b": 1},}');
  assert.match(!trailing.ok ? trailing.error : 'parsed', /not valid JSON/);
  const cutOuter = extractJsonObject('{"question": "q", "steps": [{"id": 1}');
  assert.match(!cutOuter.ok ? cutOuter.error : 'parsed', /never closed/);
  assert.equal(extractJsonObject('').ok, false);
  assert.equal(extractJsonObject('no json here').ok, false);
});

test('a valid plan: ids renumbered to 0..n-1, dependsOn mapped, omitted = all earlier, [] = none, the last step sees all', () => {
  const plan = ok('```json\n' + planJson([step(10, []), step(20, [10]), step(30), step(40, [20])]) + '\n```');
  assert.deepEqual(plan.conditions, ['a = 1', 'b = 2']);
  assert.equal(plan.question, 'What is a + b?');
  assert.deepEqual(plan.steps.map((s) => s.index), [0, 1, 2, 3]);
  assert.deepEqual(plan.steps.map((s) => s.dependsOn), [[], [0], [0, 1], [0, 1, 2]]);
  assert.deepEqual(plan.steps.map((s) => s.declared), [true, true, false, true]);
});

test('ids are optional (position + 1), "instruction" is accepted for goal, a missing title comes from the goal', () => {
  const plan = ok(planJson([{ instruction: 'Compute a.\nThen stop.' }, { goal: 'Add b', dependsOn: [1] }], { conditions: 'only one condition' }));
  assert.equal(plan.steps[0]!.goal, 'Compute a.\nThen stop.');
  assert.equal(plan.steps[0]!.title, 'Compute a.');
  assert.deepEqual(plan.steps[1]!.dependsOn, [0]);
  assert.deepEqual(plan.conditions, ['only one condition']);
});

test('a forward dependency is rejected, precisely', () => {
  const e = err(planJson([step(1, [2]), step(2, []), step(3, [1, 2])]));
  assert.match(e, /step 1 depends on step 2, which comes later/);
});

test('a cycle is rejected (it always contains a forward reference)', () => {
  const e = err(planJson([step(1, [2]), step(2, [1]), step(3, [])]));
  assert.match(e, /step 1 depends on step 2, which comes later/);
  assert.doesNotMatch(e, /step 2 depends/, 'step 2 → step 1 is a legal backward reference');
});

test('self references, unknown ids and duplicate ids are rejected, every problem named', () => {
  const e = err(planJson([step(1, [1]), step(2, [7]), step(2, [])]));
  assert.match(e, /step 1 depends on itself/);
  assert.match(e, /step 2 depends on 7, which is not a step id \(the ids are 1, 2, 2\)/);
  assert.match(e, /steps 2 and 3 \(in order\) both have id 2/);
});

test('shape errors: too few or too many steps, no question, a step without a goal', () => {
  assert.match(err(planJson([step(1, [])])), /at least 2 steps/);
  assert.match(err(planJson(Array.from({ length: 9 }, (_, i) => step(i + 1, [])))), /at most 8 steps/);
  assert.match(err(JSON.stringify({ conditions: [], steps: [step(1), step(2)] })), /question/);
  assert.match(err(planJson([{ id: 1, title: 'x' }, step(2)])), /steps\[0\].*goal/);
  assert.match(err('I think the steps are: first add, then report.'), /no JSON object/);
});

test('the decompose prompt is not about math, and the repair turn carries the reply and the exact error', () => {
  const msgs = decomposeMessages('Refactor parse() to stream its input');
  assert.equal(msgs[0]!.role, 'system');
  assert.match(msgs[0]!.content as string, /short piece of code/);
  assert.match(msgs[1]!.content as string, /Refactor parse\(\)/);
  const repaired = repairMessages(msgs, '{"steps": oops', 'the JSON object … is never closed');
  assert.equal(repaired.length, 4);
  assert.deepEqual(repaired.slice(0, 2), msgs);
  assert.deepEqual(repaired[2], { role: 'assistant', content: '{"steps": oops' });
  assert.match(repaired[3]!.content as string, /could not be used: the JSON object … is never closed/);
});

test('scores: numbers, percentages, labels and JSON are read; anything else counts as hard, with a note', () => {
  const good: Array<[string, number]> = [
    ['0.7', 0.7],
    ['.25', 0.25],
    ['0,4', 0.4],
    ['1', 1],
    ['0', 0],
    ['70%', 0.7],
    ['{"difficulty": 0.35}', 0.35],
    ['```json\n{"difficulty": "0.6"}\n```', 0.6],
    ['Difficulty: 0.8.', 0.8],
    ['<think>hmm</think>0.55', 0.55],
    ['{"difficulty": 0.9', 0.9],
  ];
  for (const [reply, want] of good) {
    const d = parseDifficulty(reply);
    assert.equal(d.valid, true, reply);
    assert.ok(Math.abs(d.difficulty - want) < 1e-12, `${reply} → ${d.difficulty}`);
  }
  const bad = ['7', '1.5', '-0.2', '150%', 'hard', '', '{"score": 0.3}', '{"difficulty": "high"}', 'step 3 is 0.4', 'NaN'];
  for (const reply of bad) {
    const d = parseDifficulty(reply);
    assert.equal(d.valid, false, reply);
    assert.equal(d.difficulty, INVALID_DIFFICULTY, reply);
    assert.match(d.note ?? '', /counted as hard/, reply);
  }
});

test('the scoring prompt shows the plan and the step, and asks for JSON only', () => {
  const plan = ok(planJson([step(1, []), step(2, [1])]));
  const msgs = assessMessages(plan, 1);
  assert.match(msgs[0]!.content as string, /\{"difficulty"/);
  assert.match(msgs[1]!.content as string, /Step to rate: 2\. T2\ngoal 2/);
  assert.match(msgs[1]!.content as string, /- a = 1/);
  assert.throws(() => assessMessages(plan, 5), RangeError);
});

test('step answers: only the part after the last "Step answer:" is carried; long answers are cut with a note', () => {
  assert.equal(stepAnswerOf('We add them: 1 + 2.\nStep answer: 3'), '3');
  assert.equal(stepAnswerOf('draft Step answer: 1\nwait, no.\n**Step answer:** `x + 1`'), '`x + 1`');
  assert.equal(stepAnswerOf('- step answer: ```ts\nconst a = 1;\n```'), '```ts\nconst a = 1;\n```');
  assert.equal(stepAnswerOf('<think>secret</think>No label here'), 'No label here');
  const long = stepAnswerOf('x'.repeat(MAX_CARRIED_CHARS + 50));
  assert.ok(long.startsWith('x'.repeat(MAX_CARRIED_CHARS) + '…'));
  assert.match(long, /cut at 2000 characters/);
});

test('a step sees the request, conditions, question, its goal and the carried answers, marked when missing or partial', () => {
  const plan = ok(planJson([step(1, []), step(2, []), step(3, [1, 2])]));
  const msgs = stepMessages({
    request: 'ORIGINAL REQUEST',
    plan,
    index: 2,
    inputs: [
      { index: 0, title: 'T1', status: 'failed', answer: '' },
      { index: 1, title: 'T2', status: 'over_budget', answer: 'partial work\nStep answer: 5' },
    ],
  });
  const user = msgs[1]!.content as string;
  assert.match(user, /ORIGINAL REQUEST/);
  assert.match(user, /- a = 1\n- b = 2/);
  assert.match(user, /Question: What is a \+ b\?/);
  assert.match(user, /Step 1 \(T1\): \[missing: this step did not finish \(failed\)\]/);
  assert.match(user, /Step 2 \(T2\): \[partial: this step ran out of budget\] 5/);
  assert.doesNotMatch(user, /partial work/);
  assert.match(user, /Final step \(3 of 3\): T3\ngoal 3/);
  assert.match(msgs[0]!.content as string, /complete final answer/);
  const first = stepMessages({ request: 'R', plan, index: 0, inputs: [] });
  assert.match(first[0]!.content as string, /Step answer:/);
  assert.doesNotMatch(first[1]!.content as string, /Answers of earlier steps/);
});
