// Persisted state (learned estimates, capabilities, history) behind one small interface: the CLI
// keeps it under $ARC_HOME, the extension in its global storage, tests in a temp dir.
import type { z } from 'zod';

export interface Store {
  /** The value under `key`, or undefined when absent or unreadable (a corrupt value is moved aside). */
  get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined>;
  /** Replaces the value atomically: a reader sees the old value or the new one, never a mix. */
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

export function assertStoreKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`Invalid store key "${key}": use letters, digits, '.', '_' or '-'.`);
}
