// e1 budgets from a per-query prediction (DESIGN §3.2, issue 17): the predictor as plain functions,
// its persistence, and — through the real Engine against the scripted loopback server — a `<think>`
// model whose natural reasoning depends on the kind of question, which a bucket mean cannot follow.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import type { KnownRunEvent } from '../../src/core/run/events';
import type { SparseFeatures } from '../../src/core/run/features';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { EffortCalibration, quantile } from '../../src/effort/calibration';
import { EffortEstimates, ESTIMATES_KEY } from '../../src/effort/estimator';
import { emptyModel, LengthPredictor, MAX_MODELS, MAX_RATIO, MAX_WEIGHTS, observeCut, observeNatural, PREDICTOR_KEY, predictWith, shrinkage } from '../../src/effort/predictor';
import { Engine } from '../../src/engine/engine';
import { requestFeatures, textFeatures } from '../../src/engine/queryFeatures';
import { sliderHint } from '../../src/effort/hint';
import { effortHint, tokensAtStop } from '../../src/protocol/effortHint';
import { DRAFT_HINT_CHARS, parseWebviewMessage } from '../../src/protocol/messages';
import { DRAFT_DEBOUNCE_MS, watchDraft } from '../../webview/draftHint';
import { FixedModeRouter } from '../../src/core/run/seams';
import { collectStats, formatStats } from '../../src/cli/stats';
import { startScriptedServer, textStream, thinkInContentStream, type ScriptedServer } from '../fixtures/scriptedServer';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

async function tempStore() {
  return new JsonFileStore(await fs.mkdtemp(path.join(os.tmpdir(), 'arc-predict-')));
}

const x = (pairs: Array<[number, number]>): SparseFeatures => ({ index: pairs.map((p) => p[0]), value: pairs.map((p) => p[1]) });

test('predictor: with nothing learned the prediction is the bucket mean; a prior of 0 (thinking off) stays 0', () => {
  const f = textFeatures('Prove that the sum of two odd numbers is even');
  assert.ok(f.index.length > 5, 'the router\'s features');
  assert.equal(predictWith(undefined, f, 1000), 1000);
  assert.equal(predictWith(emptyModel(), f, 700), 700);
  assert.equal(predictWith(emptyModel(), f, 0), 0);
  const m = observeNatural(emptyModel(), f, 1000, 3000);
  assert.equal(predictWith(m, f, 0), 0, 'instant and System 1 keep no reasoning whatever was learned');
});

test('predictor: shrunk toward the bucket mean while it has seen little', () => {
  const f = x([[1, 1], [2, 1]]);
  let m = emptyModel();
  m = observeNatural(m, f, 1000, 3000);
  const unshrunk = Math.exp(m.w['1']! + m.w['2']!);
  const one = predictWith(m, f, 1000) / 1000;
  assert.ok(one > 1 && one < unshrunk, `after one call the residual counts ${shrinkage(1)}: ${one} < ${unshrunk}`);
  assert.ok(Math.abs(Math.log(one) - shrinkage(1) * Math.log(unshrunk)) < 1e-9);
  for (let i = 0; i < 40; i++) m = observeNatural(m, f, 1000, 3000);
  const settled = predictWith(m, f, 1000);
  assert.ok(settled > 2500 && settled < 3100, `settles near the observed 3000: ${settled}`);
  // Unrelated features are untouched: a query that shares none still gets the bucket mean.
  assert.equal(predictWith(m, x([[9, 1]]), 1000), 1000);
  // The residual is bounded: one odd kind of query does not budget 100× its bucket.
  for (let i = 0; i < 40; i++) m = observeNatural(m, f, 1000, 1e7);
  assert.ok(predictWith(m, f, 1000) <= 1000 * MAX_RATIO + 1e-6);
});

test('predictor: a cut never lowers the prediction; near the prediction it raises it, far below it says nothing', () => {
  const f = x([[1, 1], [2, 2]]);
  let m = emptyModel();
  for (let i = 0; i < 10; i++) m = observeNatural(m, f, 1000, 800);
  const before = predictWith(m, f, 1000);
  const farBelow = observeCut(structuredClone(m), f, 1000, 0.5 * before);
  assert.equal(predictWith(farBelow, f, 1000), before, 'a cut at 0.5× the prediction is what 0.5× expects');
  assert.equal(farBelow.censored, m.censored + 1);
  let up = structuredClone(m);
  const seen: number[] = [before];
  for (let i = 0; i < 8; i++) {
    up = observeCut(up, f, 1000, predictWith(up, f, 1000));
    seen.push(predictWith(up, f, 1000));
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `every cut at the prediction raises it: ${seen.join(', ')}`);
  // And cuts at any budget, on any state, never lower it.
  for (const budget of [10, 300, 700, 900, 5000]) {
    const after = predictWith(observeCut(structuredClone(up), f, 1000, budget), f, 1000);
    assert.ok(after >= seen.at(-1)! - 1e-9, `cut at ${budget}: ${after} ≥ ${seen.at(-1)}`);
  }
});

