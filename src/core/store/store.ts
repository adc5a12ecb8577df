// Persisted state (learned estimates, capabilities, history) behind one small interface: the CLI
// keeps it under $ARC_HOME, the extension in its global storage, tests in a temp dir.
import type { z } from 'zod';

export interface Store {
  /** The value under `key`, or undefined when absent or unreadable (a corrupt value is moved aside). */
  get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined>;
  /** Replaces the value atomically: a reader sees the old value or the new one, never a mix. */
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Read-modify-write under a lock that other processes sharing the store respect: `mutate` gets the
   * current value (or undefined) as it is on disk now and returns the value to store. Two `arc`
   * processes learning at once then both keep what they learned, instead of the last write winning.
   */
  update<S extends z.ZodType>(key: string, schema: S, mutate: (current: z.infer<S> | undefined) => z.infer<S>): Promise<z.infer<S>>;
}

const KEY = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

export function assertStoreKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`Invalid store key "${key}": use letters, digits, '.', '_' or '-'.`);
}

/**
 * Applies `apply` to a state kept in the store under a lock, on the value as it is on disk now (so
 * concurrent processes add up instead of overwriting each other), and returns the state to keep in
 * memory. Without a store, or when the store fails, it applies to `local` (and rethrows the failure).
 */
export async function mutateStored<T>(store: Store | undefined, key: string, schema: z.ZodType<T>, local: T, empty: () => T, apply: (state: T) => void): Promise<T> {
  if (!store) {
    apply(local);
    return local;
  }
  try {
    return await store.update(key, schema, (current) => {
      const state = (current as T | undefined) ?? empty();
      apply(state);
      return state;
    });
  } catch (e) {
    apply(local);
    throw e;
  }
}
