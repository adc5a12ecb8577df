// SCALE end to end with scripted, deterministic fakes for the plan and score calls and for the step
// threads: plan.created before any step, dependency order, real concurrency, answers (never
// reasoning) carried forward, repair and fallback, all-easy and all-hard plans, unusable scores,
// failed steps, and cancellation that leaves no call open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventDataSchemas } from '../../src/core/run/events';
import {
  runScale,
  type ScaleCallRequest,
  type ScaleDeps,
  type ScaleEvent,
  type ScaleInput,
  type ScaleResult,
  type StepRunRequest,
  type StepRunResult,
} from '../../src/effort/scale/execute';
import { simplePool, type TaskPool } from '../../src/effort/scale/pool';

type FakeStep = StepRunResult & { reasoning: string };

interface Script {
  /** Replies to successive plan calls. */
  plans: string[];
  /** Reply to the score call of step i. */
  score?: (i: number) => string;
  /** The step thread; default answers `Step answer: A{i+1}` at once. */
  step?: (req: StepRunRequest, h: Harness) => Promise<FakeStep>;
  /** A plan call that hangs until aborted. */
  hangPlan?: boolean;
  /** Score calls that hang until aborted. */
  hangScores?: boolean;
  pool?: TaskPool;
  /** Output tokens each plan and score call reports (200 and 10 by default). */
  tokens?: { plan?: number; score?: number };
}

interface Harness {
  deps: ScaleDeps;
  log: string[];
  events: ScaleEvent[];
  planCalls: ScaleCallRequest[];
  assessCalls: ScaleCallRequest[];
  stepCalls: StepRunRequest[];
  signals: AbortSignal[];
  pending: () => number;
  inFlight: () => number;
  maxInFlight: () => number;
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await tick();
};
/** Rejects when `signal` aborts: a call that only ends by cancellation. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

function harness(script: Script): Harness {
  const log: string[] = [];
  const events: ScaleEvent[] = [];
  const planCalls: ScaleCallRequest[] = [];
  const assessCalls: ScaleCallRequest[] = [];
  const stepCalls: StepRunRequest[] = [];
  const signals: AbortSignal[] = [];
  let pending = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const track = async <T>(p: () => Promise<T>): Promise<T> => {
    pending++;
    try {
      return await p();
    } finally {
      pending--;
    }
  };
  const h: Harness = {
    log,
    events,
    planCalls,
    assessCalls,
    stepCalls,
    signals,
    pending: () => pending,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    deps: {
      pool: script.pool ?? simplePool(4),
      emit: (e) => {
        events.push(e);
        log.push(e.type === 'thread.notice' ? `notice ${e.data.code}` : e.type);
      },
      call: (req) =>
        track(async () => {
          signals.push(req.signal);
          await tick();
          if (req.purpose === 'plan') {
            planCalls.push(req);
            if (script.hangPlan) return untilAborted(req.signal);
            const text = script.plans[planCalls.length - 1];
            if (text === undefined) throw new Error('no more scripted plans');
            return { text, tokens: script.tokens?.plan ?? 200 };
          }
          assessCalls.push(req);
          if (script.hangScores) return untilAborted(req.signal);
          return { text: script.score?.(req.step!) ?? '0.9', tokens: script.tokens?.score ?? 10 };
        }),
      runStep: (req) =>
        track(async () => {
          signals.push(req.signal);
          stepCalls.push(req);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          log.push(`start ${req.index}`);
          try {
            const r = script.step ? await script.step(req, h) : await defaultStep(req);
            return r;
          } finally {
            inFlight--;
            log.push(`end ${req.index}`);
          }
        }),
    },
  };
  return h;
}

async function defaultStep(req: StepRunRequest): Promise<FakeStep> {
  await tick();
  const n = req.index + 1;
  return { status: 'done', answer: `Working W${n}.\nStep answer: A${n}`, tokens: 50, reasoning: `SECRET-REASONING-${n}` };
}

const input = (over: Partial<ScaleInput> = {}): ScaleInput => ({ request: 'REQ: what is the total?', effort: 1, budget: 12_000, ...over });

/** A plan JSON; `deps[i]` undefined = dependsOn omitted. */
function planText(deps: Array<number[] | undefined>): string {
  const steps = deps.map((d, i) => ({ id: i + 1, title: `Step${i + 1}`, goal: `Do part ${i + 1}.`, ...(d ? { dependsOn: d } : {}) }));
  return 'Here is the plan:\n```json\n' + JSON.stringify({ conditions: ['x = 3', 'y = 4'], question: 'What is the total?', steps }) + '\n```';
}

