// Router latency (issue 4, Must show (a)): what one routing decision costs in process, for the bare
// decision (`decide`) and for what the engine runs (`LearnedRouter.route`, and route + observe, the
// router's whole share of a run), beside one tokenizer pass over the same text. A tokenizer pass is
// the cheapest thing any model call does to a query, so the ratio says whether routing every turn is
// noticeable next to work that already happens on every turn.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Mode } from '../src/core/run/events';
import type { RunRequest, RunSource } from '../src/core/run/request';
import { decide } from '../src/router/decide';
import type { RouteContext } from '../src/router/features';
import { LearnedRouter } from '../src/router/learnedRouter';
import { RouterLearning } from '../src/router/learning';
import { routeContextOf } from '../src/router/router';
import { parseDataset, type Example } from '../src/router/train/trainer';
import { rng } from './sim/model';
import { quantile } from './stats';
import type { BenchContext, BenchOutcome, Benchmark, Goal, ResultRow } from './types';

export const DATASET = 'data/router/queries.jsonl';
const GOAL_P99_MS = 0.5;
const SEED = 0x0a2c;
const TOKENIZER = 'gpt-tokenizer/encoding/o200k_base';
/** Queries per block; each block runs every side once, the order rotating from block to block. */
const BLOCK = 200;
/** Above this many characters a query counts as a long paste in the notes' split of the tail. */
const LONG = 2000;

export function loadExamples(root: string): Example[] {
  return parseDataset(readFileSync(path.join(root, DATASET), 'utf8'));
}

// ---- the workload ------------------------------------------------------------------------------

const LANGUAGES = ['typescript', 'python', 'javascript', 'go', 'rust', 'java', 'csharp', 'cpp', 'sql', 'shellscript'];
const SOURCES: RunSource[] = ['palette', 'inline', 'sidebar', 'chat'];
const PREFIXES = ['please ', 'quick question: ', 'hey, ', 'ok so ', 'Could you ', 'urgent: ', 'one more thing - '];
const SUFFIXES = [' thanks', '?', ' asap', ' (TypeScript)', ', see below', ' pls', '!!', ' — keep it short'];
const SNIPPETS = [
  '```ts\nexport function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n```',
  '```python\ndef parse(line):\n    key, _, value = line.partition("=")\n    return key.strip(), value.strip()\n```',
  '```go\nfor i := range items {\n\tgo func() { process(items[i]) }()\n}\n```',
  '`useEffect(() => fetchData(), [])`',
  '```sql\nSELECT u.id, COUNT(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;\n```',
];
const TRACES = [
  "TypeError: Cannot read properties of undefined (reading 'map')\n    at renderList (src/components/List.tsx:42:18)\n    at App (src/App.tsx:12:5)",
  'Traceback (most recent call last):\n  File "app/main.py", line 88, in <module>\n    run()\n  File "app/main.py", line 40, in run\n    KeyError: \'user_id\'',
  'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/home/u/proj/main.go:14 +0x1d',
];
const PATHS = ['src/server/routes/auth.ts', 'lib/utils/date.py', 'cmd/api/main.go', 'packages/ui/src/Button.tsx', 'tests/test_orders.py'];

/** Synthetic selected code with exactly `lines` lines, for requests whose context says something is selected. */
export function selectionText(lines: number, language = 'typescript'): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(language === 'python' ? `    total_${i} = compute(items[${i}])` : `  const total${i} = compute(items[${i}]);`);
  return out.join('\n');
}

export interface BenchQuery {
  text: string;
  context: RouteContext;
  request: RunRequest;
}

/** The engine's view of a query: a RunRequest whose context gives routeContextOf the same RouteContext. */
export function requestFor(text: string, ctx: RouteContext): RunRequest {
  const request: RunRequest = { effort: 1, query: text, mode: 'auto' };
  if (ctx.source) request.source = ctx.source as RunSource;
  const lines = ctx.selectionLines ?? 0;
  const context: NonNullable<RunRequest['context']> = {};
  if (lines > 0) context.selection = { text: selectionText(lines, ctx.language), ...(ctx.language ? { language: ctx.language } : {}) };
  if (typeof ctx.diagnostics === 'number' && ctx.diagnostics > 0) context.diagnostics = Array.from({ length: ctx.diagnostics }, (_, i) => `diagnostic ${i + 1}`);
  if (context.selection || context.diagnostics !== undefined) request.context = context;
  return request;
}

