// e1 effort: the estimator, budgets, each enforcement path and budget forcing, against the
// scripted loopback server through the engine.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { OpenAIEndpoint, type EndpointOptions } from '../../src/core/model/openaiProvider';
import type { KnownRunEvent } from '../../src/core/run/events';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { computeBudget, REASONING_FLOOR } from '../../src/effort/budget';
import { planEnforcement } from '../../src/effort/enforce';
import { EffortEstimates, observe, observeCensored, prior } from '../../src/effort/estimator';
import { DEFAULT_CAPABILITIES } from '../../src/core/model/types';
import { Engine } from '../../src/engine/engine';
import { FixedModeRouter } from '../../src/core/run/seams';
import { reasoningFieldStream, startScriptedServer, textStream, thinkInContentStream, type ScriptedServer } from '../fixtures/scriptedServer';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i % 10}`).join(' ');

test('estimator: the prior counts as one observation, a plain mean for 10, then an EMA', () => {
  let e = prior(1000);
  e = observe(e, 0);
  assert.equal(e.mean, 500, 'prior and one observation, equally weighted');
  for (let i = 0; i < 9; i++) e = observe(e, 0);
  assert.ok(Math.abs(e.mean - 1000 / 11) < 1e-9, 'plain mean of the prior and 10 observations');
  const before = e.mean;
  e = observe(e, 1000);
  assert.ok(Math.abs(e.mean - (before + 0.2 * (1000 - before))) < 1e-9, 'then an EMA');
});

test('censoring: a cut below the mean does not drag it down; a cut at or above it raises it', () => {
  const e = observe(prior(1000), 1000);
  const low = observeCensored(e, 500);
  assert.equal(low.mean, 1000);
  assert.equal(low.censored, 1);
  assert.ok(observeCensored(e, 2000).mean > 1000);
  // Every call cut at the estimate (effort 1 on a model that reasons longer): the estimate climbs.
  let climbing = prior(1000);
  for (let i = 0; i < 5; i++) climbing = observeCensored(climbing, climbing.mean);
  assert.ok(climbing.mean > 1250, `rose to ${climbing.mean}`);
});

test('budgets scale with effort, with a floor and the model limit', () => {
  assert.equal(computeBudget(1000, 1).reasoning, 1000);
  assert.equal(computeBudget(1000, 0.5).reasoning, 500);
  assert.equal(computeBudget(1000, 5).reasoning, 2000, 'effort is clamped to 2');
  assert.equal(computeBudget(100, 0.1).reasoning, REASONING_FLOOR);
  assert.equal(computeBudget(0, 1).reasoning, 0, 'instant-like buckets get no reasoning');
  const b = computeBudget(50_000, 2, 8192);
  assert.equal(b.total, 8192);
});

test('enforcement by capability: native, nearest level, forcing', () => {
  const budget = computeBudget(1000, 1);
  const means = { minimal: 64, low: 512, medium: 2048, high: 8192 };
  const native = planEnforcement({ ...DEFAULT_CAPABILITIES, thinkingBudgetParam: 'thinking.budget_tokens' }, budget, (l) => means[l]);
  assert.deepEqual(native, { kind: 'native', request: { thinkingBudget: 1000, maxOutputTokens: 2024 } });
  const level = planEnforcement({ ...DEFAULT_CAPABILITIES, reasoningEffort: true }, budget, (l) => means[l]);
  assert.equal(level.level, 'low');
  assert.ok(level.request.maxOutputTokens! >= 4 * budget.total, 'only a generous safety cap');
  const learned = planEnforcement({ ...DEFAULT_CAPABILITIES, reasoningEffort: true }, budget, (l) => ({ ...means, medium: 1100 })[l]);
  assert.equal(learned.level, 'medium', 'the learned mean decides');
  const forcing = planEnforcement(DEFAULT_CAPABILITIES, budget, (l) => means[l]);
  assert.equal(forcing.kind, 'forcing');
  assert.equal(forcing.stopAt, 1000);
});

async function tempStore() {
  return new JsonFileStore(await fs.mkdtemp(path.join(os.tmpdir(), 'arc-effort-')));
}

async function runReasoning(opts: { caps?: EndpointOptions['capabilities']; estimates: EffortEstimates; effort: number }): Promise<KnownRunEvent[]> {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0, capabilities: opts.caps });
  const engine = new Engine({ models: { forRole: () => ep.model('m') }, router: new FixedModeRouter('reasoning'), estimates: opts.estimates, progressIntervalMs: 0 });
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run({ query: 'Prove that the sum of two even numbers is even.', effort: opts.effort })) events.push(e);
  return events;
}

const budgetOf = (events: KnownRunEvent[]) => {
  const b = events.find((e) => e.type === 'run.budget');
  assert.ok(b && b.type === 'run.budget');
  return b.data as { reasoning: number; enforcement: string; estimate: number; level?: string };
};

test('native thinking budget: the budget goes in the named request-body field', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(reasoningFieldStream(words(50), 'Even.', 'reasoning_content', { usage: { prompt_tokens: 10, completion_tokens: 60, completion_tokens_details: { reasoning_tokens: 50 } } }));
  const events = await runReasoning({ caps: { thinkingBudgetParam: 'thinking.budget_tokens' }, estimates, effort: 0.5 });
  assert.equal(budgetOf(events).enforcement, 'native');
  const body = server.requests.at(-1)!.body;
  assert.deepEqual(body.thinking, { budget_tokens: 500 });
  assert.equal(body.max_completion_tokens, 1524);
  assert.equal(events.at(-1)!.type, 'run.finished');
});

test('reasoning_effort: the level nearest the budget, learned from usage', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(reasoningFieldStream(words(20), 'Even.', 'reasoning', { usage: { prompt_tokens: 10, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 20 } } }));
  const events = await runReasoning({ caps: { reasoningEffort: true }, estimates, effort: 1 });
  assert.equal(budgetOf(events).enforcement, 'effort_level');
  assert.equal(server.requests.at(-1)!.body.reasoning_effort, 'low');
  assert.ok(estimates.all().some((e) => e.key.startsWith('level|loop/m|low')), 'the level mean is learned');
});

test('a 400 on the thinking parameter is survived: dropped, remembered, the run finishes', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue({ kind: 'error', status: 400, message: 'Unrecognized request argument supplied: thinking' }, textStream('Even.'));
  const events = await runReasoning({ caps: { thinkingBudgetParam: 'thinking.budget_tokens' }, estimates, effort: 1 });
  assert.equal(events.at(-1)!.type, 'run.finished');
  assert.equal(server.requests.at(-1)!.body.thinking, undefined);
});

test('budget forcing stops a <think> stream at the budget and still answers, the reasoning carried in a user turn', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(thinkInContentStream(words(3000), 'never reached'), textStream('The sum is even.', { usage: { prompt_tokens: 900, completion_tokens: 5 } }));
  const before = server.requests.length;
  const events = await runReasoning({ estimates, effort: 0.5 });
  const b = budgetOf(events);
  assert.equal(b.enforcement, 'forcing');
  assert.equal(b.reasoning, 500);
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.finished');
  if (last.type === 'run.finished') assert.equal(last.data.answer, 'The sum is even.');
  const reasoning = events.map((e) => (e.type === 'thread.delta' ? (e.data.reasoning ?? '') : '')).join('');
  const streamedTokens = reasoning.trim().split(/\s+/).length;
  assert.ok(streamedTokens < 1500, `stopped near the budget, not at the end (${streamedTokens} words)`);
  assert.equal(server.requests.length, before + 2);
  const follow = server.requests.at(-1)!.body.messages.at(-1);
  assert.equal(follow.role, 'user');
  assert.match(follow.content, /stopped at its thinking budget[\s\S]*<reasoning>\nw0 w1/);
  assert.ok(events.some((e) => e.type === 'thread.notice' && e.data.code === 'budget_reached'));
  const [est] = estimates.all();
  assert.equal(est!.censored, 1);
  assert.equal(est!.mean, 1000, 'a cut at 500 does not drag the 1000 prior down');
});

test('once the estimate settles, 0.5x is about half of 1x', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  // A model whose natural reasoning on this kind of query is ~400 tokens, reported by the server.
  for (let i = 0; i < 12; i++) {
    server.enqueue(reasoningFieldStream(words(40), 'Even.', 'reasoning_content', { usage: { prompt_tokens: 10, completion_tokens: 450, completion_tokens_details: { reasoning_tokens: 400 } } }));
    await runReasoning({ estimates, effort: 1 });
  }
  server.enqueue(textStream('Even.'), textStream('Even.'));
  const one = budgetOf(await runReasoning({ caps: { thinkingBudgetParam: 'b' }, estimates, effort: 1 }));
  const half = budgetOf(await runReasoning({ caps: { thinkingBudgetParam: 'b' }, estimates, effort: 0.5 }));
  assert.ok(one.estimate < 500, `estimate settled near 400: ${one.estimate}`);
  assert.ok(Math.abs(half.reasoning / one.reasoning - 0.5) < 0.05, `${half.reasoning} vs ${one.reasoning}`);
});

test('a binding native budget is a censored observation: budgets at 0.5x do not shrink toward the floor', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  const budgets: number[] = [];
  for (let i = 0; i < 6; i++) {
    // The model would reason 1,500 tokens; the native budget stops it at whatever ARC allows.
    server.respond((req) => {
      const allowed = req.body.thinking.budget;
      return reasoningFieldStream(words(10), 'Even.', 'reasoning_content', { usage: { prompt_tokens: 10, completion_tokens: allowed + 5, completion_tokens_details: { reasoning_tokens: allowed } } });
    });
    budgets.push(budgetOf(await runReasoning({ caps: { thinkingBudgetParam: 'thinking.budget' }, estimates, effort: 0.5 })).reasoning);
  }
  server.respond(undefined);
  assert.deepEqual(budgets, [500, 500, 500, 500, 500, 500]);
  assert.equal(estimates.all()[0]!.censored, 6);
});

test('a level-controlled call teaches the level\'s mean, not the natural estimate', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(reasoningFieldStream(words(10), 'Even.', 'reasoning', { usage: { prompt_tokens: 10, completion_tokens: 90, completion_tokens_details: { reasoning_tokens: 80 } } }));
  await runReasoning({ caps: { reasoningEffort: true }, estimates, effort: 1 });
  const keys = estimates.all().map((e) => e.key);
  assert.deepEqual(keys, ['level|loop/m|low']);
});

test('s1 extension: at effort > 1 a <think> model that closes its reasoning early is sent back to think ("Wait,")', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(
    thinkInContentStream(words(30), 'Early answer that is not kept.'),
    thinkInContentStream(words(40), 'Second early answer.'),
    thinkInContentStream(words(20), 'Final answer after thinking longer.'),
  );
  const before = server.requests.length;
  const events = await runReasoning({ estimates, effort: 2 });
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.finished');
  if (last.type === 'run.finished') assert.equal(last.data.answer, 'Final answer after thinking longer.');
  const reqs = server.requests.slice(before);
  assert.equal(reqs.length, 3, 'two extensions (MAX_EXTENSIONS), then the answer');
  const wait = reqs[1]!.body.messages.at(-1);
  assert.equal(wait.role, 'user');
  assert.match(wait.content, /<reasoning>\nw0 w1[\s\S]*Wait,/);
  assert.match(reqs[2]!.body.messages.at(-1).content, /Wait, w0/, 'the second extension carries both rounds of reasoning');
  assert.equal(events.filter((e) => e.type === 'thread.notice' && e.data.code === 'reasoning_extended').length, 2);
  const [est] = estimates.all();
  assert.ok(est!.mean < 1000, 'the natural length learned is the first, unextended reasoning');
});

test('s1 extension: never at effort ≤ 1, and not when the reasoning already used most of its budget', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(thinkInContentStream(words(30), 'Answer at 1x.'));
  const before = server.requests.length;
  const events = await runReasoning({ estimates, effort: 1 });
  assert.equal(server.requests.length, before + 1);
  const last = events.at(-1)!;
  if (last.type === 'run.finished') assert.equal(last.data.answer, 'Answer at 1x.');
  else assert.fail(last.type);
});

test('prefill where the server supports it: the cut reasoning is continued as an open assistant turn', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(thinkInContentStream(words(3000), 'never reached'), textStream('Prefilled answer.', { usage: { prompt_tokens: 900, completion_tokens: 5 } }));
  const events = await runReasoning({ caps: { prefill: true }, estimates, effort: 0.5 });
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.finished');
  if (last.type === 'run.finished') assert.equal(last.data.answer, 'Prefilled answer.');
  const follow = server.requests.at(-1)!.body.messages.at(-1);
  assert.equal(follow.role, 'assistant', 'prefill: the reasoning so far as the assistant turn to continue');
  assert.match(follow.content, /^<think>\nw0 w1[\s\S]*\n<\/think>\n\n$/);
});

test('prefill extension: "Wait," ends the open assistant turn', async () => {
  const estimates = await EffortEstimates.load(await tempStore());
  server.enqueue(thinkInContentStream(words(30), 'Too early.'), textStream(' and checking again, the answer is 4.'));
  const before = server.requests.length;
  await runReasoning({ caps: { prefill: true }, estimates, effort: 2 });
  const second = server.requests.slice(before)[1]!.body.messages.at(-1);
  assert.equal(second.role, 'assistant');
  assert.match(second.content, /^<think>\nw0[\s\S]*\n\nWait,$/);
});
