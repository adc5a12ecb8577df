// The eval's files (DESIGN §6.6): DIR/results.jsonl, one line per item × arm, appended as each run
// finishes (so a killed eval loses at most the runs in flight, and `--resume` skips what is there);
// DIR/run.json, what was asked (task, model, arms, settings, the items), written when the eval
// starts, so that `arc eval --report DIR` can re-render and `--resume` can check it continues the
// same eval.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { modeSchema } from '../core/run/events';
import type { ArmBase, ArmSpec } from './arms';

const usageSchema = z.object({ prompt: z.number().nonnegative(), completion: z.number().nonnegative(), reasoning: z.number().nonnegative() });

export const resultRowSchema = z.object({
  id: z.string(),
  arm: z.string(),
  answer: z.string(),
  correct: z.boolean(),
  usage: usageSchema,
  cost: z.number().nullable(),
  ms: z.number().nonnegative(),
  mode: modeSchema.optional(),
  threads: z.number().int().nonnegative().optional(),
  error: z.string().optional(),
  // Additions beyond the §6.6 minimum.
  kind: z.string().optional(),
  reason: z.string().optional(),
  criticalPathTokens: z.number().nonnegative().optional(),
  /** Model calls this run made, and how many of them were cut at their reasoning budget. */
  calls: z.number().int().nonnegative().optional(),
  cutCalls: z.number().int().nonnegative().optional(),
  /** The reasoning budget the run was given (e1), when it had one. */
  budget: z.number().nonnegative().optional(),
});
export type ResultRow = z.infer<typeof resultRowSchema>;

export interface ItemInfo {
  id: string;
  kind?: string;
  question: string;
  expected?: string;
}

export interface RunInfo {
  v: 1;
  task: string;
  model: string;
  simulated: boolean;
  /** How many items the eval asked for. */
  items: number;
  itemList: ItemInfo[];
  arms: ArmSpec[];
  base: ArmBase;
  settings: { n: number; seed: number; concurrency: number; baseUrl?: string; maxCost?: number; learn?: boolean };
  maxCost?: number;
  licence?: string;
  startedAt: string;
}

export const RESULTS_FILE = 'results.jsonl';
export const RUN_FILE = 'run.json';
export const SUMMARY_FILE = 'summary.json';
export const REPORT_FILE = 'report.html';

/** Question text kept for the report's table: enough to recognise the item. */
export const QUESTION_CHARS = 400;

export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export class ResultsFile {
  private queue: Promise<void> = Promise.resolve();
  constructor(readonly dir: string) {}

  get file(): string {
    return path.join(this.dir, RESULTS_FILE);
  }

  /** Appends one row; rows are written in the order they were handed in. */
  append(row: ResultRow): Promise<void> {
    this.queue = this.queue.then(() => appendFile(this.file, `${JSON.stringify(row)}\n`));
    return this.queue;
  }

  flush(): Promise<void> {
    return this.queue;
  }
}

/**
 * The rows in DIR/results.jsonl. A torn last line (the eval was killed while writing it) is
 * ignored; any other bad line is an error naming it. A later row for the same item × arm wins.
 */
export async function readResults(dir: string): Promise<ResultRow[]> {
  let text: string;
  try {
    text = await readFile(path.join(dir, RESULTS_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const lines = text.split('\n');
  const rows = new Map<string, ResultRow>();
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let parsed: ReturnType<typeof resultRowSchema.safeParse>;
    try {
      parsed = resultRowSchema.safeParse(JSON.parse(raw));
    } catch {
      if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '')) continue;
      throw new Error(`${path.join(dir, RESULTS_FILE)} line ${i + 1} is not JSON`);
    }
    if (!parsed.success) throw new Error(`${path.join(dir, RESULTS_FILE)} line ${i + 1} is not a result row (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    rows.set(`${parsed.data.id}\u0000${parsed.data.arm}`, parsed.data);
  }
  return [...rows.values()];
}

export async function readRunInfo(dir: string): Promise<RunInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, RUN_FILE), 'utf8')) as RunInfo;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path.join(dir, RUN_FILE)} cannot be read (${(e as Error).message})`);
  }
}

/** A text that ends with a newline so that the next append starts a line (a killed eval may leave a torn one). */
export async function repairTail(dir: string): Promise<void> {
  const file = path.join(dir, RESULTS_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined || text === '' || text.endsWith('\n')) return;
  const cut = text.lastIndexOf('\n');
  await writeAtomic(file, cut < 0 ? '' : text.slice(0, cut + 1));
}