/**
 * `n` queries built from the labeled set by seeded variation, so that the router sees phrasings,
 * lengths and contexts it was not trained on verbatim: new contexts, two queries run together,
 * filler before and after, case changes, pasted code, stack traces, paths, and a few long pastes
 * that reach the feature extractor's scan limit.
 */
export function buildWorkload(examples: readonly Example[], n: number, seed = SEED): BenchQuery[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: BenchQuery[] = [];
  for (let i = 0; i < n; i++) {
    const base = pick(examples);
    let text = base.query;
    let ctx: RouteContext = { ...base.context };
    if (random() < 0.35) {
      ctx = { source: pick(SOURCES) };
      const lines = pick([0, 0, 1, 4, 12, 40, 150, 600]);
      if (lines > 0) ctx.selectionLines = lines;
      if (random() < 0.6) ctx.language = pick(LANGUAGES);
      if (random() < 0.15) ctx.diagnostics = 1 + Math.floor(random() * 6);
    }
    if (random() < 0.2) text = `${text}${random() < 0.5 ? ' ' : '\n\n'}${pick(examples).query}`;
    if (random() < 0.25) text = pick(PREFIXES) + text;
    if (random() < 0.25) text += pick(SUFFIXES);
    const r = random();
    if (r < 0.05) text = text.toUpperCase();
    else if (r < 0.12) text = text.toLowerCase();
    const a = random();
    if (a < 0.1) text += `\n\n${pick(SNIPPETS)}`;
    else if (a < 0.16) text += `\n\n${pick(TRACES)}`;
    else if (a < 0.22) text += ` in ${pick(PATHS)}`;
    if (random() < 0.03) {
      // A pasted log or file: 2-8 KB, past MAX_SCAN in features.ts for the longer ones.
      const chunk = `${pick(TRACES)}\n${pick(SNIPPETS)}\n`;
      const target = 2000 + Math.floor(random() * 6000);
      text += `\n\n${chunk.repeat(Math.ceil(target / chunk.length)).slice(0, target)}`;
    }
    const request = requestFor(text, ctx);
    // decide() gets what the engine's router derives from the request (a RunRequest cannot carry a
    // language without a selection), so the two ARC sides decide on identical inputs.
    out.push({ text, context: routeContextOf(request), request });
  }
  return out;
}

// ---- measurement ---------------------------------------------------------------------------------

type Side = 'decide' | 'route' | 'observe' | 'tokenize';
const SIDES: readonly Side[] = ['decide', 'route', 'observe', 'tokenize'];
const LABEL: Record<Side, string> = {
  decide: 'decide()',
  route: 'LearnedRouter.route()',
  observe: 'route() + observe()',
  tokenize: 'tokenizer encode()',
};

interface Runner {
  /** Runs item i untimed (warm-up) and returns something derived from the result, so the work cannot be skipped. */
  once(i: number): number | Promise<number>;
}

const modeIndex = (m: Mode): number => (m === 'instant' ? 0 : m === 'reasoning' ? 1 : 2);

