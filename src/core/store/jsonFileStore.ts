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
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        await fs.writeFile(tmp, text, { encoding: 'utf8', mode: 0o600 });
        await fs.rename(tmp, file);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    });
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
