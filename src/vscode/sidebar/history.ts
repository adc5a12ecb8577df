// Run history (ARC: Show Run History): the last runs of every sidebar turn — their events, coalesced
// and bounded — kept in the Store under a key of the sidebar's own, so a past run's tree and answer
// can be reopened. Secrets never reach it: every string passes the log's redaction (known keys and
// key-like text) before it is written. Plain TypeScript (no `vscode`), so it is tested in Node.
import { z } from 'zod';
import { redact } from '../../core/log/redact';
import type { Store } from '../../core/store/store';
import { compactForHistory } from '../../protocol/coalesce';

export const HISTORY_KEY = 'sidebar-history';
export const MAX_HISTORY_RUNS = 50;
/** Bytes of JSON the whole history may take; the oldest runs go first. */
export const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

const entrySchema = z.object({
  runId: z.string().min(1).max(100),
  query: z.string().max(100_000),
  mode: z.string().max(20).optional(),
  status: z.string().max(20),
  startedAt: z.number(),
  attachments: z.array(z.string().max(300)).max(50).default([]),
  events: z.array(z.unknown()).max(20_000),
});
export type HistoryEntry = z.infer<typeof entrySchema>;
const stateSchema = z.object({ version: z.literal(1), runs: z.array(entrySchema) });

export class RunHistory {
  private cache: HistoryEntry[] | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    /** Secrets to scrub (the API keys of configured endpoints). */
    private readonly secrets: () => Promise<Iterable<string>> = async () => [],
  ) {}

  async list(): Promise<HistoryEntry[]> {
    this.cache ??= (await this.store.get(HISTORY_KEY, stateSchema))?.runs ?? [];
    return [...this.cache];
  }

  async get(runId: string): Promise<HistoryEntry | undefined> {
    return (await this.list()).find((e) => e.runId === runId);
  }

  /** Adds a finished run (newest last), keeping the last MAX_HISTORY_RUNS within MAX_HISTORY_BYTES. */
  add(entry: HistoryEntry): Promise<void> {
    this.writing = this.writing.then(async () => {
      const secrets = [...(await this.secrets())];
      const scrub = (s: string) => redact(s, secrets);
      const clean: HistoryEntry = {
        ...entry,
        query: scrub(entry.query),
        attachments: entry.attachments.map(scrub),
        events: scrubEvents(compactForHistory(entry.events), scrub),
      };
      const runs = [...(await this.list()).filter((e) => e.runId !== entry.runId), clean];
      while (runs.length > MAX_HISTORY_RUNS) runs.shift();
      let size = JSON.stringify(runs).length;
      while (runs.length > 1 && size > MAX_HISTORY_BYTES) size -= JSON.stringify(runs.shift()).length;
      this.cache = runs;
      await this.store.set(HISTORY_KEY, { version: 1, runs });
    });
    return this.writing;
  }

  async clear(): Promise<void> {
    this.cache = [];
    await this.store.delete(HISTORY_KEY);
  }
}

function scrubEvents(events: unknown[], scrub: (s: string) => string): unknown[] {
  try {
    return JSON.parse(scrub(JSON.stringify(events))) as unknown[];
  } catch {
    // A secret that straddled JSON syntax: keep nothing rather than risk keeping it.
    return [];
  }
}