const planCreated = (h: Harness) => {
  const e = h.events.find((x) => x.type === 'plan.created');
  assert.ok(e && e.type === 'plan.created', 'plan.created was emitted');
  return e.data;
};
const userText = (req: StepRunRequest) => req.messages.map((m) => m.content ?? '').join('\n');

function assertNoLeaks(h: Harness, r: ScaleResult) {
  assert.equal(h.pending(), 0, `calls left open when runScale returned (${r.status})`);
  h.signals.forEach((s, i) => assert.ok(s.aborted, `signal ${i} handed out was not aborted`));
}

test('a full run: plan.created (valid per the event schema) before the first step, final answer from the last step', async () => {
  const h = harness({ plans: [planText([[], [1], [2]])], score: (i) => ['0.2', '0.8', '0.3'][i]! });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  assert.equal(r.answer, 'Working W3.\nStep answer: A3');
  const first = h.log.findIndex((l) => l.startsWith('start'));
  assert.ok(h.log.indexOf('plan.created') >= 0 && h.log.indexOf('plan.created') < first, h.log.join(' | '));
  const data = planCreated(h);
  assert.equal(eventDataSchemas['plan.created'].safeParse(data).success, true);
  assert.deepEqual(data.steps.map((s) => s.system), [1, 2, 2]);
  assert.deepEqual(data.steps.map((s) => s.dependsOn), [[], [0], [0, 1]]);
  assert.deepEqual(data.steps.map((s) => s.title), ['Step1', 'Step2', 'Step3']);
  assert.equal(h.assessCalls.length, 3);
  assert.ok(h.assessCalls.every((c) => c.maxOutputTokens <= 64));
  // The step threads get exactly what plan.created announced.
  assert.deepEqual(h.stepCalls.map((s) => [s.system, s.budget, s.final]), data.steps.map((s, i) => [s.system, s.budget, i === 2]));
  // Budget: plan + scores + step budgets never exceed B.
  const spent = 200 + 3 * 10;
  assert.equal(data['overhead'], spent);
  assert.ok(spent + data.steps.reduce((a, s) => a + (s.budget ?? 0), 0) <= 12_000);
  assert.equal(r.tokens, spent + 3 * 50);
  assertNoLeaks(h, r);
});

test('dependency order and real concurrency: independent steps run at once, no step starts before its inputs finish', async () => {
  // 1 and 2 independent; 3 needs 1; 4 needs 2 and 3; 5 (final) needs all.
  const h = harness({
    plans: [planText([[], [], [1], [2, 3], [1, 2, 3, 4]])],
    step: async (req, hh) => {
      // Steps 1 and 2 wait (boundedly) for each other, so they must overlap if the scheduler allows it.
      if (req.index <= 1) for (let k = 0; k < 50 && hh.inFlight() < 2; k++) await tick();
      await ticks(3 - (req.index % 3));
      return { status: 'done', answer: `Step answer: A${req.index + 1}`, tokens: 10, reasoning: 'r' };
    },
  });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  assert.ok(h.maxInFlight() >= 2, `max in flight ${h.maxInFlight()}`);
  const deps = planCreated(h).steps.map((s) => s.dependsOn);
  deps.forEach((ds, i) => {
    const start = h.log.indexOf(`start ${i}`);
    assert.ok(start >= 0);
    for (const d of ds) assert.ok(h.log.indexOf(`end ${d}`) < start, `step ${i} started before step ${d} finished: ${h.log.join(' | ')}`);
  });
  assertNoLeaks(h, r);
});

