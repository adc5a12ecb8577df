// The router's mode costs from the user's own models (issue 17 part B): priors, learning, bounds,
// persistence; pricing (cold start = the old constants exactly, unit-free, per-role); decisions on
// the labeled queries when a price changes; the engine recording what a run used.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Mode } from '../../src/core/run/events';
import type { PriceTable } from '../../src/core/run/ledger';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { Engine } from '../../src/engine/engine';
import { MODE_COST, decide, explainRoute, type DecideOptions } from '../../src/router/decide';
import { LearnedRouter } from '../../src/router/learnedRouter';
import { RouterLearning } from '../../src/router/learning';
import {
  ANY_MODEL,
  MAX_BUCKETS,
  MODE_COSTS_KEY,
  ModeCosts,
  PLAIN_MEAN_UNTIL,
  PRIOR_TOKENS,
  costBucket,
  costView,
  kindOf,
  relativeCosts,
  type CostContext,
} from '../../src/router/modeCosts';
import { parseDataset } from '../../src/router/train/trainer';
import { startScriptedServer, textStream, type ScriptedServer } from '../fixtures/scriptedServer';
import { buildWorkload } from '../../bench/router';

const ROOT = path.resolve(__dirname, '../../..');
const dataset = parseDataset(readFileSync(path.join(ROOT, 'data/router/queries.jsonl'), 'utf8'));
const MODEL_OF: Record<Mode, string> = { instant: 'ep/small', reasoning: 'ep/thinker', agentic: 'ep/agent' };
const usage = (prompt: number, completion: number) => ({ prompt, completion, reasoning: 0 });
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'arc-mode-costs-'));

function ctx(prices: PriceTable): CostContext {
  return { models: { ...MODEL_OF }, prices };
}

const priced = (instant: number, reasoning: number, agentic: number): PriceTable => ({
  small: { input: instant / 4, output: instant },
  thinker: { input: reasoning / 4, output: reasoning },
  agent: { input: agentic / 4, output: agentic },
});

function costOptions(costs: ModeCosts | undefined, context: CostContext | undefined): Pick<DecideOptions, 'costs'> {
  return { costs: (kind) => relativeCosts(costs, context, kind) };
}

function decisions(options: DecideOptions): Mode[] {
  return dataset.map((e) => decide(e.query, e.context, options).mode);
}

/**
 * The labeled queries themselves are routed with a training fit's confidence (no reasoning decision
 * has p(instant) above 0.23), so borderline queries come from the router benchmark's seeded variations
 * of them: new contexts, two queries run together, filler, pasted code (bench/router.ts).
 */
const varied = buildWorkload(dataset, 2000);
function variedDecisions(options: DecideOptions): Mode[] {
  return varied.map((q) => decide(q.text, q.context, options).mode);
}

test('cold start: the priors are the old constants, exactly, with equal prices or none', () => {
  for (const context of [undefined, ctx({}), ctx(priced(4, 4, 4)), ctx(priced(4.4, 4.4, 4.4)), ctx(priced(0.6, 0.6, 0.6))]) {
    for (const kind of ['instant', 'reasoning', 'agentic'] as const) {
      const c = relativeCosts(undefined, context, kind);
      for (const m of ['instant', 'reasoning', 'agentic'] as const) assert.equal(c[m].relative, MODE_COST[m], `${m} for ${kind}`);
    }
  }
  // and the tokens behind them are §8-like: ~100 output tokens instant, 1,000 reasoning + 100 answer
  assert.deepEqual(PRIOR_TOKENS.instant, { prompt: 500, output: 100 });
  assert.equal(PRIOR_TOKENS.reasoning.output, 1100);
  assert.equal(relativeCosts(undefined, ctx({}), 'instant').reasoning.usd, null, 'no price, no dollars');
  assert.ok(Math.abs(relativeCosts(undefined, ctx(priced(4, 4, 4)), 'instant').reasoning.usd! - (500 + 1100 * 4) / 1e6) < 1e-15);
});

