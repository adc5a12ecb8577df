// SCALE inside the engine (DESIGN §3.3): plan, scores, System 1 / System 2 steps as threads on their
// roles' models, budgets within the run's, fallback and cancellation — through the real openai
// client against the scripted loopback server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { parseRunEvent, type KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import type { RunRequest } from '../../src/core/run/request';
import { EffortEstimates } from '../../src/effort/estimator';
import { startScriptedServer, textStream, type RecordedRequest, type Script, type ScriptedServer } from '../fixtures/scriptedServer';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

const system = (req: RecordedRequest) => String(req.body?.messages?.[0]?.content ?? '');
const user = (req: RecordedRequest) => String(req.body?.messages?.at(-1)?.content ?? '');
const isPlan = (req: RecordedRequest) => system(req).startsWith('You split a request into a short plan');
const isAssess = (req: RecordedRequest) => system(req).startsWith('You rate how hard one step');
const isStep = (req: RecordedRequest) => system(req).startsWith('You are carrying out');
const u = (completion: number) => ({ prompt_tokens: 10, completion_tokens: completion });

const PLAN = {
  conditions: ['a = 3', 'b = 4'],
  question: 'What is (a + b) * (a * b)?',
  steps: [
    { id: 1, title: 'sum', goal: 'Compute a + b.', dependsOn: [] },
    { id: 2, title: 'product', goal: 'Compute a * b.', dependsOn: [] },
    { id: 3, title: 'combine', goal: 'Multiply the two results.', dependsOn: [1, 2] },
  ],
};
const SCORES: Record<string, number> = { sum: 0.1, product: 0.9, combine: 0.3 };

function engine(estimates?: EffortEstimates): Engine {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  return new Engine({
    models: { forRole: (role) => ep.model(role === 'instant' ? 'fast' : 'deep') },
    progressIntervalMs: 0,
    estimates,
  });
}

async function run(e: Engine, req: RunRequest, signal?: AbortSignal, onEvent?: (ev: KnownRunEvent) => void): Promise<KnownRunEvent[]> {
  const events: KnownRunEvent[] = [];
  for await (const ev of e.run(req, signal)) {
    events.push(ev);
    onEvent?.(ev);
  }
  for (const ev of events) {
    const parsed = parseRunEvent(JSON.parse(JSON.stringify(ev)));
    assert.ok(parsed.ok, `${ev.type}: ${parsed.ok ? '' : parsed.error}`);
  }
  return events;
}

function scripted(opts: { plan?: () => Script; step?: (req: RecordedRequest) => Script } = {}) {
  server.respond((req) => {
    if (isPlan(req)) return opts.plan ? opts.plan() : textStream(JSON.stringify(PLAN), { usage: u(60) });
    if (isAssess(req)) {
      const title = /Step to rate: \d+\. (\w+)/.exec(user(req))?.[1] ?? '';
      return textStream(JSON.stringify({ difficulty: SCORES[title] }), { usage: u(5) });
    }
    if (isStep(req) && opts.step) return opts.step(req);
    if (isStep(req)) {
      const text = user(req);
      if (text.includes('(1 of 3)')) return textStream('3 + 4\nStep answer: 7', { usage: u(20) });
      if (text.includes('(2 of 3)')) return reasoningThenAnswer('3 times 4 is 12, carefully.', 'Step answer: 12', 40);
      return reasoningThenAnswer('7 * 12', 'The answer is **84**.', 30);
    }
    return textStream('undecomposed answer: 84', { usage: u(50) });
  });
}

function reasoningThenAnswer(reasoning: string, answer: string, completion: number): Script {
  return { kind: 'stream', deltas: [{ role: 'assistant', content: null, reasoning_content: reasoning }, { content: answer }], usage: u(completion) };
}

test('SCALE: plan, concurrent scores, System 1 on the reasoning model with thinking off, System 2 thinking, answers carried, not reasoning', async () => {
  const from = server.requests.length;
  scripted();
  try {
    const events = await run(engine(await EffortEstimates.load(undefined)), { query: 'a = 3 and b = 4; what is (a+b)*(a*b)?', mode: 'reasoning', scale: 'on', effort: 1 });
    const fin = events.at(-1)!;
    assert.equal(fin.type, 'run.finished', JSON.stringify(fin.data));
    if (fin.type !== 'run.finished') return;
    assert.equal(fin.data.answer, 'The answer is **84**.');
    const planEv = events.find((e) => e.type === 'plan.created');
    assert.ok(planEv && planEv.type === 'plan.created');
    const steps = planEv.data.steps;
    assert.deepEqual(steps.map((s) => s.system), [1, 2, 2], 'tau 0.5 at 1×: easy sum is System 1; the last step always System 2');
    const firstStep = events.findIndex((e) => e.type === 'thread.started' && e.parentId === 'root');
    assert.ok(events.indexOf(planEv) < firstStep, 'plan.created before any step starts');
    const mine = server.requests.slice(from);
    const stepReqs = mine.filter(isStep);
    assert.equal(stepReqs.length, 3);
    const byStep = (n: number) => stepReqs.find((r) => user(r).includes(`(${n} of 3)`))!;
    // System 1 is the System 2 model with thinking off (DESIGN §3.3): the first control of §4's table for an unknown model.
    assert.equal(byStep(1).body.model, 'deep');
    assert.equal(byStep(1).body.reasoning_effort, 'none');
    assert.equal(byStep(2).body.model, 'deep');
    assert.notEqual(byStep(2).body.reasoning_effort, 'none', 'System 2 thinks');
    assert.equal(byStep(3).body.model, 'deep');
    for (const a of mine.filter(isAssess)) assert.equal(a.body.reasoning_effort, 'none', 'scoring calls think not at all');
    const last = user(byStep(3));
    assert.match(last, /Step 1 \(sum\): 7/);
    assert.match(last, /Step 2 \(product\): 12/);
    assert.doesNotMatch(last, /carefully/, 'earlier reasoning is never carried');
    assert.equal(mine.filter(isAssess).length, 3);
    // Budgets: every step request asks for no more than its share; the run stays within SCALE's budget.
    const budget = events.find((e) => e.type === 'run.budget');
    assert.ok(budget && budget.type === 'run.budget');
    const total = budget.data.total;
    const stepBudgets = steps.map((s) => s.budget ?? 0);
    assert.ok(stepBudgets.reduce((a, b) => a + b, 0) + 60 + 15 <= total);
    for (const r of stepReqs) {
      const n = Number(/\((\d) of 3\)/.exec(user(r))![1]);
      assert.ok(r.body.max_completion_tokens <= stepBudgets[n - 1]!, `step ${n}: ${r.body.max_completion_tokens} ≤ ${stepBudgets[n - 1]}`);
    }
    assert.equal(fin.data.usage.completion, 60 + 15 + 20 + 40 + 30);
    assert.ok(fin.data.usage.completion <= total);
    assert.equal(fin.data.stats!.threads, 4);
  } finally {
    server.respond(undefined);
  }
});