test('a pool of one still runs every step, one at a time', async () => {
  const h = harness({ plans: [planText([[], [], [1, 2]])], pool: simplePool(1) });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  assert.equal(h.maxInFlight(), 1);
});

test('context: a step sees the answers of its inputs, never their reasoning nor their working', async () => {
  // 1 → [], 2 → [] (declared none), 3 → omitted (all earlier), 4 → [2], 5 final.
  const h = harness({ plans: [planText([[], [], undefined, [2], [4]])] });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  const byIndex = (i: number) => userText(h.stepCalls.find((s) => s.index === i)!);
  for (const s of h.stepCalls) {
    const text = userText(s);
    assert.doesNotMatch(text, /SECRET-REASONING/, `step ${s.index} saw reasoning`);
    assert.doesNotMatch(text, /Working W/, `step ${s.index} saw an earlier step's working`);
    assert.match(text, /REQ: what is the total\?/);
    assert.match(text, /- x = 3\n- y = 4/);
    assert.match(text, new RegExp(`Do part ${s.index + 1}\\.`));
  }
  assert.doesNotMatch(byIndex(1), /Answers of earlier steps/, 'declared [] sees no earlier answers');
  assert.match(byIndex(2), /Step 1 \(Step1\): A1\nStep 2 \(Step2\): A2/, 'omitted dependsOn sees all earlier steps');
  assert.match(byIndex(3), /Step 2 \(Step2\): A2/);
  assert.doesNotMatch(byIndex(3), /A1|A3/, 'a declared dependency list is respected');
  assert.match(byIndex(4), /A1[\s\S]*A2[\s\S]*A3[\s\S]*A4/, 'the final step sees every earlier answer');
});

test('malformed plan JSON → one repair turn with the exact error → success', async () => {
  const broken = 'Plan: {"conditions": ["x"], "question": "q", "steps": [{"id": 1, "title": "a", "goal": "g"}';
  const h = harness({ plans: [broken, planText([[], [1]])] });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  assert.equal(h.planCalls.length, 2);
  const repair = h.planCalls[1]!.messages;
  assert.equal(repair[repair.length - 2]!.content, broken);
  assert.match(repair[repair.length - 1]!.content as string, /never closed/);
  assert.ok(h.log.includes('notice scale_plan_repair'));
  assert.ok(h.log.indexOf('notice scale_plan_repair') < h.log.indexOf('plan.created'));
  assert.equal(r.tokens, 2 * 200 + 2 * 10 + 2 * 50);
});

test('malformed twice → the fallback marker with the reason, a notice, no steps, the budget left', async () => {
  const h = harness({ plans: ['not json at all', planText([[2], []])] }); // the repair has a forward reference
  const r = await runScale(h.deps, input({ budget: 5_000 }), new AbortController().signal);
  assert.equal(r.status, 'fallback');
  assert.equal(r.answer, '');
  assert.match(r.fallback!.reason, /still not usable after one repair.*step 1 depends on step 2, which comes later/);
  assert.equal(r.fallback!.remainingBudget, 5_000 - 400);
  assert.equal(h.planCalls.length, 2, 'exactly one repair');
  assert.equal(h.stepCalls.length, 0);
  assert.equal(h.assessCalls.length, 0);
  const notice = h.events.find((e) => e.type === 'thread.notice' && e.data.code === 'scale_fallback');
  assert.ok(notice && notice.type === 'thread.notice' && /one reasoning call/.test(notice.data.message));
  assert.ok(r.notes.some((n) => /could not plan steps/.test(n)));
  assertNoLeaks(h, r);
});

