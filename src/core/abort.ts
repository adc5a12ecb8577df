import { setMaxListeners } from 'node:events';

// Per-call cancellation without AbortSignal.any: Node 20 keeps a composite signal that has a listener
// (the openai SDK adds one and never removes it) alive until it aborts, so one per model call leaked
// a few KB each (found by bench/parallel). A plain controller fed by listeners that are removed when
// the call ends is collected normally.

export interface LinkedAbort {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Stops listening to the parents (and clears the timer); call when the work ends. */
  dispose(): void;
}

/** A signal that aborts when any parent aborts, when `abort()` is called, or after `timeoutMs`. */
export function linkedAbort(parents: ReadonlyArray<AbortSignal | undefined>, timeoutMs?: number): LinkedAbort {
  const ctl = new AbortController();
  allowManyListeners(ctl.signal);
  const live = parents.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => ctl.abort((event.target as AbortSignal).reason);
  let timer: NodeJS.Timeout | undefined;
  const dispose = () => {
    for (const s of live) s.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  for (const s of live) {
    if (s.aborted) {
      ctl.abort(s.reason);
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs !== undefined && !ctl.signal.aborted) {
    timer = setTimeout(() => ctl.abort(new DOMException('The operation timed out.', 'TimeoutError')), timeoutMs);
    timer.unref?.();
  }
  if (ctl.signal.aborted) dispose();
  else ctl.signal.addEventListener('abort', dispose, { once: true });
  return { signal: ctl.signal, abort: (reason?: unknown) => ctl.abort(reason), dispose };
}

/**
 * A run's signal legitimately has a listener per thread and per queued task (64 children is normal);
 * Node's warning at 11 would be noise on every such run.
 */
export function allowManyListeners(signal: AbortSignal): void {
  setMaxListeners(MAX_LISTENERS, signal);
}

const MAX_LISTENERS = 10_000;

/**
 * Settles with `p`, or rejects with `reason()` as soon as `signal` aborts — for work that does not
 * watch the signal itself (the SDK's retry-after sleep, a person deciding an approval). The abandoned
 * promise is caught so its later rejection is not unhandled.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal, reason: () => Error): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => undefined);
      reject(reason());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
