// `arc` as a spawned process (dist/cli.js, built by `npm test` first) against the scripted server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parseRunEvent } from '../../src/core/run/events';
import { startScriptedServer, textStream, reasoningFieldStream, toolCallStream, type RecordedRequest, type ScriptedServer } from '../fixtures/scriptedServer';
import { solveCountdown } from '../../src/eval/countdown/solver';
import { runArc, type ArcOptions, type ArcResult } from './cliProcess';


let server: ScriptedServer;
let arcHome: string;
before(async () => {
  arcHome = mkdtempSync(path.join(os.tmpdir(), 'arc-cli-home-'));
  server = await startScriptedServer({ models: ['m'] });
});
after(() => server.close());

/** `arc` with this suite's ARC_HOME. */
const arc = (args: string[], opts: ArcOptions = {}): Promise<ArcResult> => runArc(args, { timeoutMs: 20_000, ...opts, env: { ARC_HOME: arcHome, ...opts.env } });

const usage = { prompt_tokens: 9, completion_tokens: 6, completion_tokens_details: { reasoning_tokens: 2 } };

test('--json prints only RunEvents on stdout, ending in run.finished with the server\'s reasoning usage', async () => {
  server.enqueue(reasoningFieldStream('hmm', 'Answer text.', 'reasoning', { usage }));
  const r = await arc(['ask', '--base-url', server.url, '--model', 'm', '--json', 'What is it?']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const events = lines.map((l) => JSON.parse(l));
  for (const e of events) assert.ok(parseRunEvent(e).ok, JSON.stringify(e));
  const last = events.at(-1);
  assert.equal(last.type, 'run.finished');
  assert.equal(last.data.answer, 'Answer text.');
  assert.deepEqual(last.data.usage, { prompt: 9, completion: 6, reasoning: 2 });
  assert.equal(events[0].type, 'run.started');
  assert.equal(events[0].data.source, 'cli');
});

test('without --json: the answer alone on stdout, progress on stderr', async () => {
  server.enqueue(textStream('Just the answer.', { usage }));
  const r = await arc(['ask', 'hello'], { env: { ARC_BASE_URL: server.url, ARC_MODEL: 'm' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Just the answer.\n');
  assert.match(r.stderr, /instant mode/);
  assert.match(r.stderr, /9 prompt \+ 6 completion tokens \(2 reasoning\)/);
});

test('the key comes from OPENAI_API_KEY or --api-key-env, and never shows in output', async () => {
  server.requireKey('sk-secret-value-123456');
  try {
    server.enqueue(textStream('ok'));
    const r1 = await arc(['ask', '--base-url', server.url, '--model', 'm', 'q'], { env: { OPENAI_API_KEY: 'sk-secret-value-123456' } });
    assert.equal(r1.code, 0, r1.stderr);
    server.enqueue(textStream('ok'));
    const r2 = await arc(['ask', '--base-url', server.url, '--model', 'm', '--api-key-env', 'MY_KEY', 'q'], { env: { MY_KEY: 'sk-secret-value-123456' } });
    assert.equal(r2.code, 0, r2.stderr);
    const r3 = await arc(['ask', '--base-url', server.url, '--model', 'm', '--json', 'q'], { env: { OPENAI_API_KEY: 'sk-wrong-value-000000' } });
    assert.equal(r3.code, 1);
    assert.match(r3.stdout.trimEnd().split('\n').at(-1)!, /"run.failed"/);
    assert.doesNotMatch(r3.stdout + r3.stderr, /sk-wrong-value/);
  } finally {
    server.requireKey(undefined);
  }
});

test('usage errors exit 2 with a message', async () => {
  const cases: string[][] = [
    ['ask', 'q'],
    ['ask', '--base-url', server.url, 'q'],
    ['ask', '--base-url', server.url, '--model', 'm'],
    ['ask', '--base-url', 'not a url', '--model', 'm', 'q'],
    ['ask', '--bogus', 'q'],
    ['ask', '--base-url', server.url, '--model', 'm', '--mode', 'fast', 'q'],
    ['route'],
    ['route', '--file', 'x.jsonl'],
    ['route', '--json', '--file', '/nonexistent/queries.jsonl'],
    ['route', '--effort', '5', 'q'],
    ['ask', '--base-url', server.url, '--model', 'm', '--effort', 'lots', 'q'],
    ['ask', '--base-url', 'http://bob:hunter2@127.0.0.1:1/v1', '--model', 'm', 'q'],
    ['ask', '--base-url', server.url, '--model', 'm', '--api-key-env', 'NOT_SET_ANYWHERE', 'q'],
    ['frobnicate'],
  ];
  for (const args of cases) {
    const r = await arc(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^arc: /, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.doesNotMatch(r.stderr, /hunter2/, 'a password in a URL is never echoed');
  }
});

test('a server error exits 1 with the message on stderr', async () => {
  server.enqueue({ kind: 'error', status: 404, message: 'no such model' });
  const r = await arc(['ask', '--base-url', server.url, '--model', 'ghost', 'q']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Model "ghost" was not found/);
  assert.doesNotMatch(r.stderr, /Unhandled|at .*\.js:\d+/);
});

test('a cut stream exits 1 and keeps the partial answer in the last event', async () => {
  server.enqueue({ ...textStream('partial words keep coming', { pieces: 6 }), cutAfter: 3 });
  const r = await arc(['ask', '--base-url', server.url, '--model', 'm', '--json', 'q']);
  assert.equal(r.code, 1);
  const last = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!);
  assert.equal(last.type, 'run.failed');
  assert.equal(last.data.partial, true);
  assert.ok(last.data.answer.length > 0 && 'partial words keep coming'.startsWith(last.data.answer));
});

test('Ctrl+C cancels the request and exits 130', async () => {
  server.enqueue({ ...textStream('slow slow slow slow slow slow slow slow', { pieces: 8 }), tokenDelayMs: 300 });
  let sent = false;
  const r = await arc(['ask', '--base-url', server.url, '--model', 'm', '--json', 'q'], {
    onStdout: (chunk, child) => {
      if (!sent && chunk.includes('"thread.delta"')) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(r.code, 130, r.stderr);
  const last = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!);
  assert.equal(last.type, 'run.cancelled');
  assert.match(r.stderr, /cancelling/);
});

test('arc route prints the decision of DESIGN §6.1, exactly that shape, without calling a model', async () => {
  const before = server.requests.length;
  const r = await arc(['route', '--json', 'Why does this recursive function overflow the stack for n > 10000?']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  // DESIGN §6.1's keys in order, then the expected cost per mode (added by issue 17)
  assert.deepEqual(Object.keys(d), ['mode', 'intent', 'confidence', 'probabilities', 'reason', 'costs']);
  assert.deepEqual(Object.keys(d.costs), ['instant', 'reasoning', 'agentic']);
  assert.deepEqual(Object.keys(d.probabilities), ['instant', 'reasoning', 'agentic']);
  assert.ok(['instant', 'reasoning', 'agentic'].includes(d.mode));
  assert.ok(d.reason.length > 0);
  assert.equal(server.requests.length, before);
  const human = await arc(['route', 'what does git rebase do?']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /^instant \(answer\), confidence \d+%/);
});

test('arc route shows the expected cost per mode: priors, dollars from ARC_PRICES, then what runs used', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-costs-'));
  const q = 'what does git rebase do?';
  const route = async (env: Record<string, string> = {}) => {
    const r = await arc(['route', '--json', '--model', 'm', q], { env: { ARC_HOME: home, ...env } });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const cold = await route();
  assert.deepEqual(cold.costs.instant, { tokens: { prompt: 500, output: 100 }, usd: null, relative: 0, penalty: 0 });
  assert.deepEqual(cold.costs.reasoning.tokens, { prompt: 500, output: 1100 });
  assert.equal(cold.costs.reasoning.relative, 1);
  assert.equal(cold.costs.agentic.relative, 1.5);
  const priced = await route({ ARC_PRICES: '{"m": {"input": 1, "output": 4}}' });
  assert.equal(priced.costs.reasoning.usd, (500 * 1 + 1100 * 4) / 1e6);
  assert.equal(priced.mode, cold.mode, 'equal prices for every role decide as the constants do');
  // one real run: its usage is learned as instant's cost for this kind of query, for model m
  server.enqueue(textStream('It replays commits.', { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
  const r = await arc(['ask', '--base-url', server.url, '--model', 'm', '--mode', 'instant', q], { env: { ARC_HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  const learned = await route();
  assert.deepEqual(learned.costs.instant.tokens, { prompt: 400, output: 70 });
  assert.deepEqual((await route({ ARC_ROUTER_LEARNING: 'off' })).costs.instant.tokens, { prompt: 500, output: 100 }, 'learning off: the priors');
  const human = await arc(['route', '--model', 'm', q], { env: { ARC_HOME: home } });
  assert.match(human.stdout, /expected cost of one run/);
  assert.match(human.stdout, /instant +400 prompt \+ 70 output tokens, no price, penalty 0\.000/);
});

test('arc route --file: one decision per line in order, blank lines skipped, malformed lines as errors and exit 1', async () => {
  const file = path.join(arcHome, 'batch.jsonl');
  writeFileSync(file, [
    '{"query": "what does git rebase do?"}',
    '',
    '{"query": "rename getUser to fetchUser across the project", "context": {"source": "sidebar"}, "ignored": 1}',
    '{"query": 42}',
    'not json at all',
    '{"query": "fix this", "context": {"selectionLines": 3, "source": "inline", "language": "python", "diagnostics": 2}}',
  ].join('\n'));
  const r = await arc(['route', '--json', '--file', file]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 5);
  assert.equal(lines[0].mode, 'instant');
  assert.equal(lines[1].mode, 'agentic');
  assert.ok(lines[2].error && lines[3].error);
  assert.ok(lines[4].mode);
  const ok = await arc(['route', '--json', '--file', file.replace('batch', 'none')]);
  assert.equal(ok.code, 2);
});

test('arc ask --mode forces a mode, and forcing against the router is learned as an override', async () => {
  const q = 'what does git rebase do?';
  const routeNow = async () => JSON.parse((await arc(['route', '--json', q])).stdout);
  assert.equal((await routeNow()).mode, 'instant');
  let overrides = 0;
  while (overrides < 8 && (await routeNow()).mode !== 'reasoning') {
    server.enqueue(textStream('ok'));
    const r = await arc(['ask', '--base-url', server.url, '--model', 'm', '--mode', 'reasoning', '--json', q]);
    assert.equal(r.code, 0, r.stderr);
    const routed = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'run.routed');
    assert.equal(routed.data.mode, 'reasoning');
    overrides++;
  }
  // A confident decision survives one override; a kind of query overridden repeatedly stops being routed that way.
  assert.ok(overrides > 1 && overrides <= 6, `took ${overrides} overrides`);
  const after = await routeNow();
  assert.equal(after.mode, 'reasoning');
  assert.match(after.reason, /Learned from your earlier choices/);
  const off = JSON.parse((await arc(['route', '--json', q], { env: { ARC_ROUTER_LEARNING: 'off' } })).stdout);
  assert.equal(off.mode, 'instant', 'learning off: the model alone decides');
});

test('a standing ARC_MODE is not an override: nothing is learned from it', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-setting-'));
  const q = 'what is a closure?';
  for (let i = 0; i < 6; i++) {
    server.enqueue(textStream('ok'));
    // Alternating with and without the setting would look like re-asks with another mode, were it counted.
    const env: Record<string, string> = i % 2 === 0 ? { ARC_HOME: home, ARC_MODE: 'reasoning' } : { ARC_HOME: home };
    const r = await arc(['ask', '--base-url', server.url, '--model', 'm', q], { env });
    assert.equal(r.code, 0, r.stderr);
  }
  const d = JSON.parse((await arc(['route', '--json', q], { env: { ARC_HOME: home } })).stdout);
  assert.equal(d.mode, 'instant');
  assert.doesNotMatch(d.reason, /Learned/);
});

test('arc stats counts runs per mode with their spend, and unknown outcomes as unknown', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-stats-'));
  const usage = { prompt_tokens: 1000, completion_tokens: 500 };
  for (const mode of ['instant', 'reasoning', 'reasoning']) {
    server.enqueue(textStream('ok', { usage }));
    const r = await arc(['ask', '--base-url', server.url, '--model', 'gpt-4o-mini', '--mode', mode, 'q'], { env: { ARC_HOME: home } });
    assert.equal(r.code, 0, r.stderr);
  }
  const r = await arc(['stats', '--json'], { env: { ARC_HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  const byMode = Object.fromEntries(stats.costOfPass.map((m: { mode: string }) => [m.mode, m]));
  const perRun = (1000 * 0.15 + 500 * 0.6) / 1e6;
  assert.equal(byMode.instant.runs, 1);
  assert.equal(byMode.reasoning.runs, 2);
  assert.ok(Math.abs(byMode.reasoning.spend - 2 * perRun) < 1e-12);
  assert.equal(byMode.reasoning.unknown, 2);
  assert.equal(byMode.reasoning.costOfPass, null, 'no known success: no cost of pass');
  const human = await arc(['stats'], { env: { ARC_HOME: home } });
  assert.match(human.stdout, /reasoning\s+2\s+0\s+0\s+2\s+\$0\.000/);
  assert.match(human.stdout, /3 runs with no known outcome: counted, not guessed/);
});

test('--effort budgets reasoning, and estimates persist across invocations under $ARC_HOME', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-effort-cli-'));
  const usage = { prompt_tokens: 10, completion_tokens: 300, completion_tokens_details: { reasoning_tokens: 200 } };
  server.enqueue(reasoningFieldStream('thinking', 'ok', 'reasoning_content', { usage }));
  const first = await arc(['ask', '--base-url', server.url, '--model', 'm', '--mode', 'reasoning', '--effort', '1', '--json', 'q'], { env: { ARC_HOME: home } });
  assert.equal(first.code, 0, first.stderr);
  const budget1 = first.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'run.budget');
  assert.equal(budget1.data.estimate, 1000, 'the cold-start prior');
  server.enqueue(reasoningFieldStream('thinking', 'ok', 'reasoning_content', { usage }));
  const second = await arc(['ask', '--base-url', server.url, '--model', 'm', '--mode', 'reasoning', '--json', 'q'], { env: { ARC_HOME: home, ARC_EFFORT: '0.5' } });
  const budget2 = second.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'run.budget');
  assert.equal(budget2.data.prior, 600, 'the bucket: the prior and one run of 200, from the last invocation');
  // The same query again: the per-query prediction (persisted too) has moved below the bucket, shrunk after one call.
  assert.ok(budget2.data.prediction < 600 && budget2.data.prediction > 400, `prediction ${budget2.data.prediction}`);
  assert.equal(budget2.data.estimate, budget2.data.prediction);
  assert.ok(Math.abs(budget2.data.reasoning - 0.5 * budget2.data.prediction) <= 1, '0.5 × the prediction (which run.budget rounds)');
  const stats = await arc(['stats'], { env: { ARC_HOME: home } });
  assert.match(stats.stdout, /cli\/m\|reasoning\|reasoning\|\w+: \d+ tokens from 2 runs \+ the prior/);
});

test('what a model taught ARC (a parameter rejected with a 400) is remembered across invocations', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-caps-'));
  server.enqueue({ kind: 'error', status: 400, message: 'stream_options is not supported' }, textStream('ok'));
  const first = await arc(['ask', '--base-url', server.url, '--model', 'old-server', '--mode', 'instant', 'q'], { env: { ARC_HOME: home } });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /rejected "stream_options"/);
  server.enqueue(textStream('ok'));
  const before = server.requests.length;
  const second = await arc(['ask', '--base-url', server.url, '--model', 'old-server', '--mode', 'instant', 'q'], { env: { ARC_HOME: home } });
  assert.equal(second.code, 0, second.stderr);
  const chats = server.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 1, 'no 400 this time');
  assert.equal(chats[0]!.body.stream_options, undefined);
});

/** Reads a Countdown question's numbers and target back, as a scripted "model" would need them. */
function countdownOf(req: RecordedRequest): { numbers: number[]; target: number } | undefined {
  const text = JSON.stringify(req.body.messages);
  const m = /Using the numbers ([\d, ]+), make (\d+)/.exec(text);
  if (!m) return undefined;
  return { numbers: m[1]!.split(',').map((x) => Number(x.trim())), target: Number(m[2]) };
}

test('arc eval --task countdown: spawn on beside spawn off, answers verified, spend side by side', async () => {
  // A scripted stand-in, not a model: with spawn_threads offered it spawns one thread that solves
  // the puzzle exactly; without it, it answers wrongly. The harness must tell the two apart.
  server.respond((req) => {
    const last = req.body.messages.at(-1);
    const problem = countdownOf(req);
    const isChild = String(req.body.messages[0].content).includes('parallel threads');
    if (isChild && problem) return textStream(`Answer: ${solveCountdown(problem)}`, { usage: { prompt_tokens: 5, completion_tokens: 9 } });
    if (req.body.tools && last.role !== 'tool') {
      return { ...toolCallStream([{ id: 'c1', name: 'spawn_threads', arguments: JSON.stringify({ threads: [{ goal: 'Solve it', context: last.content }] }) }]), usage: { prompt_tokens: 5, completion_tokens: 4 } };
    }
    if (last.role === 'tool') return textStream(JSON.parse(last.content).results[0].answer, { usage: { prompt_tokens: 5, completion_tokens: 6 } });
    return textStream('Answer: 1 + 1', { usage: { prompt_tokens: 5, completion_tokens: 3 } });
  });
  try {
    const out = path.join(arcHome, 'eval-spawn');
    const common = ['eval', '--task', 'countdown', '--n', '3', '--seed', '7', '--base-url', server.url, '--model', 'm', '--mode', 'reasoning', '--scale', 'off', '--arms', 'spawn:off,spawn:on'];
    const r = await arc([...common, '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    const byArm = Object.fromEntries(summary.arms.map((s: { arm: string }) => [s.arm, s]));
    assert.equal(byArm['spawn:on'].correct, 3);
    assert.equal(byArm['spawn:off'].correct, 0);
    assert.equal(byArm['spawn:on'].tokens.completion, 3 * (4 + 9 + 6));
    assert.equal(byArm['spawn:on'].criticalPathTokens, 4 + 9 + 6);
    assert.equal(byArm['spawn:off'].tokens.completion, 3 * 3);
    const rows = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.match(rows.find((row: { arm: string }) => row.arm === 'spawn:off').reason, /equals 2|not/);
    const human = await arc([...common, '--n', '2', '--out', path.join(arcHome, 'eval-spawn-2')]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /spawn:off[\s\S]*spawn:on/);
    assert.match(human.stdout, /accuracy/);
  } finally {
    server.respond(undefined);
  }
});

test('arc eval --task FILE checks exact answers; bad usage exits 2', async () => {
  const file = path.join(arcHome, 'qa.jsonl');
  writeFileSync(file, '{"question": "2+2?", "answer": "4"}\n\n{"question": "Capital of France?", "answer": "Paris"}\n');
  server.respond((req) => textStream(String(req.body.messages.at(-1).content).includes('2+2') ? 'It is 4.\nAnswer: 4' : 'Answer: Lyon', { usage: { prompt_tokens: 3, completion_tokens: 2 } }));
  try {
    const r = await arc(['eval', '--task', file, '--base-url', server.url, '--model', 'm', '--json', '--spawn', 'off', '--scale', 'off', '--arms', 'instant,reasoning', '--out', path.join(arcHome, 'eval-qa')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    for (const s of report.arms) assert.equal(s.correct, 1, JSON.stringify(s));
  } finally {
    server.respond(undefined);
  }
  writeFileSync(file, '{"question": 3}\n');
  const bad = await arc(['eval', '--task', file, '--base-url', server.url, '--model', 'm']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /line 1/);
  const missing = await arc(['eval', '--base-url', server.url, '--model', 'm']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--task/);
  const flags = await arc(['ask', '--max-parallel', '0', '--base-url', server.url, '--model', 'm', 'q']);
  assert.equal(flags.code, 2);
  assert.match(flags.stderr, /--max-parallel takes a whole number from 1 to 64/);
  const spawnFlag = await arc(['ask', '--spawn', 'maybe', '--base-url', server.url, '--model', 'm', 'q']);
  assert.equal(spawnFlag.code, 2);
});

test('arc ask --spawn off sends no spawn_threads; on, a spawning run shows its threads and arc stats its speedup', async () => {
  const from = server.requests.length;
  server.enqueue(textStream('plain', { usage: { prompt_tokens: 3, completion_tokens: 2 } }));
  const off = await arc(['ask', '--mode', 'reasoning', '--spawn', 'off', '--base-url', server.url, '--model', 'm', 'think']);
  assert.equal(off.code, 0, off.stderr);
  assert.equal(server.requests.slice(from).find((r) => r.path.endsWith('/chat/completions'))!.body.tools, undefined);
  server.respond((req) => {
    const last = req.body.messages.at(-1);
    if (String(req.body.messages[0].content).includes('parallel threads')) return { ...textStream(`part ${last.content}`, { usage: { prompt_tokens: 2, completion_tokens: 5 } }), firstTokenDelayMs: 150 };
    if (last.role !== 'tool') return toolCallStream([{ id: 'c', name: 'spawn_threads', arguments: '{"threads":[{"goal":"x"},{"goal":"y"}]}' }]);
    return textStream('joined answer', { usage: { prompt_tokens: 2, completion_tokens: 3 } });
  });
  try {
    const on = await arc(['ask', '--mode', 'reasoning', '--max-parallel', '2', '--base-url', server.url, '--model', 'm', 'split it']);
    assert.equal(on.code, 0, on.stderr);
    assert.equal(on.stdout.trim(), 'joined answer');
    assert.match(on.stderr, /thread root\.1 started: x/);
    assert.match(on.stderr, /3 threads · .* speedup/);
    const stats = await arc(['stats']);
    assert.match(stats.stdout, /[1-9]\d* of \d+ runs spawned threads; speedup [\d.]+×/);
  } finally {
    server.respond(undefined);
  }
});
