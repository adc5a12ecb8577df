// `arc eval` (DESIGN §6.1, §6.6): every arm on the same verified items against the endpoint (or ARC's
// simulator, in-process), results streamed to DIR/results.jsonl, DIR/summary.json and a
// self-contained DIR/report.html; a progress line on stderr; the summary on stdout.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { NodeCommandRunner } from '../agent';
import { CapabilityMemory } from '../core/model/capabilityMemory';
import { OpenAIEndpoint } from '../core/model/openaiProvider';
import type { ChatModel } from '../core/model/types';
import { pricesSchema } from '../core/config/settings';
import { CostOfPassLedger } from '../core/run/costOfPass';
import { priceFor, type PriceTable } from '../core/run/ledger';
import type { RouteDecision, Router } from '../core/run/seams';
import { AdaptiveScheduler } from '../core/scheduler';
import type { Store } from '../core/store/store';
import { EffortCalibration } from '../effort/calibration';
import { EffortEstimates } from '../effort/estimator';
import { LengthPredictor } from '../effort/predictor';
import { Engine } from '../engine/engine';
import type { AgentEnvironment } from '../engine/threadTypes';
import { commandCheckRunner, engineArmRunner, type EngineArmOptions } from '../eval/engineArm';
import { evaluate, EvalSetupError, rerenderReport } from '../eval/evaluate';
import type { Fetcher } from '../eval/gsm8k';
import { OverlayStore } from '../eval/overlayStore';
import { terminalProgress } from '../eval/progress';
import { formatSummary } from '../eval/report';
import { REPORT_FILE, RESULTS_FILE, SUMMARY_FILE } from '../eval/results';
import { SIM_PRICES, simQuestion, simTasks, simulatedMs, type SimTaskSpec } from '../eval/simulated';
import { EvalTaskError, loadTask } from '../eval/tasks';
import { ModeCosts } from '../router/modeCosts';
import { LearnedRouter } from '../router/learnedRouter';
import { RouterLearning } from '../router/learning';
import type { EvalArgs, EvalReportArgs } from './args';
import { UsageError } from './args';

/** The §8 simulator's module (dist/evalSimulator.js, or bench/sim/simulator in tests). */
export interface SimulatorModule {
  startSimulator(opts: { seed?: number; speed?: number; tasks?: SimTaskSpec[] }): Promise<{ url: string; close(): Promise<void> }>;
}

export interface EvalCliEnv {
  arcHome: string;
  store: Store;
  signal: AbortSignal;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Where the bundles live (dist/): evalSimulator.js and evalReport.js. */
  distDir: string;
  simulator?: SimulatorModule;
  fetch?: Fetcher;
  /** ARC_PRICES as given (JSON, or a path to a file holding it). */
  pricesEnv?: string;
  /** ARC_ROUTER_LEARNING=off */
  routerLearning?: boolean;
}

export type EvalExit = 'ok' | 'failed' | 'cancelled';

