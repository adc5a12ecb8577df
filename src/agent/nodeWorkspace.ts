// Workspace over folders on disk, in plain Node: the CLI and the tests use it, and the editor side can
// wrap it (hooks for diagnostics, symbols and writes) so confinement lives in one place.
import { existsSync, promises as fsp, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { compileGlob, GlobError, IgnoreRules, isSensitivePath } from './filters';
import {
  findRipgrep,
  MAX_SEARCH_FILE_BYTES,
  RipgrepRejectedQuery,
  searchWithNode,
  searchWithRipgrep,
  type SearchOutcome,
  type SearchParams,
  type SearchRoot,
} from './search';
import { findSymbolsInText, hasSymbolExtension, type SymbolMatch } from './symbols';
import { readSmallFileSync, walkFiles, yieldToEventLoop } from './walk';
import { HiddenEntriesCache } from './hiddenCache';
import { SANDBOX_READ_ONLY } from './protectedPaths';
import type { SandboxPaths } from './sandbox';
import {
  WorkspaceError,
  type AccessOptions,
  type BoundedOptions,
  type Diagnostic,
  type FileStat,
  type ListResult,
  type ResolvedPath,
  type SymbolResult,
  type Workspace,
  type WorkspaceRoot,
} from './workspace';

export const DEFAULT_SKIP_DIRS: readonly string[] = Object.freeze(['node_modules', '.git']);

/** Most hidden entries a sandbox masks; past that ARC will not pretend to have hidden them all. */
export const MAX_MASKED_ENTRIES = 10_000;

export interface NodeWorkspaceOptions {
  /** Absolute folder paths; the first is where commands run. */
  roots: string[];
  /**
   * The ripgrep binary for search_text: a path (VS Code ships one under its app root), null to
   * always use the Node search, or undefined to look for `rg` on PATH.
   */
  ripgrepPath?: string | null;
  /** How long a regular expression may run in the search worker (default 10 s). */
  regexTimeoutMs?: number;
  /** Directory names never listed or searched (default node_modules, .git). */
  skipDirs?: readonly string[];
  /** Editor hooks: language-server symbols and diagnostics where an editor has them. */
  symbols?: (name: string, opts: BoundedOptions) => Promise<SymbolMatch[] | undefined>;
  diagnostics?: (path?: string) => Promise<Diagnostic[] | undefined>;
  /** Editor hooks for writes (e.g. through WorkspaceEdit so open editors follow); absolute paths. */
  io?: {
    writeFile?(abs: string, data: Uint8Array): Promise<void>;
    deleteFile?(abs: string): Promise<void>;
    /**
     * Review: a write made with `propose` goes here instead of to the disk (the editor shows it as a
     * pending change); `readFile` then gives what the agent proposed while it is pending (undefined:
     * read the disk), so later tool calls see the file as the agent left it.
     */
    propose?(abs: string, data: Uint8Array): Promise<void>;
    readFile?(abs: string): Promise<Uint8Array | undefined>;
  };
}

interface Root extends WorkspaceRoot {
  real: string;
}

export class NodeWorkspace implements Workspace {
  readonly roots: readonly WorkspaceRoot[];
  private readonly rootsInternal: Root[];
  private readonly skipDirs: ReadonlySet<string>;
  private readonly ignoreCache = new Map<string, IgnoreRules>();
  /** The sandbox's mask list, walked again only when a folder changed (hiddenCache.ts). */
  readonly hiddenEntries = new HiddenEntriesCache();
  private rg: string | null | undefined;

  constructor(private readonly options: NodeWorkspaceOptions) {
    if (options.roots.length === 0) throw new Error('NodeWorkspace needs at least one folder');
    const used = new Set<string>();
    this.rootsInternal = options.roots.map((r) => {
      const abs = path.resolve(r);
      if (!existsSync(abs)) throw new Error(`workspace folder ${abs} does not exist`);
      let name = '';
      if (options.roots.length > 1) {
        const base = path.basename(abs) || 'root';
        name = base;
        for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
        used.add(name);
      }
      return { name, path: abs, real: realpathSync(abs) };
    });
    this.roots = this.rootsInternal.map(({ name, path: p }) => ({ name, path: p }));
    this.skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
    this.rg = options.ripgrepPath === undefined ? undefined : options.ripgrepPath;
  }

  /** The ripgrep binary search_text uses, or null for the Node search. */
  ripgrep(): string | null {
    if (this.rg === undefined) this.rg = findRipgrep() ?? null;
    return this.rg;
  }

  commandCwd(): string {
    return this.rootsInternal[0]!.path;
  }

  // -------------------------------------------------------------------------------------------------
  // Confinement

  async resolve(input: string): Promise<ResolvedPath> {
    if (typeof input !== 'string' || input.trim() === '') throw new WorkspaceError('the path is empty', 'invalid');
    if (input.includes('\0')) throw new WorkspaceError('the path contains a NUL character', 'invalid');
    let p = input.trim();
    if (process.platform === 'win32') p = p.replace(/\\/g, '/');
    const isAbs = path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p);
    let root: Root | undefined;
    let abs: string;
    if (isAbs) {
      const target = path.resolve(p);
      root = this.rootsInternal.find((r) => inside(r.path, target) || inside(r.real, target));
      if (!root) {
        throw new WorkspaceError(
          `"${input}" is outside the workspace: an absolute path must point inside ${this.describeRoots()}; prefer workspace-relative paths`,
          'outside',
        );
      }
      abs = inside(root.path, target) ? target : path.join(root.path, path.relative(root.real, target));
    } else {
      p = p.replace(/^(\.\/)+/, '');
      const first = p.split('/')[0];
      root = this.rootsInternal.length > 1 ? this.rootsInternal.find((r) => r.name === first) : undefined;
      const within = root ? p.slice(first!.length).replace(/^\/+/, '') : p;
      root ??= this.rootsInternal[0]!;
      abs = path.resolve(root.path, within);
      if (!inside(root.path, abs)) {
        throw new WorkspaceError(`"${input}" escapes the workspace: ".." may not lead outside ${this.describeRoots()}`, 'outside');
      }
    }
    const rel = toPosix(path.relative(root.path, abs));
    // Follow symbolic links on the part of the path that exists: it must stay inside too.
    const real = await realpathOfExisting(abs);
    if (!inside(root.real, real)) {
      throw new WorkspaceError(`"${input}" leads through a symbolic link to ${real}, outside the workspace; ARC does not follow links out of it`, 'outside');
    }
    const realRel = toPosix(path.relative(root.real, real));
    return { path: root.name ? (rel ? `${root.name}/${rel}` : root.name) : rel, abs, root: { name: root.name, path: root.path }, rel, realRel };
  }

  private describeRoots(): string {
    return this.rootsInternal.map((r) => r.path).join(', ');
  }

  private rootOf(r: ResolvedPath): Root {
    return this.rootsInternal.find((x) => x.path === r.root.path)!;
  }

  private async ignoreRules(root: Root): Promise<IgnoreRules> {
    let rules = this.ignoreCache.get(root.path);
    if (!rules) {
      let text = '';
      try {
        text = await fsp.readFile(path.join(root.path, '.arcignore'), 'utf8');
      } catch {
        // no .arcignore
      }
      rules = new IgnoreRules(text);
      this.ignoreCache.set(root.path, rules);
    }
    return rules;
  }

  private async hiddenRel(root: Root, rel: string, isDir: boolean): Promise<string | undefined> {
    if (rel === '') return undefined;
    if (isSensitivePath(rel)) return 'its name marks it as a secret (.env files, keys, credentials)';
    if ((await this.ignoreRules(root)).ignores(rel, isDir)) return 'it is listed in .arcignore';
    return undefined;
  }

  async isHidden(input: string): Promise<boolean> {
    return (await this.hiddenReason(input)) !== undefined;
  }

  async hiddenReason(input: string): Promise<string | undefined> {
    return this.resolvedHiddenReason(await this.resolve(input));
  }

  private async resolvedHiddenReason(r: ResolvedPath): Promise<string | undefined> {
    const root = this.rootOf(r);
    let st;
    try {
      st = await fsp.stat(r.abs);
    } catch {
      // missing: judged as a file
    }
    const isDir = st?.isDirectory() ?? false;
    // A link named innocently may point at a secret: judge both names.
    const byName = (await this.hiddenRel(root, r.rel, isDir)) ?? (r.realRel !== r.rel ? await this.hiddenRel(root, r.realRel, isDir) : undefined);
    if (byName) return byName;
    // A second hard link can be a file anywhere on the same disk (DESIGN §5): outside unless approved.
    if (st?.isFile() && st.nlink > 1) return `it is a hard link (${st.nlink} names for one file), which may be a file outside the workspace`;
    return undefined;
  }

  private async access(input: string, opts: AccessOptions | undefined): Promise<ResolvedPath> {
    const r = await this.resolve(input);
    const why = opts?.allowHidden ? undefined : await this.resolvedHiddenReason(r);
    if (why) throw new WorkspaceError(`"${r.path}" is hidden from ARC: ${why}`, 'hidden');
    return r;
  }

  /** Keeps only results on paths inside the folders that are not hidden (editor symbols, diagnostics). */
  private async visibleOnly<T extends { path: string }>(items: readonly T[]): Promise<T[]> {
    const out: T[] = [];
    for (const item of items) {
      try {
        const r = await this.resolve(item.path);
        if ((await this.resolvedHiddenReason(r)) === undefined) out.push({ ...item, path: r.path });
      } catch {
        // outside the workspace: never shown
      }
    }
    return out;
  }

  async sandboxPaths(): Promise<SandboxPaths> {
    const masked: string[] = [];
    const readOnly: string[] = [];
    for (const root of this.rootsInternal) {
      const rules = await this.ignoreRules(root);
      const found = this.hiddenEntries.list(root.path, {
        skipDirs: this.skipDirs,
        hidden: (rel, isDir) => isSensitivePath(rel) || rules.ignores(rel, isDir),
        limit: MAX_MASKED_ENTRIES - masked.length,
      });
      if (!found.complete) {
        throw new WorkspaceError(`the workspace has more than ${MAX_MASKED_ENTRIES} hidden files; ARC cannot mask them all in the sandbox`, 'too_large');
      }
      masked.push(...found.entries.map((e) => e.abs));
      // .git is never walked; its config can hold tokens.
      const gitConfig = path.join(root.path, '.git', 'config');
      if (existsSync(gitConfig)) masked.push(gitConfig);
      for (const rel of SANDBOX_READ_ONLY) {
        const abs = path.join(root.path, rel);
        if (existsSync(abs) && abs !== gitConfig) readOnly.push(abs);
      }
    }
    return { writable: this.rootsInternal.map((r) => r.path), masked, readOnly };
  }

  // -------------------------------------------------------------------------------------------------
  // Files

  async stat(input: string): Promise<FileStat> {
    const r = await this.resolve(input);
    try {
      const st = await fsp.stat(r.abs);
      return { kind: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other', size: st.size };
    } catch {
      // A dangling link is not "missing": creating a file there would write through it.
      return (await fsp.lstat(r.abs).then(() => true, () => false)) ? { kind: 'other', size: 0 } : { kind: 'missing', size: 0 };
    }
  }

  async readFile(input: string, opts?: AccessOptions): Promise<Uint8Array> {
    const r = await this.access(input, opts);
    const st = await fsp.stat(r.abs).catch(() => undefined);
    if (!st) throw new WorkspaceError(`"${r.path}" does not exist`, 'not_found');
    if (!st.isFile()) throw new WorkspaceError(`"${r.path}" is ${st.isDirectory() ? 'a folder' : 'not a regular file'}`, 'not_a_file');
    const pending = await this.options.io?.readFile?.(r.abs);
    return pending ?? fsp.readFile(r.abs);
  }

  async writeFile(input: string, data: Uint8Array, opts?: AccessOptions): Promise<void> {
    const r = await this.access(input, opts);
    const st = await fsp.stat(r.abs).catch(() => undefined);
    if (!st) throw new WorkspaceError(`"${r.path}" does not exist; use create_file for new files`, 'not_found');
    if (!st.isFile()) throw new WorkspaceError(`"${r.path}" is not a regular file`, 'not_a_file');
    if (opts?.propose && this.options.io?.propose) await this.options.io.propose(r.abs, data);
    else if (this.options.io?.writeFile) await this.options.io.writeFile(r.abs, data);
    else await fsp.writeFile(r.abs, data);
  }

  async createFile(input: string, data: Uint8Array, opts?: AccessOptions): Promise<{ createdDirs: string[] }> {
    const r = await this.access(input, opts);
    if (r.rel === '') throw new WorkspaceError('cannot create the workspace folder itself', 'invalid');
    if (await fsp.lstat(r.abs).then(() => true, () => false)) {
      throw new WorkspaceError(`"${r.path}" already exists; create_file never overwrites (use edit_file to change it)`, 'exists');
    }
    // Missing parents, outermost first, so undo can remove them again.
    const createdDirs: string[] = [];
    const missing: string[] = [];
    for (let dir = path.dirname(r.abs); inside(r.root.path, dir) && dir !== r.root.path; dir = path.dirname(dir)) {
      const st = await fsp.lstat(dir).catch(() => undefined);
      if (st) {
        if (!st.isDirectory()) throw new WorkspaceError(`cannot create "${r.path}": ${toPosix(path.relative(r.root.path, dir))} is not a folder`, 'invalid');
        break;
      }
      missing.unshift(dir);
    }
    for (const dir of missing) {
      await fsp.mkdir(dir);
      const rel = toPosix(path.relative(r.root.path, dir));
      createdDirs.push(r.root.name ? `${r.root.name}/${rel}` : rel);
    }
    if (this.options.io?.writeFile) await this.options.io.writeFile(r.abs, data);
    else await fsp.writeFile(r.abs, data, { flag: 'wx' });
    return { createdDirs };
  }

  async deleteFile(input: string): Promise<void> {
    const r = await this.resolve(input);
    const st = await fsp.lstat(r.abs).catch(() => undefined);
    if (!st) return;
    if (st.isDirectory()) throw new WorkspaceError(`"${r.path}" is a folder`, 'not_a_file');
    if (this.options.io?.deleteFile) await this.options.io.deleteFile(r.abs);
    else await fsp.unlink(r.abs);
  }

  async removeEmptyDir(input: string): Promise<boolean> {
    const r = await this.resolve(input);
    if (r.rel === '') return false;
    try {
      await fsp.rmdir(r.abs);
      return true;
    } catch {
      return false;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Listing and searching

  private globFilter(glob: string | undefined): (workspacePath: string, rel: string) => boolean {
    if (glob === undefined) return () => true;
    let m: (p: string) => boolean;
    try {
      m = compileGlob(glob);
    } catch (e) {
      throw new WorkspaceError(e instanceof GlobError ? e.message : `invalid glob "${glob}"`, 'invalid');
    }
    const multi = this.rootsInternal.length > 1;
    return (wp, rel) => m(wp) || (multi && m(rel));
  }

  /** Hidden paths for the walkers: synchronous, with the .arcignore rules loaded up front. */
  private async hiddenFn(): Promise<(root: SearchRoot, rel: string, isDir: boolean) => boolean> {
    const rules = new Map<string, IgnoreRules>();
    for (const r of this.rootsInternal) rules.set(r.path, await this.ignoreRules(r));
    return (root, rel, isDir) => isSensitivePath(rel) || rules.get(root.abs)!.ignores(rel, isDir);
  }

  private searchRoots(): SearchRoot[] {
    return this.rootsInternal.map((r) => ({ prefix: r.name, abs: r.path }));
  }

  async listFiles(glob: string, opts: BoundedOptions): Promise<ListResult> {
    const include = this.globFilter(glob);
    const hidden = await this.hiddenFn();
    const paths: string[] = [];
    for (const root of this.searchRoots()) {
      for await (const f of walkFiles(root.abs, { skipDirs: this.skipDirs, hidden: (rel, d) => hidden(root, rel, d), signal: opts.signal })) {
        const wp = root.prefix ? `${root.prefix}/${f.rel}` : f.rel;
        if (!include(wp, f.rel)) continue;
        if (paths.length >= opts.limit) return { paths, truncated: true };
        paths.push(wp);
      }
    }
    return { paths, truncated: false };
  }

  async searchText(query: string, opts: BoundedOptions & { glob?: string; engine?: 'ripgrep' | 'node' }): Promise<SearchOutcome> {
    if (query === '') throw new WorkspaceError('the query is empty', 'invalid');
    const params: SearchParams = {
      query,
      roots: this.searchRoots(),
      skipDirs: this.skipDirs,
      hidden: await this.hiddenFn(),
      include: this.globFilter(opts.glob),
      limit: opts.limit,
      signal: opts.signal,
    };
    const rg = opts.engine === 'node' ? null : this.ripgrep();
    if (rg) {
      try {
        return await searchWithRipgrep(rg, params);
      } catch (e) {
        if (!(e instanceof RipgrepRejectedQuery) && opts.engine === 'ripgrep') throw e;
        // A dialect ripgrep rejects, or ripgrep failed to start: the Node search gives the same answer.
      }
    } else if (opts.engine === 'ripgrep') {
      throw new Error('ripgrep is not available');
    }
    return searchWithNode({ ...params, regexTimeoutMs: this.options.regexTimeoutMs });
  }

  async findSymbols(name: string, opts: BoundedOptions): Promise<SymbolResult> {
    if (this.options.symbols) {
      const raw = await this.options.symbols(name, opts);
      // The editor's index covers files ARC hides and files outside the folders: filter like the rest.
      const found = raw && (await this.visibleOnly(raw));
      if (found && found.length) return { matches: found.slice(0, opts.limit), truncated: found.length > opts.limit, heuristic: false };
    }
    const hidden = await this.hiddenFn();
    const matches: SymbolMatch[] = [];
    let inBatch = 0;
    for (const root of this.searchRoots()) {
      for await (const f of walkFiles(root.abs, { skipDirs: this.skipDirs, hidden: (rel, d) => hidden(root, rel, d), signal: opts.signal })) {
        if (!hasSymbolExtension(f.rel)) continue;
        if (++inBatch >= 64) {
          inBatch = 0;
          await yieldToEventLoop();
        }
        const buf = readSmallFileSync(f.abs, MAX_SEARCH_FILE_BYTES);
        if (!buf || buf.includes(0)) continue;
        for (const m of findSymbolsInText(buf.toString('utf8'), name, root.prefix ? `${root.prefix}/${f.rel}` : f.rel)) {
          if (matches.length >= opts.limit) return { matches, truncated: true, heuristic: true };
          matches.push(m);
        }
      }
    }
    return { matches, truncated: false, heuristic: true };
  }

  async diagnostics(input?: string): Promise<Diagnostic[] | undefined> {
    if (!this.options.diagnostics) return undefined;
    const p = input === undefined ? undefined : (await this.access(input, undefined)).path;
    const list = await this.options.diagnostics(p);
    return list && this.visibleOnly(list);
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The real path of `p`, or of its deepest existing ancestor joined with the missing rest. */
async function realpathOfExisting(p: string, depth = 0): Promise<string> {
  if (depth > 40) throw new WorkspaceError(`"${p}" is a loop of symbolic links`, 'invalid');
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = await fsp.realpath(cur);
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      // A dangling link: its target counts, even though it does not exist yet.
      const link = await fsp.readlink(cur).catch(() => undefined);
      if (link !== undefined) {
        const target = path.resolve(path.dirname(cur), link);
        if (target !== cur) return realpathOfExisting(rest.length ? path.join(target, ...[...rest].reverse()) : target, depth + 1);
      }
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}
