// Checkpoints per turn (DESIGN §6.8, issue 21): every sidebar turn is a conversation point, and a turn
// whose run changed files also has the undo stack's entry (the files before the run, and the
// conversation up to it, added here). "Restore to here" puts back the files, the conversation, or both
// as they were before that turn — with a preview of the files — and can itself be undone once. The
// conversation is kept in the extension's storage (compacted, secrets scrubbed), so a reload keeps
// both; nothing here touches git.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { NodeWorkspace, SnapshotStore, UNDO_MAX_BYTES, UndoStack, type CheckpointMessage, type UndoEntry } from '../../agent';
import { redact } from '../../core/log/redact';
import { compactForHistory } from '../../protocol/coalesce';
import type { CheckpointsView } from '../../protocol/messages';
import { applyRaw, createRunView } from '../../protocol/runTree';
import type { Services } from '../services';
import type { Turn } from './turns';

/** JSON characters of one turn's events kept across reloads; past it only the start and the end stay. */
const TURN_EVENTS_CHARS = 300_000;
const CONVERSATION_BYTES = 8 * 1024 * 1024;

const savedTurnSchema = z.object({
  id: z.string().min(1).max(100),
  query: z.string().max(100_000),
  runId: z.string().max(100).optional(),
  startedAt: z.number(),
  error: z.string().max(4000).optional(),
  events: z.array(z.unknown()).max(20_000),
});
const savedSchema = z.object({ v: z.literal(1), turns: z.array(savedTurnSchema) });
type SavedTurn = z.infer<typeof savedTurnSchema>;

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

function conversationKey(roots: readonly string[]): string {
  return `sidebar-turns-${createHash('sha256').update(roots.map((r) => path.resolve(r)).join('\0')).digest('hex').slice(0, 16)}`;
}

/** The conversation up to and including `upTo` (turn index), as a checkpoint keeps it. */
export function conversationOf(turns: readonly Turn[], upTo: number): CheckpointMessage[] {
  return turns.slice(0, upTo + 1).filter((t) => !t.error).flatMap((t) => [
    { role: 'user' as const, text: t.query },
    { role: 'assistant' as const, text: t.view.answer },
  ]);
}

interface UndoRestore {
  label: string;
  files?: SnapshotStore;
  entries: UndoEntry[];
  turns?: { at: number; removed: Turn[] };
}

