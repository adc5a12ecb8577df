// The bounded scheduler SCALE runs its calls through. The engine hands SCALE the shared scheduler
// (DESIGN §2, §3.4) through this interface; `simplePool` is a plain bounded FIFO until then.

export interface TaskPool {
  /**
   * Runs `fn` when a slot is free. A task still queued when `signal` aborts never starts: its promise
   * rejects with the abort reason. A started task gets `signal` and must honour it.
   */
  run<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T>;
}

export interface SimplePool extends TaskPool {
  readonly active: number;
  readonly queued: number;
}

/** The error a task gets when it is cancelled before it starts. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** At most `limit` tasks at once (at least 1), first come first served. */
export function simplePool(limit: number): SimplePool {
  const max = Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
  let active = 0;
  const queue: Array<() => void> = [];

  const next = () => {
    while (active < max && queue.length > 0) queue.shift()!();
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
    run<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (signal.aborted) {
          reject(abortError(signal));
          return;
        }
        const start = () => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) {
            reject(abortError(signal));
            return;
          }
          active++;
          let p: Promise<T>;
          try {
            p = fn(signal);
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(resolve, reject).finally(() => {
            active--;
            next();
          });
        };
        const onAbort = () => {
          const i = queue.indexOf(start);
          if (i >= 0) {
            queue.splice(i, 1);
            reject(abortError(signal));
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(start);
        next();
      });
    },
  };
}
