// Undo as a stack (DESIGN §5, §6.8): every agentic run that changed files pushes its snapshot set, per
// workspace, numbered 1, 2, … (newest last). A run that changed nothing pushes nothing, so the run
// before it can still be undone; undo pops the newest, again for the one before, or every run down to
// N. The entries are the file half of the per-turn checkpoints. Kept in the Store under its lock, so
// the CLI and the editor (or two terminals) never overwrite each other's runs.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { z } from 'zod';
import { redact } from '../core/log/redact';
import type { Store } from '../core/store/store';
import { SnapshotStore, type SnapshotData, type UndoResult } from './snapshots';
import type { Workspace } from './workspace';

/** Runs kept per workspace, and base64 bytes of snapshots kept in all; the oldest go first. */
export const UNDO_MAX_RUNS = 50;
export const UNDO_MAX_BYTES = 64 * 1024 * 1024;

const snapshotDataSchema = z.object({
  v: z.literal(1),
  files: z.array(z.object({ path: z.string(), before: z.string().nullable(), afterSha256: z.string().optional() })),
  createdDirs: z.array(z.string()),
});

/** One message of the conversation a checkpoint keeps (compacted, secrets scrubbed). */
const messageSchema = z.object({ role: z.enum(['user', 'assistant']), text: z.string() });

const entrySchema = z.object({
  n: z.number().int().min(1),
  runId: z.string(),
  t: z.number(),
  query: z.string(),
  files: z.array(z.string()),
  snapshots: snapshotDataSchema,
  // Added with the per-turn checkpoints (DESIGN §6.8): the conversation up to and including this run.
  // Optional, so stacks written before it (and runs from the CLI, which has no conversation) still read.
  conversation: z.array(messageSchema).optional(),
});

const stackSchema = z.object({ v: z.literal(1), roots: z.array(z.string()), next: z.number().int().min(1), entries: z.array(entrySchema) });

type Stack = z.infer<typeof stackSchema>;
export type UndoEntry = z.infer<typeof entrySchema>;
export type CheckpointMessage = z.infer<typeof messageSchema>;

/** Characters kept of each message, and messages kept, in a checkpoint's conversation. */
export const CHECKPOINT_MESSAGE_CHARS = 8000;
export const CHECKPOINT_MESSAGES = 100;

/** A conversation as a checkpoint keeps it: the newest messages, each cut to a bound, secrets scrubbed. */
export function compactConversation(messages: readonly CheckpointMessage[], secrets: Iterable<string> = []): CheckpointMessage[] {
  const list = [...secrets];
  return messages.slice(-CHECKPOINT_MESSAGES).map((m) => {
    const text = redact(m.text, list);
    return { role: m.role, text: text.length > CHECKPOINT_MESSAGE_CHARS ? `${text.slice(0, CHECKPOINT_MESSAGE_CHARS)}\n[… ${text.length - CHECKPOINT_MESSAGE_CHARS} more characters not kept]` : text };
  });
}
export interface CheckpointSummary {
  n: number;
  runId: string;
  t: number;
  query: string;
  files: string[];
}

/** The Store key of a workspace's stack: one per set of folders. */
export function undoStackKey(roots: readonly string[]): string {
  const id = createHash('sha256').update(roots.map((r) => path.resolve(r)).join('\0')).digest('hex').slice(0, 16);
  return `agent-undo-${id}`;
}

const sizeOf = (e: UndoEntry) => e.snapshots.files.reduce((n, f) => n + (f.before?.length ?? 0), 0) + (e.conversation ?? []).reduce((n, m) => n + m.text.length, 0);

/** Bounded: the oldest runs go first when there are too many or they hold too much. */
function bound(stack: Stack): void {
  while (stack.entries.length > UNDO_MAX_RUNS) stack.entries.shift();
  while (stack.entries.length > 1 && stack.entries.reduce((s, e) => s + sizeOf(e), 0) > UNDO_MAX_BYTES) stack.entries.shift();
}

export class UndoStack {
  private readonly key: string;

  constructor(
    private readonly store: Store,
    private readonly roots: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.key = undoStackKey(roots);
  }