test('fallback without calling anything when the budget cannot pay for a plan; and when the plan call fails', async () => {
  const h = harness({ plans: [planText([[], [1]])] });
  const r = await runScale(h.deps, input({ budget: 600 }), new AbortController().signal);
  assert.equal(r.status, 'fallback');
  assert.match(r.fallback!.reason, /too small to plan/);
  assert.equal(h.planCalls.length + h.signals.length, 0);

  const h2 = harness({ plans: [] });
  const r2 = await runScale(h2.deps, input(), new AbortController().signal);
  assert.equal(r2.status, 'fallback');
  assert.match(r2.fallback!.reason, /planning call failed \(no more scripted plans\)/);
});

test('a plan too big for what is left after planning falls back rather than overspending; so does a repair with no budget', async () => {
  // 1,024 tokens: 256 for the plan, 8 · 40 to score it; 448 are left and 8 steps need 8 · 64.
  const h = harness({ plans: [planText([[], [], [], [], [], [], [], []])], tokens: { plan: 256, score: 40 } });
  const r = await runScale(h.deps, input({ budget: 1_024 }), new AbortController().signal);
  assert.equal(r.status, 'fallback');
  assert.match(r.fallback!.reason, /too little budget for 8 steps: 448 tokens are left/);
  assert.equal(r.fallback!.remainingBudget, 448);
  assert.equal(h.stepCalls.length, 0);
  assertNoLeaks(h, r);

  const h2 = harness({ plans: ['oops', planText([[], [1]])] });
  const r2 = await runScale(h2.deps, input({ budget: 1_100 }), new AbortController().signal); // 900 left: a 225-token repair would be cut off
  assert.equal(r2.status, 'fallback');
  assert.match(r2.fallback!.reason, /no budget is left to repair it/);
  assert.equal(h2.planCalls.length, 1);
});

test('all-easy plan: System 1 everywhere but the last step; all-hard: System 2 everywhere; budgets within B', async () => {
  const easy = harness({ plans: [planText([[], [1], [2], [3]])], score: () => '0.1' });
  await runScale(easy.deps, input(), new AbortController().signal);
  const e = planCreated(easy);
  assert.deepEqual(e.steps.map((s) => s.system), [1, 1, 1, 2]);
  assert.deepEqual(e.steps.slice(0, 3).map((s) => s.budget), [256, 256, 256]);
  assert.equal(e.steps[3]!.budget, 12_000 - 200 - 40 - 3 * 256, 'the last step gets all the rest');

  const hard = harness({ plans: [planText([[], [1], [2], [3]])], score: () => '{"difficulty": 0.9}' });
  await runScale(hard.deps, input(), new AbortController().signal);
  const d = planCreated(hard);
  assert.deepEqual(d.steps.map((s) => s.system), [2, 2, 2, 2]);
  const budgets = d.steps.map((s) => s.budget!);
  assert.ok(budgets.every((b) => b === budgets[0] || Math.abs(b - budgets[0]!) <= 1), 'equal difficulty, equal budgets');
  assert.ok(budgets.reduce((a, b) => a + b, 0) + 240 <= 12_000);
});

test('the same plan under efforts 0.25, 1 and 2: tau and the systems follow effort', async () => {
  const scores = ['0.3', '0.6', '0.78', '0.2', '0.1'];
  const systems: Record<string, number[]> = {};
  for (const effort of [0.25, 1, 2]) {
    const h = harness({ plans: [planText([[], [1], [2], [3], [4]])], score: (i) => scores[i]! });
    const r = await runScale(h.deps, input({ effort }), new AbortController().signal);
    systems[effort] = planCreated(h).steps.map((s) => s.system);
    assert.equal(planCreated(h)['tau'], r.tau);
  }
  assert.deepEqual(systems, { 0.25: [1, 1, 1, 1, 2], 1: [1, 2, 2, 1, 2], 2: [2, 2, 2, 1, 2] });
});

