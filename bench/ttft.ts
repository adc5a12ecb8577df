// Time to first token and total time of one instant-mode request: ARC's Engine against the bare
// openai SDK loop a user could write instead, both talking to the same scripted loopback server with
// the same script and the same request body. The difference is what ARC's layers cost (the provider's
// fetch wrapper, chunk validation, think-tag splitting, the event channel, usage accounting).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import OpenAI from 'openai';
import { OpenAIEndpoint } from '../src/core/model/openaiProvider';
import { Engine } from '../src/engine/engine';
import { instantMessages } from '../src/engine/prompts';
import { startScriptedServer, textStream, type ScriptedServer, type StreamScript } from '../test/fixtures/scriptedServer';
import { childEnv, describeFailure, runProcess } from './proc';
import { median, p90, round3, since } from './stats';
import type { BenchContext, BenchOutcome, Benchmark, ResultRow } from './types';

const MODEL = 'm';
const QUERY = 'What is the capital of France, and why?';
const ANSWER =
  'Paris is the capital of France. It has been the seat of government for most of the last thousand ' +
  'years, and it is where the president, the parliament and the ministries sit today.';
const PIECES = 40;
const USAGE = { prompt_tokens: 52, completion_tokens: PIECES };
/** Seconds either side waits for the loopback server before giving up: generous, only a safety net. */
const TIMEOUT_S = 10;

interface Timing {
  firstMs: number;
  totalMs: number;
}

interface Scenario {
  key: string;
  label: string;
  script: StreamScript;
}

const SCENARIOS: Scenario[] = [
  {
    key: 'paced',
    label: 'paced stream',
    script: { ...textStream(ANSWER, { pieces: PIECES, usage: USAGE, tokenDelayMs: 2 }), firstTokenDelayMs: 20 },
  },
  {
    // With no server delay at all, the client's own cost is all there is to measure.
    key: 'instant',
    label: 'no-delay stream',
    script: textStream(ANSWER, { pieces: PIECES, usage: USAGE }),
  },
];

/** What both sides send: ARC's own instant-mode messages, so the server does identical work. */
function wireMessages(): Array<{ role: 'system' | 'user'; content: string }> {
  return instantMessages({ effort: 1, query: QUERY, mode: 'instant' }).map((m) => {
    if (m.role !== 'system' && m.role !== 'user') throw new Error(`unexpected ${m.role} message in an instant request`);
    return { role: m.role, content: m.content };
  });
}

async function arcOnce(url: string): Promise<Timing> {
  const start = performance.now();
  // Built per request on both sides, as a one-shot `arc ask` does.
  const endpoint = new OpenAIEndpoint({ id: 'bench', baseUrl: url, timeoutSeconds: TIMEOUT_S, maxRetries: 0 });
  const model = endpoint.model(MODEL);
  const engine = new Engine({ models: { forRole: () => model } });
  let firstMs: number | undefined;
  let answer: string | undefined;
  let failure: string | undefined;
  for await (const ev of engine.run({ effort: 1, query: QUERY, mode: 'instant', source: 'cli' })) {
    if (ev.type === 'thread.delta' && ev.data.text && firstMs === undefined) firstMs = since(start);
    if (ev.type === 'run.finished') answer = ev.data.answer;
    if (ev.type === 'run.failed') failure = ev.data.error;
  }
  const totalMs = since(start);
  if (failure !== undefined) throw new Error(`ARC run failed: ${failure}`);
  if (answer !== ANSWER || firstMs === undefined) throw new Error(`ARC returned ${JSON.stringify(answer)}, not the scripted answer`);
  return { firstMs, totalMs };
}

async function baselineOnce(url: string, messages: ReturnType<typeof wireMessages>): Promise<Timing> {
  const start = performance.now();
  const client = new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0, timeout: TIMEOUT_S * 1000 });
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    // What an instant request is (DESIGN §4): thinking off with the first control for an unknown model, and the answer cap.
    reasoning_effort: 'none' as never,
    max_completion_tokens: 1024,
  });
  let firstMs: number | undefined;
  let text = '';
  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) {
      firstMs ??= since(start);
      text += piece;
    }
  }
  const totalMs = since(start);
  if (text !== ANSWER || firstMs === undefined) throw new Error(`the bare SDK loop returned ${JSON.stringify(text)}, not the scripted answer`);
  return { firstMs, totalMs };
}

