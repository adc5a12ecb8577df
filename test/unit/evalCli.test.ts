// `arc eval` end to end (DESIGN §6.1, §6.6): the simulator run writes results.jsonl, summary.json and
// report.html in their contracted shapes; on the scripted server with a known per-arm accuracy the
// figures match exactly; --resume after a kill re-runs nothing; --max-cost stops at the cap.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, textStream, type RecordedRequest, type ScriptedServer } from '../fixtures/scriptedServer';
import { runArc, type ArcOptions, type ArcResult } from './cliProcess';


let server: ScriptedServer;
let home: string;
before(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'arc-eval-home-'));
  server = await startScriptedServer({ models: ['m'] });
});
after(() => server.close());

/** `arc` with this suite's ARC_HOME. */
const arc = (args: string[], opts: ArcOptions = {}): Promise<ArcResult> => runArc(args, { timeoutMs: 60_000, ...opts, env: { ARC_HOME: home, ...opts.env } });

const jsonl = (file: string): any[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

test('arc eval --simulator: seven arms × 40 Countdown items write results.jsonl, summary.json and a self-contained, simulated report.html', async () => {
  const out = path.join(home, 'sim');
  const r = await arc(['eval', '--task', 'countdown', '--arms', 'auto,instant,reasoning,effort:0.5,effort:1,spawn:on,spawn:off', '--n', '40', '--simulator', '--out', out], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
  const arms = ['auto', 'instant', 'reasoning', 'effort:0.5', 'effort:1', 'spawn:on', 'spawn:off'];
  const rows = jsonl(path.join(out, 'results.jsonl'));
  assert.equal(rows.length, 40 * arms.length);
  assert.equal(new Set(rows.map((x) => `${x.id}|${x.arm}`)).size, rows.length);
  for (const row of rows) {
    assert.equal(typeof row.id, 'string');
    assert.ok(arms.includes(row.arm));
    assert.equal(typeof row.answer, 'string');
    assert.equal(typeof row.correct, 'boolean');
    assert.deepEqual(Object.keys(row.usage).sort(), ['completion', 'prompt', 'reasoning']);
    assert.ok(typeof row.cost === 'number' && row.cost > 0, 'the simulator has prices');
    assert.ok(typeof row.ms === 'number' && row.ms > 0);
  }
  const s = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(s.v, 1);
  assert.equal(s.task, 'countdown');
  assert.equal(s.simulated, true);
  assert.equal(s.n, 40);
  assert.deepEqual(s.arms.map((a: { arm: string }) => a.arm), arms);
  for (const a of s.arms) {
    for (const k of ['arm', 'items', 'correct', 'accuracy', 'ci95', 'tokens', 'cost', 'costOfPass', 'latencyMs']) assert.ok(k in a, `${a.arm}: ${k}`);
    assert.equal(a.items, 40);
    assert.equal(a.accuracy, a.correct / 40);
    assert.ok(a.ci95[0] <= a.accuracy && a.accuracy <= a.ci95[1]);
    const mine = rows.filter((x) => x.arm === a.arm);
    assert.equal(a.tokens.completion, mine.reduce((t, x) => t + x.usage.completion, 0));
    assert.ok(Math.abs(a.cost - mine.reduce((t, x) => t + x.cost, 0)) < 1e-8);
    assert.equal(a.costOfPass === null, a.correct === 0);
  }
  assert.ok(s.arms.find((a: { arm: string }) => a.arm === 'auto').modes);
  assert.ok('threadsPerItem' in s.arms.find((a: { arm: string }) => a.arm === 'spawn:on'));
  assert.equal(s.pairs.length, (arms.length * (arms.length - 1)) / 2);
  for (const p of s.pairs) assert.equal(p.aOnly + p.bOnly + p.both + p.neither, 40);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.match(html, /SIMULATED/);
  assert.match(html, /Content-Security-Policy/);
  assert.match(html, /id="chart-pareto"/);
  assert.ok(html.length > 100_000, 'the chart library is inlined');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import/i, 'nothing is loaded from elsewhere');
  // --report re-renders the same figures.
  const again = await arc(['eval', '--report', out, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const s2 = JSON.parse(again.stdout);
  assert.deepEqual(s2.arms, s.arms);
  assert.deepEqual(s2.pairs, s.pairs);
});

/** Ten items whose answers are 1…10; instant is right on 1-3, reasoning on 1, 2 and 4-8. */
const TASK = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `q${i + 1}`, question: `Item ${i + 1}: what number is this item?`, answer: String(i + 1), check: 'number' })).join('\n');
const INSTANT_RIGHT = new Set([1, 2, 3]);
const REASONING_RIGHT = new Set([1, 2, 4, 5, 6, 7, 8]);
const itemOf = (req: RecordedRequest): number => Number(/Item (\d+):/.exec(JSON.stringify(req.body.messages))?.[1]);
const isInstant = (req: RecordedRequest): boolean => JSON.stringify(req.body.messages[0]).includes('Answer directly and concisely');

function scripted(delayMs = 0) {
  server.respond((req) => {
    const k = itemOf(req);
    const instant = isInstant(req);
    const right = (instant ? INSTANT_RIGHT : REASONING_RIGHT).has(k);
    const usage = instant ? { prompt_tokens: 10, completion_tokens: 5 } : { prompt_tokens: 20, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 40 } };
    return textStream(`Answer: ${right ? k : k + 100}`, { usage, ...(delayMs ? { tokenDelayMs: delayMs } : {}) });
  });
}

