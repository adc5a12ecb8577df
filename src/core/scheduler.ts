// The bounded concurrent scheduler that spawned threads and SCALE steps share (DESIGN §2, §3.4).
// Concurrency is limited per endpoint and adapts: many local servers serve one request at a time and
// answer a crowd with 429s or dropped connections, so the limit halves when that happens and grows
// back one slot at a time after a run of clean completions.
import { cancelledError, isModelError } from './model/errors';

export interface SchedulerOptions {
  /** The most tasks in flight per endpoint (`arc.maxParallel`); a function follows a setting as it changes. */
  maxParallel: number | (() => number);
  /** Clean completions in a row before one slot is given back. */
  growAfter?: number;
}

/** What a running task can tell the scheduler about its endpoint. */
export interface Slot {
  readonly signal: AbortSignal;
  /** The endpoint pushed back (a 429, a refused or dropped connection), even if a retry then worked. */
  congestion(): void;
}

interface Lane {
  limit: number;
  active: number;
  cleanRun: number;
  queue: Array<{ start: () => Promise<void>; cancel: () => void }>;
}

export class AdaptiveScheduler {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxOf: () => number;
  private readonly growAfter: number;

  constructor(options: SchedulerOptions) {
    const m = options.maxParallel;
    this.maxOf = () => Math.max(1, Math.floor(typeof m === 'function' ? m() : m));
    this.growAfter = Math.max(1, options.growAfter ?? 4);
  }

  /** The current limit for an endpoint. */
  limitOf(key: string): number {
    const lane = this.lanes.get(key);
    return lane ? Math.min(lane.limit, this.maxOf()) : this.maxOf();
  }

  /** Tasks running now for an endpoint. */
  activeOf(key: string): number {
    return this.lanes.get(key)?.active ?? 0;
  }

  /**
   * Runs `task` when its endpoint has a free slot. A task whose signal aborts while queued never
   * starts and rejects with a cancellation; a started one gets the same signal to stop its requests.
   */
  run<T>(key: string, task: (slot: Slot) => Promise<T>, signal: AbortSignal): Promise<T> {
    const lane = this.lane(key);
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        reject(cancelledError());
        return;
      }
      let congested = false;
      const slot: Slot = {
        signal,
        congestion: () => {
          if (congested) return;
          congested = true;
          this.shrink(lane);
        },
      };
      const onAbort = () => {
        const i = lane.queue.indexOf(entry);
        if (i >= 0) {
          lane.queue.splice(i, 1);
          reject(cancelledError());
        }
      };
      const entry: { start: () => Promise<void>; cancel: () => void } = {
        start: async () => {
          signal.removeEventListener('abort', onAbort);
          lane.active++;
          let outcome: 'clean' | 'congested' | 'other' = 'clean';
          let value: T | undefined;
          let error: unknown;
          let failed = false;
          try {
            value = await task(slot);
          } catch (e) {
            failed = true;
            error = e;
            if (isModelError(e) && (e.kind === 'rate_limited' || e.kind === 'connection')) slot.congestion();
            else outcome = 'other';
          }
          // Book-keeping before the caller hears the outcome, so what it sees next is up to date.
          lane.active--;
          if (congested) outcome = 'congested';
          this.settle(lane, outcome);
          this.pump(lane);
          if (failed) reject(error);
          else resolve(value as T);
        },
        cancel: onAbort,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      lane.queue.push(entry);
      this.pump(lane);
    });
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { limit: this.maxOf(), active: 0, cleanRun: 0, queue: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private shrink(lane: Lane): void {
    lane.limit = Math.max(1, Math.floor(Math.min(lane.limit, this.maxOf()) / 2));
    lane.cleanRun = 0;
  }

  private settle(lane: Lane, outcome: 'clean' | 'congested' | 'other'): void {
    if (outcome !== 'clean') {
      if (outcome === 'congested') lane.cleanRun = 0;
      return;
    }
    lane.cleanRun++;
    if (lane.cleanRun >= this.growAfter && lane.limit < this.maxOf()) {
      lane.limit++;
      lane.cleanRun = 0;
    }
  }

  private pump(lane: Lane): void {
    while (lane.active < Math.min(lane.limit, this.maxOf()) && lane.queue.length > 0) void lane.queue.shift()!.start();
  }
}

/** The endpoint part of a model id (`endpointId/model`): the unit whose concurrency adapts. */
export function endpointKey(modelId: string): string {
  const slash = modelId.indexOf('/');
  return slash > 0 ? modelId.slice(0, slash) : modelId;
}
