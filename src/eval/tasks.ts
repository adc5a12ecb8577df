// `--task T` (DESIGN §6.1): `countdown` (generated, seeded), `countdown:FILE`, `gsm8k` (downloaded,
// checked, cached), or a task file `FILE.jsonl`; the first `n` items. A problem is an EvalTaskError
// whose message says what to do.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { countdownItems, type EvalItem } from './items';
import { GSM8K, loadGsm8kText, type Fetcher } from './gsm8k';
import { parseCountdownFile, parseGsm8k, parseJsonlItems, type JsonlParse } from './taskFile';

export class EvalTaskError extends Error {}

export interface LoadedTask {
  items: EvalItem[];
  /** The data's licence, to be named in the report. */
  licence?: string;
}

export interface LoadTaskOptions {
  n: number;
  seed: number;
  arcHome: string;
  fetch?: Fetcher;
  signal?: AbortSignal;
}

async function readTaskFile(file: string, label: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new EvalTaskError(`--task ${label}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); use countdown, countdown:FILE, gsm8k or a JSONL file.`);
  }
}

function take(parsed: JsonlParse, label: string, n: number): EvalItem[] {
  if (parsed.errors.length > 0) {
    const first = parsed.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.error}`).join('; ');
    throw new EvalTaskError(`--task ${label}: ${parsed.errors.length} malformed line(s): ${first}`);
  }
  if (parsed.items.length === 0) throw new EvalTaskError(`--task ${label} has no items.`);
  return parsed.items.slice(0, n);
}

export async function loadTask(task: string, opts: LoadTaskOptions): Promise<LoadedTask> {
  if (task === 'countdown') return { items: countdownItems(opts.n, opts.seed) };
  if (task.startsWith('countdown:')) {
    const file = task.slice('countdown:'.length);
    return { items: take(parseCountdownFile(await readTaskFile(file, task), `countdown-${path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}`), task, opts.n) };
  }
  if (task === 'gsm8k') {
    let text: string;
    try {
      text = await loadGsm8kText({ arcHome: opts.arcHome, ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      throw new EvalTaskError((e as Error).message);
    }
    return { items: take(parseGsm8k(text), task, opts.n), licence: GSM8K.licence };
  }
  const file = path.resolve(task);
  return { items: take(parseJsonlItems(await readTaskFile(file, task), { baseDir: path.dirname(file) }), task, opts.n) };
}
