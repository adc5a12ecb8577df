import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countdownPrompt, generateCountdown, mulberry32 } from '../../src/eval/countdown/generator';
import { isSolvable, solveCountdown, type CountdownProblem } from '../../src/eval/countdown/solver';
import { MAX_ANSWER_CHARS, verifyCountdownAnswer } from '../../src/eval/countdown/verifier';

const P: CountdownProblem = { numbers: [44, 19, 4, 3], target: 97 };
const reason = (answer: string, problem: CountdownProblem = P): string => {
  const v = verifyCountdownAnswer(problem, answer);
  assert.equal(v.ok, false, `expected ${JSON.stringify(answer)} to be rejected`);
  return v.ok ? '' : v.reason;
};
const accepts = (answer: string, problem: CountdownProblem = P): void => {
  assert.deepEqual(verifyCountdownAnswer(problem, answer), { ok: true }, JSON.stringify(answer));
};

// --- generator ---------------------------------------------------------------------------------------

test('generator: the same seed gives the same problems, other seeds give other problems', () => {
  const a = generateCountdown(30, 7);
  assert.deepEqual(generateCountdown(30, 7), a);
  assert.notDeepEqual(generateCountdown(30, 8), a);
  assert.notDeepEqual(generateCountdown(30, -7), a);
  // A prefix is stable: asking for more problems does not change the first ones.
  assert.deepEqual(generateCountdown(10, 7), a.slice(0, 10));
});

test('generator: 200 problems are in range, varied, and solvable by the solution they carry', () => {
  const problems = generateCountdown(200, 2024);
  assert.equal(problems.length, 200);
  for (const p of problems) {
    assert.equal(p.numbers.length, 4);
    for (const n of p.numbers) assert.ok(Number.isInteger(n) && n >= 1 && n <= 99, `number ${n}`);
    assert.ok(Number.isInteger(p.target) && p.target >= 10 && p.target <= 100, `target ${p.target}`);
    assert.deepEqual(verifyCountdownAnswer(p, p.solution), { ok: true }, `${p.numbers} -> ${p.target}: ${p.solution}`);
  }
  // Not one problem repeated: the draws really move.
  assert.ok(new Set(problems.map((p) => `${p.numbers}:${p.target}`)).size > 190);
  assert.ok(new Set(problems.map((p) => p.target)).size > 50, 'targets spread over the range');
});

