import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countdownItems, normaliseAnswer, type CheckResult, type EvalItem } from '../../src/eval/items';
import { parseJsonlItems } from '../../src/eval/taskFile';
import { generateCountdown } from '../../src/eval/countdown/generator';
import { parseArms, type ArmSpec } from '../../src/eval/arms';
import { rowKey, runEval, type RunOutcome } from '../../src/eval/runEval';

const done = (answer: string, completion = 10, cost: number | null = 0.001, ms = 5): RunOutcome => ({
  status: 'done',
  answer,
  usage: { prompt: 1, completion, reasoning: 0 },
  cost,
  ms,
});
const arms = (spec: string): ArmSpec[] => parseArms(spec);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Items whose correct answer is their own id, so fake arms can be right or wrong on purpose. */
function echoItems(n: number): EvalItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    question: `say q${i}`,
    check: (a: string) => (a === `q${i}` ? { ok: true as const } : { ok: false as const, reason: `wanted q${i}` }),
  }));
}

// --- items -------------------------------------------------------------------------------------------

test('countdownItems: seeded, stable ids, questions that pose the problem, checks that use the verifier', () => {
  const items = countdownItems(5, 11);
  const problems = generateCountdown(5, 11);
  assert.deepEqual(
    items.map((i) => i.id),
    ['countdown-11-1', 'countdown-11-2', 'countdown-11-3', 'countdown-11-4', 'countdown-11-5'],
  );
  assert.deepEqual(
    countdownItems(5, 11).map((i) => i.question),
    items.map((i) => i.question),
  );
  assert.notDeepEqual(
    countdownItems(5, 12).map((i) => i.question),
    items.map((i) => i.question),
  );
  for (const [k, item] of items.entries()) {
    const p = problems[k]!;
    assert.ok(item.question.includes(`${p.numbers.join(', ')}, make ${p.target}.`));
    assert.deepEqual(item.check(`Reasoning...\nAnswer: ${p.solution}`), { ok: true });
    assert.equal((item.check(`Answer: ${p.numbers.join(' + ')} + ${p.numbers[0]}`) as CheckResult).ok, false);
  }
});

test('parseJsonlItems: good lines become items; blank lines skipped; unknown keys ignored; CRLF and BOM', () => {
  const text = '\uFEFF{"question": "Capital of France?", "answer": "Paris", "source": "geo"}\r\n\r\n   \n{"answer":"4","question":"2+2?"}\n';
  const { items, errors } = parseJsonlItems(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    items.map((i) => [i.id, i.question]),
    [
      ['line-1', 'Capital of France?'],
      ['line-4', '2+2?'],
    ],
  );
});

test('parseJsonlItems: each malformed line is reported with its line number, the rest still load', () => {
  const text = [
    '{"question": "a?", "answer": "a"}',
    '{"question": "b?", "answer": ',
    '',
    '{"question": "c?"}',
    '[1, 2]',
    '{"question": "d?", "answer": 4}',
    '{"question": "e?", "answer": "  "}',
    '{"question": "f?", "answer": "f"}',
  ].join('\n');
  const { items, errors } = parseJsonlItems(text);
  assert.deepEqual(
    items.map((i) => i.id),
    ['line-1', 'line-8'],
  );
  assert.deepEqual(
    errors.map((e) => e.line),
    [2, 4, 5, 6, 7],
  );
  assert.match(errors[0]!.error, /^invalid JSON: /);
  assert.match(errors[1]!.error, /^answer: /);
  assert.match(errors[2]!.error, /expected object/);
  assert.match(errors[3]!.error, /^answer: .*expected string/);
  assert.equal(errors[4]!.error, 'answer: answer must not be empty');
});

test('JSONL checking: exact match after the documented normalisation, on the marked answer', () => {
  const [item] = parseJsonlItems('{"question": "Capital of France?", "answer": "  Paris  "}').items;
  const ok = (a: string) => assert.deepEqual((item!.check(a) as CheckResult), { ok: true }, JSON.stringify(a));
  const no = (a: string) => {
    const r = (item!.check(a) as CheckResult);
    assert.equal(r.ok, false, JSON.stringify(a));
    return r.ok ? '' : r.reason;
  };
  ok('Paris');
  ok('  PARIS.\n');
  ok('**Paris**');
  ok('It is the largest city.\nAnswer: paris');
  ok('Final answer:\n  Paris\n\nThanks!');
  ok('thinking about Lyon...\n<answer> Paris </answer>');
  ok('\\boxed{Paris}');
  assert.equal(no('Answer: Lyon'), 'expected "paris", got "lyon"');
  // Prose without a marked answer must equal the answer as a whole: no substring matching.
  assert.equal(no('I am sure it is Paris'), 'expected "paris", got "i am sure it is paris"');
  // The marked answer counts, not prose around it.
  assert.equal(no('Paris is pretty.\nAnswer: Lyon'), 'expected "paris", got "lyon"');
  assert.equal(no('Answer:'), 'no answer found');
  assert.match(no('y'.repeat(200_000)), /^answer is too long/);
  assert.equal(normaliseAnswer('  New\t\tYork  City. '), 'new york city');
});

