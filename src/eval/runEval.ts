// Runs every eval item through every arm (e.g. baseline and policy) and aggregates the results.
//
// Fairness: runs are ordered item by item, all arms of an item next to each other, and the arm that goes
// first rotates from item to item, so that drift (a warming cache, a slowing server, a rate limit) falls
// on every arm alike. Runs share one small pool; its bound is the number of model calls in flight
// across arms, since arms usually share an endpoint.
import type { CheckResult, EvalItem } from './items';

export interface ArmResult {
  status: 'done' | 'failed' | 'cancelled';
  answer: string;
  tokens: number;
  criticalPathTokens: number;
  wallMs: number;
  error?: string;
}

export interface Arm {
  name: string;
  run(item: EvalItem, signal: AbortSignal): Promise<ArmResult>;
}

export interface RunEvalOptions {
  /** Runs in flight at once (default 1; at most MAX_CONCURRENCY). */
  concurrency?: number;
  /** Stops starting runs; runs in flight get the same signal. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** After cancellation, how long a run in flight may take to stop before it is recorded as cancelled (default 2000). */
  cancelGraceMs?: number;
}

export const MAX_CONCURRENCY = 64;

export interface EvalRow {
  id: string;
  arm: string;
  status: ArmResult['status'];
  /** True only for a finished run whose answer passed the item's check. */
  ok: boolean;
  reason?: string;
  tokens: number;
  criticalPathTokens: number;
  wallMs: number;
}

/** Aggregates over the arm's counted runs: done and failed ones (a failed run is a wrong answer). */
export interface ArmSummary {
  arm: string;
  n: number;
  correct: number;
  /** null when nothing was counted. */
  accuracy: number | null;
  failed: number;
  /** Runs cut short by cancellation; not counted in n or in any other aggregate. */
  cancelled: number;
  totalTokens: number;
  meanTokens: number | null;
  meanCriticalPathTokens: number | null;
  meanWallMs: number | null;
  /** Median; the mean of the two middle values when n is even. */
  p50WallMs: number | null;
}

export interface EvalReport {
  items: number;
  arms: string[];
  /** True when cancellation left runs unstarted or cut short (an arm's own 'cancelled' alone does not count). */
  cancelled: boolean;
  runsPlanned: number;
  runsFinished: number;
  summaries: ArmSummary[];
  /** In item order, then arm order; runs never started have no row. */
  rows: EvalRow[];
}

