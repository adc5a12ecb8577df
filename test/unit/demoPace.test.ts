// `npm run demo`'s simulator pace: the demo starts the simulator with --demo, which streams at
// DEMO_PACE (not DESIGN §8's 50 tokens/s, which the benchmarks keep), and only the clock changes —
// the same replies, token counts and successes. Times are reported (t.diagnostic), not asserted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DEMO_PACE, SIM } from '../../bench/sim/model';
import { startSimulator } from '../../bench/sim/simulator';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { collect } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
/** A newcomer's first question in the demo. */
const FIRST_QUESTION = 'Compare quicksort and mergesort in three short paragraphs, then say which to use for linked lists.';

// A native import (this file is compiled to CommonJS, where `import()` would become `require`).
const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

test('npm run demo starts the simulator at the demo pace, and the simulator says so', async (t) => {
  const start = await importModule(pathToFileURL(path.join(ROOT, 'scripts', 'start.mjs')).href);
  const args = start.DEMO_SIMULATOR_ARGS as string[];
  assert.ok(Array.isArray(args) && args.includes('--demo'), `the demo's simulator arguments: ${JSON.stringify(args)}`);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'simulator.js'), ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const firstLine = (stream: NodeJS.ReadableStream) =>
      new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: stream }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`the simulator exited (code ${code})`)));
      });
    const [url, banner] = await Promise.all([firstLine(child.stdout!), firstLine(child.stderr!)]);
    assert.match(banner, new RegExp(`pace ${DEMO_PACE.tokensPerSecond} tokens/s, first token after ${DEMO_PACE.firstTokenMs} ms \\(demo pace\\)`));
    assert.match(banner, /not a language model/);
    // The demo's first question, as the reasoning role asks it, through the real client.
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: url.trim(), timeoutSeconds: 60 });
    const t0 = performance.now();
    const r = await collect(ep.model('sim-reasoning').stream({ messages: [{ role: 'user', content: FIRST_QUESTION }] }));
    const ms = performance.now() - t0;
    assert.equal(r.error, undefined);
    assert.match(r.text, /^\[Simulated answer — ARC's simulator, not a language model\]/);
    const usage = r.parts.find((p) => p.type === 'usage');
    assert.ok(usage && usage.type === 'usage');
    const completion = usage.usage.completion;
    t.diagnostic(
      `first question, one call: ${completion} completion tokens in ${(ms / 1000).toFixed(2)} s at the demo pace; ` +
        `${((SIM.firstTokenMs + (completion / SIM.tokensPerSecond) * 1000) / 1000).toFixed(1)} s at DESIGN §8's ${SIM.tokensPerSecond} tokens/s`,
    );
  } finally {
    child.kill();
  }
});

test('the demo pace changes only the clock: same replies and token counts as DESIGN §8 pace', async () => {
  const sims = await Promise.all([startSimulator({ seed: 5, speed: 50 }), startSimulator({ seed: 5, speed: 50, pace: DEMO_PACE })]);
  try {
    assert.deepEqual(sims[0].pace, { tokensPerSecond: SIM.tokensPerSecond, firstTokenMs: SIM.firstTokenMs }, 'benchmarks (no pace given) keep DESIGN §8');
    assert.deepEqual(sims[1].pace, { ...DEMO_PACE });
    const replies = [];
    for (const sim of sims) {
      const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 30 });
      const r = await collect(ep.model('sim-reasoning').stream({ messages: [{ role: 'user', content: FIRST_QUESTION }] }));
      assert.equal(r.error, undefined);
      replies.push({ text: r.text, reasoning: r.reasoning, usage: r.parts.find((p) => p.type === 'usage'), calls: sim.calls.map((c) => ({ ...c })) });
    }
    assert.deepEqual(replies[1], replies[0]);
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
});
