// The workspace tools (DESIGN §6.5): read, list, search, symbols, diagnostics, edit and create. Hidden
// paths ask first; edits show a diff, carry the protected-path reason, and are snapshotted before
// they are written (a write that fails leaves no snapshot).
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { toDecision } from './approver';
import { protectedReason } from './protectedPaths';
import { defineTool, ToolError, type ToolContext } from './tools';


/** Access options for a path: asks the user once per run before a hidden path is touched. */
async function ensureVisible(ctx: ToolContext, path: string, tool: string): Promise<{ allowHidden?: boolean }> {
  const hidden = await ctx.workspace.hiddenReason(path);
  if (hidden === undefined) return {};
  if (ctx.revealed.has(path)) return { allowHidden: true };
  const refusal = (why?: string) =>
    new ToolError(
      `"${path}" is hidden from ARC (${hidden}): secrets, .arcignore entries and hard links are invisible to tools unless the user approves, and ${why ?? 'the user did not approve'}. Do not try to reach it another way; ask the user if you need it.`,
    );
  if (ctx.refusedHidden.has(path)) throw refusal('the user already declined it in this run');
  const d = toDecision(await ctx.approver.approveSensitive({ path, tool, reason: hidden }, ctx.signal));
  if (!d.approved) {
    ctx.refusedHidden.add(path);
    throw refusal(d.reason ? `it was not approved (${d.reason})` : undefined);
  }
  ctx.revealed.add(path);
  return { allowHidden: true };
}

const isBinary = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(0);

async function readText(
  ctx: ToolContext,
  path: string,
  tool: string,
): Promise<{ path: string; text: string; bytes: Buffer; access: { allowHidden?: boolean } }> {
  const r = await ctx.workspace.resolve(path);
  const access = await ensureVisible(ctx, r.path, tool);
  const st = await ctx.workspace.stat(r.path);
  if (st.kind === 'missing') throw new ToolError(`"${r.path}" does not exist. Use list_files or search_text to find the right path.`);
  if (st.kind === 'dir') throw new ToolError(`"${r.path}" is a folder; use list_files with a glob such as "${r.path}/**".`);
  if (st.size > ctx.limits.readMaxBytes) {
    throw new ToolError(`"${r.path}" is ${st.size} bytes, over the ${ctx.limits.readMaxBytes}-byte limit; use search_text to find what you need in it.`);
  }
  const bytes = Buffer.from(await ctx.workspace.readFile(r.path, access));
  if (isBinary(bytes)) throw new ToolError(`"${r.path}" looks binary (${bytes.length} bytes, contains NUL bytes); its content is not shown.`);
  return { path: r.path, text: bytes.toString('utf8'), bytes, access };
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function occurrences(text: string, search: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + 1)) at.push(i);
  return at;
}

function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