test('unusable scores count as hard, each with a note; a failed scoring call too', async () => {
  const replies = ['I would say hard', '7', '{"difficulty": 1.5}', '0.1'];
  const h = harness({ plans: [planText([[], [], [], [1, 2, 3]])], score: (i) => replies[i]! });
  const r = await runScale(h.deps, input({ effort: 0.1 }), new AbortController().signal);
  const data = planCreated(h);
  assert.deepEqual(data.steps.map((s) => s.difficulty), [1, 1, 1, 0.1]);
  assert.deepEqual(data.steps.map((s) => s['scored']), [false, false, false, true]);
  assert.deepEqual(data.steps.map((s) => s.system), [2, 2, 2, 2], 'hard even at the lowest effort (tau 0.8)');
  assert.equal(r.notes.filter((n) => /counted as hard/.test(n)).length, 3);
  assert.equal(h.events.filter((e) => e.type === 'thread.notice' && e.data.code === 'scale_score_invalid').length, 3);

  const failing = harness({ plans: [planText([[], [1]])] });
  const call = failing.deps.call;
  failing.deps.call = (req) => (req.purpose === 'assess' && req.step === 0 ? Promise.reject(new Error('HTTP 500')) : call(req));
  const r2 = await runScale(failing.deps, input(), new AbortController().signal);
  assert.equal(r2.steps[0]!.difficulty, 1);
  assert.ok(r2.notes.some((n) => /scoring call failed \(HTTP 500\); counted as hard/.test(n)));
});

test('a failed step: its dependents still run, told the input is missing, and the final answer comes through', async () => {
  const h = harness({
    plans: [planText([[], [1], [2]])],
    step: async (req) => {
      await tick();
      if (req.index === 0) return { status: 'failed', answer: '', tokens: 5, error: 'HTTP 502', reasoning: 'x' };
      return { status: 'done', answer: `Step answer: A${req.index + 1}`, tokens: 10, reasoning: 'x' };
    },
  });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'done');
  assert.equal(r.answer, 'Step answer: A3');
  assert.match(userText(h.stepCalls[1]!), /Step 1 \(Step1\): \[missing: this step did not finish \(failed\)\]/);
  assert.deepEqual(r.steps.map((s) => s.status), ['failed', 'done', 'done']);
  assert.ok(r.notes.some((n) => /step 1 \(Step1\) did not finish \(failed: HTTP 502\)/.test(n)));
});

test('two failed steps stop the run: nothing new starts, the result is failed with the partial answers', async () => {
  const h = harness({
    plans: [planText([[], [], [], [3], [1, 2, 3, 4]])],
    step: async (req) => {
      await tick();
      if (req.index === 0 || req.index === 1) return { status: 'failed', answer: '', tokens: 0, error: 'HTTP 401', reasoning: '' };
      return { status: 'done', answer: `Step answer: A${req.index + 1}`, tokens: 10, reasoning: '' };
    },
  });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'failed');
  assert.deepEqual(r.steps.map((s) => s.status), ['failed', 'failed', 'done', 'skipped', 'skipped']);
  assert.equal(r.answer, 'Step 3 (Step3): A3');
  assert.ok(!h.stepCalls.some((s) => s.index >= 3));
  assert.ok(h.log.includes('notice scale_stopped'));
});

test('cancellation mid-execution aborts every in-flight call, leaves none open, and never starts the rest', async () => {
  const ctl = new AbortController();
  const h = harness({
    plans: [planText([[], [], [1, 2], [3]])],
    step: async (req, hh) => {
      if (hh.inFlight() >= 2) setImmediate(() => ctl.abort(new Error('user cancelled')));
      return untilAborted(req.signal);
    },
  });
  const r = await runScale(h.deps, input(), ctl.signal);
  assert.equal(r.status, 'cancelled');
  assert.deepEqual(r.steps.map((s) => s.status), ['cancelled', 'cancelled', 'pending', 'pending']);
  assert.deepEqual(h.stepCalls.map((s) => s.index).sort(), [0, 1]);
  assert.equal(h.log.filter((l) => l.startsWith('start')).length, 2);
  assertNoLeaks(h, r);
  assert.ok(r.plan, 'what is known is returned');
});