async function makeRunners(queries: readonly BenchQuery[]): Promise<Record<Side, Runner> & { modes: Record<'decide' | 'route', Int8Array> }> {
  // createRequire keeps esbuild from bundling the tokenizer's multi-megabyte rank tables into
  // dist/bench.js, which every bench child process parses; it loads from node_modules at run time.
  const tokenizer = createRequire(__filename)(TOKENIZER) as { encode(text: string): number[] };
  // Two routers: one only routes (its learning stays empty, as for a new user), one is also told
  // about each run, as the engine does, so its learning state grows as it would in a session.
  const seeded = rng(SEED + 1);
  const plain = new LearnedRouter(await RouterLearning.load(undefined, true), () => ({}), seeded);
  const observed = new LearnedRouter(await RouterLearning.load(undefined, true), () => ({}), rng(SEED + 2));
  const modes = { decide: new Int8Array(queries.length), route: new Int8Array(queries.length) };
  return {
    modes,
    decide: { once: (i) => (modes.decide[i] = modeIndex(decide(queries[i]!.text, queries[i]!.context).mode)) },
    route: { once: (i) => (modes.route[i] = modeIndex(plain.route(queries[i]!.request).mode)) },
    observe: {
      once: async (i) => {
        const req = queries[i]!.request;
        const d = observed.route(req);
        await observed.observe(req, d);
        return modeIndex(d.mode);
      },
    },
    tokenize: { once: (i) => tokenizer.encode(queries[i]!.text).length },
  };
}

async function timeOne(r: Runner, i: number): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  const v = r.once(i);
  // Only observe() is asynchronous; awaiting the others would add a microtask hop to their time.
  const out = typeof v === 'number' ? v : await v;
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
}

const round4 = (xs: Float64Array): number[] => Array.from(xs, (x) => Math.round(x * 1e4) / 1e4);
const fmtRate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')}/s`;