test('predictor: bounded in size — weights per model and models kept', async () => {
  let m = emptyModel();
  for (let i = 0; i < MAX_WEIGHTS + 500; i += 50) m = observeNatural(m, x(Array.from({ length: 50 }, (_, k) => [i + k, 1] as [number, number])), 1000, 500 + i);
  assert.ok(Object.keys(m.w).length <= MAX_WEIGHTS, `${Object.keys(m.w).length} weights`);
  const p = await LengthPredictor.load(undefined);
  for (let i = 0; i < MAX_MODELS + 5; i++) await p.record(`m${i}`, x([[1, 1]]), 1000, 500, false);
  const models = p.summary().map((s) => s.model);
  assert.equal(models.length, MAX_MODELS);
  assert.ok(!models.includes('m0') && models.includes(`m${MAX_MODELS + 4}`), 'the least recently updated model goes first');
});

test('predictor: persisted through the Store and shared; a corrupt value loads as empty without touching other state', async () => {
  const store = await tempStore();
  const f = textFeatures('Prove that every prime greater than two is odd too');
  const a = await LengthPredictor.load(store);
  for (let i = 0; i < 6; i++) await a.record('loop/m', f, 1000, 2000, false);
  const b = await LengthPredictor.load(store);
  assert.equal(b.predict('loop/m', f, 1000), a.predict('loop/m', f, 1000));
  assert.ok(b.predict('loop/m', f, 1000) > 1400);
  // A second process learning at the same time adds to the stored value instead of overwriting it.
  await b.record('loop/m', f, 1000, 2000, false);
  await a.record('loop/m', f, 1000, 2000, false);
  assert.equal((await LengthPredictor.load(store)).summary()[0]!.n, 8);

  const estimates = await EffortEstimates.load(store);
  await estimates.record('loop/m|reasoning|reasoning|low', 1000, 600, false);
  await fs.writeFile(path.join((store as unknown as { dir: string }).dir, `${PREDICTOR_KEY}.json`), '{"version":1,"tick":3,"models":{"x":{"n":"lots"}}}');
  const fresh = await LengthPredictor.load(store);
  assert.deepEqual(fresh.summary(), []);
  assert.equal(fresh.predict('loop/m', f, 800), 800, 'empty: the bucket mean');
  assert.ok(await store.get(ESTIMATES_KEY, (await import('zod')).z.unknown()), 'the estimates survive');
  assert.equal((await EffortEstimates.load(store)).all().length, 1);
});

// ---- Must show: a scripted <think> model whose natural length depends on the kind of question.

/** Natural reasoning in tokens the engine counts: each 4-character ' the' delta is one cl100k token. */
const NATURAL = { proof: 1200, lookup: 200 } as const;
const PROOFS = [
  'Prove that the sum of two odd numbers is even',
  'Prove that every prime greater than two is odd too',
  'Prove that the square root of two is not rational',
  'Prove that there are infinitely many primes of this form',
  'Prove that a tree with n nodes has n-1 edges',
  'Prove that the product of three consecutive integers is divisible',
  'Prove that this sorting routine always terminates on finite input',
  'Prove that the greedy choice is optimal for interval scheduling',
  'Prove that every bounded monotone sequence of real numbers converges',
  'Prove that the determinant of a product is the product',
  'Prove that a connected graph without cycles is a tree',
  'Prove that binary search needs logarithmically many comparisons on arrays',
];
const LOOKUPS = [
  'Look up the capital city of France for me please',
  'Look up the current version of Node on this machine',
  'Look up the phone number of the office in Berlin',
  'Look up the default port that Postgres listens on today',
  'Look up the author of the book Dune for me',
  'Look up the boiling point of water at sea level',
  'Look up the opening hours of the library this weekend',
  'Look up the exchange rate from euros to dollars today',
  'Look up the population of Canada in the latest census',
  'Look up the licence of the lodash package on npm',
  'Look up the time zone used in Tokyo right now',
  'Look up the height of Mount Everest in metres please',
];
const NEW_PROOF = 'Prove that the harmonic series diverges without using any integrals';
const NEW_LOOKUP = 'Look up the release year of the first iPhone model';

function kindOf(content: string): keyof typeof NATURAL {
  return /\bProve that\b/.test(content) ? 'proof' : 'lookup';
}

/** Thinks NATURAL[kind] tokens and answers; after a cut, answers the follow-up at once. */
function thinkByKind() {
  server.respond((req) => {
    const messages = req.body.messages as Array<{ role: string; content: string }>;
    const last = messages.at(-1)!.content;
    if (/stopped at its thinking budget/.test(last)) return textStream('Done.');
    const tokens = NATURAL[kindOf(messages.map((m) => m.content).join('\n'))];
    return thinkInContentStream(' the'.repeat(tokens), 'Done.');
  });
}

