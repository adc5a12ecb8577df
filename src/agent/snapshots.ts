// Before the first write of each file in a run, its exact bytes (or its absence) are kept, so that
// `Undo Last Run` puts every file back byte for byte and removes what the run created. The data is
// plain JSON, so the extension can persist the last run's snapshots across sessions.
import { createHash } from 'node:crypto';
import type { Workspace } from './workspace';

export interface FileSnapshot {
  /** Workspace path. */
  path: string;
  /** The bytes before the run, base64; null when the run created the file. */
  before: string | null;
  /** sha256 of what the run last wrote, to tell the user which files changed again since. */
  afterSha256?: string;
}

export interface SnapshotData {
  v: 1;
  files: FileSnapshot[];
  /** Folders the run created, outermost first. */
  createdDirs: string[];
}

export interface UndoResult {
  restored: string[];
  deleted: string[];
  removedDirs: string[];
  /** Files that changed after the run last wrote them (restored anyway). */
  changedSince: string[];
  errors: Array<{ path: string; error: string }>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export class SnapshotStore {
  private readonly files = new Map<string, FileSnapshot>();
  private readonly dirs: string[] = [];

  static fromJSON(data: SnapshotData): SnapshotStore {
    if (!data || data.v !== 1 || !Array.isArray(data.files)) throw new Error('not ARC snapshot data (v1)');
    const s = new SnapshotStore();
    for (const f of data.files) s.files.set(f.path, { ...f });
    s.dirs.push(...(data.createdDirs ?? []));
    return s;
  }

  toJSON(): SnapshotData {
    return { v: 1, files: [...this.files.values()].map((f) => ({ ...f })), createdDirs: [...this.dirs] };
  }

  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Whether the run created this file (rather than changed an existing one). */
  created(path: string): boolean {
    return this.files.get(path)?.before === null;
  }

  /** Records `path`'s current bytes (or its absence) unless this run already did. */
  async capture(workspace: Workspace, path: string): Promise<void> {
    if (this.files.has(path)) return;
    const st = await workspace.stat(path);
    const before = st.kind === 'file' ? Buffer.from(await workspace.readFile(path, { allowHidden: true })).toString('base64') : null;
    this.files.set(path, { path, before });
  }

  /** Forgets a capture whose write failed: the run did not change that file. */
  discard(path: string): void {
    this.files.delete(path);
  }

  /** Notes what the run wrote and any folders it created for it. */
  wrote(path: string, data: Uint8Array, createdDirs: readonly string[] = []): void {
    const f = this.files.get(path);
    if (f) f.afterSha256 = sha256(data);
    for (const d of createdDirs) if (!this.dirs.includes(d)) this.dirs.push(d);
  }

  /** Puts every file back as it was before the run, newest snapshot first, then removes created folders. */
  async undo(workspace: Workspace): Promise<UndoResult> {
    const result: UndoResult = { restored: [], deleted: [], removedDirs: [], changedSince: [], errors: [] };
    for (const f of [...this.files.values()].reverse()) {
      try {
        const st = await workspace.stat(f.path);
        if (st.kind === 'file' && f.afterSha256) {
          const now = await workspace.readFile(f.path, { allowHidden: true });
          if (sha256(now) !== f.afterSha256) result.changedSince.push(f.path);
        }
        if (f.before === null) {
          if (st.kind === 'file') {
            await workspace.deleteFile(f.path);
            result.deleted.push(f.path);
          }
        } else {
          const bytes = Buffer.from(f.before, 'base64');
          if (st.kind === 'file') await workspace.writeFile(f.path, bytes, { allowHidden: true });
          else await workspace.createFile(f.path, bytes, { allowHidden: true });
          result.restored.push(f.path);
        }
      } catch (e) {
        result.errors.push({ path: f.path, error: e instanceof Error ? e.message : String(e) });
      }
    }
    for (const d of [...this.dirs].reverse()) {
      if (await workspace.removeEmptyDir(d).catch(() => false)) result.removedDirs.push(d);
    }
    return result;
  }
}
