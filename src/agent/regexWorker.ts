// A regular expression from the model runs off the main thread, with a time limit (DESIGN §5): a
// pattern that backtracks catastrophically (ripgrep refuses look-around and back-references, so they
// come here) must not freeze `arc` or the extension host. The worker is terminated on timeout or
// cancellation; JavaScript cannot interrupt a running regex any other way.
import { Worker } from 'node:worker_threads';

export const DEFAULT_REGEX_TIME_LIMIT_MS = 10_000;

export interface LineMatchRequest {
  /** Absolute file paths, searched in this order. */
  files: string[];
  source: string;
  flags: string;
  /** Stop after this many matches (one more is reported so the caller knows there were more). */
  limit: number;
  maxFileBytes: number;
  maxLineChars: number;
}

export interface LineMatch {
  /** Index into `files`. */
  file: number;
  line: number;
  text: string;
}

export class RegexTimeout extends Error {
  override readonly name = 'RegexTimeout';
}

// Self-contained: runs in a worker from source, so it may use only Node built-ins.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { files, source, flags, limit, maxFileBytes, maxLineChars } = workerData;
const re = new RegExp(source, flags);
const whole = source.includes('(?<') ? null : new RegExp(source, flags + 'm');
const out = [];
outer: for (let f = 0; f < files.length; f++) {
  let buf;
  try {
    const fd = fs.openSync(files[f], 'r');
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size > maxFileBytes || st.nlink > 1) continue;
      buf = fs.readFileSync(fd);
    } finally { fs.closeSync(fd); }
  } catch { continue; }
  if (buf.length === 0 || buf.includes(0)) continue;
  const text = buf.toString('utf8');
  if (whole && !whole.test(text)) continue;
  const lines = text.split('\\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\\r') ? lines[i].slice(0, -1) : lines[i];
    if (re.test(line)) {
      out.push({ file: f, line: i + 1, text: line.length > maxLineChars ? line.slice(0, maxLineChars) + '…' : line });
      if (out.length > limit) break outer;
    }
  }
}
parentPort.postMessage(out);
`;

/** The matching lines of `files`, computed in a worker that is ended after `timeoutMs` or on abort. */
export function matchLinesInWorker(req: LineMatchRequest, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LineMatch[]> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REGEX_TIME_LIMIT_MS;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return resolve([]);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: req });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new RegexTimeout(`the regular expression ran for more than ${Math.round(timeoutMs / 1000)} s and was stopped (it probably backtracks catastrophically); use a simpler pattern or a literal string`))),
      timeoutMs,
    );
    const onAbort = () => settle(() => resolve([]));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: LineMatch[]) => settle(() => resolve(m)));
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => (code === 0 ? resolve([]) : reject(new Error(`the search worker stopped (exit ${code})`)))));
  });
}