test('SCALE: arc.scale.system1 instant-role sends the easy steps to the instant role', async () => {
  const from = server.requests.length;
  scripted();
  try {
    const events = await run(engine(await EffortEstimates.load(undefined)), { query: 'a = 3 and b = 4; what is (a+b)*(a*b)?', mode: 'reasoning', scale: 'on', effort: 1, scaleSystem1: 'instant-role' });
    assert.equal(events.at(-1)!.type, 'run.finished');
    const stepReqs = server.requests.slice(from).filter(isStep);
    const step1 = stepReqs.find((r) => user(r).includes('(1 of 3)'))!;
    assert.equal(step1.body.model, 'fast');
  } finally {
    server.respond(undefined);
  }
});

test('SCALE: more effort lowers tau, so the same plan gets more System 2 steps', async () => {
  scripted();
  try {
    const systems = async (effort: number) => {
      const events = await run(engine(), { query: 'q', mode: 'reasoning', scale: 'on', effort });
      const plan = events.find((e) => e.type === 'plan.created');
      return plan && plan.type === 'plan.created' ? plan.data.steps.map((s) => s.system) : [];
    };
    assert.deepEqual(await systems(0.25), [1, 2, 2]);
    assert.deepEqual(await systems(2), [1, 2, 2]);
    SCORES.combine = 0.3;
    SCORES.sum = 0.4;
    assert.deepEqual(await systems(1), [1, 2, 2]);
    assert.deepEqual(await systems(2), [2, 2, 2], 'at 2× tau is 0.25: a 0.4 step thinks');
  } finally {
    SCORES.sum = 0.1;
    server.respond(undefined);
  }
});

test('SCALE: a plan malformed twice falls back to one reasoning call, and says so', async () => {
  const from = server.requests.length;
  scripted({ plan: () => textStream('I would rather just answer: 84', { usage: u(10) }) });
  try {
    const events = await run(engine(), { effort: 1, query: 'q', mode: 'reasoning', scale: 'on' });
    const fin = events.at(-1)!;
    assert.equal(fin.type, 'run.finished');
    if (fin.type === 'run.finished') assert.equal(fin.data.answer, 'undecomposed answer: 84');
    assert.ok(events.some((e) => e.type === 'thread.notice' && e.data.code === 'scale_fallback'));
    assert.equal(server.requests.slice(from).filter(isPlan).length, 2, 'one repair retry');
    assert.ok(!events.some((e) => e.type === 'plan.created'));
  } finally {
    server.respond(undefined);
  }
});

test('SCALE: --scale off and short queries under auto run one call; auto picks SCALE for a multi-step query', async () => {
  scripted();
  try {
    const off = await run(engine(), { effort: 1, query: 'First compute 3+4, then multiply it by 12, and finally subtract 5.', mode: 'reasoning', scale: 'off' });
    assert.ok(!off.some((e) => e.type === 'plan.created'));
    const short = await run(engine(), { effort: 1, query: 'What is a monad?', mode: 'reasoning', scale: 'auto' });
    assert.ok(!short.some((e) => e.type === 'plan.created'));
    const multi = await run(engine(), {
      query: 'A train leaves at 9:40 and travels 120 km at 80 km/h, then waits 25 minutes, then travels 90 km at 60 km/h. First find each leg\'s time, then the total, and finally the arrival time.',
      effort: 1,
      mode: 'reasoning',
      scale: 'auto',
    });
    assert.ok(multi.some((e) => e.type === 'plan.created'));
  } finally {
    server.respond(undefined);
  }
});

test('SCALE: cancelling mid-plan aborts the steps in flight and leaves no request open', async () => {
  scripted({ step: () => ({ kind: 'hang' }) });
  try {
    const ac = new AbortController();
    const events = await run(engine(), { effort: 1, query: 'q', mode: 'reasoning', scale: 'on' }, ac.signal, (ev) => {
      if (ev.type === 'thread.started' && ev.parentId) setTimeout(() => ac.abort(), 50);
    });
    assert.equal(events.at(-1)!.type, 'run.cancelled');
    await sleep(50);
    assert.equal(server.openRequests, 0);
  } finally {
    server.respond(undefined);
  }
});