test('cold start with equal prices decides every labeled query exactly as the constants do, at every effort', async () => {
  const fresh = await ModeCosts.load(undefined);
  for (const effort of [0.1, 0.5, 1, 2]) {
    const before = decisions({ effort });
    assert.deepEqual(decisions({ effort, ...costOptions(fresh, ctx(priced(4.4, 4.4, 4.4))) }), before, `effort ${effort}, priced`);
    assert.deepEqual(decisions({ effort, ...costOptions(fresh, ctx({})) }), before, `effort ${effort}, no prices`);
  }
});

test('a running mean: the prior counts as one run, a plain mean for 10 runs, then an EMA; all-models buckets too', async () => {
  const costs = await ModeCosts.load(undefined);
  await costs.record('ep/thinker', 'reasoning', 'reasoning', usage(700, 3100));
  let t = costs.tokens('ep/thinker', 'reasoning', 'reasoning');
  assert.deepEqual([t.prompt, t.output, t.n], [600, 2100, 2]);
  // other models and arc route without a model see the all-models mean; other kinds keep the prior
  assert.equal(costs.tokens('ep/other', 'reasoning', 'reasoning').output, 2100);
  assert.equal(costs.tokens(undefined, 'reasoning', 'reasoning').output, 2100);
  assert.equal(costs.tokens('ep/thinker', 'reasoning', 'instant').output, PRIOR_TOKENS.reasoning.output);
  for (let i = 0; i < PLAIN_MEAN_UNTIL - 1; i++) await costs.record('ep/thinker', 'reasoning', 'reasoning', usage(700, 3100));
  t = costs.tokens('ep/thinker', 'reasoning', 'reasoning');
  assert.equal(t.n, PLAIN_MEAN_UNTIL + 1);
  assert.ok(Math.abs(t.output - (1100 + 10 * 3100) / 11) < 1e-9, 'plain mean over the prior and 10 runs');
  const beforeEma = t.output;
  await costs.record('ep/thinker', 'reasoning', 'reasoning', usage(700, 100));
  assert.ok(Math.abs(costs.tokens('ep/thinker', 'reasoning', 'reasoning').output - (beforeEma + 0.2 * (100 - beforeEma))) < 1e-9, 'then an EMA');
  // a run with no usage says nothing
  const n = costs.tokens('ep/thinker', 'reasoning', 'reasoning').n;
  await costs.record('ep/thinker', 'reasoning', 'reasoning', usage(0, 0));
  assert.equal(costs.tokens('ep/thinker', 'reasoning', 'reasoning').n, n);
});

test('bounded: never more than MAX_BUCKETS buckets, the all-models ones kept', async () => {
  const costs = await ModeCosts.load(undefined);
  for (let i = 0; i < MAX_BUCKETS + 50; i++) await costs.record(`ep/m${i}`, 'instant', 'instant', usage(10, 10), 1000 + i);
  const keys = costs.all().map((b) => b.key);
  assert.equal(keys.length, MAX_BUCKETS);
  assert.ok(keys.includes(costBucket(ANY_MODEL, 'instant', 'instant')));
  assert.ok(keys.includes(costBucket(`ep/m${MAX_BUCKETS + 49}`, 'instant', 'instant')), 'the newest stays');
  assert.ok(!keys.includes(costBucket('ep/m0', 'instant', 'instant')), 'the oldest went');
});

test('persisted in the Store, shared by whoever loads it; a corrupt file falls back to the priors', async () => {
  const dir = tmp();
  const a = await ModeCosts.load(new JsonFileStore(dir));
  const b = await ModeCosts.load(new JsonFileStore(dir));
  await a.record('ep/thinker', 'reasoning', 'reasoning', usage(500, 3100));
  await b.record('ep/thinker', 'reasoning', 'reasoning', usage(500, 3100));
  const reloaded = await ModeCosts.load(new JsonFileStore(dir));
  assert.equal(reloaded.tokens('ep/thinker', 'reasoning', 'reasoning').n, 3, 'two processes both kept what they learned');
  const bad = tmp();
  const store = new JsonFileStore(bad);
  await store.set(MODE_COSTS_KEY, { version: 1, buckets: { x: { prompt: -1, output: 'many', n: 0, t: 0 } } });
  const fallback = await ModeCosts.load(new JsonFileStore(bad));
  assert.equal(fallback.tokens('x', 'reasoning', 'reasoning').output, PRIOR_TOKENS.reasoning.output);
});