export class Checkpoints {
  private last: UndoRestore | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly services: Services,
    private readonly secrets: () => Promise<Iterable<string>>,
  ) {}

  private stack(): UndoStack | undefined {
    const roots = folders();
    return roots.length ? new UndoStack(this.services.store, roots) : undefined;
  }

  private workspace(): NodeWorkspace {
    // Writes go through the editor's file system, so open editors follow the restore.
    return new NodeWorkspace({
      roots: folders(),
      io: {
        writeFile: async (abs, data) => vscode.workspace.fs.writeFile(vscode.Uri.file(abs), data),
        deleteFile: async (abs) => vscode.workspace.fs.delete(vscode.Uri.file(abs), { useTrash: false }),
      },
    });
  }

  // ---- the conversation across reloads

  async load(): Promise<Turn[]> {
    const roots = folders();
    if (!roots.length) return [];
    const saved = await this.services.store.get(conversationKey(roots), savedSchema).catch(() => undefined);
    return (saved?.turns ?? []).map((s) => {
      const view = createRunView(s.query);
      applyRaw(view, s.events);
      return { id: s.id, query: s.query, attachments: [], events: s.events, view, startedAt: s.startedAt, ...(s.runId ? { runId: s.runId } : {}), ...(s.error ? { error: s.error } : {}) };
    });
  }

  save(turns: readonly Turn[]): Promise<void> {
    const roots = folders();
    if (!roots.length) return Promise.resolve();
    const snapshot = turns.filter((t) => !t.controller && !t.fromHistory).map((t) => ({ t, events: t.events }));
    this.writing = this.writing.then(async () => {
      const secrets = [...(await this.secrets())];
      const scrub = (s: string) => redact(s, secrets);
      const list: SavedTurn[] = snapshot.map(({ t, events }) => {
        let kept = compactForHistory(events);
        let json = scrub(JSON.stringify(kept));
        if (json.length > TURN_EVENTS_CHARS) {
          kept = [kept[0], kept.at(-1)].filter((e) => e !== undefined);
          json = scrub(JSON.stringify(kept));
        }
        let parsed: unknown[] = [];
        try {
          parsed = JSON.parse(json) as unknown[];
        } catch {
          parsed = [];
        }
        return { id: t.id, query: scrub(t.query), startedAt: t.startedAt, events: parsed, ...(t.runId ? { runId: t.runId } : {}), ...(t.error ? { error: scrub(t.error).slice(0, 4000) } : {}) };
      });
      let size = JSON.stringify(list).length;
      while (list.length > 1 && size > CONVERSATION_BYTES) size -= JSON.stringify(list.shift()).length;
      await this.services.store.set(conversationKey(roots), { v: 1, turns: list });
    }).catch((e: unknown) => this.services.log.warn(`could not keep the sidebar conversation: ${String(e)}`));
    return this.writing;
  }

  /** Adds the conversation up to a run to its checkpoint (a run that changed no file has none). */
  async annotate(runId: string, conversation: CheckpointMessage[]): Promise<void> {
    await this.stack()?.annotate(runId, conversation, await this.secrets()).catch((e: unknown) => this.services.log.warn(`could not add the conversation to the checkpoint: ${String(e)}`));
  }

  // ---- restore points

  /** For each turn, the files a restore to before it would put back. */
  async view(turns: readonly Turn[]): Promise<CheckpointsView> {
    const entries = (await this.stack()?.entries().catch(() => [])) ?? [];
    const points = turns.map((t, i) => ({ turnId: t.id, files: this.filesFrom(entries, this.firstCheckpoint(entries, turns, i)) }));
    return { capBytes: UNDO_MAX_BYTES, points: points.slice(-200), ...(this.last ? { undoable: this.last.label } : {}) };
  }

  /** The oldest checkpoint made by turn `i` or a later one. */
  private firstCheckpoint(entries: readonly UndoEntry[], turns: readonly Turn[], i: number): number | undefined {
    const runIds = new Set(turns.slice(i).map((t) => t.runId).filter(Boolean));
    return entries.find((e) => runIds.has(e.runId))?.n;
  }

  private filesFrom(entries: readonly UndoEntry[], n: number | undefined): string[] {
    if (n === undefined) return [];
    return [...new Set(entries.filter((e) => e.n >= n).flatMap((e) => e.files))];
  }

  /**
   * Restores to before turn `turnId`: files (every checkpoint from that turn's on undone, newest
   * first), the conversation (that turn and later ones dropped), or both. Returns the turns to keep.
   */
  async restore(turns: Turn[], turnId: string, what: 'files' | 'conversation' | 'both'): Promise<{ turns: Turn[]; message: string }> {
    const i = turns.findIndex((t) => t.id === turnId);
    if (i < 0) return { turns, message: 'That turn is no longer in the conversation.' };
    const undo: UndoRestore = { label: '', entries: [] };
    const said: string[] = [];
    if (what !== 'conversation') {
      const stack = this.stack();
      const entries = (await stack?.entries()) ?? [];
      const n = this.firstCheckpoint(entries, turns, i);
      if (stack && n !== undefined) {
        const files = this.filesFrom(entries, n);
        await this.services.review?.cancelAll(files);
        const ws = this.workspace();
        const now = new SnapshotStore();
        for (const f of files) await now.capture(ws, f).catch(() => undefined);
        const undone = await stack.undo(ws, n);
        undo.files = now;
        undo.entries = entries.filter((e) => e.n >= n);
        const restored = undone.flatMap((u) => [...u.result.restored, ...u.result.deleted]);
        const errors = undone.flatMap((u) => u.result.errors.map((e) => e.path));
        said.push(`restored ${new Set(restored).size} file(s)${errors.length ? ` (${errors.length} could not be: ${errors.join(', ')})` : ''}`);
      } else {
        said.push('no file changed from that turn on');
      }
    }
    let kept = turns;
    if (what !== 'files') {
      undo.turns = { at: i, removed: turns.slice(i) };
      kept = turns.slice(0, i);
      said.push(`the conversation ends before "${turns[i]!.query.slice(0, 40)}"`);
    }
    undo.label = `Restored to before turn ${i + 1}: ${said.join('; ')}.`;
    this.last = undo;
    return { turns: kept, message: undo.label };
  }

  /** Undoes the last restore once: the files as they were just before it, its checkpoints, its turns. */
  async undoRestore(turns: Turn[]): Promise<{ turns: Turn[]; message: string } | undefined> {
    const u = this.last;
    if (!u) return undefined;
    this.last = undefined;
    if (u.files) {
      await u.files.undo(this.workspace());
      await this.stack()?.reinstate(u.entries);
    }
    const back = u.turns ? [...turns.slice(0, u.turns.at), ...u.turns.removed, ...turns.slice(u.turns.at)] : turns;
    return { turns: back, message: 'The restore was undone.' };
  }
}
