import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countdownItems, normaliseAnswer, parseJsonlItems, type EvalItem } from '../../src/eval/items';
import { evalReportJson, formatEvalReport } from '../../src/eval/report';
import { runEval, type Arm, type ArmResult } from '../../src/eval/runEval';
import { generateCountdown } from '../../src/eval/countdown/generator';

const done = (answer: string, tokens = 10, wallMs = 5, criticalPathTokens = tokens): ArmResult => ({
  status: 'done',
  answer,
  tokens,
  criticalPathTokens,
  wallMs,
});
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Items whose correct answer is their own id, so fake arms can be right or wrong on purpose. */
function echoItems(n: number): EvalItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    question: `say q${i}`,
    check: (a: string) => (a === `q${i}` ? { ok: true as const } : { ok: false as const, reason: `wanted q${i}` }),
  }));
}
const itemIndex = (item: EvalItem): number => Number(item.id.slice(1));

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
    assert.equal(item.check(`Answer: ${p.numbers.join(' + ')} + ${p.numbers[0]}`).ok, false);
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
  const ok = (a: string) => assert.deepEqual(item!.check(a), { ok: true }, JSON.stringify(a));
  const no = (a: string) => {
    const r = item!.check(a);
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

test('runEval: accuracy, tokens and wall-time aggregates per arm, rows per item and arm', async () => {
  const items = echoItems(4);
  const oracle: Arm = { name: 'oracle', run: async (item) => done(item.id, 100 + itemIndex(item), 10 * (itemIndex(item) + 1), 50) };
  const half: Arm = { name: 'half', run: async (item) => done(itemIndex(item) % 2 === 0 ? item.id : 'nope', 10, 5) };
  const progress: [number, number][] = [];
  const report = await runEval(items, [oracle, half], { concurrency: 2, onProgress: (d, t) => progress.push([d, t]) });

  assert.equal(report.items, 4);
  assert.deepEqual(report.arms, ['oracle', 'half']);
  assert.equal(report.cancelled, false);
  assert.equal(report.runsPlanned, 8);
  assert.equal(report.runsFinished, 8);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8].map((d) => [d, 8]));
  assert.deepEqual(report.summaries, [
    {
      arm: 'oracle',
      n: 4,
      correct: 4,
      accuracy: 1,
      failed: 0,
      cancelled: 0,
      totalTokens: 406,
      meanTokens: 101.5,
      meanCriticalPathTokens: 50,
      meanWallMs: 25,
      p50WallMs: 25,
    },
    {
      arm: 'half',
      n: 4,
      correct: 2,
      accuracy: 0.5,
      failed: 0,
      cancelled: 0,
      totalTokens: 40,
      meanTokens: 10,
      meanCriticalPathTokens: 10,
      meanWallMs: 5,
      p50WallMs: 5,
    },
  ]);
  // Item order, then arm order, whatever order the runs finished in.
  assert.deepEqual(
    report.rows.map((r) => `${r.id}/${r.arm}/${r.ok ? 'ok' : r.reason}`),
    ['q0/oracle/ok', 'q0/half/ok', 'q1/oracle/ok', 'q1/half/wanted q1', 'q2/oracle/ok', 'q2/half/ok', 'q3/oracle/ok', 'q3/half/wanted q3'],
  );
});

test('runEval: arms are interleaved per item, and the first arm rotates', async () => {
  const calls: string[] = [];
  const arm = (name: string): Arm => ({
    name,
    run: async (item) => {
      calls.push(`${item.id}:${name}`);
      return done(item.id);
    },
  });
  await runEval(echoItems(4), [arm('A'), arm('B'), arm('C')]);
  assert.deepEqual(calls, ['q0:A', 'q0:B', 'q0:C', 'q1:B', 'q1:C', 'q1:A', 'q2:C', 'q2:A', 'q2:B', 'q3:A', 'q3:B', 'q3:C']);
});

test('runEval: never more runs in flight than the concurrency bound, and the bound is reached', async () => {
  for (const concurrency of [1, 3, 5]) {
    let inFlight = 0;
    let maxInFlight = 0;
    const arm = (name: string): Arm => ({
      name,
      run: async (item) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(1 + (itemIndex(item) % 3));
        inFlight--;
        return done(item.id);
      },
    });
    const report = await runEval(echoItems(10), [arm('A'), arm('B')], { concurrency });
    assert.equal(maxInFlight, concurrency, `concurrency ${concurrency}`);
    assert.equal(report.runsFinished, 20);
  }
  await assert.rejects(runEval(echoItems(1), [], { concurrency: 0 }), RangeError);
  await assert.rejects(runEval(echoItems(1), [], { concurrency: 1.5 }), RangeError);
});