test('pricing is unit-free: every role ×10 decides every labeled query the same (with learned costs too)', async () => {
  const costs = await ModeCosts.load(undefined);
  await costs.record(MODEL_OF.reasoning, 'reasoning', 'reasoning', usage(800, 2600));
  await costs.record(MODEL_OF.agentic, 'agentic', 'agentic', usage(6000, 2200));
  await costs.record(MODEL_OF.instant, 'instant', 'instant', usage(400, 150));
  const base = priced(0.6, 8, 8);
  const ten = priced(6, 80, 80);
  for (const effort of [0.3, 1, 2]) assert.deepEqual(decisions({ effort, ...costOptions(costs, ctx(ten)) }), decisions({ effort, ...costOptions(costs, ctx(base)) }), `effort ${effort}`);
});

test("doubling the reasoning role's price moves borderline queries to instant, and none away from instant", () => {
  const equal = variedDecisions(costOptions(undefined, ctx(priced(4, 4, 4))));
  assert.deepEqual(equal, variedDecisions({}), 'equal prices: the constants');
  const dear = variedDecisions(costOptions(undefined, ctx(priced(4, 8, 4))));
  const flips = equal.map((m, i) => [m, dear[i]!] as const).filter(([a, b]) => a !== b);
  const toInstant = flips.filter(([a, b]) => a === 'reasoning' && b === 'instant');
  assert.ok(toInstant.length >= 5, `reasoning decisions became instant: ${toInstant.length} (flips: ${JSON.stringify(flips)})`);
  assert.ok(flips.every(([a]) => a === 'reasoning'), 'only reasoning decisions moved: instant and agentic cost what they did');
  assert.ok(!flips.some(([a]) => a === 'instant'), 'none moved away from instant');
  // the ones that went to instant were borderline: instant was plausible for them
  for (const [i, m] of equal.entries()) {
    if (m === 'reasoning' && dear[i] === 'instant') assert.ok(decide(varied[i]!.text, varied[i]!.context).probabilities.instant > 0.15);
  }
  // halving it instead moves decisions the other way only
  const cheap = variedDecisions(costOptions(undefined, ctx(priced(4, 2, 4))));
  assert.ok(equal.some((m, i) => m === 'instant' && cheap[i] === 'reasoning'));
  assert.ok(equal.every((m, i) => m === cheap[i] || cheap[i] === 'reasoning'));
  // with only the reasoning model priced, the others are priced like it: nothing changes
  assert.deepEqual(decisions(costOptions(undefined, { models: { ...MODEL_OF }, prices: { thinker: { input: 2, output: 8 } } })), decisions({}));
});

test('a cheap instant model does not price reasoning out: the unit is the middle of the three prices', () => {
  const c = relativeCosts(undefined, ctx(priced(0.6, 8, 8)), 'reasoning');
  // 1.21 and 1.71 (the prompt tokens now count: instant's are cheaper), not 13x as with instant's price as the unit
  assert.ok(c.reasoning.relative > 1 && c.reasoning.relative < 1.25, `reasoning ${c.reasoning.relative}`);
  assert.ok(c.agentic.relative > 1.5 && c.agentic.relative < 1.75, `agentic ${c.agentic.relative}`);
});

test('A²FM shaping: a learned extra cost weighs on a query by how likely instant is to be enough', async () => {
  const costs = await ModeCosts.load(undefined);
  // agentic turned out 4x as dear as its prior on agentic-kind queries (long tool loops)
  for (let i = 0; i < 5; i++) await costs.record(MODEL_OF.agentic, 'agentic', 'agentic', usage(20_000, 2_000));
  const options = costOptions(costs, ctx(priced(4, 4, 4)));
  const clear = explainRoute('run the test suite and fix whatever fails', { source: 'sidebar' }, options);
  assert.equal(clear.decision.mode, 'agentic', 'a clear agentic task still runs agentic');
  assert.ok(clear.costs!.agentic.relative > 4);
  // its penalty rose by p(instant) times the extra, not by the whole extra
  const extra = (clear.costs!.agentic.relative - MODE_COST.agentic) * clear.lambda;
  assert.ok(Math.abs(clear.penalties.agentic - (clear.lambda * MODE_COST.agentic + clear.probabilities.instant * extra)) < 1e-12);
  assert.ok(clear.penalties.agentic < clear.lambda * MODE_COST.agentic + 0.5 * extra);
});