const PRICES = JSON.stringify({ m: { input: 1, output: 4 } });
const base = (out: string, file: string) => ['eval', '--task', file, '--arms', 'instant,reasoning', '--spawn', 'off', '--scale', 'off', '--base-url', server.url, '--model', 'm', '--out', out, '--concurrency', '1'];

test('on the scripted server with known per-arm accuracy: accuracy, cost, cost of pass and the paired counts are exact', async () => {
  const file = path.join(home, 'ten.jsonl');
  writeFileSync(file, TASK);
  scripted();
  try {
    const r = await arc([...base(path.join(home, 'exact'), file), '--json'], { env: { ARC_PRICES: PRICES } });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    const [instant, reasoning] = s.arms;
    assert.equal(instant.accuracy, 0.3);
    assert.equal(reasoning.accuracy, 0.7);
    // instant: 10 runs × (10 in × $1 + 5 out × $4) / 1M; reasoning: 10 × (20 × $1 + 50 × $4) / 1M.
    assert.equal(instant.cost, (10 * (10 + 5 * 4)) / 1e6);
    assert.equal(reasoning.cost, (10 * (20 + 50 * 4)) / 1e6);
    assert.equal(instant.costOfPass, Math.round(((10 * 30) / 1e6 / 3) * 1e9) / 1e9);
    assert.equal(reasoning.costOfPass, Math.round(((10 * 220) / 1e6 / 7) * 1e9) / 1e9);
    assert.equal(instant.costOfPassUnit, 'USD');
    assert.deepEqual(reasoning.tokens, { prompt: 200, completion: 500, reasoning: 400 });
    // By hand: instant alone right on 3; reasoning alone on 4-8; both on 1, 2; neither on 9, 10.
    assert.deepEqual(s.pairs, [{ a: 'instant', b: 'reasoning', aOnly: 1, bOnly: 5, both: 2, neither: 2, pValue: 0.21875 }]);
    // Without a price, cost is null and cost of pass is tokens per correct answer, and says so.
    const u = await arc([...base(path.join(home, 'unpriced'), file), '--json']);
    const us = JSON.parse(u.stdout);
    assert.equal(us.arms[0].cost, null);
    assert.equal(us.arms[0].costOfPassUnit, 'tokens');
    assert.equal(us.arms[0].costOfPass, (10 * 15) / 3);
  } finally {
    server.respond(undefined);
  }
});

test('--resume after a kill mid-run finishes without re-running finished item × arm pairs', async () => {
  const file = path.join(home, 'ten-resume.jsonl');
  writeFileSync(file, TASK);
  const out = path.join(home, 'resume');
  const results = path.join(out, 'results.jsonl');
  scripted(5);
  try {
    const first = await arc(base(out, file), { killWhen: () => existsSync(results) && jsonl(results).length >= 6 });
    assert.equal(first.code, null, 'killed');
    const done = jsonl(results);
    assert.ok(done.length >= 6 && done.length < 20, `${done.length} rows before the kill`);
    const before = server.requests.length;
    const second = await arc([...base(out, file), '--resume']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resuming/);
    const rows = jsonl(results);
    assert.equal(rows.length, 20);
    assert.equal(new Set(rows.map((x) => `${x.id}|${x.arm}`)).size, 20);
    // One model call per run (no spawn, no SCALE, forced modes): exactly the missing runs were asked.
    const asked = server.requests.slice(before).filter((q) => q.path.includes('chat'));
    assert.equal(asked.length, 20 - done.length);
    const doneKeys = new Set(done.map((x) => `${Number(x.id.slice(1))}|${x.arm}`));
    for (const q of asked) assert.ok(!doneKeys.has(`${itemOf(q)}|${isInstant(q) ? 'instant' : 'reasoning'}`));
    // Without --resume the same folder is refused rather than mixed.
    const refused = await arc(base(out, file));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--resume/);
  } finally {
    server.respond(undefined);
  }
});

test('--max-cost stops at the cap: no run starts that would pass it, what ran is reported, exit 0', async () => {
  const file = path.join(home, 'ten-cap.jsonl');
  writeFileSync(file, TASK);
  scripted();
  try {
    const perRun = (20 + 50 * 4) / 1e6;
    const r = await arc(['eval', '--task', file, '--arms', 'reasoning', '--spawn', 'off', '--scale', 'off', '--base-url', server.url, '--model', 'm', '--out', path.join(home, 'cap'), '--concurrency', '1', '--max-cost', String(3.5 * perRun), '--json'], { env: { ARC_PRICES: PRICES } });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.stoppedBy, 'max-cost');
    assert.equal(s.ran, 3);
    assert.ok(s.arms[0].cost <= 3.5 * perRun);
    assert.match(readFileSync(path.join(home, 'cap', 'report.html'), 'utf8'), /Stopped at the --max-cost cap/);
    const noPrice = await arc(['eval', '--task', file, '--base-url', server.url, '--model', 'm', '--out', path.join(home, 'cap2'), '--max-cost', '1']);
    assert.equal(noPrice.code, 2);
    assert.match(noPrice.stderr, /ARC_PRICES/);
  } finally {
    server.respond(undefined);
  }
});
