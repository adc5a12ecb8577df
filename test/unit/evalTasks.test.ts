// Eval tasks and their checks (DESIGN §6.6): arms, the checks of a task file, the GSM8K loader's
// refusals (a local file in the same format stands in for the network), the statistics, and a
// command-checked agentic item run through the engine on a copy of its workspace.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { NodeCommandRunner, type CommandRequest, type CommandRunner } from '../../src/agent';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { Engine } from '../../src/engine/engine';
import { FixedModeRouter } from '../../src/core/run/seams';
import { parseArms, ArmSpecError, armRequest } from '../../src/eval/arms';
import { commandCheckRunner, engineArmRunner } from '../../src/eval/engineArm';
import { GSM8K, Gsm8kError, loadGsm8kText } from '../../src/eval/gsm8k';
import { mcnemarExact, percentile, wilson } from '../../src/eval/metrics';
import { paretoFrontier, renderReportHtml } from '../../src/eval/reportHtml';
import { runEval } from '../../src/eval/runEval';
import { EvalTaskError, loadTask } from '../../src/eval/tasks';
import { parseCountdownFile, parseGsm8k, parseJsonlItems } from '../../src/eval/taskFile';
import { startScriptedServer, textStream, toolCallStream, type ScriptedServer } from '../fixtures/scriptedServer';
import type { CheckResult } from '../../src/eval/checks';

const REPO = path.resolve(__dirname, '../../..');

test('arms: modes, effort lists, + combinations, canonical names, errors a person can act on', () => {
  assert.deepEqual(
    parseArms('auto,instant,reasoning+effort:0.5,1,effort:0.25,0.5,scale:on,off,spawn:off').map((a) => a.name),
    ['auto', 'instant', 'reasoning+effort:0.5', 'reasoning+effort:1', 'effort:0.25', 'effort:0.5', 'scale:on', 'scale:off', 'spawn:off'],
  );
  const [a] = parseArms('agentic+effort:2+spawn:off');
  assert.deepEqual(a, { name: 'agentic+effort:2+spawn:off', mode: 'agentic', effort: 2, spawn: false });
  const req = armRequest(parseArms('effort:0.5')[0]!, { mode: 'auto', effort: 1, scale: 'auto', spawn: true }, 'q');
  assert.deepEqual(req, { query: 'q', mode: 'auto', modeChosenBy: 'setting', effort: 0.5, source: 'cli', parallel: { spawn: true }, scale: 'auto' });
  for (const bad of ['', 'fast', 'effort:9', 'effort:x', 'spawn:maybe', 'auto,auto', 'reasoning+instant', '0.5', 'effort:1:2']) {
    assert.throws(() => parseArms(bad), ArmSpecError, bad);
  }
});

test('task-file checks: exact, number, regex, choice, contains; bad lines named', async () => {
  const text = [
    '{"id": "n", "question": "q", "answer": "1,234.5", "check": "number"}',
    '{"id": "r", "question": "q", "answer": "^O\\\\(n log n\\\\)$", "check": "regex"}',
    '{"id": "c", "question": "q", "answer": "C", "check": "choice"}',
    '{"id": "k", "question": "q", "answer": "git revert", "check": "contains"}',
    '{"question": "q", "answer": "x", "check": "nope"}',
    '{"question": "q", "check": "command", "command": "true"}',
    '{"id": "n", "question": "dup", "answer": "1"}',
  ].join('\n');
  const { items, errors } = parseJsonlItems(text, { baseDir: '/tmp' });
  assert.deepEqual(items.map((i) => i.id), ['n', 'r', 'c', 'k']);
  assert.deepEqual(errors.map((e) => e.line), [5, 6, 7]);
  assert.match(errors[1]!.error, /workspace/);
  const check = (id: string, answer: string) => (items.find((i) => i.id === id)!.check(answer) as CheckResult).ok;
  assert.equal(check('n', 'So the total is $1234.50.'), true);
  assert.equal(check('n', 'Answer: 1234'), false);
  assert.equal(check('r', 'Answer: O(n log n)'), true);
  assert.equal(check('r', 'Answer: O(n^2)'), false);
  assert.equal(check('c', 'Answer: (C) 404'), true);
  assert.equal(check('c', 'The answer is B'), false);
  assert.equal(check('k', 'Use `git revert <sha>` for that.'), true);
  assert.equal(check('k', 'git reset --hard'), false);
  const cd = parseCountdownFile('{"nums": [3, 5, 7], "target": 22}\n{"nums": [1], "target": 2}\n');
  assert.equal(cd.items.length, 1);
  assert.deepEqual(cd.errors.map((e) => e.line), [2]);
  assert.equal((cd.items[0]!.check(`Answer: ${cd.items[0]!.expected}`) as CheckResult).ok, true);
});

