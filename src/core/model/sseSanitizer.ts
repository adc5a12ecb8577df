// The openai SDK throws on the first SSE event whose data is not JSON, ending the whole answer.
// A malformed chunk should cost one chunk, not the answer: this fetch wrapper re-frames the event
// stream with a real SSE parser and drops (and reports) events that are neither JSON nor [DONE].

import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function sanitizingFetch(onMalformed: (data: string) => void, base: FetchLike = fetch): FetchLike {
  return async (input, init) => {
    const res = await base(input, init);
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !res.body || !type.includes('text/event-stream')) return res;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const body = res.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(dropMalformedEvents(onMalformed))
      .pipeThrough(new TextEncoderStream());
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

function dropMalformedEvents(onMalformed: (data: string) => void): TransformStream<string, string> {
  let parser: ReturnType<typeof createParser>;
  return new TransformStream<string, string>({
    start(controller) {
      parser = createParser({
        onEvent(ev) {
          if (ev.data === '[DONE]' || isJson(ev.data)) controller.enqueue(frame(ev));
          else onMalformed(ev.data);
        },
      });
    },
    transform(chunk) {
      parser.feed(chunk);
    },
  });
}

function isJson(data: string): boolean {
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}

function frame(ev: EventSourceMessage): string {
  const event = ev.event ? `event: ${ev.event}\n` : '';
  return event + ev.data.split('\n').map((line) => `data: ${line}\n`).join('') + '\n';
}