async function askEdit(ctx: ToolContext, path: string, kind: 'edit' | 'create', before: string, after: string) {
  const diff = createTwoFilesPatch(kind === 'create' ? '/dev/null' : `a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  const rel = (await ctx.workspace.resolve(path)).rel;
  const why = protectedReason(rel, kind === 'create' ? undefined : before, after);
  const d = toDecision(await ctx.approver.approveEdit({ path, kind, diff, ...(why ? { protectedReason: why } : {}) }, ctx.signal));
  return { diff, decision: d };
}

/** Writes through the snapshot store: a write that fails leaves no snapshot behind (undo must not touch it). */
async function snapshotThen<T>(ctx: ToolContext, path: string, write: () => Promise<T>): Promise<T> {
  const fresh = !ctx.snapshots.has(path);
  await ctx.snapshots.capture(ctx.workspace, path);
  try {
    return await write();
  } catch (e) {
    if (fresh) ctx.snapshots.discard(path);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// The tools

const nullableInt = (what: string) => z.number().int().min(1).nullable().describe(what);

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file of the workspace. Paths are relative to the workspace root. Optionally a 1-based inclusive line range. The content is returned exactly (no line numbers added), after a header line.',
  schema: z.object({
    path: z.string().describe('Workspace-relative path of the file.'),
    startLine: nullableInt('First line to return (1-based); null for the start of the file.'),
    endLine: nullableInt('Last line to return (inclusive); null for the end of the file.'),
  }),
  readOnly: true,
  async run(args, ctx) {
    const { path, text } = await readText(ctx, args.path, 'read_file');
    const lines = text === '' ? [] : text.split(/(?<=\n)/);
    const total = lines.length;
    if (total === 0) return `${path} is empty (0 lines).`;
    const start = args.startLine ?? 1;
    const end = Math.min(args.endLine ?? total, total);
    if (start > total) throw new ToolError(`startLine ${start} is past the end: "${path}" has ${plural(total, 'line')}.`);
    if (end < start) throw new ToolError(`endLine ${args.endLine} is before startLine ${start}.`);
    // Stay inside the result limit by whole lines, and say where to go on from.
    const budget = ctx.limits.resultChars - 300;
    let body = '';
    let last = start - 1;
    for (let i = start - 1; i < end; i++) {
      const line = lines[i]!;
      if (body.length + line.length > budget && last >= start) break;
      body += line.length > budget ? `${line.slice(0, budget)}…[line cut]\n` : line;
      last = i + 1;
    }
    const header = `${path} (lines ${start}-${last} of ${total})`;
    const note = last < end ? `\n[truncated at line ${last}: call read_file with startLine=${last + 1} to read on]` : '';
    return `${header}\n${body}${note}`;
  },
});

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List workspace files matching a glob. A glob without "/" matches file names at any depth ("*.ts"); with "/" it matches the whole path ("src/**/*.test.ts"); "**" lists everything. node_modules and .git are skipped; the list is capped.',
  schema: z.object({ glob: z.string().min(1).describe('Glob relative to the workspace root.') }),
  readOnly: true,
  async run(args, ctx) {
    const res = await ctx.workspace.listFiles(args.glob, { limit: ctx.limits.listEntries, signal: ctx.signal });
    if (res.paths.length === 0) return `No files match "${args.glob}".`;
    const head = res.truncated
      ? `The first ${res.paths.length} files matching "${args.glob}" (more exist; narrow the glob):`
      : `${plural(res.paths.length, 'file')} ${res.paths.length === 1 ? 'matches' : 'match'} "${args.glob}":`;
    return `${head}\n${res.paths.join('\n')}`;
  },
});

export const searchTextTool = defineTool({
  name: 'search_text',
  description:
    'Search file contents line by line. The query is a JavaScript regular expression when it is a valid one, otherwise it is matched literally; case-sensitive. Optionally limit to files matching a glob. Results are "path:line: text", capped.',
  schema: z.object({
    query: z.string().min(1).describe('Regular expression (or literal text) to find.'),
    glob: z.string().min(1).nullable().describe('Only files matching this glob (e.g. "*.ts" or "src/**"); null for all files.'),
  }),
  readOnly: true,
  async run(args, ctx) {
    const res = await ctx.workspace.searchText(args.query, { glob: args.glob ?? undefined, limit: ctx.limits.searchMatches, signal: ctx.signal });
    const what = `${res.mode === 'regex' ? 'regex' : 'literal text'} ${JSON.stringify(args.query)}${args.glob ? ` in files matching "${args.glob}"` : ''}`;
    if (res.matches.length === 0) return `No matches for ${what}.`;
    const head = res.truncated
      ? `The first ${res.matches.length} matches for ${what} (more exist; narrow the query or add a glob):`
      : `${plural(res.matches.length, 'match', 'matches')} for ${what}:`;
    return `${head}\n${res.matches.map((m) => `${m.path}:${m.line}: ${m.text}`).join('\n')}`;
  },
});

export const findSymbolTool = defineTool({
  name: 'find_symbol',
  description: 'Find where a function, class, method, type or variable is defined, by name ("Class.method" looks for the method).',
  schema: z.object({ name: z.string().min(1).describe('The symbol name.') }),
  readOnly: true,
  async run(args, ctx) {
    const res = await ctx.workspace.findSymbols(args.name.trim(), { limit: ctx.limits.symbolMatches, signal: ctx.signal });
    const how = res.heuristic ? ' (found by a text heuristic: may miss unusual definitions or include look-alikes; confirm with read_file)' : '';
    if (res.matches.length === 0) return `No definition of "${args.name}" found${how}. Try search_text.`;
    const head = `${plural(res.matches.length, 'definition')} of "${args.name}"${res.truncated ? ' (more exist)' : ''}${how}:`;
    return `${head}\n${res.matches.map((m) => `${m.path}:${m.line}: [${m.kind}] ${m.text}`).join('\n')}`;
  },
});

export const getDiagnosticsTool = defineTool({
  name: 'get_diagnostics',
  description: "The editor's current errors and warnings (compiler, linter) for one file, or for the whole workspace.",
  schema: z.object({ path: z.string().min(1).nullable().describe('A workspace file; null for every file.') }),
  readOnly: true,
  async run(args, ctx) {
    const list = await ctx.workspace.diagnostics(args.path ?? undefined);
    if (list === undefined) {
      return 'Diagnostics are not available outside the editor. Run the project\'s own checker instead (for example "npx tsc --noEmit" or its test command) with run_command.';
    }
    if (list.length === 0) return args.path ? `No diagnostics for ${args.path}.` : 'No diagnostics in the workspace.';
    return list.map((d) => `${d.path}:${d.line}${d.column ? `:${d.column}` : ''}: ${d.severity}${d.source ? ` [${d.source}]` : ''}: ${d.message}`).join('\n');
  },
});

export const editFileTool = defineTool({
  name: 'edit_file',
  description:
    'Change an existing file with search/replace blocks. Each "search" must be copied exactly from the current file (whitespace included) and match exactly once; include enough surrounding lines to make it unique. Blocks apply in order; if any block fails, nothing is changed. The user may be asked to approve the diff.',
  schema: z.object({
    path: z.string().describe('Workspace-relative path of an existing file.'),
    edits: z
      .array(
        z.object({
          search: z.string().describe('Exact current text to replace.'),
          replace: z.string().describe('The new text.'),
        }),
      )
      .min(1)
      .max(100),
  }),
  readOnly: false,
  async run(args, ctx) {
    const { path, text: original, access, bytes } = await readText(ctx, args.path, 'edit_file');
    // Re-encoding would silently rewrite bytes that are not UTF-8 (Latin-1 files): refuse instead.
    if (!Buffer.from(original, 'utf8').equals(bytes)) {
      throw new ToolError(`"${path}" is not valid UTF-8 text; edit_file would change bytes outside the edit, so it leaves this file alone.`);
    }
    let text = original;
    const crlf = original.includes('\r\n');
    const notes: string[] = [];
    for (const [i, edit] of args.edits.entries()) {
      const which = args.edits.length > 1 ? `edit ${i + 1} of ${args.edits.length}` : 'the edit';
      if (edit.search === '') throw new ToolError(`${which}: "search" is empty; quote the exact text to replace (to make a new file, use create_file). Nothing was changed.`);
      let search = edit.search;
      let replace = edit.replace;
      let at = occurrences(text, search);
      // Models write \n; a CRLF file still matches, and the replacement keeps the file's line endings.
      if (at.length === 0 && crlf && search.includes('\n') && !search.includes('\r\n')) {
        const s2 = search.replace(/\n/g, '\r\n');
        const at2 = occurrences(text, s2);
        if (at2.length > 0) {
          search = s2;
          replace = replace.replace(/\r?\n/g, '\r\n');
          at = at2;
          notes.push(`${which} matched after converting its line endings to CRLF`);
        }
      }
      if (at.length === 0) {
        const firstLine = edit.search.split('\n').find((l) => l.trim() !== '')?.trim();
        const near = firstLine ? text.split('\n').findIndex((l) => l.includes(firstLine)) : -1;
        const hint = near >= 0 ? ` Its first line appears at line ${near + 1}, so the rest differs (whitespace, indentation or changed text): read_file that region and copy it exactly.` : ' read_file the file again and copy the text exactly.';
        throw new ToolError(`${which}: the search text was not found in "${path}".${hint} Nothing was changed.`);
      }
      if (at.length > 1) {
        const lines = at.slice(0, 10).map((x) => lineOf(text, x));
        throw new ToolError(`${which}: the search text was found ${at.length} times in "${path}" (at lines ${lines.join(', ')}); include more surrounding lines so it matches exactly once. Nothing was changed.`);
      }
      text = text.slice(0, at[0]!) + replace + text.slice(at[0]! + search.length);
    }
    if (text === original) return `The edits leave "${path}" unchanged; nothing to apply.`;
    const { diff, decision } = await askEdit(ctx, path, 'edit', original, text);
    if (!decision.approved) {
      const reason = decision.reason ?? 'the user rejected it';
      ctx.refusedEdits.push({ path, kind: 'edit', reason });
      return `The edit to "${path}" was NOT applied: ${reason}. The file is unchanged.`;
    }
    const data = Buffer.from(text, 'utf8');
    const proposed = decision.pending === true;
    await snapshotThen(ctx, path, () => ctx.workspace.writeFile(path, data, proposed ? { ...access, propose: true } : access));
    ctx.snapshots.wrote(path, data);
    if (!ctx.changes.has(path)) ctx.changes.set(path, ctx.snapshots.created(path) ? 'created' : 'edited');
    const { added, removed } = diffStat(diff);
    if (proposed) {
      return `Proposed ${plural(args.edits.length, 'edit')} to "${path}" (+${added} −${removed} lines) for the user's review in the editor: from now on the file reads as you left it; the user keeps or undoes each change.${notes.length ? ` Note: ${notes.join('; ')}.` : ''}`;
    }
    return `Applied ${plural(args.edits.length, 'edit')} to "${path}" (+${added} −${removed} lines).${notes.length ? ` Note: ${notes.join('; ')}.` : ''}`;
  },
});

