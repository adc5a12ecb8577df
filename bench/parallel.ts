// APR spawn/join under load (issue 7, Must show; DESIGN §3.4, §6.2, §6.3): a reasoning run whose root
// calls `spawn_threads`, through the real Engine, the AdaptiveScheduler, the openai client and loopback
// HTTP, against a latency server whose children take a fixed 500 ms. It measures
//   1. 8 children at concurrency 8 against the critical-path bound (one child) and against the same 8
//      children run one after another (concurrency 1) in the same run;
//   2. 64 children at concurrency 8 against 8 waves of one child;
//   3. the UI event rate during (2), when every child streams 50 small deltas, against the rate one
//      event per streamed delta would give;
//   4. the heap after GC over repeated runs of (2).
// The server is not a model: every reply is scripted, so this measures ARC's scheduling and event
// overhead, not model speed.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAIEndpoint } from '../src/core/model/openaiProvider';
import type { KnownRunEvent } from '../src/core/run/events';
import { AdaptiveScheduler, endpointKey } from '../src/core/scheduler';
import { Engine } from '../src/engine/engine';
import type { RunStats } from '../src/parallel/accounting';
import { SPAWN_TOOL_NAME } from '../src/parallel/spawnProtocol';
import { startLatencyServer, type LatencyReply, type LatencyServer, type Served } from './latencyServer';
import { median, round3 } from './stats';
import type { Benchmark, BenchOutcome, Goal } from './types';

/** Server-side time of one child, from its request's arrival to its finish chunk. */
const CHILD_MS = 500;
/** Content deltas each child streams, spread evenly over CHILD_MS. */
const CHILD_DELTAS = 50;
const MAX_PARALLEL = 8;
/** The engine's default (DESIGN §6.2 "coalesced"): at most one thread.progress per thread per interval. */
const PROGRESS_MS = 250;
const WINDOW_MS = 100;
const WIDE = 64;
const NARROW = 8;
const GOAL_CRITICAL = 1.25;
const GOAL_SEQUENTIAL = 5;
const GOAL_WAVES = 1.25;
const GOAL_MEMORY = 1.1;
/** Marks a child request: the words of src/parallel/prompts.ts's system prompt. */
const CHILD_MARK = 'one of several parallel threads';
const MODEL = 'm';

/** One clock for the engine's event times, the latency server's log and the benchmark: epoch ms with a fraction. */
const clock = () => performance.timeOrigin + performance.now();

interface RunOutcome {
  runMs: number;
  /** First child's thread.started to the last child's thread.finished. */
  roundMs: number;
  roundStart: number;
  roundEnd: number;
  stats: RunStats;
  /** Times of events inside the round. */
  all: number[];
  progressOrDelta: number[];
  childProgress: number[];
  childDelta: number;
  /** Content chunks the server sent to children during the round: what one event per delta would be. */
  streamed: number[];
  /** Server-side duration of each child reply. */
  childServerMs: number[];
  peakOpen: number;
}

function childReply(goal: string): LatencyReply {
  const text = `${goal}: done. `.padEnd(CHILD_DELTAS * 4, '.');
  const pieces = Array.from({ length: CHILD_DELTAS }, (_, i) => text.slice(i * 4, i * 4 + 4));
  return { kind: 'child', pieces, durationMs: CHILD_MS, usage: { prompt_tokens: 60, completion_tokens: CHILD_DELTAS } };
}

