// One way to walk a workspace folder, shared by listing, the plain search and the symbol heuristic.
// The order is ripgrep's `--sort path` order (depth first, entries sorted by name bytes), so the
// ripgrep and plain search paths report the same matches in the same order.
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import * as path from 'node:path';

export interface WalkOptions {
  /** Directory names skipped at any depth (node_modules, .git). */
  skipDirs: ReadonlySet<string>;
  /** Prunes hidden directories and drops hidden files; `rel` is posix, relative to the root. */
  hidden(rel: string, isDir: boolean): boolean;
  signal?: AbortSignal;
}

export interface WalkEntry {
  /** Posix path relative to the walked root. */
  rel: string;
  abs: string;
}

const byNameBytes = (a: Dirent, b: Dirent): number => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

/**
 * Files under `root`, depth first in name order. Symbolic links are not followed (nor listed), as
 * ripgrep does without `-L`; unreadable directories are skipped quietly.
 */
export async function* walkFiles(root: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  async function* visit(dirAbs: string, dirRel: string): AsyncGenerator<WalkEntry> {
    if (opts.signal?.aborted) return;
    // Synchronous calls: several times faster than fs.promises for many small directories, and each
    // blocks only for one directory; the awaits between entries keep the event loop turning.
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort(byNameBytes);
    for (const e of entries) {
      if (opts.signal?.aborted) return;
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = path.join(dirAbs, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (!isDir && !isFile && !e.isSymbolicLink()) {
        // Some file systems report no type in readdir; ask.
        try {
          const st = lstatSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (opts.skipDirs.has(e.name) || opts.hidden(rel, true)) continue;
        yield* visit(abs, rel);
      } else if (isFile) {
        if (opts.hidden(rel, false)) continue;
        yield { rel, abs };
      }
    }
  }
  yield* visit(root, '');
}

/**
 * A regular file's bytes when it has at most `maxBytes` and one link, else undefined (also when unreadable).
 * Synchronous open/fstat/read: for many small files this is several times faster than fs.promises;
 * callers read in small batches and yield between them.
 */
export function readSmallFileSync(abs: string, maxBytes: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const st = fstatSync(fd);
    // A file with more than one hard link may be a file outside the workspace (DESIGN §5): not read.
    if (!st.isFile() || st.size > maxBytes || st.nlink > 1) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Lets other work run between batches of synchronous file reads. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface HiddenEntry {
  abs: string;
  rel: string;
  isDir: boolean;
  /** Why: 'hidden' (a secret or an .arcignore entry) or 'hardlink' (a file with more than one link). */
  why: 'hidden' | 'hardlink';
}

/**
 * Every hidden file and folder under `root` (a hidden folder is reported once, not entered), and every
 * regular file with more than one hard link, for the sandbox to mask. Skipped folders (node_modules,
 * .git) are not entered; at most `limit` entries (the caller refuses to sandbox past that).
 */
export function listHiddenEntries(
  root: string,
  opts: {
    skipDirs: ReadonlySet<string>;
    hidden(rel: string, isDir: boolean): boolean;
    limit: number;
    /** Told every folder read, with its stat taken before reading it (for hiddenCache.ts). */
    onDir?: (abs: string, st: BigIntStats | undefined) => void;
  },
): { entries: HiddenEntry[]; complete: boolean } {
  const entries: HiddenEntry[] = [];
  const stack: Array<[string, string]> = [[root, '']];
  while (stack.length) {
    const [dirAbs, dirRel] = stack.pop()!;
    if (opts.onDir) {
      let st: BigIntStats | undefined;
      try {
        st = statSync(dirAbs, { bigint: true });
      } catch {
        st = undefined;
      }
      opts.onDir(dirAbs, st);
    }
    let list: Dirent[];
    try {
      list = readdirSync(dirAbs, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of list) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = path.join(dirAbs, e.name);
      const isDir = e.isDirectory();
      if (isDir && opts.skipDirs.has(e.name)) continue;
      let why: HiddenEntry['why'] | undefined;
      if (opts.hidden(rel, isDir)) why = 'hidden';
      else if (e.isFile()) {
        try {
          if (lstatSync(abs).nlink > 1) why = 'hardlink';
        } catch {
          // gone
        }
      }
      if (why) {
        if (entries.length >= opts.limit) return { entries, complete: false };
        entries.push({ abs, rel, isDir, why });
      } else if (isDir) stack.push([abs, rel]);
    }
  }
  return { entries, complete: true };
}
