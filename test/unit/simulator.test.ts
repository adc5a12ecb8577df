// The simulator's fixed success model (DESIGN §8) and its wire behaviour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capability, naturalLength, rng, successProbability } from '../../bench/sim/model';
import { reasoningAllowance, startSimulator, stepOutcomes, undecomposedNaturalLength, undecomposedProbability, type SimTask } from '../../bench/sim/simulator';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { ChatModel, ToolCall } from '../../src/core/model/types';
import { assessMessages, decomposeMessages, parseDifficulty, parsePlan, stepAnswerOf, stepMessages, type Plan } from '../../src/effort/scale';
import { childMessages } from '../../src/parallel/prompts';
import { runSpawnLoop } from '../../src/parallel/spawnLoop';
import { parseSpawnArguments, SPAWN_TOOL_NAME, spawnToolSpec } from '../../src/parallel/spawnProtocol';
import { collect } from './helpers';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

test('natural length and success probabilities follow DESIGN §8', () => {
  assert.equal(naturalLength(0), 150);
  assert.equal(naturalLength(1), 3000);
  assert.equal(capability('reasoning', 'instant'), 0.95);
  assert.equal(capability('instant', 'reasoning'), 0.3);
  assert.equal(capability('agentic', 'agentic'), 0.95);
  close(successProbability('instant', 'instant', 0.5, 999), 0.95 * 0.25);
  close(successProbability('reasoning', 'reasoning', 0.5, 0), 0);
  const L = naturalLength(0.5);
  close(successProbability('reasoning', 'reasoning', 0.5, L), 0.95 * (1 - Math.exp(-2)));
  close(successProbability('reasoning', 'agentic', 0.5, L), 0.3 * (1 - Math.exp(-2)));
});

test('reasoning allowance: thinking budget, effort level, output cap; the smallest wins', () => {
  assert.equal(reasoningAllowance({}, 1000), 1000);
  assert.equal(reasoningAllowance({ reasoning_effort: 'low' }, 1000), 500);
  assert.equal(reasoningAllowance({ max_completion_tokens: 400 }, 1000), 300);
  assert.equal(reasoningAllowance({ max_tokens: 50 }, 1000), 0);
  assert.equal(reasoningAllowance({ thinking: { budget_tokens: 200 }, reasoning_effort: 'high' }, 1000), 200);
});

test('seeded generator is repeatable', () => {
  const a = rng(7);
  const b = rng(7);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
});

test('over HTTP: reasoning streamed and counted, usage as the design says, answers marked simulated', async () => {
  const sim = await startSimulator({ speed: 200, seed: 3, tasks: [{ id: 't1', kind: 'reasoning', steps: [0.2], answer: '42' }] });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10 });
    assert.deepEqual(await ep.listModels(), ['sim-agentic', 'sim-instant', 'sim-reasoning']);
    const r = await collect(ep.model('sim-reasoning').stream({ messages: [{ role: 'user', content: '[task:t1] what is six times seven?' }], maxOutputTokens: 400 }));
    assert.equal(r.error, undefined);
    const usage = r.parts.find((p) => p.type === 'usage');
    assert.ok(usage && usage.type === 'usage');
    assert.equal(usage.usage.reasoning, 300, 'the cap less the 100-token answer, below L(0.2) = 720');
    assert.equal(usage.usage.completion, 400);
    assert.equal(r.reasoning.trim().split(/\s+/).length, 300);
    assert.match(r.text, /^\[Simulated answer — ARC's simulator, not a language model\]/);
    assert.equal(r.text.split(/\s+/).length, 100);
    assert.equal(sim.calls[0]!.taskId, 't1');
    const missing = await collect(ep.model('gpt-9').stream({ messages: [{ role: 'user', content: 'q' }] }));
    assert.equal(missing.error?.kind, 'not_found');
  } finally {
    await sim.close();
  }
});

