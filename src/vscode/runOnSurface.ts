// One run lifecycle for every editor surface (DESIGN §2: surfaces render, they do not run): Ask…,
// the sidebar, inline chat and `@arc` all go through runOnSurface, which prepares the request (the
// editor's edge: settings, models, keys), starts the engine, tracks the run for Cancel Run and the
// status bar, records the route for Why This Mode?, logs notices, turns a thrown error into a
// `run.failed` event, records cost and (when asked) keeps the answer rateable. The surface gets every
// event through `onEvent` and the outcome at the end; it only renders.
import type { Mode } from '../core/run/events';
import { RunTally } from '../core/run/costOfPass';
import type { KnownRunEvent } from '../core/run/events';
import type { RunRequest } from '../core/run/request';
import { prepareRun, recordRunCost, type RunSpec } from './runFactory';
import { editorRouter } from './routing';
import type { Services } from './services';
import { readSettings } from './settings';

export interface SurfaceHooks {
  /** Aborting it stops the run (the surface's Stop / Cancel); one is made when not given. */
  controller?: AbortController;
  /** No warning dialog when nothing is configured: the surface says so itself. */
  quiet?: boolean;
  /** The request is built and the run about to start (a surface opens its view here). */
  onStart?(run: { request: RunRequest; simulated: boolean; controller: AbortController }): void | Promise<void>;
  /** Every event of the run, in order, including a `run.failed` made from an error thrown mid-run. */
  onEvent?(event: KnownRunEvent): void;
  /** Keep a finished answer rateable (👍 / 👎 later) under this key in `services.rateable`. */
  rateKey?(runId: string): string;
}

export type SurfaceOutcome =
  | { status: 'not-run'; error?: string }
  | {
      status: 'finished' | 'failed' | 'cancelled';
      runId: string;
      request: RunRequest;
      simulated: boolean;
      /** The mode that ran (from the run's threads), if any did. */
      mode?: Mode;
      /** The final answer, or what streamed before the run stopped. */
      answer: string;
      error?: string;
      /** The terminal event. */
      last: KnownRunEvent | undefined;
    };

/** Only recent answers keep their 👍 / 👎: the session's memory stays bounded. */
export const MAX_RATEABLE = 50;

export async function runOnSurface(services: Services, spec: RunSpec, hooks: SurfaceHooks = {}): Promise<SurfaceOutcome> {
  let prepared;
  try {
    prepared = await prepareRun(services, spec, { quiet: hooks.quiet });
  } catch (e) {
    return { status: 'not-run', error: e instanceof Error ? e.message : String(e) };
  }
  if (!prepared) return { status: 'not-run' };
  const { engine, request, simulated } = prepared;
  const controller = hooks.controller ?? new AbortController();
  await hooks.onStart?.({ request, simulated, controller });
  services.activeRuns.add(controller);
  const tally = new RunTally();
  let runId = '';
  let last: KnownRunEvent | undefined;
  let streamed = '';
  let seq = 0;
  const on = (event: KnownRunEvent): void => {
    runId = event.runId;
    seq = event.seq + 1;
    last = event;
    tally.observe(event);
    if (event.type === 'thread.delta' && event.threadId === 'root' && event.data.text) streamed += event.data.text;
    if (event.type === 'run.routed') {
      services.lastRoute = { request, decision: event.data };
      services.log.info(`${spec.source} run ${runId}: ${event.data.mode} mode, ${event.data.intent} (${event.data.reason})`);
    } else if (event.type === 'thread.notice') {
      services.log.warn(`${spec.source} run ${runId}: ${event.data.message}`);
    }
    hooks.onEvent?.(event);
  };
  try {
    for await (const event of engine.run(request, controller.signal)) on(event);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    on({ v: 1, seq, t: Date.now(), runId: runId || 'unknown', threadId: 'root', type: 'run.failed', data: { error, partial: true, ...(streamed ? { answer: streamed } : {}) } } as KnownRunEvent);
  } finally {
    services.activeRuns.delete(controller);
  }
  await recordRunCost(services, runId, tally);
  const base = { runId, request, simulated, ...(tally.mode ? { mode: tally.mode } : {}), last };
  if (last?.type === 'run.finished') {
    if (hooks.rateKey && tally.mode && runId) rememberRateable(services, hooks.rateKey(runId), { runId, request, mode: tally.mode });
    services.log.info(`${spec.source} run ${runId} finished`);
    return { ...base, status: 'finished', answer: last.data.answer };
  }
  if (last?.type === 'run.cancelled') {
    services.log.info(`${spec.source} run ${runId} cancelled`);
    return { ...base, status: 'cancelled', answer: last.data.answer ?? streamed };
  }
  const error = last?.type === 'run.failed' ? last.data.error : 'The run ended without a result.';
  services.log.error(`${spec.source} run ${runId} failed: ${error}`);
  return { ...base, status: 'failed', answer: last?.type === 'run.failed' ? (last.data.answer ?? streamed) : streamed, error };
}

/** Keeps a finished run rateable under `key`; the oldest of the same kind (key scheme) go first. */
export function rememberRateable(services: Services, key: string, run: { runId: string; request: RunRequest; mode: Mode }): void {
  services.rateable.set(key, run);
  const kind = key.slice(0, key.indexOf(':') + 1);
  const same = [...services.rateable.keys()].filter((k) => k.startsWith(kind));
  for (const old of same.slice(0, Math.max(0, same.length - MAX_RATEABLE))) services.rateable.delete(old);
}

/**
 * What a person said about a finished run — a thumb, or an edit accepted or rejected — taught to the
 * router (for this kind of query) and settled for cost of pass (the first judgement only).
 */
export async function recordRunOutcome(services: Services, run: { runId: string; request: RunRequest; mode?: Mode }, outcome: { type: 'thumbs'; up: boolean } | { type: 'edit'; accepted: boolean }): Promise<void> {
  const { learning, ledger, modeCosts } = await services.learned();
  if (run.mode) {
    const { local } = editorRouter(learning, readSettings().settings, undefined, modeCosts);
    const bucket = local.bucketOf(run.request);
    await learning.record(outcome.type === 'thumbs' ? { type: 'thumbs', bucket, mode: run.mode, up: outcome.up } : { type: 'edit', bucket, mode: run.mode, accepted: outcome.accepted });
  }
  await ledger.recordOutcome(run.runId, outcome.type === 'thumbs' ? outcome.up : outcome.accepted);
}
