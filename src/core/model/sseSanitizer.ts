// The openai SDK throws on the first SSE event whose data is not JSON, ending the whole answer.
// A malformed chunk should cost one chunk, not the answer: this fetch wrapper re-frames the event
// stream with a real SSE parser and drops (and reports) events that are neither JSON nor [DONE].
// It also sees what the SDK hides: whether `[DONE]` came (a clean end even without a finish
// reason), and an error event's own body (the SDK throws on it, dropping the usage it carries).

import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface StreamHooks {
  /** An event that is neither JSON nor [DONE]: dropped. */
  malformed(data: string): void;
  /** An `event: error`, or a chunk carrying an `error` object: its parsed body. */
  error?(body: unknown): void;
  /** The server sent `data: [DONE]`. */
  done?(): void;
}

export function sanitizingFetch(hooks: StreamHooks, base: FetchLike = fetch): FetchLike {
  return async (input, init) => {
    const res = await base(input, init);
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !res.body || !type.includes('text/event-stream')) return res;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const body = res.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(dropMalformedEvents(hooks))
      .pipeThrough(new TextEncoderStream());
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

function dropMalformedEvents(hooks: StreamHooks): TransformStream<string, string> {
  let parser: ReturnType<typeof createParser>;
  return new TransformStream<string, string>({
    start(controller) {
      parser = createParser({
        onEvent(ev) {
          if (ev.data === '[DONE]') {
            hooks.done?.();
            controller.enqueue(frame(ev));
            return;
          }
          const body = parseJson(ev.data);
          if (ev.event === 'error') {
            // The SDK throws only when the body has an `error` field, and drops a body that is not
            // JSON as malformed: either way the error would pass as a quiet, cut stream. Wrap it.
            const error = isObject(body) && 'error' in body ? body : { error: isObject(body) ? body : { message: ev.data.slice(0, 500) } };
            hooks.error?.(body ?? error);
            controller.enqueue(frame({ ...ev, data: JSON.stringify(error) }));
            return;
          }
          if (body === undefined) {
            hooks.malformed(ev.data);
            return;
          }
          if (isObject(body) && body.error) hooks.error?.(body);
          controller.enqueue(frame(ev));
        },
      });
    },
    transform(chunk) {
      parser.feed(chunk);
    },
  });
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function frame(ev: EventSourceMessage): string {
  const event = ev.event ? `event: ${ev.event}\n` : '';
  return event + ev.data.split('\n').map((line) => `data: ${line}\n`).join('') + '\n';
}