/** Fails loudly if the two sides did not send the same request, which would make the ratio meaningless. */
function checkSameRequest(server: ScriptedServer, arcIndex: number, baselineIndex: number): void {
  const a = server.requests[arcIndex]?.body;
  const b = server.requests[baselineIndex]?.body;
  if (!isDeepStrictEqual(a, b)) {
    throw new Error(`ARC and the baseline sent different requests:\nARC:      ${JSON.stringify(a)}\nbaseline: ${JSON.stringify(b)}`);
  }
}

async function inProcess(ctx: BenchContext, server: ScriptedServer, scenario: Scenario, runs: number, warmup: number) {
  const messages = wireMessages();
  server.respond(() => scenario.script);
  const arc: Timing[] = [];
  const base: Timing[] = [];
  for (let i = 0; i < warmup; i++) {
    await arcOnce(server.url);
    await baselineOnce(server.url, messages);
  }
  const n = server.requests.length;
  checkSameRequest(server, n - 2, n - 1);
  ctx.log(`ttft: ${scenario.label}, ${runs} runs each, interleaved`);
  for (let i = 0; i < runs; i++) {
    // Alternating who goes first cancels any drift (warming caches, a slowly busier machine) between the two.
    if (i % 2 === 0) {
      arc.push(await arcOnce(server.url));
      base.push(await baselineOnce(server.url, messages));
    } else {
      base.push(await baselineOnce(server.url, messages));
      arc.push(await arcOnce(server.url));
    }
  }
  server.respond(undefined);
  server.requests.length = 0;
  return { arc, base };
}

