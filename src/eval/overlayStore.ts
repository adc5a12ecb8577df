// A store that reads through to another and keeps its writes in memory: an eval starts from what ARC
// has learned (effort estimates, calibration, thread stats) and leaves it as it was, so that measuring
// does not retune what is measured and a comparison's later items run on the same state as its first.
import type { z } from 'zod';
import type { Store } from '../core/store/store';

export class OverlayStore implements Store {
  private readonly local = new Map<string, unknown>();
  private readonly deleted = new Set<string>();

  constructor(private readonly base: Store | undefined) {}

  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    if (this.local.has(key)) {
      const parsed = schema.safeParse(this.local.get(key));
      return parsed.success ? parsed.data : undefined;
    }
    if (this.deleted.has(key) || !this.base) return undefined;
    return this.base.get(key, schema);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.deleted.delete(key);
    this.local.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.local.delete(key);
    this.deleted.add(key);
  }

  async update<S extends z.ZodType>(key: string, schema: S, mutate: (current: z.infer<S> | undefined) => z.infer<S>): Promise<z.infer<S>> {
    const next = mutate(await this.get(key, schema));
    await this.set(key, next);
    return next;
  }
}
