// Fewer, larger messages: consecutive text deltas of a thread merge into one, and a thread's progress
// keeps only its latest count. Used by the extension before it posts a batch to the webview, and to
// keep a run's events small enough for history. Order within each thread is preserved; nothing but
// deltas and progress is ever merged or dropped.
import { MAX_THREAD_TEXT } from './runTree';

interface Envelope {
  type: string;
  threadId: string;
  data: unknown;
  seq?: number;
  t?: number;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function asEnvelope(x: unknown): Envelope | undefined {
  return isObj(x) && typeof x.type === 'string' && typeof x.threadId === 'string' ? (x as unknown as Envelope) : undefined;
}

export function coalesceEvents<T>(events: readonly T[]): T[] {
  const out: T[] = [];
  /** Index in `out` of each thread's latest event. */
  const last = new Map<string, number>();
  for (const ev of events) {
    const e = asEnvelope(ev);
    if (!e) {
      out.push(ev);
      continue;
    }
    const prevIndex = last.get(e.threadId);
    const prev = prevIndex === undefined ? undefined : asEnvelope(out[prevIndex]);
    if (prev && prev.type === e.type && (e.type === 'thread.delta' || e.type === 'thread.progress') && isObj(prev.data) && isObj(e.data)) {
      let data: Record<string, unknown>;
      if (e.type === 'thread.delta') {
        const a = prev.data as { text?: string; reasoning?: string };
        const b = e.data as { text?: string; reasoning?: string };
        data = {};
        const text = (a.text ?? '') + (b.text ?? '');
        const reasoning = (a.reasoning ?? '') + (b.reasoning ?? '');
        if (text) data.text = text;
        if (reasoning) data.reasoning = reasoning;
      } else {
        data = e.data;
      }
      out[prevIndex!] = { ...(out[prevIndex!] as object), seq: e.seq, t: e.t, data } as T;
      continue;
    }
    last.set(e.threadId, out.length);
    out.push(ev);
  }
  return out;
}

/**
 * A run's events for history: coalesced, with each thread's text cut to the tail a view shows (the
 * root's answer and reasoning are kept up to `maxRootChars`), and at most `maxEvents` events (the
 * terminal event is always kept).
 */
export function compactForHistory<T>(events: readonly T[], opts: { maxEvents?: number; maxRootChars?: number } = {}): T[] {
  const maxEvents = opts.maxEvents ?? 3000;
  const maxRoot = opts.maxRootChars ?? 60_000;
  const merged = coalesceEvents(events).map((ev) => {
    const e = asEnvelope(ev);
    if (!e || e.type !== 'thread.delta' || !isObj(e.data)) return ev;
    const d = e.data as { text?: string; reasoning?: string };
    const cap = e.threadId === 'root' ? maxRoot : MAX_THREAD_TEXT;
    const data: Record<string, string> = {};
    if (d.text) data.text = d.text.length > cap ? d.text.slice(e.threadId === 'root' ? 0 : -cap, e.threadId === 'root' ? cap : undefined) : d.text;
    // Children's reasoning is never shown; the root's is kept (bounded).
    if (d.reasoning && e.threadId === 'root') data.reasoning = d.reasoning.slice(0, cap);
    return { ...(ev as object), data } as T;
  });
  if (merged.length <= maxEvents) return merged;
  const tail = merged.at(-1)!;
  return [...merged.slice(0, maxEvents - 1), tail];
}