test('success rates match the model (instant on easy instant tasks ≈ 0.95·(1−d)²)', async () => {
  const sim = await startSimulator({ speed: 1000, seed: 11 });
  try {
    const tasks = Array.from({ length: 200 }, (_, i) => ({ id: `e${i}`, kind: 'instant' as const, steps: [0.2] }));
    sim.addTasks(tasks);
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10 });
    for (let i = 0; i < tasks.length; i += 20) {
      await Promise.all(tasks.slice(i, i + 20).map((t) => collect(ep.model('sim-instant').stream({ messages: [{ role: 'user', content: `[task:${t.id}] q` }] }))));
    }
    const rate = sim.calls.filter((c) => c.success).length / sim.calls.length;
    const expected = 0.95 * 0.8 ** 2;
    assert.ok(Math.abs(rate - expected) < 0.1, `rate ${rate} vs ${expected}`);
    assert.ok(sim.calls.every((c) => c.reasoningTokens === 0));
  } finally {
    await sim.close();
  }
});

// ---- ARC's own requests (DESIGN §8): SCALE plan, score and step calls; spawn_threads; built with ARC's own prompt functions.

const THINKING = { thinkingBudgetParam: 'thinking.budget_tokens' };

async function planOf(model: ChatModel, request: string): Promise<Plan> {
  const r = await collect(model.stream({ messages: decomposeMessages(request), maxOutputTokens: 1024 }));
  assert.equal(r.error, undefined);
  const parsed = parsePlan(r.text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.plan;
}

test('SCALE plan: a multi-step task gives its own steps, valid for plan.ts; a free-form request gets 3-5 steps', async () => {
  const steps = [0.2, 0.8, 0.4, 0.9, 0.1];
  const sim = await startSimulator({ speed: 1000, seed: 5, tasks: [{ id: 'm1', kind: 'reasoning', steps }] });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10 });
    const plan = await planOf(ep.model('sim-instant'), '[task:m1] Find the smallest n such that the sum works out.');
    assert.equal(plan.steps.length, steps.length);
    assert.deepEqual(sim.plans.get('m1')!.parts.map((p) => p.d), steps);
    assert.ok(plan.steps.every((s) => s.declared && s.dependsOn.every((d) => d < s.index)));
    assert.deepEqual(plan.steps[plan.steps.length - 1]!.dependsOn, [0, 1, 2, 3]);
    assert.ok(plan.steps.slice(1, -1).every((s) => s.dependsOn.length > 0 || s.index === 1), 'a chain, with at most an independent pair at the start');
    const call = sim.calls[0]!;
    assert.equal(call.purpose, 'plan');
    assert.equal(call.taskId, 'm1');
    assert.equal(call.reasoningTokens, 0);

    for (const q of ['Design a cache eviction policy for this service and prove it is optimal.', 'hello there', 'Compute the complexity of this algorithm step by step']) {
      const free = await planOf(ep.model('sim-reasoning'), q);
      assert.ok(free.steps.length >= 3 && free.steps.length <= 5, `${free.steps.length} steps`);
    }
    // Independent pairs do occur (about a third of sequential plans).
    const many = Array.from({ length: 30 }, (_, i): SimTask => ({ id: `c${i}`, kind: 'reasoning', steps: [0.3, 0.6, 0.5, 0.7] }));
    sim.addTasks(many);
    let pairs = 0;
    for (const t of many) if ((await planOf(ep.model('sim-instant'), `[task:${t.id}] q`)).steps[1]!.dependsOn.length === 0) pairs++;
    assert.ok(pairs > 0 && pairs < 30, `${pairs} independent pairs in 30 plans`);
  } finally {
    await sim.close();
  }
});

test('SCALE assess: each step scores its own difficulty within ±0.05, in the format assess.ts parses', async () => {
  const steps = [0.02, 0.35, 0.5, 0.77, 0.99];
  const sim = await startSimulator({ speed: 1000, seed: 9, tasks: [{ id: 'a1', kind: 'reasoning', steps }] });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10 });
    const plan = await planOf(ep.model('sim-instant'), '[task:a1] q');
    const scores = await Promise.all(
      plan.steps.map(async (_, i) => {
        const r = await collect(ep.model('sim-instant').stream({ messages: assessMessages(plan, i), maxOutputTokens: 32 }));
        return parseDifficulty(r.text);
      }),
    );
    scores.forEach((s, i) => {
      assert.ok(s.valid, s.note);
      assert.ok(Math.abs(s.difficulty - steps[i]!) <= 0.05 + 1e-9, `step ${i}: ${s.difficulty} vs ${steps[i]}`);
    });
    assert.ok(scores.some((s, i) => s.difficulty !== steps[i]), 'scores carry noise');
    assert.deepEqual(sim.calls.filter((c) => c.purpose === 'assess').map((c) => c.step).sort(), [0, 1, 2, 3, 4]);
  } finally {
    await sim.close();
  }
});