/** The root spawns `children` threads, then answers with how many came back done. */
function responder(state: { children: number }) {
  return (body: any): LatencyReply => {
    const messages: Array<{ role: string; content: string | null }> = body?.messages ?? [];
    if (String(messages[0]?.content ?? '').includes(CHILD_MARK)) return childReply(String(messages[1]?.content ?? '').split('\n')[0]!);
    const last = messages.at(-1);
    if (last?.role === 'tool') {
      const joined = JSON.parse(String(last.content)) as { results: Array<{ status: string }> };
      const done = joined.results.filter((r) => r.status === 'done').length;
      return { kind: 'parent', pieces: [`done ${done}`, ` of ${joined.results.length}`], durationMs: 0, usage: { prompt_tokens: 400, completion_tokens: 6 } };
    }
    const n = state.children;
    const threads = Array.from({ length: n }, (_, i) => ({ goal: `part ${i + 1} of ${n}`, context: null }));
    return {
      kind: 'parent',
      toolCall: { id: 'call_spawn', name: SPAWN_TOOL_NAME, arguments: JSON.stringify({ threads }) },
      durationMs: 0,
      usage: { prompt_tokens: 200, completion_tokens: 20 * n },
    };
  };
}

interface Setup {
  /** How many threads the root asks for; the responder reads it. */
  state: { children: number };
  engine: Engine;
  scheduler: AdaptiveScheduler;
  key: string;
}

function setup(server: LatencyServer, state: { children: number }, maxParallel: number): Setup {
  const model = new OpenAIEndpoint({ id: 'loop', baseUrl: server.url, timeoutSeconds: 30, maxRetries: 0 }).model(MODEL);
  const scheduler = new AdaptiveScheduler({ maxParallel });
  const engine = new Engine({ models: { forRole: () => model }, scheduler, progressIntervalMs: PROGRESS_MS, childTimeoutMs: 120_000, now: clock });
  return { state, engine, scheduler, key: endpointKey(model.id) };
}

async function runOnce(server: LatencyServer, s: Setup, children: number): Promise<RunOutcome> {
  s.state.children = children;
  server.served.length = 0;
  server.resetPeak();
  const events: KnownRunEvent[] = [];
  const t0 = clock();
  for await (const ev of s.engine.run({ effort: 1, query: `Split this into ${children} parts.`, mode: 'reasoning', source: 'cli', parallel: { spawn: true, maxChildren: children } })) {
    events.push(ev);
  }
  const runMs = clock() - t0;
  const last = events.at(-1);
  if (last?.type !== 'run.finished') throw new Error(`parallel: the run ended with ${last?.type}: ${JSON.stringify(last?.data)}`);
  if (last.data.answer !== `done ${children} of ${children}`) throw new Error(`parallel: expected every child done, got "${last.data.answer}"`);
  const isChild = (e: KnownRunEvent) => e.parentId === 'root';
  const starts = events.filter((e) => e.type === 'thread.started' && isChild(e)).map((e) => e.t);
  const ends = events.filter((e) => e.type === 'thread.finished' && isChild(e)).map((e) => e.t);
  if (starts.length !== children || ends.length !== children) throw new Error(`parallel: ${starts.length} children started and ${ends.length} finished, expected ${children}`);
  const roundStart = Math.min(...starts);
  const roundEnd = Math.max(...ends);
  const inRound = (t: number) => t >= roundStart && t <= roundEnd;
  const round = events.filter((e) => inRound(e.t));
  const kids = server.served.filter((x: Served) => x.kind === 'child');
  const out: RunOutcome = {
    runMs,
    roundMs: roundEnd - roundStart,
    roundStart,
    roundEnd,
    stats: last.data.stats!,
    all: round.map((e) => e.t),
    progressOrDelta: round.filter((e) => e.type === 'thread.progress' || e.type === 'thread.delta').map((e) => e.t),
    childProgress: round.filter((e) => e.type === 'thread.progress' && isChild(e)).map((e) => e.t),
    childDelta: events.filter((e) => e.type === 'thread.delta' && isChild(e)).length,
    streamed: kids.flatMap((x) => x.chunkMs),
    childServerMs: kids.map((x) => (x.endMs ?? Number.NaN) - x.arrivedMs),
    peakOpen: server.peakOpen,
  };
  server.served.length = 0;
  return out;
}