async function ask(engine: Engine, query: string, effort: number): Promise<KnownRunEvent[]> {
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run({ query, effort, mode: 'reasoning', scale: 'off', parallel: { spawn: false } })) events.push(e);
  const last = events.at(-1)!;
  assert.equal(last.type, 'run.finished', JSON.stringify(last));
  return events;
}

const budgetOf = (events: KnownRunEvent[]) => {
  const b = events.find((e) => e.type === 'run.budget');
  assert.ok(b && b.type === 'run.budget');
  return b.data as { reasoning: number; estimate: number; prediction?: number; prior?: number; enforcement: string; bucket: string };
};

/** Rounds of the warm-up (each asks every question of both kinds once, interleaved): 72 runs. */
const WARM_ROUNDS = 3;

async function engineOn(store: JsonFileStore, withPredictor: boolean): Promise<Engine> {
  const ep = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 10, maxRetries: 0 });
  const model = ep.model('think');
  const predictor = withPredictor ? await LengthPredictor.load(store) : undefined;
  return new Engine({
    models: { forRole: () => model },
    router: new FixedModeRouter('reasoning'),
    estimates: await EffortEstimates.load(store),
    ...(predictor ? { predictor } : {}),
    calibration: await EffortCalibration.load(store),
    progressIntervalMs: 0,
  });
}

/** Warm-up at effort 1 on a mix of both kinds, learning into one Store. */
async function warmUp(withPredictor: boolean, rounds: number): Promise<JsonFileStore> {
  const store = await tempStore();
  const engine = await engineOn(store, withPredictor);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < PROOFS.length; i++) {
      await ask(engine, PROOFS[i]!, 1);
      await ask(engine, LOOKUPS[i]!, 1);
    }
  }
  return store;
}

/** The budget a new question gets from the warmed-up state, on a copy of it, so that one probe's learning is not the next one's prior. */
async function probe(warm: JsonFileStore, withPredictor: boolean, query: string, r: number) {
  const copy = await tempStore();
  await fs.cp(warm.dir, copy.dir, { recursive: true });
  return budgetOf(await ask(await engineOn(copy, withPredictor), query, r));
}

test('must show: after a warm-up on a mix, a new long-kind question is budgeted well above a new short-kind one of the same length, each within 30% of r × its natural length', async (t) => {
  assert.equal(NEW_PROOF.split(' ').length, NEW_LOOKUP.split(' ').length);
  assert.ok([...PROOFS, ...LOOKUPS].every((q) => q.split(' ').length === 10), 'every question of the mix has 10 words too');
  thinkByKind();
  try {
    const store = await warmUp(true, WARM_ROUNDS);
    for (const r of [1, 0.5]) {
      const proof = await probe(store, true, NEW_PROOF, r);
      const lookup = await probe(store, true, NEW_LOOKUP, r);
      t.diagnostic(`r=${r}: proof budget ${proof.reasoning} (r × ${NATURAL.proof} = ${r * NATURAL.proof}), look-up ${lookup.reasoning} (r × ${NATURAL.lookup} = ${r * NATURAL.lookup}), bucket prior ${proof.prior}`);
      assert.equal(proof.bucket, lookup.bucket, 'the same bucket: same model, mode, kind and length band');
      assert.equal(proof.enforcement, 'forcing');
      assert.ok(proof.prediction !== undefined && proof.prior !== undefined, 'run.budget carries the prediction and the bucket prior');
      assert.equal(proof.prior, lookup.prior);
      assert.equal(proof.estimate, proof.prediction);
      assert.ok(proof.reasoning > 3 * lookup.reasoning, `r=${r}: proof ${proof.reasoning} vs look-up ${lookup.reasoning}`);
      for (const [b, natural] of [[proof, NATURAL.proof], [lookup, NATURAL.lookup]] as const) {
        const want = r * natural;
        assert.ok(Math.abs(b.reasoning / want - 1) <= 0.3, `r=${r}: budget ${b.reasoning} within 30% of ${want} (prior ${b.prior})`);
      }
    }
    // `arc stats` shows how budgets fit what was used, per model and effort.
    const stats = await collectStats(store, false);
    const fit = stats.effort.fit.find((f) => f.model === 'loop/think' && f.effort === 1);
    assert.ok(fit && fit.n === 2 * PROOFS.length * WARM_ROUNDS && fit.sampled > 0 && fit.medianError !== null && fit.p90Error !== null, JSON.stringify(stats.effort.fit));
    assert.ok(fit.cutShare > 0 && fit.cutShare < 1);
    assert.equal(stats.effort.predictor[0]!.model, 'loop/think');
    assert.match(formatStats(stats), /Budget fit[\s\S]*loop\/think @ 1×: median \d+%, p90 \d+% over \d+ uncut calls; \d+% of \d+ cut/);
  } finally {
    server.respond(undefined);
  }
});