test('cancellation while a queued step waits for a pool slot: it never starts', async () => {
  const ctl = new AbortController();
  const h = harness({
    plans: [planText([[], [], [1, 2]])],
    pool: simplePool(1),
    step: async (req) => {
      setImmediate(() => ctl.abort());
      return untilAborted(req.signal);
    },
  });
  const r = await runScale(h.deps, input(), ctl.signal);
  assert.equal(r.status, 'cancelled');
  assert.equal(h.stepCalls.length, 1);
  assert.deepEqual(r.steps.map((s) => [s.status, s.started]), [['cancelled', true], ['pending', false], ['pending', false]]);
  assertNoLeaks(h, r);
});

test('cancellation during the plan call and during scoring: cancelled, nothing left open, no plan.created', async () => {
  const ctl = new AbortController();
  const h = harness({ plans: [], hangPlan: true });
  const p = runScale(h.deps, input(), ctl.signal);
  await ticks(3);
  assert.equal(h.pending(), 1);
  ctl.abort();
  const r = await p;
  assert.equal(r.status, 'cancelled');
  assertNoLeaks(h, r);

  const ctl2 = new AbortController();
  const h2 = harness({ plans: [planText([[], [], [1, 2]])], hangScores: true });
  const p2 = runScale(h2.deps, input(), ctl2.signal);
  while (h2.assessCalls.length < 3) await tick();
  assert.equal(h2.pending(), 3, 'all three scores in flight at once');
  ctl2.abort();
  const r2 = await p2;
  assert.equal(r2.status, 'cancelled');
  assert.equal(h2.events.some((e) => e.type === 'plan.created'), false);
  assertNoLeaks(h2, r2);

  const h3 = harness({ plans: [planText([[], [1]])] });
  const done = new AbortController();
  done.abort();
  const r3 = await runScale(h3.deps, input(), done.signal);
  assert.equal(r3.status, 'cancelled');
  assert.equal(h3.signals.length, 0, 'an already-cancelled run calls nothing');
});

test('a step that ends over budget passes its partial answer on, marked; an over-budget final step makes the run over_budget', async () => {
  const h = harness({
    plans: [planText([[], [1]])],
    step: async (req) => {
      await tick();
      return { status: 'over_budget', answer: `partial ${req.index + 1}\nStep answer: P${req.index + 1}`, tokens: 100, reasoning: '' };
    },
  });
  const r = await runScale(h.deps, input(), new AbortController().signal);
  assert.equal(r.status, 'over_budget');
  assert.match(userText(h.stepCalls[1]!), /\[partial: this step ran out of budget\] P1/);
  assert.equal(r.answer, 'partial 2\nStep answer: P2');
});

test('simplePool: bounded, first come first served, a queued task aborted before it starts never runs', async () => {
  const pool = simplePool(2);
  const order: string[] = [];
  let active = 0;
  let peak = 0;
  const task = (name: string) => async () => {
    active++;
    peak = Math.max(peak, active);
    order.push(name);
    await ticks(2);
    active--;
    return name;
  };
  const never = new AbortController();
  const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => pool.run(task(n), never.signal)));
  assert.deepEqual(results, ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(peak, 2);

  const one = simplePool(1);
  const ctl = new AbortController();
  let ran = false;
  const blocker = one.run(async (s) => untilAborted(s), ctl.signal);
  const queued = one.run(async () => (ran = true), ctl.signal);
  assert.equal(one.queued, 1);
  ctl.abort(new Error('stop'));
  await assert.rejects(blocker, /stop/);
  await assert.rejects(queued, /stop/);
  assert.equal(ran, false);
  assert.equal(one.active + one.queued, 0);
  await assert.rejects(one.run(async () => 1, ctl.signal), /stop/, 'an aborted signal never starts a task');
  assert.equal(await one.run(async () => 7, new AbortController().signal), 7, 'the pool is free again');
});