  private empty(): Stack {
    return { v: 1, roots: this.roots.map((r) => path.resolve(r)), next: 1, entries: [] };
  }

  /** Records a run's changes; a run that changed nothing leaves the stack alone (returns undefined). */
  async push(run: { runId: string; query: string; snapshots: SnapshotStore | SnapshotData; conversation?: CheckpointMessage[] }): Promise<number | undefined> {
    const data = run.snapshots instanceof SnapshotStore ? run.snapshots.toJSON() : run.snapshots;
    if (data.files.length === 0) return undefined;
    let n = 0;
    await this.store.update(this.key, stackSchema, (current) => {
      const stack = current ?? this.empty();
      n = stack.next;
      stack.entries.push({ n, runId: run.runId, t: this.now(), query: run.query.slice(0, 500), files: data.files.map((f) => f.path), snapshots: data, ...(run.conversation ? { conversation: compactConversation(run.conversation) } : {}) });
      stack.next = n + 1;
      bound(stack);
      return stack;
    });
    return n;
  }

  /**
   * Adds the conversation up to run `runId` to its checkpoint (the sidebar knows the conversation, the
   * engine that pushed the entry does not). False when the run left no checkpoint.
   */
  async annotate(runId: string, conversation: readonly CheckpointMessage[], secrets: Iterable<string> = []): Promise<boolean> {
    let found = false;
    const compact = compactConversation(conversation, secrets);
    await this.store.update(this.key, stackSchema, (current) => {
      const stack = current ?? this.empty();
      const e = stack.entries.find((x) => x.runId === runId);
      if (e) {
        e.conversation = compact;
        found = true;
        bound(stack);
      }
      return stack;
    });
    return found;
  }

  /** Every checkpoint with its snapshots, oldest first (for a restore's preview and its undo). */
  async entries(): Promise<UndoEntry[]> {
    return (await this.store.get(this.key, stackSchema))?.entries ?? [];
  }

  /** Puts entries a restore dropped back on the stack ("undo restore"), in order, renumbering nothing. */
  async reinstate(entries: readonly UndoEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.store.update(this.key, stackSchema, (current) => {
      const stack = current ?? this.empty();
      const have = new Set(stack.entries.map((e) => e.n));
      stack.entries.push(...entries.filter((e) => !have.has(e.n)));
      stack.entries.sort((a, b) => a.n - b.n);
      stack.next = Math.max(stack.next, (stack.entries.at(-1)?.n ?? 0) + 1);
      bound(stack);
      return stack;
    });
  }

  /** The runs that can be undone, oldest first (no file contents). */
  async list(): Promise<CheckpointSummary[]> {
    const stack = await this.store.get(this.key, stackSchema);
    return (stack?.entries ?? []).map(({ n, runId, t, query, files }) => ({ n, runId, t, query, files }));
  }

  /**
   * Undoes the newest run (or every run from the newest down to `to`, newest first) and drops those
   * entries. Returns what each restore did, newest first; [] when there is nothing to undo.
   */
  async undo(workspace: Workspace, to?: number): Promise<Array<{ n: number; query: string; result: UndoResult }>> {
    const stack = await this.store.get(this.key, stackSchema);
    const entries = stack?.entries ?? [];
    if (entries.length === 0) return [];
    const newest = entries[entries.length - 1]!.n;
    const target = to ?? newest;
    if (!entries.some((e) => e.n === target)) {
      throw new Error(`there is no checkpoint ${target}; the ones kept are ${entries.map((e) => e.n).join(', ')}`);
    }
    const undone: Array<{ n: number; query: string; result: UndoResult }> = [];
    for (const e of [...entries].reverse()) {
      if (e.n < target) break;
      undone.push({ n: e.n, query: e.query, result: await SnapshotStore.fromJSON(e.snapshots).undo(workspace) });
    }
    const gone = new Set(undone.map((u) => u.n));
    await this.store.update(this.key, stackSchema, (current) => {
      const s = current ?? this.empty();
      s.entries = s.entries.filter((e) => !gone.has(e.n));
      // Numbering stays contiguous: the next run after undoing down to N is N again.
      s.next = (s.entries.at(-1)?.n ?? 0) + 1;
      return s;
    });
    return undone;
  }
}
