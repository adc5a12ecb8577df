// The agent's tools (DESIGN §6.5). Each is a zod schema, which both validates what the model sent and
// yields the JSON schema the model sees (optional arguments are nullable; null means "not given").
// Every outcome, failures included, is a string the model can act on; nothing here throws at the loop.
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { toDecision, type Approver } from './approver';
import { judgeCommand, type CompiledCommandPolicy } from './commandPolicy';
import type { Isolation } from './sandbox';
import { DEFAULT_COMMAND_TIMEOUT_S, DEFAULT_OUTPUT_LIMIT_BYTES, MAX_COMMAND_TIMEOUT_S, type CommandResult, type CommandRunner } from './commandRunner';
import { protectedReason } from './protectedPaths';
import type { SnapshotStore } from './snapshots';
import { WorkspaceError, type Workspace } from './workspace';
import type { ToolCall, ToolSpec } from '../core/model/types';

export interface ToolLimits {
  /** Characters of one tool result the model sees. */
  resultChars: number;
  listEntries: number;
  searchMatches: number;
  symbolMatches: number;
  /** Largest file read_file and edit_file open. */
  readMaxBytes: number;
  commandTimeoutS: number;
  commandMaxTimeoutS: number;
  commandOutputBytes: number;
}

export const DEFAULT_TOOL_LIMITS: Readonly<ToolLimits> = Object.freeze({
  resultChars: 20_000,
  listEntries: 500,
  searchMatches: 200,
  symbolMatches: 50,
  readMaxBytes: 5 * 1024 * 1024,
  commandTimeoutS: DEFAULT_COMMAND_TIMEOUT_S,
  commandMaxTimeoutS: MAX_COMMAND_TIMEOUT_S,
  commandOutputBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
});

export type ChangeKind = 'edited' | 'created';

export interface CommandRecord {
  command: string;
  /** auto: allowlisted; approved: asked and approved; refused: asked and refused; denied: denylist. */
  decision: 'auto' | 'approved' | 'refused' | 'denied';
  exitCode?: number | null;
  timedOut?: boolean;
  cancelled?: boolean;
  durationMs?: number;
  /** It ran inside the OS sandbox. */
  sandboxed?: boolean;
}

export interface ToolContext {
  workspace: Workspace;
  approver: Approver;
  runner: CommandRunner;
  policy: CompiledCommandPolicy;
  snapshots: SnapshotStore;
  signal: AbortSignal;
  limits: ToolLimits;
  /** Hidden paths the user revealed during this run, and the ones they refused. */
  revealed: Set<string>;
  refusedHidden: Set<string>;
  /** Commands the user refused during this run: not asked again. */
  refusedCommands: Set<string>;
  /** What the run changed, in order. */
  changes: Map<string, ChangeKind>;
  /** Edits and new files that were not approved, with the reason. */
  refusedEdits: Array<{ path: string; kind: 'edit' | 'create'; reason: string }>;
  commands: CommandRecord[];
  /** A note for the run tree (thread.notice), e.g. that commands cannot be sandboxed here. */
  notice?: (code: string, message: string) => void;
}

/** A tool failure whose message goes back to the model. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

export interface AgentTool<A = any> {
  name: string;
  description: string;
  /** Validates the arguments; also the source of the JSON schema the model sees. */
  schema: z.ZodType<A>;
  /** Only reads: offered in untrusted workspaces, and may run concurrently with other read-only calls. */
  readOnly: boolean;
  /** The JSON schema the model sees, when it is not derived from `schema` (MCP tools bring their own). */
  parameters?: Record<string, unknown>;
  run(args: A, ctx: ToolContext): Promise<string>;
}

export function defineTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  schema: S;
  readOnly: boolean;
  run(args: z.output<S>, ctx: ToolContext): Promise<string>;
}): AgentTool<z.output<S>> {
  return tool as unknown as AgentTool<z.output<S>>;
}

/** The JSON schema of a tool's arguments, as sent to the model. */
export function toolJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return dropSafeIntegerBounds(rest) as Record<string, unknown>;
}

/** zod writes ±Number.MAX_SAFE_INTEGER bounds on every integer: noise in the model's prompt. */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'maximum' || k === 'minimum') && Math.abs(v as number) === Number.MAX_SAFE_INTEGER) continue;
    out[k] = dropSafeIntegerBounds(v);
  }
  return out;
}

export function toolSpec(tool: AgentTool): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: tool.parameters ?? toolJsonSchema(tool.schema) };
}

export class ToolRegistry {
  private readonly byName = new Map<string, AgentTool>();

  constructor(tools: readonly AgentTool[]) {
    for (const t of tools) {
      if (this.byName.has(t.name)) throw new Error(`two tools are named ${t.name}`);
      this.byName.set(t.name, t);
    }
  }