test('without the predictor (bucket mean only) the same two questions get the same budget, far from one of them', async (t) => {
  thinkByKind();
  try {
    const store = await warmUp(false, 2);
    const proof = await probe(store, false, NEW_PROOF, 1);
    const lookup = await probe(store, false, NEW_LOOKUP, 1);
    assert.equal(proof.reasoning, lookup.reasoning);
    t.diagnostic(`bucket mean only: both budgeted ${proof.reasoning}`);
    assert.equal(proof.prediction, undefined);
    assert.ok(Math.abs(proof.reasoning / NATURAL.proof - 1) > 0.3 || Math.abs(lookup.reasoning / NATURAL.lookup - 1) > 0.3, `one of them is far off: ${proof.reasoning}`);
  } finally {
    server.respond(undefined);
  }
});

test('calibration fit: median and p90 of |used / budget − 1| over uncut calls, and the cut share', async () => {
  const c = await EffortCalibration.load(undefined);
  for (const used of [100, 90, 80, 110, 50]) await c.record('m|reasoning|reasoning|low', 1, 100, used, false);
  await c.record('m|reasoning|reasoning|low', 1, 100, 100, true);
  const [row] = c.fit();
  assert.deepEqual({ ...row, medianError: Math.round(row!.medianError! * 100), p90Error: Math.round(row!.p90Error! * 100) }, { model: 'm', effort: 1, n: 6, sampled: 5, medianError: 10, p90Error: 50, cutShare: 1 / 6 });
  assert.equal(quantile([], 0.5), null);
});

test('sidebar hint: for the question in the box the slider shows r × its prediction', async () => {
  const estimates = await EffortEstimates.load(undefined);
  const predictor = await LengthPredictor.load(undefined);
  const model = 'loop/think';
  const proofs = PROOFS.map((q) => requestFeatures({ query: q, effort: 1, source: 'sidebar' }));
  const lookups = LOOKUPS.map((q) => requestFeatures({ query: q, effort: 1, source: 'sidebar' }));
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < PROOFS.length; i++) {
      await predictor.record(model, proofs[i]!, 1000, 2400, false);
      await predictor.record(model, lookups[i]!, 1000, 300, false);
    }
  }
  const generic = sliderHint(estimates, model);
  assert.equal(generic.estimate, 1000);
  assert.equal(generic.draft, undefined);
  const draft = (text: string) => sliderHint(estimates, model, { text, features: requestFeatures({ query: text, effort: 1, source: 'sidebar' }), predictor });
  const proof = draft(NEW_PROOF);
  const lookup = draft(NEW_LOOKUP);
  assert.equal(proof.draft, true);
  assert.ok(proof.estimate > 1300 && lookup.estimate < 700, `proof ${proof.estimate}, look-up ${lookup.estimate}`);
  assert.equal(tokensAtStop(proof.tokens, 0.5), Math.round(0.5 * predictor.predict(model, requestFeatures({ query: NEW_PROOF, effort: 1, source: 'sidebar' }), 1000)));
  assert.equal(draft('   ').draft, undefined, 'a blank box: the generic hint');
  assert.equal(effortHint(1200, model, true), '≈ 1,200 reasoning tokens for this question on loop/think');
});

test('sidebar hint: the page reports the box debounced and only when it changed; the host validates it', async () => {
  const listeners: Array<() => void> = [];
  const box = { value: '', addEventListener: (_: string, fn: () => void) => void listeners.push(fn) };
  const sent: unknown[] = [];
  watchDraft(box, (m) => sent.push(m));
  const type = (text: string) => {
    box.value = text;
    for (const l of listeners) l();
  };
  type('Prove');
  type('Prove that');
  await new Promise((r) => setTimeout(r, DRAFT_DEBOUNCE_MS + 100));
  assert.deepEqual(sent, [{ type: 'draftHint', text: 'Prove that' }]);
  type('Prove that ');
  await new Promise((r) => setTimeout(r, DRAFT_DEBOUNCE_MS + 100));
  assert.equal(sent.length, 1, 'trailing space: nothing new to predict');
  type('');
  await new Promise((r) => setTimeout(r, DRAFT_DEBOUNCE_MS + 100));
  assert.deepEqual(sent.at(-1), { type: 'draftHint', text: '' });
  const ok = parseWebviewMessage({ type: 'draftHint', text: 'Prove that' });
  assert.ok(ok.ok && ok.message.type === 'draftHint');
  assert.equal(parseWebviewMessage({ type: 'draftHint', text: 'x'.repeat(DRAFT_HINT_CHARS + 1) }).ok, false);
});
