// The agent's tool framework (DESIGN §6.5): a tool is a zod schema, which both validates what the model
// sent and yields the JSON schema the model sees (optional arguments are nullable; null means "not
// given"), the per-run context the tools share, and running one call. Every outcome, failures
// included, is a string the model can act on; nothing here throws at the loop. The tools themselves
// are in fileTools.ts and commandTool.ts, gathered in builtinTools.ts.
import { z } from 'zod';
import type { Approver } from './approver';
import type { CompiledCommandPolicy } from './commandPolicy';
import { DEFAULT_COMMAND_TIMEOUT_S, DEFAULT_OUTPUT_LIMIT_BYTES, MAX_COMMAND_TIMEOUT_S, type CommandRunner } from './commandRunner';
import { SnapshotStore } from './snapshots';
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

/** A fresh context for one run: what the caller must give, and empty run state for the rest. */
export function createToolContext(
  given: Pick<ToolContext, 'workspace' | 'approver' | 'runner' | 'policy' | 'signal'> & { snapshots?: SnapshotStore; limits?: Partial<ToolLimits>; notice?: ToolContext['notice'] },
): ToolContext {
  return {
    workspace: given.workspace,
    approver: given.approver,
    runner: given.runner,
    policy: given.policy,
    snapshots: given.snapshots ?? new SnapshotStore(),
    signal: given.signal,
    limits: { ...DEFAULT_TOOL_LIMITS, ...given.limits },
    revealed: new Set(),
    refusedHidden: new Set(),
    refusedCommands: new Set(),
    changes: new Map(),
    refusedEdits: [],
    commands: [],
    ...(given.notice ? { notice: given.notice } : {}),
  };
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