export async function runEval(items: readonly EvalItem[], arms: readonly Arm[], opts: RunEvalOptions = {}): Promise<EvalReport> {
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be an integer in 1-${MAX_CONCURRENCY}, got ${concurrency}`);
  }
  const names = arms.map((a) => a.name);
  if (new Set(names).size !== names.length) throw new Error(`arm names must be unique, got ${names.join(', ')}`);

  const tasks: { item: number; arm: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let k = 0; k < arms.length; k++) tasks.push({ item: i, arm: (i + k) % arms.length });
  }
  const grid: (EvalRow | undefined)[][] = items.map(() => new Array<EvalRow | undefined>(arms.length));
  const signal = opts.signal ?? new AbortController().signal;
  const grace = graceAfterAbort(signal, opts.cancelGraceMs ?? 2000);
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < tasks.length && !signal.aborted) {
      const task = tasks[next++]!;
      const item = items[task.item]!;
      const arm = arms[task.arm]!;
      grid[task.item]![task.arm] = toRow(item, arm.name, await runOne(item, arm, signal, grace.expired));
      done++;
      try {
        opts.onProgress?.(done, tasks.length);
      } catch {
        // A progress display that throws must not lose the runs already paid for.
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  } finally {
    grace.dispose();
  }

  const rows = grid.flatMap((r) => r.filter((x): x is EvalRow => x !== undefined));
  return {
    items: items.length,
    arms: names,
    cancelled: rows.length < tasks.length || (signal.aborted && rows.some((r) => r.status === 'cancelled')),
    runsPlanned: tasks.length,
    runsFinished: rows.length,
    summaries: names.map((name) => summarise(name, rows.filter((r) => r.arm === name))),
    rows,
  };
}

const LATE = Symbol('late');

/** Resolves `ms` after `signal` aborts, so that an arm ignoring its signal cannot hold the eval forever. */
function graceAfterAbort(signal: AbortSignal, ms: number): { expired: Promise<typeof LATE>; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => {};
  const expired = new Promise<typeof LATE>((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve(LATE), ms);
    };
  });
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    expired,
    dispose() {
      signal.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    },
  };
}

async function runOne(item: EvalItem, arm: Arm, signal: AbortSignal, late: Promise<typeof LATE>): Promise<ArmResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  // then() turns a synchronous throw into a rejection; the catch keeps a run that loses the race to
  // `late` from surfacing later as an unhandled rejection.
  const running = Promise.resolve().then(() => arm.run(item, signal));
  running.catch(() => {});
  try {
    const r = await Promise.race([running, late]);
    if (r === LATE) return blank('cancelled', elapsed(), 'did not stop after cancellation');
    return sanitise(r, elapsed());
  } catch (e) {
    return blank('failed', elapsed(), e instanceof Error ? e.message : String(e));
  }
}

function blank(status: ArmResult['status'], wallMs: number, error: string): ArmResult {
  return { status, answer: '', tokens: 0, criticalPathTokens: 0, wallMs, error };
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** Arms are ours but wrap model output; a malformed result is a failed run, not a crashed eval. */
function sanitise(r: unknown, measuredMs: number): ArmResult {
  const o = (typeof r === 'object' && r !== null ? r : {}) as Partial<Record<keyof ArmResult, unknown>>;
  if (o.status !== 'done' && o.status !== 'failed' && o.status !== 'cancelled') {
    return blank('failed', measuredMs, 'the arm returned a result without a valid status');
  }
  return {
    status: o.status,
    answer: typeof o.answer === 'string' ? o.answer : '',
    tokens: count(o.tokens),
    criticalPathTokens: count(o.criticalPathTokens),
    // The arm's own clock is preferred: it can leave out time spent queued behind other runs.
    wallMs: typeof o.wallMs === 'number' && Number.isFinite(o.wallMs) && o.wallMs >= 0 ? o.wallMs : measuredMs,
    ...(typeof o.error === 'string' ? { error: o.error } : {}),
  };
}

function toRow(item: EvalItem, arm: string, r: ArmResult): EvalRow {
  let verdict: CheckResult;
  if (r.status === 'done') {
    try {
      verdict = item.check(r.answer);
    } catch (e) {
      verdict = { ok: false, reason: `the check threw: ${e instanceof Error ? e.message : String(e)}` };
    }
  } else {
    verdict = { ok: false, reason: r.status === 'failed' ? `failed: ${r.error ?? 'no error given'}` : `cancelled${r.error ? `: ${r.error}` : ''}` };
  }
  return {
    id: item.id,
    arm,
    status: r.status,
    ok: verdict.ok,
    ...(verdict.ok ? {} : { reason: verdict.reason }),
    tokens: r.tokens,
    criticalPathTokens: r.criticalPathTokens,
    wallMs: r.wallMs,
  };
}

function summarise(arm: string, rows: readonly EvalRow[]): ArmSummary {
  const counted = rows.filter((r) => r.status !== 'cancelled');
  const n = counted.length;
  const sum = (f: (r: EvalRow) => number): number => counted.reduce((s, r) => s + f(r), 0);
  const mean = (f: (r: EvalRow) => number): number | null => (n === 0 ? null : sum(f) / n);
  const correct = counted.filter((r) => r.ok).length;
  return {
    arm,
    n,
    correct,
    accuracy: n === 0 ? null : correct / n,
    failed: counted.filter((r) => r.status === 'failed').length,
    cancelled: rows.length - n,
    totalTokens: sum((r) => r.tokens),
    meanTokens: mean((r) => r.tokens),
    meanCriticalPathTokens: mean((r) => r.criticalPathTokens),
    meanWallMs: mean((r) => r.wallMs),
    p50WallMs: median(counted.map((r) => r.wallMs)),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