  get(name: string): AgentTool | undefined {
    return this.byName.get(name);
  }

  list(): AgentTool[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  specs(): ToolSpec[] {
    return this.list().map(toolSpec);
  }
}

export interface AgentToolOptions {
  /** An untrusted workspace gets the read-only tools only (DESIGN §5). */
  trusted: boolean;
  /** Tools the engine adds (spawn_threads, MCP); an extra tool that is not read-only is dropped when untrusted. */
  extraTools?: readonly AgentTool[];
  /** Only the tools that read (helpers a run spawns: DESIGN §3.4), never edits or commands. */
  readOnly?: boolean;
}

export function createAgentTools(opts: AgentToolOptions): ToolRegistry {
  const all = [...BUILTIN_TOOLS, ...(opts.extraTools ?? [])];
  return new ToolRegistry(opts.trusted && !opts.readOnly ? all : all.filter((t) => t.readOnly));
}

// ---------------------------------------------------------------------------------------------------
// Running one call

export interface ToolOutcome {
  ok: boolean;
  /** What the model sees. */
  content: string;
  /** The validated arguments, when they were valid. */
  args?: unknown;
}

export function truncateResult(text: string, max: number, hint = ''): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, max);
  return `${kept}\n[truncated: ${text.length - max} more characters not shown${hint ? `; ${hint}` : ''}]`;
}

/** Optional (nullable) keys the model left out count as null, as DESIGN §6.5 says. */
function fillNullables(schema: z.ZodType, args: Record<string, unknown>): Record<string, unknown> {
  if (!(schema instanceof z.ZodObject)) return args;
  const out = { ...args };
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (!(key in out) && field.safeParse(null).success) out[key] = null;
  }
  return out;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`)
    .join('; ');
}

/** Parses, validates and runs one tool call; never throws. */
export async function executeToolCall(call: ToolCall, registry: ToolRegistry, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = registry.get(call.name);
  if (!tool) {
    return { ok: false, content: `Error: there is no tool named "${call.name}". Available tools: ${registry.names().join(', ')}.` };
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (e) {
    return {
      ok: false,
      content: `Error: the arguments for ${tool.name} are not valid JSON (${e instanceof Error ? e.message : String(e)}). Send one JSON object matching the tool's schema.`,
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, content: `Error: the arguments for ${tool.name} must be a JSON object, not ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}.` };
  }
  const parsed = tool.schema.safeParse(fillNullables(tool.schema, raw as Record<string, unknown>));
  if (!parsed.success) {
    return { ok: false, content: `Error: invalid arguments for ${tool.name}: ${describeIssues(parsed.error)}.` };
  }
  try {
    const content = await tool.run(parsed.data, ctx);
    return { ok: true, content: truncateResult(content, ctx.limits.resultChars), args: parsed.data };
  } catch (e) {
    const expected = e instanceof ToolError || e instanceof WorkspaceError;
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, content: truncateResult(expected ? `Error: ${message}` : `Error: ${tool.name} failed: ${message}`, ctx.limits.resultChars), args: parsed.data };
  }
}

// ---------------------------------------------------------------------------------------------------
// Shared steps

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
    await snapshotThen(ctx, path, () => ctx.workspace.writeFile(path, data, access));
    ctx.snapshots.wrote(path, data);
    if (!ctx.changes.has(path)) ctx.changes.set(path, ctx.snapshots.created(path) ? 'created' : 'edited');
    const { added, removed } = diffStat(diff);
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

export function formatCommandResult(command: string, r: CommandResult, maxChars: number, timeoutS: number, note = ''): string {
  const secs = (r.durationMs / 1000).toFixed(1);
  const status = r.timedOut
    ? `timed out after ${timeoutS} s; the command and everything it started were stopped`
    : r.cancelled
      ? 'cancelled; the command and everything it started were stopped'
      : r.exitCode !== null
        ? `exit code ${r.exitCode}`
        : `killed by ${r.signal ?? 'a signal'}`;
  let output = r.output;
  const notes: string[] = [];
  if (note) notes.push(note);
  if (r.truncated) notes.push(`output truncated: the first ${r.droppedBytes} bytes were dropped, the end is kept`);
  const budget = Math.max(1000, maxChars - 600);
  if (output.length > budget) {
    notes.push(`${output.length - budget} more characters cut from the front to fit`);
    output = output.slice(output.length - budget);
  }
  return `$ ${command}\n${status} (${secs} s)\n${notes.map((n) => `[${n}]\n`).join('')}${output === '' ? '(no output)' : output}`;
}

/** Said once per process (an editor session, a CLI run) when commands cannot be sandboxed. */
let toldNoSandbox = false;