test('runEval: cancellation stops starting runs and reports what finished', async () => {
  const controller = new AbortController();
  let started = 0;
  const arm = (name: string): Arm => ({
    name,
    run: async (item) => {
      started++;
      return done(item.id);
    },
  });
  const report = await runEval(echoItems(10), [arm('A'), arm('B')], {
    signal: controller.signal,
    onProgress: (d) => {
      if (d === 3) controller.abort();
    },
  });
  assert.equal(started, 3);
  assert.equal(report.cancelled, true);
  assert.equal(report.runsPlanned, 20);
  assert.equal(report.runsFinished, 3);
  assert.deepEqual(
    report.rows.map((r) => `${r.id}/${r.arm}`),
    ['q0/A', 'q0/B', 'q1/B'],
  );
  assert.deepEqual(
    report.summaries.map((s) => [s.arm, s.n, s.correct]),
    [
      ['A', 1, 1],
      ['B', 2, 2],
    ],
  );
  assert.match(formatEvalReport(report), /Cancelled: 3 of 20 runs finished\./);

  // Cancelled before the start: nothing runs.
  const report2 = await runEval(echoItems(3), [arm('A')], { signal: AbortSignal.abort() });
  assert.equal(report2.runsFinished, 0);
  assert.equal(report2.cancelled, true);
  assert.equal(report2.summaries[0]!.accuracy, null);
});

test('runEval: runs in flight see the signal; their cancelled results are left out of the figures', async () => {
  const controller = new AbortController();
  const patient: Arm = {
    name: 'patient',
    run: (item, signal) =>
      new Promise((resolve) => {
        if (item.id === 'q0') return resolve(done('q0', 40));
        signal.addEventListener('abort', () => resolve({ status: 'cancelled', answer: '', tokens: 7, criticalPathTokens: 7, wallMs: 1 }));
      }),
  };
  setTimeout(() => controller.abort(), 20);
  const report = await runEval(echoItems(5), [patient], { concurrency: 2, signal: controller.signal });
  assert.deepEqual(
    report.rows.map((r) => [r.id, r.status]),
    [
      ['q0', 'done'],
      ['q1', 'cancelled'],
      ['q2', 'cancelled'],
    ],
  );
  const [s] = report.summaries;
  assert.deepEqual([s!.n, s!.correct, s!.cancelled, s!.totalTokens], [1, 1, 2, 40]);
  assert.equal(report.cancelled, true);
});

test('runEval: an arm that ignores cancellation is cut off after the grace period', async () => {
  const controller = new AbortController();
  const deaf: Arm = { name: 'deaf', run: () => new Promise<ArmResult>(() => {}) };
  setTimeout(() => controller.abort(), 10);
  const t0 = Date.now();
  const report = await runEval(echoItems(3), [deaf], { concurrency: 2, signal: controller.signal, cancelGraceMs: 30 });
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(
    report.rows.map((r) => [r.id, r.status, r.reason]),
    [
      ['q0', 'cancelled', 'cancelled: did not stop after cancellation'],
      ['q1', 'cancelled', 'cancelled: did not stop after cancellation'],
    ],
  );
});