/** ARC_PRICES: the JSON of arc.prices, or a path to a file holding it (DESIGN §6.1). */
export function parsePricesEnv(raw: string | undefined): PriceTable {
  if (raw === undefined || raw.trim() === '') return {};
  let text = raw;
  if (!raw.trim().startsWith('{')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch (e) {
      throw new UsageError(`ARC_PRICES is neither JSON nor a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`ARC_PRICES is not valid JSON (${(e as Error).message}).`);
  }
  const parsed = pricesSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`ARC_PRICES: ${parsed.error.issues[0]?.message ?? 'invalid'} (expected {"model": {"input": USD per 1M, "output": USD per 1M}}).`);
  return parsed.data;
}

function loadReportScript(distDir: string): string | undefined {
  const file = path.join(distDir, 'evalReport.js');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Whether the endpoint is ARC's simulator (its /models says so); a quick look, never a model call. */
async function looksSimulated(baseUrl: string, signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
    if (!res.ok) return false;
    const body = z.object({ data: z.array(z.object({ owned_by: z.string().optional() })) }).safeParse(await res.json());
    return body.success && body.data.data.length > 0 && body.data.data.every((m) => m.owned_by === 'arc-simulator');
  } catch {
    return false;
  }
}

/** The router an eval routes with: the learned one, without exploration and without observing (arms must not teach each other). */
function evalRouter(learned: LearnedRouter): Router {
  return { route: (req): RouteDecision => learned.preview(req) };
}

export async function runEvalReport(args: EvalReportArgs, env: Pick<EvalCliEnv, 'out' | 'err' | 'distDir'>): Promise<EvalExit> {
  try {
    const r = await rerenderReport(args.dir, loadReportScript(env.distDir));
    env.out.write(args.json ? `${JSON.stringify(r.summary)}\n` : `${formatSummary(r.summary)}\n\nWrote ${path.join(r.dir, SUMMARY_FILE)} and ${path.join(r.dir, REPORT_FILE)}\n`);
    return 'ok';
  } catch (e) {
    if (e instanceof EvalSetupError) throw new UsageError(e.message);
    throw e;
  }
}

export async function runEvalCli(args: EvalArgs, env: EvalCliEnv): Promise<EvalExit> {
  let loaded;
  try {
    loaded = await loadTask(args.task, { n: args.n, seed: args.seed, arcHome: env.arcHome, ...(env.fetch ? { fetch: env.fetch } : {}), signal: env.signal });
  } catch (e) {
    if (e instanceof EvalTaskError) throw new UsageError(e.message);
    throw e;
  }
  const items = loaded.items;
  let prices = parsePricesEnv(env.pricesEnv);
  let sim: Awaited<ReturnType<SimulatorModule['startSimulator']>> | undefined;
  let baseUrl = args.baseUrl;
  let modelLabel = args.model;
  let simulated = false;
  if (args.simulator) {
    let mod = env.simulator;
    if (!mod) {
      const file = path.join(env.distDir, 'evalSimulator.js');
      try {
        mod = require(file) as SimulatorModule;
      } catch (e) {
        throw new UsageError(`--simulator needs ${file} (${(e as Error).message}); run "npm run build" first.`);
      }
    }
    // No pacing: delays divided away; latency in the report is the simulated time.
    sim = await mod.startSimulator({ seed: args.seed, speed: Number.POSITIVE_INFINITY, tasks: simTasks(items) });
    baseUrl = sim.url;
    modelLabel = 'ARC simulator (sim-instant / sim-reasoning / sim-agentic)';
    simulated = true;
    prices = { ...SIM_PRICES, ...prices };
  } else {
    simulated = await looksSimulated(baseUrl, env.signal);
  }
  try {
    const endpoint = new OpenAIEndpoint({ id: 'cli', baseUrl, apiKey: args.apiKey, timeoutSeconds: args.timeoutSeconds, memory: await CapabilityMemory.load(env.store) });
    const roleModels = new Map<string, ChatModel>();
    const modelFor = (role: string): ChatModel => {
      const name = args.simulator ? `sim-${role}` : args.model;
      let m = roleModels.get(name);
      if (!m) roleModels.set(name, (m = endpoint.model(name)));
      return m;
    };
    if (args.maxCost !== undefined) {
      const unpriced = (args.simulator ? ['sim-instant', 'sim-reasoning', 'sim-agentic'] : [args.model]).filter((m) => !priceFor(m, prices));
      if (unpriced.length) throw new UsageError(`--max-cost needs a price for ${unpriced.join(', ')}: set ARC_PRICES, e.g. '{"${unpriced[0]}": {"input": 0.5, "output": 1.5}}' (USD per million tokens).`);
    }
    const overlay = new OverlayStore(env.store);
    const learning = await RouterLearning.load(env.store, env.routerLearning !== false);
    // The user's learned mode costs price the router's choice as in `arc ask`; the eval router only
    // routes (it records nothing), so arms never teach it.
    const costContext = { models: { instant: modelFor('instant').id, reasoning: modelFor('reasoning').id, agentic: modelFor('agentic').id }, prices };
    const learned = new LearnedRouter(learning, () => ({ effort: args.effort }), Math.random, { costs: await ModeCosts.load(env.store), context: () => costContext });
    const router = evalRouter(learned);
    const estimates = await EffortEstimates.load(overlay);
    const calibration = await EffortCalibration.load(overlay);
    const predictor = await LengthPredictor.load(overlay);
    const scheduler = new AdaptiveScheduler({ maxParallel: args.maxParallel });
    const runner = new NodeCommandRunner({ stripEnv: [args.apiKeyEnv], sandbox: args.sandbox, network: args.commandNetwork, maskAlso: [env.arcHome] });
    const engineFor = (agent?: AgentEnvironment): Engine =>
      new Engine({ models: { forRole: modelFor }, prices, router, estimates, predictor, calibration, scheduler, maxDepth: args.maxDepth, ...(agent ? { agent: () => agent } : {}) });
    const ledger = args.learn ? await CostOfPassLedger.load(env.store) : undefined;
    const learn: EngineArmOptions['learn'] = args.learn
      ? async ({ runId, request, mode, cost, correct }) => {
          await ledger!.recordRun(runId, mode, cost);
          await ledger!.recordOutcome(runId, correct);
          // Only runs at the base effort teach the router: an effort sweep's cut runs say nothing about the mode.
          if (request.effort === args.effort) await learning.record({ type: 'thumbs', bucket: learned.bucketOf(request), mode, up: correct });
        }
      : undefined;
    if (items.some((i) => i.workspace)) env.err.write(`arc eval: agentic items run on throwaway copies; commands are ${runner.isolation.description}.\n`);
    const run = engineArmRunner({
      engineFor,
      base: { mode: args.mode, effort: args.effort, scale: args.scale, spawn: args.spawn, maxChildren: args.maxChildren },
      runner,
      commandPolicy: { allowedCommands: args.allowCommands, deniedCommands: args.denyCommands },
      ...(args.simulator ? { questionFor: simQuestion, simulatedMs } : {}),
      ...(learn ? { learn } : {}),
    });
    env.err.write(`arc eval: ${items.length} item(s) of ${args.task} × ${args.arms.length} arm(s) (${args.arms.map((a) => a.name).join(', ')}) on ${modelLabel}${simulated ? ' — SIMULATED' : ''}; results in ${path.resolve(args.out)}\n`);
    let progress: ReturnType<typeof terminalProgress> | undefined;
    let result;
    try {
      result = await evaluate({
        task: args.task,
        items,
        model: modelLabel,
        simulated,
        arms: args.arms,
        base: { mode: args.mode, effort: args.effort, scale: args.scale, spawn: args.spawn },
        out: args.out,
        resume: args.resume,
        n: args.n,
        seed: args.seed,
        concurrency: args.concurrency,
        ...(args.maxCost !== undefined ? { maxCost: args.maxCost } : {}),
        ...(args.simulator ? {} : { baseUrl: safeUrl(baseUrl) }),
        learn: args.learn,
        ...(loaded.licence ? { licence: loaded.licence } : {}),
        run,
        runCommand: commandCheckRunner(runner),
        scheduler,
        signal: env.signal,
        onStart: (planned, already) => {
          if (already > 0) env.err.write(`arc eval: resuming: ${already} of ${planned} runs are already in ${RESULTS_FILE}.\n`);
          progress = terminalProgress(env.err, args.arms.map((a) => a.name), planned, already);
        },
        onRow: (row) => progress?.row(row),
        ...(loadReportScript(env.distDir) ? { reportScript: loadReportScript(env.distDir)! } : {}),
      });
    } catch (e) {
      if (e instanceof EvalSetupError) throw new UsageError(e.message);
      throw e;
    } finally {
      progress?.done();
    }
    const s = result.summary;
    env.out.write(args.json ? `${JSON.stringify(s)}\n` : `${formatSummary(s)}\n\nWrote ${path.join(result.dir, RESULTS_FILE)}, ${SUMMARY_FILE} and ${REPORT_FILE}\n`);
    if (s.stoppedBy === 'cancelled') return 'cancelled';
    if (s.stoppedBy === 'endpoint' || (result.rows.length > 0 && result.rows.every((r) => r.error !== undefined))) return 'failed';
    return 'ok';
  } finally {
    await sim?.close();
  }
}

/** The endpoint for the report, without credentials or query (the URL may hold a token). */
function safeUrl(u: string): string {
  try {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'unknown';
  }
}