/** The most times in any half-open window [t, t + w) that starts at one of them. */
function peakInWindow(times: readonly number[], w: number): number {
  const xs = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < xs.length; i++) {
    while (j < xs.length && xs[j]! < xs[i]! + w) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Removes each of `drop` once from `from` (multiset difference). */
function without(from: readonly number[], drop: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const t of drop) counts.set(t, (counts.get(t) ?? 0) + 1);
  return from.filter((t) => {
    const c = counts.get(t) ?? 0;
    if (c === 0) return true;
    counts.set(t, c - 1);
    return false;
  });
}

/**
 * The design's bound on thread.progress + thread.delta events from children in any window of `w` ms:
 * children stream no deltas; a thread's progress events are at least `interval` apart, the first one
 * at its first delta, so a thread overlapping the window by o ms sends at most 1 + floor(o / interval)
 * there; at most `slots` threads run at once and each lasts at least `threadMs`, so one slot sees at
 * most 1 + ceil(w / threadMs) threads in the window and their overlaps sum to at most w.
 */
function progressBound(w: number, slots: number, interval: number, threadMs: number): number {
  return slots * (1 + Math.ceil(w / threadMs) + Math.floor(w / interval));
}

/** Lifecycle events per child beside its progress: thread.started, usage, thread.finished. */
const LIFECYCLE_EVENTS = 3;

function gcFunction(): { gc?: () => void; how: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g, how: 'globalThis.gc (node --expose-gc)' };
  try {
    // Node has no flag set here; V8 lets one be set at run time, and a new context then has gc().
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    if (typeof fn === 'function') return { gc: fn as () => void, how: "v8.setFlagsFromString('--expose-gc') + vm.runInNewContext('gc')" };
  } catch {
    // Fall through: heap numbers without a forced GC.
  }
  return { how: 'none: heapUsed without a forced GC (noisy)' };
}