export const routerLatency: Benchmark = {
  name: 'router-latency',
  summary: 'one routing decision in process (decide, LearnedRouter.route, route + observe) on 10,000 varied queries vs one o200k tokenizer pass over the same text',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const n = ctx.quick ? 2000 : 10_000;
    const warmup = ctx.quick ? 400 : 2000;
    const examples = loadExamples(ctx.root);
    const queries = buildWorkload(examples, n);
    const warmQueries = buildWorkload(examples, warmup, SEED + 99);
    const runners = await makeRunners(queries);
    const warm = await makeRunners(warmQueries);
    let sink = 0;
    // Warm-up on other queries of the same kind, so that every side's code is optimized before the
    // clock starts and none of the measured texts is already in the tokenizer's merge cache.
    ctx.log(`router-latency: warm-up, ${warmup} queries per side`);
    for (let i = 0; i < warmup; i++) for (const s of SIDES) sink += await warm[s].once(i);

    ctx.log(`router-latency: ${n} queries per side, blocks of ${BLOCK}, order rotating per block`);
    const samples: Record<Side, Float64Array> = { decide: new Float64Array(n), route: new Float64Array(n), observe: new Float64Array(n), tokenize: new Float64Array(n) };
    let tokens = 0;
    for (let b = 0, block = 0; b < n; b += BLOCK, block++) {
      const end = Math.min(n, b + BLOCK);
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(k + block) % SIDES.length]!;
        for (let i = b; i < end; i++) {
          const [ms, v] = await timeOne(runners[side], i);
          samples[side][i] = ms;
          if (side === 'tokenize') tokens += v;
          else sink += v;
        }
      }
    }

    const stat = (s: Side, q: number) => quantile(Array.from(samples[s]), q);
    const sum = (s: Side) => samples[s].reduce((a, b) => a + b, 0);
    const perSecond = (s: Side) => (n * 1000) / sum(s);
    const rows: ResultRow[] = [];
    for (const s of ['decide', 'route', 'observe'] as const) {
      rows.push({ metric: `${LABEL[s]}: p50`, unit: 'ms', arc: stat(s, 0.5), baseline: stat('tokenize', 0.5) });
      rows.push({ metric: `${LABEL[s]}: p99`, unit: 'ms', arc: stat(s, 0.99), baseline: stat('tokenize', 0.99) });
      rows.push({ metric: `${LABEL[s]}: mean`, unit: 'ms', arc: sum(s) / n, baseline: sum('tokenize') / n, note: `${fmtRate(perSecond(s))} vs ${fmtRate(perSecond('tokenize'))} texts tokenized` });
    }
    const goals: Goal[] = (['decide', 'route'] as const).map((s) => ({
      description: `${LABEL[s]} p99 per decision ≤ ${GOAL_P99_MS} ms (issue 4)`,
      value: stat(s, 0.99),
      threshold: GOAL_P99_MS,
      met: stat(s, 0.99) <= GOAL_P99_MS,
    }));

    // Where the tail comes from: long pastes against everything else.
    const longIdx: number[] = [];
    const shortIdx: number[] = [];
    queries.forEach((q, i) => (q.text.length > LONG ? longIdx : shortIdx).push(i));
    const p99Of = (s: Side, idx: number[]) => (idx.length ? quantile(idx.map((i) => samples[s][i]!), 0.99) : Number.NaN);
    let disagree = 0;
    for (let i = 0; i < n; i++) if (runners.modes.decide[i] !== runners.modes.route[i]) disagree++;
    const byMode = [0, 0, 0];
    for (const m of runners.modes.route) byMode[m]!++;
    const lengths = queries.map((q) => q.text.length).sort((a, b) => a - b);
    const observeP99 = stat('observe', 0.99);

    return {
      rows,
      goals,
      notes: [
        `Workload: ${n.toLocaleString('en-US')} queries built with a seeded generator from the ${examples.length} labeled queries in ${DATASET} (new contexts, two queries joined, filler, case changes, pasted code, stack traces, paths; ${longIdx.length} long pastes of 2-8 KB). Lengths: median ${quantile(lengths, 0.5)} chars, p99 ${Math.round(quantile(lengths, 0.99))}, max ${lengths[lengths.length - 1]}. LearnedRouter.route chose instant ${byMode[0]}, reasoning ${byMode[1]}, agentic ${byMode[2]}.`,
        `Each call is timed alone with process.hrtime.bigint(); blocks of ${BLOCK} queries run every side in turn, the order rotating per block, after ${warmup} warm-up queries per side. Decisions/s = queries / summed per-call time (the timer's own ~0.1 µs is included).`,
        `decide() is the bare decision; LearnedRouter.route() is what the engine calls (an in-memory RouterLearning.load(undefined, true), seeded exploration): the decision plus its strongest signals for the learning bucket, and any learned bias. route() + observe() is the router's whole share of one engine run (observe reuses route's decision, hashes the query for re-ask detection, and may record learning): p99 ${observeP99.toFixed(3)} ms, ${observeP99 <= GOAL_P99_MS ? 'also within' : 'NOT within'} ${GOAL_P99_MS} ms.`,
        `p99 on queries of ≤ ${LONG} chars: decide ${p99Of('decide', shortIdx).toFixed(3)} ms, route ${p99Of('route', shortIdx).toFixed(3)} ms, tokenizer ${p99Of('tokenize', shortIdx).toFixed(3)} ms; on the ${longIdx.length} long pastes: decide ${p99Of('decide', longIdx).toFixed(3)} ms, route ${p99Of('route', longIdx).toFixed(3)} ms, tokenizer ${p99Of('tokenize', longIdx).toFixed(3)} ms (features stop at 6,000 chars; the tokenizer reads everything).`,
        `Baseline: gpt-tokenizer ${tokenizerVersion()} o200k_base encode() over the same query text (${tokens.toLocaleString('en-US')} tokens in all), with its default merge cache, which repeated words in the workload hit. decide() and route() disagreed on ${disagree} of ${n} queries (exploration only).`,
      ],
      config: {
        queries: n,
        warmupPerSide: warmup,
        seed: SEED,
        block: BLOCK,
        order: 'blocks of queries; within a block each side runs the whole block, sides rotating per block',
        dataset: DATASET,
        tokenizer: `gpt-tokenizer ${tokenizerVersion()}, ${TOKENIZER}`,
        router: 'shipped weights, effort 1, all modes allowed; LearnedRouter with RouterLearning.load(undefined, true)',
        goalP99Ms: GOAL_P99_MS,
        checksum: sink,
      },
      samples: Object.fromEntries(SIDES.map((s) => [s, round4(samples[s])])),
    };
  },
};

function tokenizerVersion(): string {
  try {
    return (createRequire(__filename)('gpt-tokenizer/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