test('learned costs move a LearnedRouter, and arc route-style views show tokens, dollars and penalties', async () => {
  const costs = await ModeCosts.load(undefined);
  const context = ctx(priced(4, 4, 4));
  const router = new LearnedRouter(await RouterLearning.load(undefined, true), () => ({}), () => 1, { costs, context: () => context });
  // a borderline query (one that doubling the reasoning price sends to instant) flips once reasoning
  // is learned to cost ~2.5x its prior for its kind
  const dear = costOptions(undefined, ctx(priced(4, 8, 4)));
  const found = varied.find((q) => {
    const d = decide(q.text, q.context);
    return d.mode === 'reasoning' && kindOf(d.probabilities) === 'reasoning' && decide(q.text, q.context, dear).mode === 'instant';
  });
  assert.ok(found, 'the varied queries have a borderline reasoning query');
  const borderline = { query: found.text, context: found.context };
  assert.equal(router.routeQuery(borderline.query, borderline.context).mode, 'reasoning');
  const decision = router.routeQuery(borderline.query, borderline.context);
  for (let i = 0; i < 10; i++) await router.recordCost({ query: borderline.query, effort: 1 }, decision, 'reasoning', usage(500, 3000), MODEL_OF.reasoning);
  assert.equal(router.routeQuery(borderline.query, borderline.context).mode, 'instant', 'the cached decision was not reused after learning');
  const view = costView(router.explain(borderline.query, borderline.context))!;
  assert.ok(Math.abs(view.reasoning.tokens.output - (1100 + 10 * 3000) / 11) < 0.1, `${view.reasoning.tokens.output}`);
  assert.ok(view.reasoning.usd! > view.instant.usd!);
  assert.ok(view.reasoning.penalty > view.instant.penalty);
  assert.equal(view.instant.relative, 0);
});

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

test('the engine records what a finished run used, under the mode that served it and the query kind', async () => {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 5, maxRetries: 0 });
  const costs = await ModeCosts.load(undefined);
  const router = new LearnedRouter(await RouterLearning.load(undefined, true), () => ({}), () => 1, { costs, context: () => ({ models: {}, prices: {} }) });
  const engine = new Engine({ models: { forRole: () => ep.model('m') }, router, progressIntervalMs: 0 });
  server.enqueue(textStream('A rebase replays commits.', { usage: { prompt_tokens: 321, completion_tokens: 45 } }));
  const query = 'what does git rebase do?';
  let routed: Mode | undefined;
  for await (const ev of engine.run({ query, effort: 1, mode: 'instant' })) if (ev.type === 'run.routed') routed = kindOf(ev.data.probabilities);
  assert.ok(routed);
  const t = costs.tokens('loop/m', 'instant', routed);
  assert.deepEqual([t.n, t.prompt, t.output], [2, (500 + 321) / 2, (100 + 45) / 2]);
});

test('learning off (arc.router.learning): no costs learned, none used; prices still count', async () => {
  const costs = await ModeCosts.load(undefined);
  await costs.record(MODEL_OF.reasoning, 'reasoning', 'reasoning', usage(500, 9000));
  const router = new LearnedRouter(await RouterLearning.load(undefined, false), () => ({}), () => 1, { costs, context: () => ctx(priced(4, 8, 4)) });
  const ex = router.explain('why does this recursive function overflow the stack?', {});
  assert.equal(ex.costs!.reasoning.tokens!.output, PRIOR_TOKENS.reasoning.output);
  assert.ok(ex.costs!.reasoning.relative > 2, 'the dearer reasoning price still counts');
  const d = router.routeQuery('q', {});
  await router.recordCost({ query: 'q', effort: 1 }, d, 'instant', usage(100, 100), MODEL_OF.instant);
  assert.equal(costs.tokens(MODEL_OF.instant, 'instant', kindOf(d.probabilities)).n, 1);
});
