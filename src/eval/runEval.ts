// Runs every item through every arm and writes one row per item × arm as each run finishes.
//
// Fairness: runs are ordered item by item, all arms of an item next to each other, and the arm that
// goes first rotates from item to item, so that drift (a warming cache, a slowing server, a rate
// limit) falls on every arm alike. Runs are admitted through the shared scheduler (core/scheduler, a
// lane of its own, so the runs' spawned threads never wait behind their parents): at most
// `concurrency` in flight, halved when the endpoint pushes back. `--max-cost` stops starting runs
// once the next ones would pass the cap; `--resume` skips the item × arm pairs already in the file.
import { AdaptiveScheduler } from '../core/scheduler';
import type { ArmSpec } from './arms';
import type { CheckContext, CheckResult } from './checks';
import type { EvalItem } from './items';
import type { ResultRow } from './results';

/** What one arm's run of one item produced, before the check. */
export interface RunOutcome {
  status: 'done' | 'failed' | 'cancelled';
  answer: string;
  usage: { prompt: number; completion: number; reasoning: number };
  /** USD; null when a call had no known price. */
  cost: number | null;
  ms: number;
  mode?: ResultRow['mode'];
  threads?: number;
  criticalPathTokens?: number;
  calls?: number;
  cutCalls?: number;
  budget?: number;
  error?: string;
  /** The throwaway workspace copy the run worked on (agentic items): the command check runs there. */
  workspace?: string;
  /** Removes the copy; called after the check. */
  cleanup?: () => Promise<void>;
  /** Told the check's verdict (`--learn`). */
  onVerdict?: (correct: boolean) => Promise<void>;
}

export type ArmRunner = (item: EvalItem, arm: ArmSpec, signal: AbortSignal) => Promise<RunOutcome>;

export interface RunEvalOptions {
  run: ArmRunner;
  /** Runs in flight at once (default 1; at most MAX_CONCURRENCY). */
  concurrency?: number;
  signal?: AbortSignal;
  /** `id\0arm` keys already done (from results.jsonl): not run again. */
  skip?: ReadonlySet<string>;
  /** Told each row as it is made (write it, show progress). Awaited before the next row is told. */
  onRow?: (row: ResultRow) => Promise<void> | void;
  /** USD: no run is started that would, at the mean cost of a run so far, take the spend past this. */
  maxCost?: number;
  /** Spend already in the file (resume). */
  spentBefore?: number;
  /** For command checks: run a command in the sandbox on the run's copy. */
  runCommand?: CheckContext['runCommand'];
  /** The shared scheduler; a private one is made when absent. */
  scheduler?: AdaptiveScheduler;
  /** After this many failed runs in a row with none done, the endpoint is taken to be down (default 6). */
  giveUpAfter?: number;
}

export const MAX_CONCURRENCY = 64;
export const EVAL_LANE = 'eval-runs';
export const rowKey = (id: string, arm: string): string => `${id}\u0000${arm}`;

export interface EvalOutcome {
  rows: ResultRow[];
  planned: number;
  skipped: number;
  stoppedBy?: 'max-cost' | 'cancelled' | 'endpoint';
  spent: number;
}