test('runEval: a throwing arm, a bad result or a throwing check is a failed or wrong row, not a crash', async () => {
  const items = echoItems(3);
  items[2] = { ...items[2]!, check: () => { throw new Error('checker bug'); } };
  const flaky: Arm = {
    name: 'flaky',
    run: (item) => {
      if (item.id === 'q0') throw new Error('sync boom');
      if (item.id === 'q1') return Promise.reject(new Error('connection reset'));
      return Promise.resolve(done(item.id));
    },
  };
  const broken: Arm = { name: 'broken', run: async () => ({ status: 'finished' }) as unknown as ArmResult };
  const failing: Arm = { name: 'failing', run: async () => ({ status: 'failed', answer: 'partial', tokens: 30, criticalPathTokens: 30, wallMs: 2, error: 'HTTP 500' }) };
  const good: Arm = { name: 'good', run: async (item) => done(item.id, 10) };
  const report = await runEval(items, [flaky, broken, failing, good], {
    concurrency: 2,
    onProgress: () => {
      throw new Error('progress bar bug');
    },
  });
  const row = (id: string, arm: string) => report.rows.find((r) => r.id === id && r.arm === arm)!;
  assert.equal(row('q0', 'flaky').reason, 'failed: sync boom');
  assert.equal(row('q1', 'flaky').reason, 'failed: connection reset');
  assert.equal(row('q2', 'flaky').reason, 'the check threw: checker bug');
  assert.equal(row('q0', 'broken').reason, 'failed: the arm returned a result without a valid status');
  assert.equal(row('q0', 'failing').reason, 'failed: HTTP 500');
  assert.equal(row('q0', 'failing').tokens, 30, 'a failed run still spent its tokens');
  const by = Object.fromEntries(report.summaries.map((s) => [s.arm, s]));
  assert.deepEqual([by.flaky!.n, by.flaky!.failed, by.flaky!.correct], [3, 2, 0]);
  assert.deepEqual([by.failing!.n, by.failing!.failed, by.failing!.accuracy, by.failing!.totalTokens], [3, 3, 0, 90]);
  assert.deepEqual([by.good!.n, by.good!.correct, by.good!.failed], [3, 2, 0]);
  await assert.rejects(runEval(items, [good, good]), /arm names must be unique/);
});

test('runEval end to end on Countdown: a solver arm scores 100%, a lazy arm 0% with reasons', async () => {
  const items = countdownItems(6, 3);
  const solutions = new Map(generateCountdown(6, 3).map((p, i) => [`countdown-3-${i + 1}`, p.solution]));
  const solver: Arm = { name: 'solver', run: async (item) => done(`Let me see.\nAnswer: ${solutions.get(item.id)}`, 200, 1500) };
  const lazy: Arm = { name: 'lazy', run: async () => done('Answer: 42', 20, 300) };
  const report = await runEval(items, [solver, lazy], { concurrency: 4 });
  assert.deepEqual(
    report.summaries.map((s) => [s.arm, s.accuracy]),
    [
      ['solver', 1],
      ['lazy', 0],
    ],
  );
  assert.ok(report.rows.filter((r) => r.arm === 'lazy').every((r) => r.reason === 'the answer is only a number (42), not an expression'));
});

// --- report ------------------------------------------------------------------------------------------

test('formatEvalReport: arms side by side, figures aligned, disagreements listed; JSON round-trips', async () => {
  const report = await runEval(echoItems(3), [
    { name: 'baseline', run: async (item) => done(item.id === 'q1' ? 'wrong' : item.id, 1000, 1200) },
    { name: 'policy', run: async (item) => done(item.id, 2500, 800, 900) },
  ]);
  const text = formatEvalReport(report);
  const lines = text.split('\n');
  assert.equal(lines[0], 'ARC eval: 3 items × 2 arms (baseline, policy)');
  assert.doesNotMatch(text, /Cancelled/);
  const header = lines.find((l) => /baseline\s+policy$/.test(l))!;
  const acc = lines.find((l) => l.startsWith('accuracy'))!;
  assert.match(acc, /^accuracy\s+66\.7%\s+100\.0%$/);
  // Right-aligned: every figure ends where its arm's name ends.
  assert.equal(acc.length, header.length);
  assert.match(text, /^total tokens\s+3,000\s+7,500$/m);
  assert.match(text, /^mean critical-path tokens\s+1,000\s+900$/m);
  assert.match(text, /^mean wall time\s+1\.20 s\s+800 ms$/m);
  assert.match(text, /Items where the arms disagree \(1\):\n {2}q1\n {4}baseline: ✗ wanted q1\n {4}policy: {3}✓/);

  const json = JSON.parse(evalReportJson(report));
  assert.equal(json.v, 1);
  assert.deepEqual(json.summaries, report.summaries);
  assert.equal(json.rows.length, 6);

  const empty = await runEval([], [{ name: 'a', run: async () => done('') }]);
  assert.match(formatEvalReport(empty), /^accuracy\s+—$/m);
  assert.equal(JSON.parse(evalReportJson(empty)).summaries[0].meanTokens, null);
});