test('gsm8k: a download that does not match the published size and SHA-256, or no network, is refused with the URL and the --task FILE way round', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'arc-gsm-'));
  // A local file in the test set's format (two lines), served where the network would be.
  const local = path.join(home, 'local.jsonl');
  writeFileSync(local, '{"question": "Janet has 3 apples and buys 4 more. How many?", "answer": "3 + 4 = <<3+4=7>>7\\n#### 7"}\n{"question": "A pen costs $2. How much do 6 pens cost?", "answer": "6 * 2 = 12\\n#### 12"}\n');
  const bytes = readFileSync(local);
  let fetched = 0;
  const serveLocal = async (url: string) => {
    fetched++;
    assert.equal(url, GSM8K.url);
    return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer };
  };
  await assert.rejects(loadGsm8kText({ arcHome: home, fetch: serveLocal }), (e: Error) => {
    assert.ok(e instanceof Gsm8kError);
    assert.ok(e.message.includes(GSM8K.url));
    assert.match(e.message, /does not match the published test set/);
    assert.match(e.message, /--task FILE/);
    return true;
  });
  assert.deepEqual(readdirSync(home).sort(), ['local.jsonl'], 'nothing unverified is cached');
  const offline = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(loadTask('gsm8k', { n: 5, seed: 1, arcHome: home, fetch: offline }), (e: Error) => {
    assert.ok(e instanceof EvalTaskError);
    assert.match(e.message, /Could not download GSM8K/);
    assert.ok(e.message.includes(GSM8K.url) && e.message.includes('--task FILE'));
    return true;
  });
  const notFound = async () => ({ ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) });
  await assert.rejects(loadGsm8kText({ arcHome: home, fetch: notFound }), /HTTP 404.*--task FILE/s);
  assert.equal(fetched, 1);
  // The same format parses into number-checked items (what a verified download becomes).
  const parsed = parseGsm8k(bytes.toString('utf8'));
  assert.deepEqual(parsed.items.map((i) => [i.id, i.expected]), [['gsm8k-1', '7'], ['gsm8k-2', '12']]);
  assert.equal((parsed.items[1]!.check('6 pens cost $12.\nAnswer: 12') as CheckResult).ok, true);
  assert.equal(createHash('sha256').update('').digest('hex').length, GSM8K.sha256.length);
});

test('statistics: Wilson interval, exact McNemar, percentiles, Pareto frontier', () => {
  const [lo, hi] = wilson(7, 10)!;
  assert.ok(Math.abs(lo - 0.3968) < 1e-3 && Math.abs(hi - 0.8922) < 1e-3, `${lo} ${hi}`);
  assert.deepEqual(wilson(0, 0), null);
  assert.equal(wilson(0, 5)![0], 0);
  assert.ok(Math.abs(mcnemarExact(1, 5) - 0.21875) < 1e-12);
  assert.equal(mcnemarExact(0, 0), 1);
  assert.equal(mcnemarExact(3, 3), 1);
  assert.ok(Math.abs(mcnemarExact(0, 10) - 2 / 1024) < 1e-12);
  assert.ok(mcnemarExact(400, 600) < 1e-9);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(percentile([10], 0.9), 10);
  assert.deepEqual(
    [...paretoFrontier([
      { arm: 'a', accuracy: 0.5, cost: 1 },
      { arm: 'b', accuracy: 0.7, cost: 2 },
      { arm: 'c', accuracy: 0.6, cost: 3 },
      { arm: 'd', accuracy: 0.5, cost: 1 },
    ])].sort(),
    ['a', 'b', 'd'],
  );
});

