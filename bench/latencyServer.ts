// A loopback latency server for benchmarks: OpenAI-compatible streaming chat completions whose every
// chunk is due at an absolute time after the request arrived (arrival + duration × i / n), so timer
// lateness does not pile up over many small deltas and a "500 ms" reply really ends at 500 ms. It is
// not a model: a responder decides each reply from the request body. It logs what it served (arrival,
// the time of every content chunk, the end) so that a benchmark can compare what the client did with
// what the server sent, and it counts open requests.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LatencyReply {
  /** A label for the log ("child", "parent"…). */
  kind: string;
  /** Content pieces, one SSE chunk each. */
  pieces?: string[];
  /** Or one tool call, sent whole at the end. */
  toolCall?: { id: string; name: string; arguments: string };
  /** Milliseconds from arrival to the finish chunk; piece i of n is due at arrival + durationMs × i / n. */
  durationMs: number;
  usage: { prompt_tokens: number; completion_tokens: number };
}

export interface Served {
  kind: string;
  arrivedMs: number;
  /** When each content piece was handed to the socket. */
  chunkMs: number[];
  endMs?: number;
  /** The client went away before the reply ended. */
  aborted: boolean;
}

export interface LatencyServer {
  readonly url: string;
  /** Everything served since the last clear; the caller empties it between runs. */
  readonly served: Served[];
  readonly open: number;
  readonly peakOpen: number;
  resetPeak(): void;
  respond(fn: (body: any) => LatencyReply): void;
  close(): Promise<void>;
}

export async function startLatencyServer(clock: () => number): Promise<LatencyServer> {
  const served: Served[] = [];
  const sockets = new Set<Socket>();
  let responder: ((body: any) => LatencyReply) | undefined;
  let open = 0;
  let peak = 0;
  let counter = 0;

  const server = http.createServer((req, res) => {
    const arrived = clock();
    open++;
    peak = Math.max(peak, open);
    let closed = false;
    res.on('close', () => {
      closed = true;
      open--;
    });
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '/').replace(/\?.*$/, '').replace(/\/+$/, '');
        if (req.method !== 'POST' || !path.endsWith('/chat/completions') || !responder) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `latency server: nothing at ${req.method} ${path}`, type: 'invalid_request_error' } }));
          return;
        }
        let body: any;
        let reply: LatencyReply;
        try {
          body = JSON.parse(Buffer.concat(parts).toString('utf8'));
          reply = responder(body);
        } catch (e) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `latency server: ${e instanceof Error ? e.message : String(e)}`, type: 'server_error' } }));
          return;
        }
        const log: Served = { kind: reply.kind, arrivedMs: arrived, chunkMs: [], aborted: false };
        served.push(log);
        const id = `chatcmpl-latency-${++counter}`;
        const model = typeof body?.model === 'string' ? body.model : 'latency';
        const chunk = (delta: Record<string, unknown>, finish: string | null) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.flushHeaders();
        const pieces = reply.pieces ?? [];
        const n = Math.max(1, pieces.length);
        for (let i = 0; i < pieces.length; i++) {
          await until(arrived + (reply.durationMs * i) / n, clock);
          if (closed) return void (log.aborted = true);
          res.write(chunk(i === 0 ? { role: 'assistant', content: pieces[i] } : { content: pieces[i] }, null));
          log.chunkMs.push(clock());
        }
        await until(arrived + reply.durationMs, clock);
        if (closed) return void (log.aborted = true);
        let finish = 'stop';
        if (reply.toolCall) {
          const c = reply.toolCall;
          res.write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }] }, null));
          finish = 'tool_calls';
        }
        res.write(chunk({}, finish));
        if (body?.stream_options?.include_usage === true) {
          const u = { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens };
          res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: u })}\n\n`);
        }
        res.end('data: [DONE]\n\n');
        log.endMs = clock();
      })().catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    served,
    get open() {
      return open;
    },
    get peakOpen() {
      return peak;
    },
    resetPeak() {
      peak = open;
    },
    respond(fn) {
      responder = fn;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Sleeps until `clock()` reaches `due` (absolute), so that lateness of one timer is not carried into the next. */
function until(due: number, clock: () => number): Promise<void> {
  const wait = due - clock();
  if (wait <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, wait));
}