test('generator: impossible ranges fail after the bounded attempts, with a clear error', () => {
  assert.throws(
    () => generateCountdown(1, 1, { numberMin: 1, numberMax: 1, targetMin: 97, targetMax: 97, maxAttempts: 50 }),
    /could not draw a solvable Countdown problem in 50 attempts \(seed 1, problem 1 of 1/,
  );
  assert.throws(() => generateCountdown(-1, 1), RangeError);
  assert.throws(() => generateCountdown(1, 1.5), RangeError);
  assert.throws(() => generateCountdown(1, 1, { numberMin: 10, numberMax: 5 }), RangeError);
  assert.deepEqual(generateCountdown(0, 1), []);
});

test('mulberry32 is deterministic and stays in [0, 1)', () => {
  const a = mulberry32(123);
  const b = mulberry32(123);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    Array.from({ length: 1000 }, () => b()),
    xs,
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(new Set(xs).size > 990);
});

test('the prompt states the numbers, the target, the rules and the Answer: format, without the solution', () => {
  const q = countdownPrompt(P);
  assert.match(q, /44, 19, 4, 3/);
  assert.match(q, /make 97/);
  assert.match(q, /exactly once/);
  assert.match(q, /exact/);
  assert.match(q, /^Answer: <expression>$/m);
  // The worked example in the prompt is itself a correct answer to its own puzzle.
  const example = /^Answer: (.+)$/m.exec(q.split('For example')[1]!)![1]!;
  accepts(`Answer: ${example}`, { numbers: [2, 3, 5, 7], target: 31 });
  assert.doesNotMatch(q, /\(44 - 19\)/);
});

// --- solver ------------------------------------------------------------------------------------------

test('solver: finds a solution the verifier accepts for known solvable problems', () => {
  const cases: CountdownProblem[] = [
    P,
    { numbers: [25, 50, 75, 100], target: 100 },
    { numbers: [1, 2, 3, 4], target: 24 },
    { numbers: [99, 99, 99, 99], target: 99 * 99 * 99 * 99 },
    { numbers: [6, 6, 1, 1], target: 10 }, // needs a subtraction to make 0 or a division by 6
  ];
  for (const p of cases) {
    const s = solveCountdown(p);
    assert.notEqual(s, null, `${p.numbers} -> ${p.target}`);
    accepts(s!, p);
    assert.equal(isSolvable(p), true);
  }
  assert.equal(solveCountdown({ numbers: [97], target: 97 }), '97');
});

test('solver: unsolvable problems return null', () => {
  assert.equal(solveCountdown({ numbers: [1, 1, 1, 1], target: 97 }), null);
  assert.equal(isSolvable({ numbers: [1, 1, 1, 1], target: 97 }), false);
  assert.equal(isSolvable({ numbers: [2, 2, 2, 2], target: 99 }), false);
  // Every number must be used: 44 alone would make 44, but 1 + 1 + 1 cannot vanish into it.
  assert.equal(isSolvable({ numbers: [44, 7, 7, 7], target: 44 }), true);
  assert.equal(isSolvable({ numbers: [44, 1, 1, 1], target: 44 }), true);
  assert.equal(isSolvable({ numbers: [50, 1, 1, 1], target: 44 }), false);
});

test('solver: exact division only, so puzzles that need a fraction on the way are unsolvable', () => {
  // Each of these has exactly one classic solution, and it passes through a fraction.
  const fractionOnly: [CountdownProblem, string][] = [
    [{ numbers: [3, 3, 8, 8], target: 24 }, '8 / (3 - 8 / 3)'],
    [{ numbers: [1, 5, 5, 5], target: 24 }, '5 * (5 - 1 / 5)'],
    [{ numbers: [1, 4, 5, 6], target: 24 }, '4 / (1 - 5 / 6)'],
  ];
  for (const [p, fractional] of fractionOnly) {
    assert.equal(solveCountdown(p), null, `${p.numbers} -> ${p.target}`);
    const r = reason(fractional, p);
    assert.match(r, /is not exact$/, fractional);
  }
  assert.equal(reason('8 / (3 - 8 / 3)', { numbers: [3, 3, 8, 8], target: 24 }), '8/3 is not exact');
});

test('solver: refuses malformed problems rather than searching forever', () => {
  assert.throws(() => solveCountdown({ numbers: [], target: 1 }), RangeError);
  assert.throws(() => solveCountdown({ numbers: [1, 2, 3, 4, 5, 6, 7], target: 1 }), RangeError);
  assert.throws(() => solveCountdown({ numbers: [1.5, 2], target: 1 }), RangeError);
});

// --- verifier ----------------------------------------------------------------------------------------

test('verifier: correct expressions in plain, unicode and LaTeX spellings', () => {
  accepts('(44 - 19) * 4 - 3');
  accepts('4 * (44 - 19) - 3');
  accepts('(44 − 19) × 4 − 3'); // U+2212 minus, U+00D7 times
  accepts('(44 – 19) · 4 – 3'); // en dash, middle dot
  accepts('(44 - 19) x 4 - 3');
  accepts('(44-19)X4-3');
  accepts('\\( (44 - 19) \\times 4 - 3 \\)');
  accepts('(44 - 19) * 4 - 3 = 97');
  accepts('((44 - 19) * (4)) - 3');
  accepts('88 / 8 + 1 * 2', { numbers: [88, 8, 1, 2], target: 13 });
  accepts('(88 ÷ 8) + 2 - 1', { numbers: [88, 8, 1, 2], target: 12 });
  accepts('\\frac{88}{8} + 2 - 1', { numbers: [88, 8, 1, 2], target: 12 });
  // A number given twice must be used twice.
  accepts('5 * 5 - 1 - 4', { numbers: [5, 5, 1, 4], target: 20 });
  // Negative intermediates are allowed; only the final value must hit the target.
  accepts('3 - 19 + 44 * 4 - 63', { numbers: [3, 19, 44, 4, 63], target: 97 });
});

test('verifier: correct steps, one per line or on one line, with list markers', () => {
  accepts('44 - 19 = 25\n25 * 4 = 100\n100 - 3 = 97');
  accepts('Answer:\n1. 44 - 19 = 25\n2. 25 × 4 = 100\n3. 100 − 3 = 97');
  accepts('Answer: 44 - 19 = 25, 25 * 4 = 100, 100 - 3 = 97');
  accepts('<answer>\nStep 1: 44 - 19 = 25\nStep 2: 25 * 4 - 3 = 97\n</answer>');
  accepts('<answer>- 4 * 19 = 76\n- 44 - 3 = 41\n- 76 + 41 = 117</answer>', { numbers: [44, 19, 4, 3], target: 117 });
  // Rewriting inside a step is fine as long as every side agrees.
  accepts('Answer: (44 - 19) * 4 - 3 = 25 * 4 - 3 = 97');
});

test('verifier: wrong results say what the answer equals', () => {
  assert.equal(reason('(44 - 19) * 4 + 3'), 'equals 103, not 97');
  assert.equal(reason('44 - 19 = 25\n25 * 4 = 100\n100 + 3 = 103'), 'equals 103, not 97');
  assert.equal(reason('<answer>44 - 19 = 25\n25 * 4 = 110\n110 - 3 = 107</answer>'), 'step 2: 25 * 4 is 100, not 110');
  assert.equal(reason('Answer: (44 - 19) * 4 - 3 = 98'), '(44 - 19) * 4 - 3 is 97, not 98');
  assert.equal(reason('Answer: (44 - 19) * 4 - 3 = 25 * 4 - 2 = 97'), '(44 - 19) * 4 - 3 is 97, not 25 * 4 - 2');
});

test('verifier: numbers used twice, missing, or not given', () => {
  assert.equal(reason('(44 - 19) * 4 - 3 + 19 - 19'), 'uses 19 3 times');
  assert.equal(reason('(44 - 19) * 4 - 3 - 19 + 19 * 1'), 'uses 19 3 times');
  assert.equal(reason('(44 - 19) * 4 + 19 - 19'), 'uses 19 3 times');
  assert.equal(reason('44 + 44 + 19 - 4 - 3'), 'uses 44 twice');
  assert.equal(reason('(44 - 19) * 4'), 'does not use 3');
  assert.equal(reason('44 + 19'), 'does not use 4 or 3');
  assert.equal(reason('(44 - 19) * 4 - 7'), 'uses 7, which is not one of the numbers');
  assert.equal(reason('5 * 4 - 1 + 0', { numbers: [5, 5, 1, 4], target: 20 }), 'uses 0, which is not one of the numbers');
  assert.equal(reason('5 * 4 - 1', { numbers: [5, 5, 1, 4], target: 20 }), 'uses 5 once, but it is given twice');
  // In steps, numbers and earlier results are each spent once.
  assert.equal(reason('Answer: 44 - 19 = 25, 25 * 4 = 100, 100 - 3 = 97, 97 + 0 = 97'), 'step 4: uses 0, which is neither one of the numbers nor an earlier result');
  assert.equal(reason('44 - 19 = 25\n25 * 4 = 100\n100 - 19 = 81'), 'uses 19 twice (step 3)');
  assert.equal(reason('44 - 19 = 25\n25 * 4 = 100\n100 - 25 = 75'), 'uses 25 twice (step 3)');
  assert.equal(reason('44 - 19 = 25\n25 * 4 = 100'), 'does not use 3');
  assert.equal(reason('<answer>44 - 19 = 25\n4 * 3 = 12\n44 - 19 = 25</answer>'), 'uses 44 twice (step 3)');
  assert.equal(reason('<answer>44 + 19 = 63\n4 - 3 = 1\n63 * 1 = 63\n44 - 19 = 25</answer>', { numbers: [44, 19, 4, 3, 44, 19], target: 25 }), 'the result 63 of step 3 is never used');
});

test('verifier: divisions must be exact and never by zero', () => {
  assert.equal(reason('7 / 2 + 44 - 19', { numbers: [7, 2, 44, 19], target: 28 }), '7/2 is not exact');
  assert.equal(reason('(44 + 19) / 4 * 3'), '63/4 is not exact');
  assert.equal(reason('44 / (19 - 19) + 4', { numbers: [44, 19, 19, 4], target: 4 }), '44/0 divides by zero');
  assert.equal(reason('<answer>44 + 19 = 63\n63 / 4 = 15\n15 * 3 = 45</answer>', { numbers: [44, 19, 4, 3], target: 45 }), 'step 2: 63/4 is not exact');
  // 8 / 3 * 3 is 8 in real arithmetic, but the intermediate 8/3 is a fraction.
  assert.equal(reason('8 / 3 * 3 + 8', { numbers: [8, 3, 3, 8], target: 16 }), '8/3 is not exact');
});

test('verifier: malformed text gets a specific reason', () => {
  assert.equal(reason('Answer: (44 - 19 * 4 - 3'), "missing ')'");
  assert.equal(reason('Answer: 44 - 19) * 4 - 3'), "unexpected ')'");
  assert.equal(reason('Answer: 44 - -19 * 4 * 3'), "a sign in front of a number ('-') is not allowed");
  assert.equal(reason('Answer: 44 - 19 4 * 3'), 'missing an operator before 4');
  assert.equal(reason('Answer: (44 - 19) ^ 4 - 3'), '^ is not allowed (only + - * / and parentheses)');
  assert.equal(reason('Answer: 44.5 - 19 * 4 - 3'), '44.5 is not a whole number');
  assert.equal(reason('Answer: 44 - 19 * 4 - 3 = 25 + 1'), "the right side of '=' must be a single number");
  assert.equal(reason('Answer: 97'), 'the answer is only a number (97), not an expression');
  assert.equal(reason('Answer: I could not find one.'), 'no expression found');
  assert.equal(reason('I have no idea how to do this.'), 'no expression found');
  assert.equal(reason(''), 'no expression found');
  assert.equal(reason(`Answer: ${'('.repeat(30)}44${')'.repeat(30)} - 19 * 4 - 3`), 'parentheses are nested more than 20 deep');
  assert.match(reason(`Answer: ${Array.from({ length: 100 }, () => '44').join(' + ')}`), /^expression is too long \(\d+ characters; the limit is 300\)$/);
  assert.equal(reason('Answer: 1234567890 - 19 * 4 - 3'), 'the number 1234567890 is too large');
});

test('verifier: finds the answer in prose, in tags, on an Answer line, or boxed', () => {
  accepts('Let me think. 44 + 19 = 63 is too big to help.\nTry 44 - 19 = 25, then 25 * 4 = 100, and 100 - 3 = 97. Done!');
  accepts('We could try many things.\nSo the expression is (44 - 19) * 4 - 3.');
  accepts('First attempt: 44 * 3 = 132. No.\n**Final answer:** (44 − 19) × 4 − 3');
  accepts('thinking... (44 + 19) * 4 - 3 is 249, wrong.\n<answer>(44 - 19) * 4 - 3</answer>\nHope that helps.');
  accepts('The answer is $\\boxed{(44-19) \\times 4 - 3}$.');
  // The last marked answer wins, even when earlier ones were right.
  assert.equal(reason('Answer: (44 - 19) * 4 - 3\nHmm, actually:\nAnswer: (44 - 19) * 4 + 3'), 'equals 103, not 97');
  // A marked answer is not rescued by correct arithmetic in the surrounding prose.
  assert.equal(reason('(44 - 19) * 4 - 3 works.\nAnswer: 44 * 4 - 19 * 3'), 'equals 119, not 97');
  // Prose ending in a wrong expression is judged by that expression.
  assert.equal(reason('Maybe (44 - 19) * 4 - 3? No wait, I prefer 44 + 19 + 4 + 3.'), 'equals 70, not 97');
});

test('verifier: very long input is refused with its length, not scanned', () => {
  const long = 'x'.repeat(MAX_ANSWER_CHARS) + '\nAnswer: (44 - 19) * 4 - 3';
  assert.equal(reason(long), `answer is too long (${long.length} characters; the limit is ${MAX_ANSWER_CHARS})`);
  // Just under the limit is still read, and quickly, even when it is built to make regexes backtrack.
  const t0 = Date.now();
  accepts(' *'.repeat(40_000) + '('.repeat(9_000) + '\nAnswer: (44 - 19) * 4 - 3');
  assert.equal(reason(' *'.repeat(40_000) + '('.repeat(9_000)), 'no expression found');
  assert.equal(reason(`${'1+'.repeat(40_000)}1`), 'expression is too long (80001 characters; the limit is 300)');
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
});