async function heapAfterGc(gc: (() => void) | undefined): Promise<{ heap: number; rss: number }> {
  // Let closed sockets and finished timers go first.
  await sleep(50);
  if (gc) {
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
const r2 = (x: number) => Math.round(x * 100) / 100;

export const parallelBench: Benchmark = {
  name: 'parallel',
  summary: 'spawn_threads on a loopback latency server: wall time vs critical path and vs one-after-another, 64 children in waves, UI event rate, heap over repeated runs',
  async run(ctx) {
    const reps = ctx.quick ? 1 : 3;
    const wideRuns = ctx.quick ? 3 : 10;
    const state = { children: NARROW };
    const server = await startLatencyServer(clock);
    server.respond(responder(state));
    const par = setup(server, state, MAX_PARALLEL);
    const seq = setup(server, state, 1);
    const outcome: BenchOutcome = { rows: [], notes: [], goals: [], config: {}, samples: {} };
    const goals: Goal[] = outcome.goals!;
    try {
      // Warm-up, not counted: loads and compiles the whole path and opens the connection pool.
      await runOnce(server, par, NARROW);
      await runOnce(server, seq, 1);

      // 1. Eight children: concurrency 8, one after another, and the critical path (one child).
      ctx.log(`parallel: ${NARROW} children of ${CHILD_MS} ms, concurrency ${MAX_PARALLEL} vs 1, ${reps} rep(s)`);
      const narrowPar: RunOutcome[] = [];
      const narrowSeq: RunOutcome[] = [];
      const single: RunOutcome[] = [];
      for (let i = 0; i < reps; i++) {
        // Alternating which goes first cancels drift between the two.
        if (i % 2 === 0) {
          narrowPar.push(await runOnce(server, par, NARROW));
          narrowSeq.push(await runOnce(server, seq, NARROW));
        } else {
          narrowSeq.push(await runOnce(server, seq, NARROW));
          narrowPar.push(await runOnce(server, par, NARROW));
        }
        single.push(await runOnce(server, par, 1));
      }
      const parRound = median(narrowPar.map((r) => r.roundMs));
      const seqRound = median(narrowSeq.map((r) => r.roundMs));
      const parRun = median(narrowPar.map((r) => r.runMs));
      const oneRun = median(single.map((r) => r.runMs));
      const oneRound = median(single.map((r) => r.roundMs));

      // 2-4. Sixty-four children in waves of eight, repeated: wall, event rate, heap.
      const { gc, how } = gcFunction();
      ctx.log(`parallel: ${WIDE} children at concurrency ${MAX_PARALLEL}, ${wideRuns} runs (heap after GC: ${how})`);
      const wide: Array<Omit<RunOutcome, 'all' | 'progressOrDelta' | 'childProgress' | 'streamed'> & { rates: Rates }> = [];
      const heap: number[] = [];
      const rss: number[] = [];
      for (let i = 0; i < wideRuns; i++) {
        const r = await runOnce(server, par, WIDE);
        const { all, progressOrDelta, childProgress, streamed, ...rest } = r;
        wide.push({ ...rest, rates: rates(r) });
        const m = await heapAfterGc(gc);
        heap.push(m.heap);
        rss.push(m.rss);
        ctx.log(`parallel: run ${i + 1}/${wideRuns}: round ${rest.roundMs.toFixed(0)} ms, heap ${mib(m.heap)} MiB`);
      }
      const wideRound = median(wide.map((w) => w.roundMs));
      const wavesBound = Math.ceil(WIDE / MAX_PARALLEL) * CHILD_MS;
      const worst = <K extends keyof Rates>(k: K) => Math.max(...wide.map((w) => w.rates[k]));
      const arcPeakPD = worst('arcPeakPD');
      const naivePeakPD = worst('naivePeakPD');
      const arcPeakAll = worst('arcPeakAll');
      const naivePeakAll = worst('naivePeakAll');
      const perSecond = (count: number) => (count * 1000) / WINDOW_MS;
      const boundPD = progressBound(WINDOW_MS, MAX_PARALLEL, PROGRESS_MS, CHILD_MS);
      const boundAll = boundPD + LIFECYCLE_EVENTS * MAX_PARALLEL * (1 + Math.ceil(WINDOW_MS / CHILD_MS));
      const sustainedPD = MAX_PARALLEL * (1000 / PROGRESS_MS + 1000 / CHILD_MS);
      const arcMeanPD = median(wide.map((w) => w.rates.arcMeanPD));
      const naiveMeanPD = median(wide.map((w) => w.rates.naiveMeanPD));
      const arcMeanAll = median(wide.map((w) => w.rates.arcMeanAll));
      const naiveMeanAll = median(wide.map((w) => w.rates.naiveMeanAll));
      const from = Math.min(1, heap.length - 1);
      const growth = heap[heap.length - 1]! / heap[from]!;
      // A ratio can hide a steady rise over few runs: the least-squares slope from run 2 on says whether it levels off.
      const slope = slopePerRun(heap.slice(from));
      const callsPerRun = WIDE + 2;

      outcome.rows.push(
        { metric: `${NARROW} children x ${CHILD_MS} ms: spawn round, concurrency ${MAX_PARALLEL} vs 1 (one after another)`, unit: 'ms', arc: parRound, baseline: seqRound, note: `${r2(seqRound / parRound)}x faster` },
        { metric: `${NARROW} children x ${CHILD_MS} ms: spawn round vs one child's server time (critical path)`, unit: 'ms', arc: parRound, baseline: CHILD_MS },
        { metric: `${NARROW} children x ${CHILD_MS} ms: whole run vs a one-child run (measured critical path)`, unit: 'ms', arc: parRun, baseline: oneRun, note: 'both include the two parent calls' },
        { metric: `${WIDE} children, concurrency ${MAX_PARALLEL}: spawn round vs ${wavesBound / CHILD_MS} waves x ${CHILD_MS} ms`, unit: 'ms', arc: wideRound, baseline: wavesBound, note: `worst of ${wideRuns}: ${Math.max(...wide.map((w) => w.roundMs)).toFixed(0)} ms` },
        { metric: `${WIDE} children: mean gap between thread.progress/delta events, ARC vs one event per streamed delta`, unit: 'ms', arc: 1000 / arcMeanPD, baseline: 1000 / naiveMeanPD, note: `${arcMeanPD.toFixed(0)} vs ${naiveMeanPD.toFixed(0)} events/s` },
        { metric: `${WIDE} children: mean gap between UI events of any type, ARC vs one event per streamed delta`, unit: 'ms', arc: 1000 / arcMeanAll, baseline: 1000 / naiveMeanAll, note: `${arcMeanAll.toFixed(0)} vs ${naiveMeanAll.toFixed(0)} events/s` },
      );

      const goal = (description: string, value: number, threshold: number, atMost: boolean): Goal => ({
        description,
        value: r2(value),
        threshold,
        met: atMost ? value <= threshold : value >= threshold,
      });
      goals.push(
        goal(`${NARROW} children at concurrency ${MAX_PARALLEL}: spawn round / critical-path bound (one child, ${CHILD_MS} ms), ratio, at most`, parRound / CHILD_MS, GOAL_CRITICAL, true),
        goal(`${NARROW} children at concurrency ${MAX_PARALLEL}: whole run / one-child run (measured critical path with the parent calls), ratio, at most`, parRun / oneRun, GOAL_CRITICAL, true),
        goal(`${NARROW} children: one after another / concurrency ${MAX_PARALLEL}, spawn round, speedup, at least`, seqRound / parRound, GOAL_SEQUENTIAL, false),
        goal(`${WIDE} children at concurrency ${MAX_PARALLEL}: spawn round / ${wavesBound} ms (${wavesBound / CHILD_MS} waves), ratio of the median run, at most`, wideRound / wavesBound, GOAL_WAVES, true),
        goal(`${WIDE} children: peak thread.progress+thread.delta events/s in any ${WINDOW_MS} ms window (worst run), at most the design bound`, perSecond(arcPeakPD), perSecond(boundPD), true),
        goal(`${WIDE} children: peak UI events/s of any type in any ${WINDOW_MS} ms window (worst run), at most the design bound`, perSecond(arcPeakAll), perSecond(boundAll), true),
        goal(`heap used after GC, run ${wideRuns} / run ${from + 1} of ${wideRuns} runs of ${WIDE} children, ratio, at most`, growth, GOAL_MEMORY, true),
      );

      const childServer = [...narrowPar, ...narrowSeq, ...single].flatMap((r) => r.childServerMs).concat(wide.flatMap((w) => w.childServerMs));
      outcome.samples = {
        'narrow.concurrency8.roundMs': round3(narrowPar.map((r) => r.roundMs)),
        'narrow.concurrency1.roundMs': round3(narrowSeq.map((r) => r.roundMs)),
        'narrow.concurrency8.runMs': round3(narrowPar.map((r) => r.runMs)),
        'narrow.concurrency1.runMs': round3(narrowSeq.map((r) => r.runMs)),
        'oneChild.runMs': round3(single.map((r) => r.runMs)),
        'oneChild.roundMs': round3(single.map((r) => r.roundMs)),
        'wide.roundMs': round3(wide.map((w) => w.roundMs)),
        'wide.runMs': round3(wide.map((w) => w.runMs)),
        'wide.arcPeakProgressOrDeltaPer100ms': wide.map((w) => w.rates.arcPeakPD),
        'wide.naivePeakProgressOrDeltaPer100ms': wide.map((w) => w.rates.naivePeakPD),
        'wide.arcPeakAllPer100ms': wide.map((w) => w.rates.arcPeakAll),
        'wide.naivePeakAllPer100ms': wide.map((w) => w.rates.naivePeakAll),
        'wide.heapUsedAfterGcMiB': heap.map(mib),
        'wide.rssMiB': rss.map(mib),
        'childServerMs.minMedianMax': [Math.min(...childServer), median(childServer), Math.max(...childServer)].map((x) => r2(x)),
      };
      outcome.config = {
        server: 'bench/latencyServer.ts on 127.0.0.1: scripted OpenAI-compatible streaming replies with absolute chunk deadlines; no model',
        path: 'Engine (reasoning mode, spawn on) -> AdaptiveScheduler -> OpenAIEndpoint (openai SDK, fetch) -> loopback HTTP',
        childMs: CHILD_MS,
        childDeltas: CHILD_DELTAS,
        parentCalls: 'tool call and final answer, no server delay',
        maxParallel: MAX_PARALLEL,
        progressIntervalMs: PROGRESS_MS,
        windowMs: WINDOW_MS,
        narrow: { children: NARROW, reps, order: 'concurrency 8 and 1 interleaved, alternating which goes first; then one one-child run per rep' },
        wide: { children: WIDE, runs: wideRuns, maxChildren: WIDE },
        warmup: 'one 8-child run at concurrency 8 and one 1-child run at concurrency 1, not counted',
        gc: how,
        peakOpenRequests: { concurrency8narrow: Math.max(...narrowPar.map((r) => r.peakOpen)), concurrency1: Math.max(...narrowSeq.map((r) => r.peakOpen)), concurrency8wide: Math.max(...wide.map((w) => w.peakOpen)) },
        schedulerLimitAfter: { concurrency8: par.scheduler.limitOf(par.key), concurrency1: seq.scheduler.limitOf(seq.key) },
        childThreadDeltaEvents: wide.reduce((n, w) => n + w.childDelta, 0) + narrowPar.reduce((n, r) => n + r.childDelta, 0),
        speedupReportedByRunStats: { narrow: median(narrowPar.map((r) => r.stats.speedup)), wide: median(wide.map((w) => w.stats.speedup)) },
        eventRates: {
          unit: 'events per second',
          arcPeakProgressOrDelta: perSecond(arcPeakPD),
          naivePeakProgressOrDelta: perSecond(naivePeakPD),
          boundPeakProgressOrDelta: perSecond(boundPD),
          arcPeakAll: perSecond(arcPeakAll),
          naivePeakAll: perSecond(naivePeakAll),
          boundPeakAll: perSecond(boundAll),
          arcMeanProgressOrDelta: r2(arcMeanPD),
          naiveMeanProgressOrDelta: r2(naiveMeanPD),
          sustainedBoundProgressOrDelta: sustainedPD,
          arcMeanAll: r2(arcMeanAll),
          naiveMeanAll: r2(naiveMeanAll),
        },
        heapUsedAfterGcMiB: heap.map(mib),
        heapSlopeFromRun2: { kibPerRun: r2(slope / 1024), bytesPerModelCall: Math.round(slope / callsPerRun) },
      };
      outcome.notes.push(
        'A loopback latency server (bench/latencyServer.ts) stands in for a model: each child reply takes 500 ms on the server and streams 50 content deltas at fixed deadlines; parent calls have no delay. These numbers are ARC\'s scheduling, HTTP-client and event overhead over that fixed latency, not model speed.',
        'The server runs in the benchmark\'s own Node process (as in bench/ttft.ts), so the client\'s work can make a chunk a few ms late; childServerMs.minMedianMax in the samples shows how late replies really ended.',
        `Spawn round = first child's thread.started to last child's thread.finished. Critical path of a round of equal children = one child (${CHILD_MS} ms); the measured one-child round took ${oneRound.toFixed(0)} ms here, so ${(oneRound - CHILD_MS).toFixed(0)} ms is one child's client-side overhead.`,
        `Baselines in the same run: the same ${NARROW} children through the same engine with a concurrency-1 scheduler (one after another); a one-child run (the critical path with the two parent calls); ${wavesBound / CHILD_MS} x ${CHILD_MS} ms for ${WIDE} children in waves of ${MAX_PARALLEL}.`,
        `UI event rate: the naive baseline is ARC's own event stream with each child's coalesced thread.progress replaced by one event per content delta the server streamed to that child (what emitting every delta would give; server send times, measured in the same run). Children emit no thread.delta (counted: ${outcome.config.childThreadDeltaEvents}).`,
        `Design bound on thread.progress+thread.delta in a window of w ms (${MAX_PARALLEL} slots, progress at most every ${PROGRESS_MS} ms per thread with the first at once, each child thread lasting at least ${CHILD_MS} ms, no child deltas): ${MAX_PARALLEL} x (1 + ceil(w/${CHILD_MS}) + floor(w/${PROGRESS_MS})) = ${boundPD} per ${WINDOW_MS} ms (${perSecond(boundPD)}/s); sustained ${MAX_PARALLEL} x (1000/${PROGRESS_MS} + 1000/${CHILD_MS}) = ${sustainedPD}/s, i.e. maxParallel x 4/s plus each thread's immediate first progress. The root emits nothing during a spawn round (it streams deltas only in its own calls, before and after). Any-type bound adds ${LIFECYCLE_EVENTS} lifecycle events (thread.started, usage, thread.finished) per child thread in the window: ${boundAll} per ${WINDOW_MS} ms (${perSecond(boundAll)}/s). Neither bound depends on how many deltas a child streams.`,
        `Event rates (events/s, not ms; the table's "ms" rows show the same as mean gaps): peak in any ${WINDOW_MS} ms window, worst run: progress+delta ARC ${perSecond(arcPeakPD)} vs naive ${perSecond(naivePeakPD)} (bound ${perSecond(boundPD)}); any type ARC ${perSecond(arcPeakAll)} vs naive ${perSecond(naivePeakAll)} (bound ${perSecond(boundAll)}). Mean over the round: progress+delta ARC ${arcMeanPD.toFixed(1)} vs naive ${naiveMeanPD.toFixed(1)} (sustained bound ${sustainedPD}).`,
        `Memory: heap used after a forced GC (${how}) after each of ${wideRuns} runs of ${WIDE} children on one engine, scheduler and endpoint: ${heap.map(mib).join(', ')} MiB; growth from run ${from + 1} to run ${wideRuns} ${r2(growth)}x; least-squares slope from run ${from + 1} on ${r2(slope / 1024)} KiB per run (${Math.round(slope / callsPerRun)} bytes per model call, ${callsPerRun} calls a run). A slope that stays well above zero over many runs is a leak per call even when the ratio meets its goal. RSS: ${rss.map(mib).join(', ')} MiB (RSS includes memory V8 keeps after GC, so it is reported, not judged).`,
        'Goals whose unit is not ms (ratios, events/s) are printed with "ms" by the runner; the description of each goal gives its unit.',
      );
    } finally {
      await server.close();
    }
    return outcome;
  },
};

/** Least-squares slope of ys against 0, 1, 2…; 0 for fewer than two points. */
function slopePerRun(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

interface Rates {
  arcPeakPD: number;
  naivePeakPD: number;
  arcPeakAll: number;
  naivePeakAll: number;
  arcMeanPD: number;
  naiveMeanPD: number;
  arcMeanAll: number;
  naiveMeanAll: number;
}

/** Peak counts per window and mean rates (events/s) over the round, for ARC and for one event per streamed delta. */
function rates(r: RunOutcome): Rates {
  const streamed = r.streamed.filter((t) => t >= r.roundStart && t <= r.roundEnd);
  const naivePD = [...without(r.progressOrDelta, r.childProgress), ...streamed];
  const naiveAll = [...without(r.all, r.childProgress), ...streamed];
  const perS = (n: number) => (n * 1000) / Math.max(1, r.roundMs);
  return {
    arcPeakPD: peakInWindow(r.progressOrDelta, WINDOW_MS),
    naivePeakPD: peakInWindow(naivePD, WINDOW_MS),
    arcPeakAll: peakInWindow(r.all, WINDOW_MS),
    naivePeakAll: peakInWindow(naiveAll, WINDOW_MS),
    arcMeanPD: perS(r.progressOrDelta.length),
    naiveMeanPD: perS(naivePD.length),
    arcMeanAll: perS(r.all.length),
    naiveMeanAll: perS(naiveAll.length),
  };
}