export async function runEval(items: readonly EvalItem[], arms: readonly ArmSpec[], opts: RunEvalOptions): Promise<EvalOutcome> {
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be an integer in 1-${MAX_CONCURRENCY}, got ${concurrency}`);
  }
  const names = arms.map((a) => a.name);
  if (new Set(names).size !== names.length) throw new Error(`arm names must be unique, got ${names.join(', ')}`);
  const scheduler = opts.scheduler ?? new AdaptiveScheduler({ maxParallel: concurrency });
  const signal = opts.signal ?? new AbortController().signal;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort();

  const tasks: { item: EvalItem; arm: ArmSpec }[] = [];
  let skipped = 0;
  for (let i = 0; i < items.length; i++) {
    for (let k = 0; k < arms.length; k++) {
      const arm = arms[(i + k) % arms.length]!;
      if (opts.skip?.has(rowKey(items[i]!.id, arm.name))) skipped++;
      else tasks.push({ item: items[i]!, arm });
    }
  }
  const rows: ResultRow[] = [];
  let spent = opts.spentBefore ?? 0;
  let priced = 0;
  let inFlight = 0;
  let failedRun = 0;
  let anyDone = false;
  let stoppedBy: EvalOutcome['stoppedBy'];
  let next = 0;
  let told: Promise<void> = Promise.resolve();

  const mayStart = (): boolean => {
    if (opts.maxCost === undefined) return true;
    if (spent >= opts.maxCost) return false;
    if (priced === 0) return true;
    const mean = (spent - (opts.spentBefore ?? 0)) / priced;
    return spent + (inFlight + 1) * mean <= opts.maxCost + 1e-12;
  };

  const worker = async (): Promise<void> => {
    while (next < tasks.length && !stop.signal.aborted) {
      if (!mayStart()) {
        stoppedBy ??= 'max-cost';
        stop.abort();
        return;
      }
      const task = tasks[next++]!;
      inFlight++;
      let row: ResultRow | undefined;
      try {
        row = await scheduler.run(EVAL_LANE, () => runOne(task.item, task.arm, opts, stop.signal), stop.signal);
      } catch {
        row = undefined; // cancelled while queued
      } finally {
        inFlight--;
      }
      if (!row) continue;
      rows.push(row);
      if (row.cost !== null) {
        spent += row.cost;
        priced++;
      }
      if (row.error === undefined) {
        anyDone = true;
        failedRun = 0;
      } else if (!anyDone && ++failedRun >= (opts.giveUpAfter ?? 6)) {
        stoppedBy ??= 'endpoint';
        stop.abort();
      }
      const r = row;
      told = told.then(async () => {
        try {
          await opts.onRow?.(r);
        } catch {
          // A display that throws must not lose the runs already paid for.
        }
      });
      await told;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
    await told;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) stoppedBy = 'cancelled';
  return { rows, planned: items.length * arms.length, skipped, ...(stoppedBy ? { stoppedBy } : {}), spent };
}

/** One run and its check; undefined when it was cancelled (a cancelled run is not a result: resume runs it again). */
async function runOne(item: EvalItem, arm: ArmSpec, opts: RunEvalOptions, signal: AbortSignal): Promise<ResultRow | undefined> {
  const started = performance.now();
  let out: RunOutcome;
  try {
    out = await opts.run(item, arm, signal);
  } catch (e) {
    out = { status: 'failed', answer: '', usage: { prompt: 0, completion: 0, reasoning: 0 }, cost: 0, ms: performance.now() - started, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    if (out.status === 'cancelled' || signal.aborted) return undefined;
    let verdict: CheckResult;
    if (out.status === 'done') {
      try {
        verdict = await item.check(out.answer, { ...(out.workspace ? { workspace: out.workspace } : {}), ...(opts.runCommand ? { runCommand: opts.runCommand } : {}), signal });
      } catch (e) {
        verdict = { ok: false, reason: `the check threw: ${e instanceof Error ? e.message : String(e)}` };
      }
    } else {
      verdict = { ok: false, reason: `failed: ${out.error ?? 'no error given'}` };
    }
    if (signal.aborted && !verdict.ok && item.workspace) return undefined;
    if (out.status === 'done') await out.onVerdict?.(verdict.ok).catch(() => undefined);
    return {
      id: item.id,
      arm: arm.name,
      answer: out.answer,
      correct: verdict.ok,
      usage: out.usage,
      cost: out.cost,
      ms: Math.round(out.ms),
      ...(out.mode ? { mode: out.mode } : {}),
      ...(out.threads !== undefined ? { threads: out.threads } : {}),
      ...(out.status === 'failed' ? { error: out.error ?? 'the run failed' } : {}),
      ...(item.kind ? { kind: item.kind } : {}),
      ...(verdict.ok ? {} : { reason: verdict.reason }),
      ...(out.criticalPathTokens !== undefined ? { criticalPathTokens: out.criticalPathTokens } : {}),
      ...(out.calls !== undefined ? { calls: out.calls } : {}),
      ...(out.cutCalls !== undefined ? { cutCalls: out.cutCalls } : {}),
      ...(out.budget !== undefined ? { budget: out.budget } : {}),
    };
  } finally {
    await out.cleanup?.().catch(() => undefined);
  }
}
