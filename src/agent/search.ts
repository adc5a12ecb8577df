// search_text: ripgrep when one is found, else a plain Node search; both give the same matches in
// the same order (tests compare them). Semantics, whichever engine runs:
// - the query is a JavaScript regular expression when it compiles as one, else a literal string;
//   case-sensitive; matched line by line (a trailing \r is not part of the line);
// - files over 1 MiB, files with a NUL byte (binary), symbolic links, node_modules/.git and hidden
//   paths (secrets, .arcignore) are not searched; results come in path order, capped.
// A regex that ripgrep's dialect rejects (look-around, back-references) is searched by the Node
// engine instead, so the JavaScript meaning holds — in a worker with a time limit (regexWorker.ts),
// never on the main thread, where one backtracking pattern would freeze everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { matchLinesInWorker } from './regexWorker';
import * as path from 'node:path';
import { readSmallFileSync, walkFiles, yieldToEventLoop } from './walk';

export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
/** Characters of a matching line that a result keeps. */
export const MAX_MATCH_LINE_CHARS = 400;

export interface TextMatch {
  /** Workspace path (posix). */
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

export interface SearchOutcome {
  matches: TextMatch[];
  /** More matches existed than `limit`. */
  truncated: boolean;
  engine: 'ripgrep' | 'node';
  mode: 'regex' | 'literal';
}

export interface SearchRoot {
  /** Prefix of this root's paths in the workspace ('' for a single-root workspace). */
  prefix: string;
  abs: string;
}

export interface SearchParams {
  query: string;
  roots: readonly SearchRoot[];
  skipDirs: ReadonlySet<string>;
  /** Hidden paths (secrets, .arcignore) for a root: never searched. `rel` is relative to the root. */
  hidden(root: SearchRoot, rel: string, isDir: boolean): boolean;
  /** The glob filter, on the workspace path and the root-relative path. */
  include(workspacePath: string, rel: string): boolean;
  limit: number;
  signal?: AbortSignal;
}

export interface CompiledQuery {
  mode: 'regex' | 'literal';
  regex: RegExp;
}

export function compileQuery(query: string): CompiledQuery {
  try {
    return { mode: 'regex', regex: new RegExp(query) };
  } catch {
    return { mode: 'literal', regex: new RegExp(query.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) };
  }
}

function lineText(text: string): string {
  const t = text.replace(/\r?\n$/, '').replace(/\r$/, '');
  return t.length > MAX_MATCH_LINE_CHARS ? `${t.slice(0, MAX_MATCH_LINE_CHARS)}…` : t;
}

const joinPath = (root: SearchRoot, rel: string) => (root.prefix ? `${root.prefix}/${rel}` : rel);

// ---------------------------------------------------------------------------------------------------
// Node engine

export async function searchWithNode(params: SearchParams & { regexTimeoutMs?: number }): Promise<SearchOutcome> {
  const q = compileQuery(params.query);
  if (q.mode === 'regex') return searchRegexInWorker(params, q);
  const prefilter = wholeTextPrefilter(q, params.query);
  const matches: TextMatch[] = [];
  const BATCH = 64;
  let inBatch = 0;
  for (const root of params.roots) {
    const files = walkFiles(root.abs, {
      skipDirs: params.skipDirs,
      hidden: (rel, isDir) => params.hidden(root, rel, isDir),
      signal: params.signal,
    });
    for await (const f of files) {
      const wp = joinPath(root, f.rel);
      if (!params.include(wp, f.rel)) continue;
      if (++inBatch >= BATCH) {
        inBatch = 0;
        await yieldToEventLoop();
        if (params.signal?.aborted) break;
      }
      for (const m of searchFile(f.abs, q.regex, prefilter)) {
        if (matches.length >= params.limit) return { matches, truncated: true, engine: 'node', mode: q.mode };
        matches.push({ path: wp, line: m.line, text: m.text });
      }
    }
  }
  return { matches, truncated: false, engine: 'node', mode: q.mode };
}

/** Regex mode: the walk here (it cannot hang), the matching in a worker that a time limit ends. */
async function searchRegexInWorker(params: SearchParams & { regexTimeoutMs?: number }, q: CompiledQuery): Promise<SearchOutcome> {
  const files: string[] = [];
  const names: string[] = [];
  for (const root of params.roots) {
    for await (const f of walkFiles(root.abs, { skipDirs: params.skipDirs, hidden: (rel, isDir) => params.hidden(root, rel, isDir), signal: params.signal })) {
      const wp = joinPath(root, f.rel);
      if (!params.include(wp, f.rel)) continue;
      files.push(f.abs);
      names.push(wp);
    }
  }
  const found = await matchLinesInWorker(
    { files, source: q.regex.source, flags: q.regex.flags, limit: params.limit, maxFileBytes: MAX_SEARCH_FILE_BYTES, maxLineChars: MAX_MATCH_LINE_CHARS },
    { timeoutMs: params.regexTimeoutMs, signal: params.signal },
  );
  const matches = found.slice(0, params.limit).map((m) => ({ path: names[m.file]!, line: m.line, text: m.text }));
  return { matches, truncated: found.length > params.limit, engine: 'node', mode: q.mode };
}

/**
 * A cheap test on the whole file that can only err towards "maybe": a literal is a substring test;
 * a regex runs once with the `m` flag (JavaScript's `^`, `$` and `.` then treat \n, \r, \u2028
 * and \u2029 as line ends, so a match inside one line is still found). Look-behind could see the
 * previous line, so such patterns skip the shortcut.
 */
function wholeTextPrefilter(q: CompiledQuery, query: string): (text: string) => boolean {
  if (q.mode === 'literal') return (text) => text.includes(query);
  if (query.includes('(?<')) return () => true;
  const whole = new RegExp(q.regex.source, `${q.regex.flags}m`);
  return (text) => whole.test(text);
}

function searchFile(abs: string, regex: RegExp, prefilter: (text: string) => boolean): Array<{ line: number; text: string }> {
  const buf = readSmallFileSync(abs, MAX_SEARCH_FILE_BYTES);
  if (!buf || buf.length === 0 || buf.includes(0)) return [];
  const text = buf.toString('utf8');
  if (!prefilter(text)) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: Array<{ line: number; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (regex.test(line)) out.push({ line: i + 1, text: lineText(line) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// ripgrep engine

/** `rg` on PATH (or the given candidates), verified by running `--version`; undefined when none works. */
export function findRipgrep(candidates: readonly string[] = []): string | undefined {
  const names = process.platform === 'win32' ? ['rg.exe', 'rg.cmd', 'rg'] : ['rg'];
  const fromPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((dir) => names.map((n) => path.join(dir, n)));
  for (const c of [...candidates, ...fromPath]) {
    if (!existsSync(c)) continue;
    try {
      const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 5000 });
      if (r.status === 0 && /ripgrep/i.test(r.stdout)) return c;
    } catch {
      // not runnable: try the next one
    }
  }
  return undefined;
}

/** Thrown when ripgrep's regex dialect rejects the query: the caller searches with Node instead. */
export class RipgrepRejectedQuery extends Error {}

export async function searchWithRipgrep(rgPath: string, params: SearchParams): Promise<SearchOutcome> {
  const q = compileQuery(params.query);
  const matches: TextMatch[] = [];
  let truncated = false;
  for (const root of params.roots) {
    if (matches.length > params.limit || params.signal?.aborted) break;
    const more = await ripgrepRoot(rgPath, root, q, params, matches);
    if (more) {
      truncated = true;
      break;
    }
  }
  return { matches, truncated, engine: 'ripgrep', mode: q.mode };
}

/** Appends a root's matches; true when the limit was passed (ripgrep is then stopped). */
function ripgrepRoot(rgPath: string, root: SearchRoot, q: CompiledQuery, params: SearchParams, out: TextMatch[]): Promise<boolean> {
  const args = [
    '--json',
    '--no-config',
    '--no-ignore',
    '--hidden',
    '--crlf',
    '--max-filesize',
    String(MAX_SEARCH_FILE_BYTES),
    '--sort',
    'path',
    '--no-messages',
    ...[...params.skipDirs].flatMap((d) => ['-g', `!${d}`]),
    ...(q.mode === 'literal' ? ['-F'] : []),
    '-e',
    params.query,
    '--',
    '.',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, args, { cwd: root.abs, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let pending = '';
    let stderr = '';
    let file: { rel: string; keep: boolean; lines: Array<{ line: number; text: string }> } | undefined;
    let over = false;
    let settled = false;
    const onAbort = () => child.kill();
    params.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      params.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const handle = (line: string) => {
      if (over || line === '') return;
      let ev: any;
      try {
        ev = JSON.parse(line);
      } catch {
        return;
      }
      const p: unknown = ev?.data?.path?.text;
      if (ev.type === 'begin') {
        if (typeof p !== 'string') {
          file = undefined;
          return;
        }
        const rel = normalizeRel(p);
        file = { rel, keep: !params.hidden(root, rel, false) && params.include(joinPath(root, rel), rel) && singleLink(path.join(root.abs, rel)), lines: [] };
      } else if (ev.type === 'match' && file?.keep) {
        const lines = ev.data.lines;
        const text = typeof lines?.text === 'string' ? lines.text : Buffer.from(String(lines?.bytes ?? ''), 'base64').toString('utf8');
        file.lines.push({ line: Number(ev.data.line_number), text: lineText(text) });
      } else if (ev.type === 'end' && file) {
        // ripgrep prints matches found before it notices a NUL byte; such a file is binary: drop it.
        if (file.keep && ev.data.binary_offset == null) {
          for (const m of file.lines) {
            if (out.length >= params.limit) {
              over = true;
              child.kill();
              return;
            }
            out.push({ path: joinPath(root, file.rel), line: m.line, text: m.text });
          }
        }
        file = undefined;
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        handle(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 4096) stderr += s;
    });
    child.on('error', (e) => finish(() => reject(e)));
    child.on('close', (code) => {
      if (!over && pending) handle(pending);
      finish(() => {
        if (code === 2 && !over && /regex|pattern/i.test(stderr)) reject(new RipgrepRejectedQuery(stderr.trim()));
        else resolve(over);
      });
    });
  });
}

/** A file with more than one hard link may be a file outside the workspace: not searched (DESIGN §5). */
function singleLink(abs: string): boolean {
  try {
    return lstatSync(abs).nlink <= 1;
  } catch {
    return false;
  }
}

function normalizeRel(p: string): string {
  const s = process.platform === 'win32' ? p.replace(/\\/g, '/') : p;
  return s.replace(/^(\.\/)+/, '');
}