test('SCALE steps: success follows the §8 formula with the step\'s own d and the reasoning its budget allows', async () => {
  const n = 300;
  const tasks = Array.from({ length: n }, (_, i): SimTask => ({ id: `s${i}`, kind: 'reasoning', steps: [0.3, 0.9] }));
  const sim = await startSimulator({ speed: 1000, seed: 21, tasks });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 20, capabilities: THINKING });
    const texts: string[] = [];
    for (let i = 0; i < n; i += 25) {
      await Promise.all(
        tasks.slice(i, i + 25).map(async (t, k) => {
          const plan = await planOf(ep.model('sim-instant'), `[task:${t.id}] q`);
          const messages = stepMessages({ request: `[task:${t.id}] q`, plan, index: 0, inputs: [] });
          // Half System 2 (a 300-token thinking budget), half System 1 (the instant model, thinking off).
          const r = (i + k) % 2 === 0
            ? await collect(ep.model('sim-reasoning').stream({ messages, thinkingBudget: 300, maxOutputTokens: 556 }))
            : await collect(ep.model('sim-instant').stream({ messages, maxOutputTokens: 256 }));
          assert.equal(r.error, undefined);
          texts.push(r.text);
        }),
      );
    }
    const steps = sim.calls.filter((c) => c.purpose === 'step');
    assert.equal(steps.length, n);
    const s2 = steps.filter((c) => c.mode === 'reasoning');
    const s1 = steps.filter((c) => c.mode === 'instant');
    assert.ok(s2.every((c) => c.reasoningTokens === 300 && c.difficulty === 0.3 && c.step === 0));
    assert.ok(s1.every((c) => c.reasoningTokens === 0 && c.completionTokens === 100));
    const p2 = successProbability('reasoning', 'reasoning', 0.3, 300);
    const p1 = successProbability('instant', 'reasoning', 0.3, 0);
    assert.ok(s2.every((c) => Math.abs(c.p! - p2) < 1e-12) && s1.every((c) => Math.abs(c.p! - p1) < 1e-12));
    const rate = (cs: typeof steps) => cs.filter((c) => c.success).length / cs.length;
    // 150 draws each: 4 standard errors at most ~0.16.
    assert.ok(Math.abs(rate(s2) - p2) < 0.16, `System 2 rate ${rate(s2)} vs ${p2}`);
    assert.ok(Math.abs(rate(s1) - p1) < 0.12, `System 1 rate ${rate(s1)} vs ${p1}`);
    // The step answer is what steps.ts carries forward.
    assert.ok(texts.every((t) => /^result of step 1 \((right|wrong)\)\.$/.test(stepAnswerOf(t))), stepAnswerOf(texts[0]!));
    // A task succeeds only if every step does: step 2 not run yet, so no task has succeeded.
    assert.ok(tasks.every((t) => !stepOutcomes(sim.calls, t.id, 2).every(Boolean)));
  } finally {
    await sim.close();
  }
});

async function spawnRun(model: ChatModel, child: ChatModel, query: string, useTools: boolean) {
  let spawned = 0;
  const result = await runSpawnLoop({
    messages: [{ role: 'system', content: 'You are a careful assistant.' }, { role: 'user', content: query }],
    useTools,
    maxChildren: 8,
    async call(messages, options) {
      const r = await collect(model.stream({ messages, ...(options.tools ? { tools: options.tools } : {}), ...(options.stop ? { stop: options.stop } : {}) }));
      assert.equal(r.error, undefined);
      const calls = r.parts.find((p) => p.type === 'tool_calls');
      return { text: r.text, toolCalls: calls && calls.type === 'tool_calls' ? calls.calls : ([] as ToolCall[]) };
    },
    async runChildren(requests) {
      spawned += requests.length;
      return Promise.all(
        requests.map(async (req) => {
          const r = await collect(child.stream({ messages: childMessages(req), thinkingBudget: 4000, maxOutputTokens: 5000 }));
          return { goal: req.goal, status: 'done' as const, answer: r.text, tokens: 0 };
        }),
      );
    },
    notice(code, message) {
      throw new Error(`unexpected notice ${code}: ${message}`);
    },
  });
  return { ...result, spawned };
}

