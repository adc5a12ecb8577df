// SCALE assign and allocate: tau follows effort, the last step is always System 2, and the budget
// split never exceeds the run's budget (a property over many seeded random inputs), proportional to
// difficulty between the floor and the cap, degrading gracefully when the floors cannot be met.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allocate,
  DEFAULT_SYSTEM1_BUDGET,
  DEFAULT_SYSTEM2_FLOOR,
  defaultRunBudget,
  MIN_STEP_BUDGET,
  MIN_SYSTEM2_BUDGET,
  stepBudgetParts,
  waterFill,
  weight,
} from '../../src/effort/scale/allocate';
import { assignSystems, tauForEffort, TAU_MAX, TAU_MIN, type System } from '../../src/effort/scale/assign';
import { computeBudget, DEFAULT_MODEL_LIMIT } from '../../src/effort/budget';
import { mulberry32 } from '../../src/core/random';

/** Seeded, so a failing case can be replayed. */
const prng = mulberry32;

test('tau: 0.5 at effort 1, lower with more effort, monotone, clamped to [0.2, 0.8]', () => {
  assert.equal(tauForEffort(1), 0.5);
  assert.equal(tauForEffort(2), 0.25);
  assert.equal(tauForEffort(0.5), 0.75);
  assert.equal(tauForEffort(0.25), TAU_MAX);
  assert.equal(tauForEffort(0.1), TAU_MAX);
  assert.equal(tauForEffort(NaN), 0.5, 'an unusable effort is the default');
  let prev = Infinity;
  for (let r = 0.1; r <= 2.0001; r += 0.01) {
    const t = tauForEffort(r);
    assert.ok(t <= prev + 1e-12, `tau rises at r=${r}`);
    assert.ok(t >= TAU_MIN && t <= TAU_MAX);
    prev = t;
  }
});

test('assignment of one plan under efforts 0.25, 1 and 2: more effort, more System 2', () => {
  const difficulties = [0.3, 0.6, 0.78, 0.2, 0.1];
  assert.deepEqual(assignSystems(difficulties, 0.25).systems, [1, 1, 1, 1, 2]);
  assert.deepEqual(assignSystems(difficulties, 1).systems, [1, 2, 2, 1, 2]);
  assert.deepEqual(assignSystems(difficulties, 2).systems, [2, 2, 2, 1, 2]);
  assert.deepEqual(assignSystems([0.5, 0.5], 1).systems, [1, 2], 'exactly tau is System 1; the last step is always 2');
  assert.deepEqual(assignSystems([0.05, 0, 0], 2).systems, [1, 1, 2], 'all easy: still the last step is System 2');
  assert.deepEqual(assignSystems([0.95, 1, 0.9], 0.1).systems, [2, 2, 2], 'all hard: System 2 even at the lowest effort');
  assert.deepEqual(assignSystems([NaN, 0.1], 1).systems, [2, 2], 'no usable score is hard');
});

test('allocation: the worked example — s1 fixed, System 2 split by difficulty, every token of the rest used', () => {
  const a = allocate({
    total: 10_000,
    overhead: 1_000,
    steps: [
      { system: 1, difficulty: 0.2 },
      { system: 2, difficulty: 0.6 },
      { system: 2, difficulty: 0.9 },
      { system: 2, difficulty: 0.3 },
    ],
  });
  assert.equal(a.feasible, true);
  assert.equal(a.degraded, false);
  assert.equal(a.available, 9_000);
  assert.equal(a.budgets[0], DEFAULT_SYSTEM1_BUDGET);
  const rest = 9_000 - DEFAULT_SYSTEM1_BUDGET; // 8744 over weights .6 .9 .3
  assert.deepEqual(a.budgets.slice(1), [2915, 4372, 1457]);
  assert.equal(a.budgets.slice(1).reduce((x, y) => x + y, 0), rest);
});

test('allocation: a floor per System 2 step, proportional above it', () => {
  // Without a floor step 3 (0.05) would get ~1% of 3000 = 30 tokens.
  const a = allocate({
    total: 3_000,
    overhead: 0,
    steps: [
      { system: 2, difficulty: 1 },
      { system: 2, difficulty: 0.8 },
      { system: 2, difficulty: 0.05 },
    ],
  });
  assert.equal(a.budgets[2], DEFAULT_SYSTEM2_FLOOR);
  const [b0, b1] = [a.budgets[0]!, a.budgets[1]!];
  assert.ok(Math.abs(b0 / b1 - 1 / 0.8) < 0.01, `${b0}:${b1} is not 1:0.8`);
  assert.equal(b0 + b1 + a.budgets[2]!, 3_000);
});

test('allocation: the cap per step holds, and the rest stays unspent rather than over the cap', () => {
  const a = allocate({ total: 100_000, overhead: 0, maxPerStep: 8_000, steps: [{ system: 2, difficulty: 1 }, { system: 2, difficulty: 0.5 }, { system: 1, difficulty: 0 }] });
  assert.deepEqual(a.budgets, [8_000, 8_000, DEFAULT_SYSTEM1_BUDGET]);
});