/** The bare-SDK program a user could run instead of `arc ask`: same request, answer on stdout. */
function baselineScript(messages: ReturnType<typeof wireMessages>): string {
  return `
const OpenAI = require('openai').default;
(async () => {
  const client = new OpenAI({ baseURL: process.argv[1], apiKey: 'x', maxRetries: 0, timeout: ${TIMEOUT_S * 1000} });
  const stream = await client.chat.completions.create({ model: ${JSON.stringify(MODEL)}, messages: ${JSON.stringify(messages)}, stream: true, stream_options: { include_usage: true }, reasoning_effort: 'none', max_completion_tokens: 1024 });
  for await (const chunk of stream) {
    const t = chunk.choices[0]?.delta?.content;
    if (t) process.stdout.write(t);
  }
  process.stdout.write('\\n');
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;
}

async function spawned(ctx: BenchContext, server: ScriptedServer, runs: number, warmup: number) {
  const cli = path.join(ctx.distDir, 'cli.js');
  const home = mkdtempSync(path.join(tmpdir(), 'arc-bench-home-'));
  const env = childEnv({ ARC_HOME: home });
  const script = baselineScript(wireMessages());
  server.respond(() => SCENARIOS[0]!.script);
  const once = async (who: 'arc' | 'baseline'): Promise<Timing> => {
    const r =
      who === 'arc'
        ? await runProcess(process.execPath, [cli, 'ask', '--base-url', server.url, '--model', MODEL, '--timeout', String(TIMEOUT_S), QUERY], { cwd: ctx.root, env, timeoutMs: 30_000 })
        : await runProcess(process.execPath, ['-e', script, server.url], { cwd: ctx.root, env, timeoutMs: 30_000 });
    if (r.code !== 0) throw describeFailure(who === 'arc' ? '`arc ask`' : 'the bare SDK script', r);
    if (r.stdout.trim() !== ANSWER || r.firstStdoutMs === undefined) {
      throw new Error(`${who} printed ${JSON.stringify(r.stdout)}, not the scripted answer`);
    }
    return { firstMs: r.firstStdoutMs, totalMs: r.exitMs };
  };
  const arc: Timing[] = [];
  const base: Timing[] = [];
  try {
    for (let i = 0; i < warmup; i++) {
      await once('arc');
      await once('baseline');
    }
    const n = server.requests.length;
    checkSameRequest(server, n - 2, n - 1);
    ctx.log(`ttft: spawned processes, ${runs} runs each, interleaved`);
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        arc.push(await once('arc'));
        base.push(await once('baseline'));
      } else {
        base.push(await once('baseline'));
        arc.push(await once('arc'));
      }
    }
  } finally {
    server.respond(undefined);
    rmSync(home, { recursive: true, force: true });
  }
  return { arc, base };
}

function rows(prefix: string, first: string, total: string, arc: Timing[], base: Timing[], extraNote?: string): ResultRow[] {
  const pick = (xs: Timing[], k: keyof Timing) => xs.map((t) => t[k]);
  const out: ResultRow[] = [];
  for (const [k, label] of [['firstMs', first], ['totalMs', total]] as const) {
    for (const [stat, f] of [['median', median], ['p90', p90]] as const) {
      out.push({ metric: `${prefix}: ${label} ${stat}`, unit: 'ms', arc: f(pick(arc, k)), baseline: f(pick(base, k)), note: extraNote });
    }
  }
  return out;
}

export const ttft: Benchmark = {
  name: 'ttft',
  summary: 'time to first token and total time of an instant request: ARC Engine vs a bare openai SDK streaming loop',
  async run(ctx) {
    const runs = ctx.quick ? 12 : 60;
    const warmup = ctx.quick ? 2 : 5;
    const procRuns = ctx.quick ? 3 : 10;
    const procWarmup = 1;
    const server = await startScriptedServer({ models: [MODEL] });
    const outcome: BenchOutcome = { rows: [], notes: [], config: {}, samples: {} };
    try {
      for (const sc of SCENARIOS) {
        const { arc, base } = await inProcess(ctx, server, sc, runs, warmup);
        outcome.rows.push(...rows(`in-process, ${sc.label}`, 'first token', 'total', arc, base));
        outcome.samples[`${sc.key}.arc.first`] = round3(arc.map((t) => t.firstMs));
        outcome.samples[`${sc.key}.baseline.first`] = round3(base.map((t) => t.firstMs));
        outcome.samples[`${sc.key}.arc.total`] = round3(arc.map((t) => t.totalMs));
        outcome.samples[`${sc.key}.baseline.total`] = round3(base.map((t) => t.totalMs));
      }
      const { arc, base } = await spawned(ctx, server, procRuns, procWarmup);
      outcome.rows.push(...rows('spawned process', 'first output', 'exit', arc, base, 'process start dominates'));
      outcome.samples['spawned.arc.first'] = round3(arc.map((t) => t.firstMs));
      outcome.samples['spawned.baseline.first'] = round3(base.map((t) => t.firstMs));
      outcome.samples['spawned.arc.exit'] = round3(arc.map((t) => t.totalMs));
      outcome.samples['spawned.baseline.exit'] = round3(base.map((t) => t.totalMs));
    } finally {
      await server.close();
    }
    outcome.config = {
      server: 'scripted OpenAI-compatible server on 127.0.0.1 (test/fixtures/scriptedServer.ts); no real model',
      answerChars: ANSWER.length,
      pieces: PIECES,
      scenarios: SCENARIOS.map((s) => ({ key: s.key, firstTokenDelayMs: s.script.firstTokenDelayMs ?? 0, tokenDelayMs: s.script.tokenDelayMs ?? 0 })),
      inProcess: { runs, warmup, order: 'interleaved, alternating which side goes first' },
      spawned: { runs: procRuns, warmup: procWarmup, arc: 'node dist/cli.js ask --base-url … --model m "q"', baseline: 'node -e <bare openai SDK loop>, openai required from node_modules' },
      requestBody: 'identical on both sides (checked): ARC instant-mode messages, stream, stream_options.include_usage, reasoning_effort "none" (thinking off) and the 1,024-token answer cap',
    };
    outcome.notes.push(
      'A scripted loopback server stands in for a model, so these numbers are client overhead over a fixed stream, not model speed.',
      'In-process: each request builds its client from scratch on both sides; ARC is timed to the first thread.delta event and to the end of its event stream, the baseline to the first content delta and the end of its for-await loop.',
      'Paced stream: the server waits 20 ms before the first token and 2 ms between tokens, which hides small overheads; the no-delay stream shows them.',
      'Spawned process: time from spawn to the first stdout byte and to exit. Node start-up and module loading dominate (ARC loads one bundle; the baseline requires the openai package from node_modules), so this compares start-up, not streaming.',
    );
    return outcome;
  },
};
