// The simulator's fixed success model (DESIGN §8) and its wire behaviour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capability, naturalLength, rng, successProbability } from '../../bench/sim/model';
import { reasoningAllowance, startSimulator } from '../../bench/sim/simulator';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
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