test('allocation: floors that cannot be met degrade every step and downgrade System 2 steps too poor to think', () => {
  const steps: Array<{ system: System; difficulty: number }> = [
    { system: 1, difficulty: 0.1 },
    { system: 2, difficulty: 0.9 },
    { system: 2, difficulty: 0.7 },
  ];
  const a = allocate({ total: 1_000, overhead: 300, steps }); // needs 256 + 2·320 = 896 > 700
  assert.equal(a.feasible, true);
  assert.equal(a.degraded, true);
  assert.ok(a.budgets.reduce((x, y) => x + y, 0) <= 700);
  assert.deepEqual(a.systems, [1, 2, 2], 'still enough to think');
  assert.match(a.notes.join(' '), /78% of its minimum/);

  const poor = allocate({ total: 500, overhead: 300, steps }); // 200 left: s1 → 57, System 2 → 71 each
  assert.deepEqual(poor.systems, [1, 1, 1]);
  assert.ok(poor.budgets.every((b) => b < MIN_SYSTEM2_BUDGET));
  assert.match(poor.notes.join(' '), /steps 2, 3 run without thinking/);

  const none = allocate({ total: 400, overhead: 300, steps });
  assert.equal(none.feasible, false, `${3 * MIN_STEP_BUDGET} tokens are the least three steps can use`);
  assert.deepEqual(none.budgets, [0, 0, 0]);
  const over = allocate({ total: 400, overhead: 900, steps });
  assert.equal(over.available, 0);
  assert.equal(over.feasible, false);
});

test('allocation property: over 5,000 seeded random inputs the sum never exceeds B − overhead, all integers, proportional', () => {
  const rand = prng(20240607);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let k = 0; k < 5_000; k++) {
    const n = int(1, 8);
    const steps = Array.from({ length: n }, (_, i) => ({
      system: (i === n - 1 || rand() < 0.5 ? 2 : 1) as System,
      difficulty: rand() < 0.05 ? [NaN, -1, 3][int(0, 2)]! : rand(),
    }));
    const total = rand() < 0.1 ? int(0, 1_000) : int(0, 60_000);
    const overhead = int(0, Math.max(0, Math.floor(total * 0.6)) + (rand() < 0.05 ? 5_000 : 0));
    const system1Budget = int(32, 512);
    const system2Floor = int(64, 1_024);
    const maxPerStep = rand() < 0.3 ? int(500, 8_000) : undefined;
    const input = { total, overhead, steps, system1Budget, system2Floor, ...(maxPerStep !== undefined ? { maxPerStep } : {}) };
    const a = allocate(input);
    const ctx = JSON.stringify(input);
    const sum = a.budgets.reduce((x, y) => x + y, 0);
    assert.equal(a.budgets.length, n, ctx);
    assert.ok(a.budgets.every((b) => Number.isInteger(b) && b >= 0), ctx);
    assert.equal(a.available, Math.max(0, total - overhead), ctx);
    assert.ok(sum + overhead <= Math.max(total, overhead) && sum <= a.available, `sum ${sum} > ${a.available}: ${ctx}`);
    if (!a.feasible) {
      assert.ok(a.available < n * MIN_STEP_BUDGET, ctx);
      continue;
    }
    if (a.degraded) continue;
    const cap = maxPerStep ?? DEFAULT_MODEL_LIMIT;
    const hard = steps.flatMap((s, i) => (s.system === 2 ? [i] : []));
    steps.forEach((s, i) => {
      if (s.system === 1) assert.equal(a.budgets[i], Math.min(system1Budget, cap), ctx);
      else assert.ok(a.budgets[i]! >= Math.min(system2Floor, cap) && a.budgets[i]! <= cap, ctx);
    });
    // Strictly between the floor and the cap, budgets are proportional to weight (±1 token of rounding)
    // and never rank against difficulty.
    const free = hard.filter((i) => a.budgets[i]! > system2Floor + 1 && a.budgets[i]! < cap - 1);
    for (const i of free) {
      for (const j of free) {
        const [wi, wj] = [weight(steps[i]!.difficulty), weight(steps[j]!.difficulty)];
        assert.ok(Math.abs(a.budgets[i]! * wj - a.budgets[j]! * wi) <= wi + wj + 1e-9, `not proportional: ${ctx}`);
      }
    }
    for (const i of hard) for (const j of hard) if (weight(steps[i]!.difficulty) > weight(steps[j]!.difficulty)) assert.ok(a.budgets[i]! >= a.budgets[j]! - 1, ctx);
    // Nothing is left on the table unless every System 2 step is at its cap.
    if (hard.length > 0 && hard.some((i) => a.budgets[i]! < cap)) assert.ok(sum >= a.available - 1, `unspent: ${sum} of ${a.available}: ${ctx}`);
  }
});

test('water-filling edge cases: equal weights split evenly, zero room, more floor than room', () => {
  assert.deepEqual(waterFill(1_000, [0.5, 0.5], 100, 10_000), [500, 500]);
  assert.deepEqual(waterFill(1_001, [0.5, 0.5], 100, 10_000).reduce((a, b) => a + b, 0), 1_001);
  assert.deepEqual(waterFill(0, [], 100, 1_000), []);
  assert.deepEqual(waterFill(150, [1, 1], 100, 1_000), [75, 75]);
});

test('step budget parts: System 1 is all answer; System 2 keeps a step answer (the final one more) and thinks with the rest', () => {
  assert.deepEqual(stepBudgetParts(256, 1, false), { reasoning: 0, answer: 256 });
  assert.deepEqual(stepBudgetParts(2_000, 2, false), { reasoning: 1_744, answer: 256 });
  assert.deepEqual(stepBudgetParts(3_000, 2, true), { reasoning: 1_976, answer: 1_024 });
  assert.deepEqual(stepBudgetParts(300, 2, true), { reasoning: 150, answer: 150 });
  assert.equal(defaultRunBudget(1), 3 * computeBudget(1000, 1).total);
  assert.ok(defaultRunBudget(2) > defaultRunBudget(1) && defaultRunBudget(1) > defaultRunBudget(0.1));
});
