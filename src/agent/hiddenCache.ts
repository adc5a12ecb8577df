// The sandbox's mask list without walking the whole workspace before every command (DESIGN §5).
// Walking and lstat-ing every file costs ~0.2 s on a 5,000-file workspace; most commands change no
// folder. A folder's ctime changes whenever an entry is added, removed or renamed in it — and,
// unlike mtime, no process can set it back — so a walk stays valid while every folder it read keeps
// its ctime: a new `.env`, a new hard link, a new folder all change their folder's ctime. Any change
// anywhere means a whole new walk (simple, and never stale).
import type { BigIntStats } from 'node:fs';
import { statSync } from 'node:fs';
import { listHiddenEntries, type HiddenEntry } from './walk';

interface Seen {
  abs: string;
  ctimeNs: bigint;
  mtimeNs: bigint;
  ino: bigint;
}

interface Walk {
  dirs: Seen[];
  result: { entries: HiddenEntry[]; complete: boolean };
}

/**
 * A change in the same clock tick as the walk may leave a folder's ctime unchanged (the kernel's
 * coarse clock ticks every few ms; some file systems keep whole seconds): a walk that saw a folder
 * changed this recently is not kept.
 */
const RACY_NS = 50_000_000n;
const RACY_COARSE_NS = 2_000_000_000n;

export type WalkOptions = Parameters<typeof listHiddenEntries>[1];

export class HiddenEntriesCache {
  private readonly walks = new Map<string, Walk>();
  /** Whole walks done (for tests and the benchmark's notes). */
  walkCount = 0;

  /** `listHiddenEntries(root, opts)`, or the last walk of `root` when no folder it read has changed. */
  list(root: string, opts: Omit<WalkOptions, 'onDir'>): { entries: HiddenEntry[]; complete: boolean } {
    // The hidden() rules and skipped folders are fixed for a workspace; the limit is not (roots share it).
    const id = `${opts.limit}\u0000${root}`;
    const kept = this.walks.get(id);
    if (kept && unchanged(kept.dirs)) return kept.result;
    this.walks.delete(id);
    const wallStartNs = BigInt(Date.now()) * 1_000_000n;
    const dirs: Seen[] = [];
    let racy = false;
    const result = listHiddenEntries(root, {
      ...opts,
      onDir: (abs, st) => {
        if (!st) {
          racy = true;
          return;
        }
        dirs.push(seen(abs, st));
        const window = st.ctimeNs % 1_000_000_000n === 0n ? RACY_COARSE_NS : RACY_NS;
        if (st.ctimeNs >= wallStartNs - window) racy = true;
      },
    });
    this.walkCount++;
    if (!racy) this.walks.set(id, { dirs, result });
    return result;
  }

  clear(): void {
    this.walks.clear();
  }
}

function seen(abs: string, st: BigIntStats): Seen {
  return { abs, ctimeNs: st.ctimeNs, mtimeNs: st.mtimeNs, ino: st.ino };
}

function unchanged(dirs: readonly Seen[]): boolean {
  for (const d of dirs) {
    let st: BigIntStats;
    try {
      st = statSync(d.abs, { bigint: true });
    } catch {
      return false;
    }
    if (st.ctimeNs !== d.ctimeNs || st.mtimeNs !== d.mtimeNs || st.ino !== d.ino) return false;
  }
  return true;
}