test('spawn: a multi-part task gets a valid spawn_threads call, one thread per part; children are scored per part; the follow-up answers', async () => {
  const sim = await startSimulator({
    speed: 1000,
    seed: 4,
    tasks: [
      { id: 'p1', kind: 'reasoning', steps: [0.2, 0.5, 0.7], parallel: true, answer: '12' },
      { id: 'p2', kind: 'reasoning', steps: [0.1, 0.2], parallel: true },
      { id: 'single', kind: 'reasoning', steps: [0.4] },
    ],
  });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10, capabilities: THINKING });
    const model = ep.model('sim-reasoning');

    // The raw reply: a spawn_threads tool call that parses under the §6.3 contract.
    const first = await collect(model.stream({ messages: [{ role: 'user', content: '[task:p1] three questions in one' }], tools: [spawnToolSpec(8)] }));
    const calls = first.parts.find((p) => p.type === 'tool_calls');
    assert.ok(calls && calls.type === 'tool_calls');
    assert.equal(calls.calls.length, 1);
    assert.equal(calls.calls[0]!.name, SPAWN_TOOL_NAME);
    const args = parseSpawnArguments(calls.calls[0]!.arguments, 8);
    assert.ok(args.ok, args.ok ? '' : args.error);
    assert.equal(args.threads.length, 3);
    assert.equal(first.parts.find((p) => p.type === 'finish' && p.reason === 'tool_calls')?.type, 'finish');

    // End to end through ARC's spawn loop, tool form and tag form.
    for (const useTools of [true, false]) {
      const before = sim.calls.length;
      const run = await spawnRun(model, model, '[task:p1] three questions in one', useTools);
      assert.equal(run.rounds, 1);
      assert.equal(run.spawned, 3);
      const mine = sim.calls.slice(before);
      const children = mine.filter((c) => c.purpose === 'child');
      assert.deepEqual(children.map((c) => c.difficulty).sort(), [0.2, 0.5, 0.7]);
      assert.ok(children.every((c) => c.reasoningTokens === Math.round(naturalLength(c.difficulty))), 'children reason their natural length under a generous budget');
      const join = mine.find((c) => c.purpose === 'join')!;
      assert.equal(join.success, stepOutcomes(sim.calls, 'p1', 3, 'child').every(Boolean));
      assert.match(run.answer, /^\[Simulated answer — ARC's simulator, not a language model\] Joined the answers of 3 parallel threads/);
      assert.match(run.answer, join.success ? /Answer: 12\./ : /Answer: unknown\./);
    }

    // Not multi-part: the spawn-capable request is answered as a plain call.
    const plain = await spawnRun(model, model, '[task:single] one question', true);
    assert.equal(plain.spawned, 0);
    assert.equal(sim.calls[sim.calls.length - 1]!.purpose, undefined);
    // Free-form questions with several parts spawn too (the demo).
    const free = await spawnRun(model, model, 'Why is the sky blue? Why is grass green?', true);
    assert.equal(free.spawned, 2);
  } finally {
    await sim.close();
  }
});

test('one undecomposed call on a multi-step task reasons through every step: natural length ΣL(d), T shared in proportion', async () => {
  const steps = [0.1, 0.6, 0.9];
  const sim = await startSimulator({ speed: 1000, seed: 2, tasks: [{ id: 'u1', kind: 'reasoning', steps }] });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10, capabilities: THINKING });
    const natural = undecomposedNaturalLength(steps);
    close(natural, steps.reduce((a, d) => a + naturalLength(d), 0));
    for (const budget of [1000, 100_000]) {
      await collect(ep.model('sim-reasoning').stream({ messages: [{ role: 'user', content: '[task:u1] q' }], thinkingBudget: budget, maxOutputTokens: budget + 1024 }));
      const c = sim.calls[sim.calls.length - 1]!;
      assert.equal(c.purpose, undefined);
      assert.equal(c.reasoningTokens, Math.round(Math.min(natural, budget)));
      close(c.p!, undecomposedProbability('reasoning', ['reasoning', 'reasoning', 'reasoning'], steps, c.reasoningTokens));
    }
    // Uncut, every step gets its own natural length: the same as three separate calls.
    close(sim.calls[1]!.p!, steps.reduce((a, d) => a * successProbability('reasoning', 'reasoning', d, naturalLength(d)), 1), 1e-6);
  } finally {
    await sim.close();
  }
});