// --- runEval -----------------------------------------------------------------------------------------

test('runEval: arms interleaved per item, first arm rotating; rows carry usage, cost, verdicts', async () => {
  const order: string[] = [];
  const out = await runEval(echoItems(3), arms('instant,reasoning'), {
    run: async (item, arm) => {
      order.push(`${item.id}:${arm.name}`);
      return done(arm.name === 'reasoning' ? item.id : 'nope', 7, 0.5);
    },
  });
  assert.deepEqual(order, ['q0:instant', 'q0:reasoning', 'q1:reasoning', 'q1:instant', 'q2:instant', 'q2:reasoning']);
  assert.equal(out.rows.length, 6);
  assert.equal(out.planned, 6);
  assert.equal(out.spent, 3);
  const r = out.rows.find((x) => x.id === 'q1' && x.arm === 'reasoning')!;
  assert.equal(r.correct, true);
  assert.deepEqual(r.usage, { prompt: 1, completion: 7, reasoning: 0 });
  const w = out.rows.find((x) => x.id === 'q1' && x.arm === 'instant')!;
  assert.equal(w.correct, false);
  assert.equal(w.reason, 'wanted q1');
});

test('runEval: never more runs in flight than the concurrency bound, and the bound is reached', async () => {
  let inFlight = 0;
  let peak = 0;
  await runEval(echoItems(6), arms('auto,instant'), {
    concurrency: 3,
    run: async (item) => {
      peak = Math.max(peak, ++inFlight);
      await sleep(10);
      inFlight--;
      return done(item.id);
    },
  });
  assert.equal(peak, 3);
});

test('runEval: skip (resume) leaves finished pairs alone; cancellation stops starting runs and drops cut-short ones', async () => {
  const ran: string[] = [];
  const skip = new Set([rowKey('q0', 'auto'), rowKey('q1', 'instant')]);
  const out = await runEval(echoItems(2), arms('auto,instant'), { skip, run: async (item, arm) => (ran.push(`${item.id}:${arm.name}`), done(item.id)) });
  assert.deepEqual(ran.sort(), ['q0:instant', 'q1:auto']);
  assert.equal(out.skipped, 2);

  const ac = new AbortController();
  let started = 0;
  const cut = await runEval(echoItems(10), arms('auto'), {
    signal: ac.signal,
    concurrency: 2,
    run: async (item, _arm, signal) => {
      if (++started === 3) ac.abort();
      await sleep(5);
      return signal.aborted ? { ...done(''), status: 'cancelled' } : done(item.id);
    },
  });
  assert.equal(cut.stoppedBy, 'cancelled');
  assert.ok(cut.rows.length < 10);
  assert.ok(cut.rows.every((r) => r.correct));
});

test('runEval: a throwing arm or check is a wrong row with its reason, not a crash', async () => {
  const items: EvalItem[] = [
    { id: 'a', question: 'a', check: () => ({ ok: true }) },
    { id: 'b', question: 'b', check: () => { throw new Error('bad check'); } },
  ];
  const out = await runEval(items, arms('auto'), { run: async (item) => { if (item.id === 'a') throw new Error('boom'); return done('x'); } });
  assert.equal(out.rows[0]!.correct, false);
  assert.match(out.rows[0]!.error!, /boom/);
  assert.match(out.rows[1]!.reason!, /the check threw: bad check/);
});

test('runEval: --max-cost starts no run that would pass the cap; the endpoint failing every run stops early', async () => {
  const out = await runEval(echoItems(10), arms('auto'), { maxCost: 3.5, run: async (item) => done(item.id, 1, 1) });
  assert.equal(out.stoppedBy, 'max-cost');
  assert.equal(out.rows.length, 3);
  assert.ok(out.spent <= 3.5);
  const dead = await runEval(echoItems(10), arms('auto,instant'), { run: async () => ({ ...done(''), status: 'failed', error: 'HTTP 500' }) });
  assert.equal(dead.stoppedBy, 'endpoint');
  assert.equal(dead.rows.length, 6);
});

test('runEval end to end on Countdown: a solver arm scores 100%, a lazy arm 0% with reasons', async () => {
  const items = countdownItems(4, 3);
  const problems = generateCountdown(4, 3);
  const out = await runEval(items, arms('reasoning,instant'), {
    run: async (item, arm) => done(arm.name === 'reasoning' ? `Answer: ${problems[items.indexOf(item)]!.solution}` : 'Answer: 1 + 1'),
  });
  assert.equal(out.rows.filter((r) => r.arm === 'reasoning' && r.correct).length, 4);
  assert.equal(out.rows.filter((r) => r.arm === 'instant' && r.correct).length, 0);
  assert.ok(out.rows.filter((r) => r.arm === 'instant').every((r) => r.reason));
});
