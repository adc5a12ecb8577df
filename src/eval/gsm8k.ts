// GSM8K (the public test set of openai/grade-school-math, MIT-licensed): downloaded on first use,
// checked against its published size and SHA-256, cached under $ARC_HOME. Nothing is trusted that
// does not match: a mismatch or no network is a clear error that names the URL and the way round it
// (`--task FILE` with a copy in the same format).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export const GSM8K = Object.freeze({
  url: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
  bytes: 749_738,
  lines: 1319,
  sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
  licence: 'MIT (openai/grade-school-math, Copyright (c) 2021 OpenAI)',
  source: 'https://github.com/openai/grade-school-math',
});

export class Gsm8kError extends Error {}

export type Fetcher = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

const alternative = `Download it yourself from ${GSM8K.url} and pass it as --task FILE.jsonl ({"question", "answer"} lines; add "check": "number" and put the final number in "answer"), or use another task.`;

function verify(bytes: Buffer): string | undefined {
  if (bytes.length !== GSM8K.bytes) return `${bytes.length.toLocaleString('en-US')} bytes where ${GSM8K.bytes.toLocaleString('en-US')} were expected`;
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (sum !== GSM8K.sha256) return `SHA-256 ${sum} where ${GSM8K.sha256} was expected`;
  return undefined;
}

/** The test set's text: from the cache when it is there and intact, else downloaded (and cached). */
export async function loadGsm8kText(opts: { arcHome: string; fetch?: Fetcher; signal?: AbortSignal }): Promise<string> {
  const file = path.join(opts.arcHome, 'eval', 'gsm8k-test.jsonl');
  const cached = await readFile(file).catch(() => undefined);
  if (cached && verify(cached) === undefined) return cached.toString('utf8');
  const fetcher = opts.fetch ?? (globalThis.fetch as unknown as Fetcher);
  let bytes: Buffer;
  try {
    const res = await fetcher(GSM8K.url, { signal: opts.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new Gsm8kError(`Could not download GSM8K from ${GSM8K.url} (${(e as Error).message}). ${alternative}`);
  }
  const wrong = verify(bytes);
  if (wrong) throw new Gsm8kError(`The GSM8K file downloaded from ${GSM8K.url} does not match the published test set (${wrong}); it was not used. ${alternative}`);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return bytes.toString('utf8');
}