test('report.html escapes what the model said and loads nothing from elsewhere', () => {
  const html = renderReportHtml(
    { v: 1, task: 't', model: '<m>', simulated: false, n: 1, arms: [], pairs: [], planned: 0, ran: 0, settings: { n: 1, seed: 1, concurrency: 1 }, startedAt: 'x', finishedAt: 'y', curves: {} },
    [{ id: 'i', arm: 'a', answer: '<script>alert(1)</script>', correct: false, usage: { prompt: 0, completion: 0, reasoning: 0 }, cost: null, ms: 1, reason: '<img src=x onerror=alert(1)>' }],
    undefined,
    { nonce: 'N' },
  );
  assert.doesNotMatch(html, /<img src=x|<script>alert/);
  assert.match(html, /script-src 'nonce-N'/);
  assert.doesNotMatch(html, /https?:\/\/(?!github\.com)/);
});

// --- a command-checked agentic item through the engine ------------------------------------------------

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer({ models: ['m'] });
});
after(() => server.close());

test('a command-checked agentic item: the agent edits a throwaway copy, the check runs there in the sandbox, the original is untouched', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'arc-eval-agentic-'));
  const original = path.join(tmp, 'tiny-repo');
  cpSync(path.join(REPO, 'data/eval/fixtures/tiny-repo'), original, { recursive: true });
  const digest = () => readdirSync(original).map((f) => `${f}:${createHash('sha256').update(readFileSync(path.join(original, f))).digest('hex')}`).join('\n');
  const before = digest();
  const task = path.join(tmp, 'task.jsonl');
  writeFileSync(task, JSON.stringify({ id: 'fix', question: 'Fix math.js so that node test.js passes.', check: 'command', command: 'node test.js', workspace: 'tiny-repo' }) + '\n');
  const { items } = await loadTask(task, { n: 5, seed: 1, arcHome: tmp });
  assert.equal(items[0]!.kind, 'agentic');

  const real = new NodeCommandRunner({ sandbox: 'auto' });
  const seen: CommandRequest[] = [];
  const sandboxed: boolean[] = [];
  const runner: CommandRunner = {
    isolation: real.isolation,
    run: async (req) => {
      seen.push(req);
      const r = await real.run(req);
      sandboxed.push(Boolean(r.sandboxed));
      return r;
    },
  };
  server.respond((req) => {
    const last = req.body.messages.at(-1);
    if (last.role === 'tool') return textStream('Fixed add: it subtracted.', { usage: { prompt_tokens: 30, completion_tokens: 6 } });
    return { ...toolCallStream([{ id: 'e1', name: 'edit_file', arguments: JSON.stringify({ path: 'math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] }) }]), usage: { prompt_tokens: 20, completion_tokens: 15 } };
  });
  try {
    const endpoint = new OpenAIEndpoint({ id: 'e', baseUrl: server.url });
    const model = endpoint.model('m');
    const run = engineArmRunner({
      engineFor: (agent) => new Engine({ models: { forRole: () => model }, router: new FixedModeRouter('agentic'), ...(agent ? { agent: () => agent } : {}) }),
      base: { mode: 'agentic', effort: 1, scale: 'off', spawn: false },
      runner,
    });
    const out = await runEval(items, parseArms('agentic'), { run, runCommand: commandCheckRunner(runner) });
    const row = out.rows[0]!;
    assert.equal(row.correct, true, row.reason ?? row.error);
    assert.equal(row.mode, 'agentic');
    assert.deepEqual(row.usage, { prompt: 50, completion: 21, reasoning: 0 });
    const check = seen.find((c) => c.command === 'node test.js')!;
    assert.ok(check, 'the check ran through the runner');
    assert.notEqual(path.resolve(check.cwd), original);
    assert.ok(check.sandboxPaths, 'with the sandbox built from the copy');
    assert.ok(check.sandboxPaths!.writable.length > 0 && check.sandboxPaths!.writable.every((p) => !path.resolve(p).startsWith(original)));
    // Where this machine has a sandbox, the check ran in it.
    assert.equal(sandboxed.at(-1), real.isolation.kind === 'sandbox');
    assert.equal(digest(), before, 'the original workspace is unchanged');
  } finally {
    server.respond(undefined);
  }
});
