// One JSON file per key. Writes go to a temp file that is renamed over the old one (atomic on one
// file system); a file that does not parse or fit its schema is renamed aside with a warning.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { assertStoreKey, type Store } from './store';

export class JsonFileStore implements Store {
  /** Writes to one key are serialized so that the last `set` called is the one that stays. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const file = this.file(key);
    await this.queues.get(key);
    return this.readParsed(file, schema);
  }

  private async readParsed<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let problem: string;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      problem = 'does not have the expected shape';
    } catch {
      problem = 'is not valid JSON';
    }
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(file, aside).catch(() => undefined);
    this.warn(`ARC state file ${file} ${problem}; moved it to ${aside} and started afresh.`);
    return undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const file = this.file(key);
    const text = JSON.stringify(value, null, 2) + '\n';
    return this.enqueue(key, async () => {
      await fs.mkdir(this.dir, { recursive: true });
      await writeAtomically(file, text);
    });
  }

  async update<S extends z.ZodType>(key: string, schema: S, mutate: (current: z.infer<S> | undefined) => z.infer<S>): Promise<z.infer<S>> {
    const file = this.file(key);
    let result!: z.infer<S>;
    await this.enqueue(key, async () => {
      await fs.mkdir(this.dir, { recursive: true });
      const release = await acquireLock(`${file}.lock`);
      try {
        const current = await this.readParsed(file, schema);
        result = mutate(current);
        await writeAtomically(file, JSON.stringify(result, null, 2) + '\n');
      } finally {
        await release();
      }
    });
    return result;
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    return this.enqueue(key, () => fs.rm(file, { force: true }));
  }

  private file(key: string): string {
    assertStoreKey(key);
    return path.join(this.dir, `${key}.json`);
  }

  private enqueue(key: string, job: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(job);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.writeFile(tmp, text, { encoding: 'utf8', mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** How long to wait for another process's lock before giving up with an error. */
const LOCK_WAIT_MS = 5_000;
/** A lock older than this was left by a process that died: it is broken. */
const LOCK_STALE_MS = 15_000;

/** A lock file created exclusively; released by deleting it. Bounded: waits at most LOCK_WAIT_MS. */
async function acquireLock(lock: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lock, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`).finally(() => handle.close());
      return () => fs.rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await fs.stat(lock).then((st) => Date.now() - st.mtimeMs, () => 0);
      if (age > LOCK_STALE_MS) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`ARC state is locked by another process (${lock}); try again in a moment.`);
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
    }
  }
}