export const runCommandTool = defineTool({
  name: 'run_command',
  description:
    'Run a shell command in the workspace root (for tests, builds, linters). Where ARC has an OS sandbox the command runs inside it: it can write only inside the workspace, cannot read hidden files and has no network. It runs without asking only when it is one plain command (no operators, substitutions or redirections) on the user\'s allowlist and the sandbox is available; otherwise the user is asked. Default timeout 60 s, at most 600; output is capped (the end is kept) and the exit code reported.',
  schema: z.object({
    command: z.string().min(1).describe('The command line.'),
    timeoutSeconds: z.number().int().min(1).nullable().describe('Timeout in seconds (default 60, at most 600); null for the default.'),
  }),
  readOnly: false,
  async run(args, ctx) {
    const command = args.command.trim();
    const iso: Isolation = ctx.runner.isolation ?? { kind: 'none', network: true, description: 'not sandboxed: commands run as you, and every one asks first' };
    if (iso.kind === 'refused') {
      ctx.commands.push({ command, decision: 'denied' });
      throw new ToolError(`commands cannot run here: ${iso.description}${iso.hint ? ` (${iso.hint})` : ''}. Tell the user; do not retry.`);
    }
    if (iso.kind === 'none' && !toldNoSandbox) {
      toldNoSandbox = true;
      ctx.notice?.('no_sandbox', `Commands are ${iso.description}.${iso.hint ? ` To sandbox them: ${iso.hint}.` : ''}`);
    }
    const verdict = judgeCommand(command, ctx.policy);
    if (verdict.action === 'deny') {
      ctx.commands.push({ command, decision: 'denied' });
      throw new ToolError(`the command was refused and not run: ${verdict.reason}.`);
    }
    const sandboxed = iso.kind === 'sandbox';
    let decision: CommandRecord['decision'] = 'auto';
    // Nothing auto-runs outside the sandbox (DESIGN §5), however the allowlist reads.
    const ask = verdict.action === 'ask' || !sandboxed;
    if (ask) {
      const reason = verdict.action === 'ask' ? verdict.reason : `there is no sandbox (${iso.description}), so the allowlist does not apply`;
      if (ctx.refusedCommands.has(command)) {
        ctx.commands.push({ command, decision: 'refused' });
        return `The command was NOT run: the user already refused "${command}" in this run. Do not retry it in another form.`;
      }
      const d = toDecision(await ctx.approver.approveCommand({ command, reason, cwd: ctx.workspace.commandCwd(), sandboxed, network: iso.network }, ctx.signal));
      if (!d.approved) {
        ctx.refusedCommands.add(command);
        ctx.commands.push({ command, decision: 'refused' });
        return `The command was NOT run: ${d.reason ?? 'the user refused it'}. (Approval was needed because ${reason}.)`;
      }
      decision = 'approved';
    }
    let timeoutS = args.timeoutSeconds ?? ctx.limits.commandTimeoutS;
    let note = '';
    if (timeoutS > ctx.limits.commandMaxTimeoutS) {
      note = `timeout lowered from ${timeoutS} s to the ${ctx.limits.commandMaxTimeoutS} s maximum`;
      timeoutS = ctx.limits.commandMaxTimeoutS;
    }
    let sandboxPaths;
    if (sandboxed) {
      try {
        sandboxPaths = await ctx.workspace.sandboxPaths();
      } catch (e) {
        ctx.commands.push({ command, decision: 'denied' });
        throw new ToolError(`the command was not run: ${e instanceof Error ? e.message : String(e)}.`);
      }
    }
    const r = await ctx.runner.run({
      command,
      cwd: ctx.workspace.commandCwd(),
      timeoutMs: timeoutS * 1000,
      signal: ctx.signal,
      outputLimit: ctx.limits.commandOutputBytes,
      sandboxPaths,
    });
    ctx.commands.push({ command, decision, exitCode: r.exitCode, timedOut: r.timedOut, cancelled: r.cancelled, durationMs: Math.round(r.durationMs), sandboxed: r.sandboxed ?? false });
    const where = r.sandboxed ? `ran in the sandbox (${iso.network ? 'network allowed' : 'no network'}; writes only inside the workspace)` : 'ran unsandboxed';
    const strays = r.strays ? `; ${r.strays} process(es) it left running were ended` : '';
    return formatCommandResult(command, r, ctx.limits.resultChars, timeoutS, [note, `${where}${strays}`].filter(Boolean).join('; '));
  },
});

export const BUILTIN_TOOLS: readonly AgentTool[] = Object.freeze([
  readFileTool,
  listFilesTool,
  searchTextTool,
  findSymbolTool,
  getDiagnosticsTool,
  editFileTool,
  createFileTool,
  runCommandTool,
]);