export const createFileTool = defineTool({
  name: 'create_file',
  description: 'Create a new file (and any missing folders) with the given content. Refuses to overwrite an existing file: use edit_file for that. The user may be asked to approve.',
  schema: z.object({
    path: z.string().describe('Workspace-relative path of the new file.'),
    content: z.string().describe('The complete file content.'),
  }),
  readOnly: false,
  async run(args, ctx) {
    const r = await ctx.workspace.resolve(args.path);
    const access = await ensureVisible(ctx, r.path, 'create_file');
    const st = await ctx.workspace.stat(r.path);
    if (st.kind !== 'missing') {
      const as = st.kind === 'dir' ? ' as a folder' : st.kind === 'other' ? ' (a symbolic link or special file)' : '';
      throw new ToolError(`"${r.path}" already exists${as}; create_file never overwrites. Use edit_file to change an existing file.`);
    }
    const { decision } = await askEdit(ctx, r.path, 'create', '', args.content);
    if (!decision.approved) {
      const reason = decision.reason ?? 'the user rejected it';
      ctx.refusedEdits.push({ path: r.path, kind: 'create', reason });
      return `"${r.path}" was NOT created: ${reason}.`;
    }
    const data = Buffer.from(args.content, 'utf8');
    const { createdDirs } = await snapshotThen(ctx, r.path, () => ctx.workspace.createFile(r.path, data, access));
    ctx.snapshots.wrote(r.path, data, createdDirs);
    if (!ctx.changes.has(r.path)) ctx.changes.set(r.path, 'created');
    return `Created "${r.path}" (${plural(data.length, 'byte')}${createdDirs.length ? `; new folders: ${createdDirs.join(', ')}` : ''}).`;
  },
});

