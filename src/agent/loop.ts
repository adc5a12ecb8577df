// The agent loop (DESIGN §3.1 agentic mode): model -> tool calls -> results -> model, until the model
// answers without tools. Bounded by steps, an output-token budget and wall time; cancellable at any
// point (the model request is aborted, a running command is killed). Never throws for model mistakes:
// malformed calls become tool errors the model sees, and the run ends with a status and a summary.
import { isModelError } from '../core/model/errors';
import type { ChatMessage, ChatModel, ChatRequest, ToolCall, Usage } from '../core/model/types';
import { toDecision, type Approver, type Decision } from './approver';
import { compileCommandPolicy, type CommandPolicyOptions } from './commandPolicy';
import type { CommandRunner } from './commandRunner';
import { SnapshotStore } from './snapshots';
import {
  createToolContext,
  executeToolCall,
  type ChangeKind,
  type CommandRecord,
  type ToolContext,
  type ToolLimits,
  type ToolOutcome,
  type ToolRegistry,
} from './tools';
import type { Workspace } from './workspace';
import { raceAbort } from '../core/abort';

export type AgentStatus = 'done' | 'failed' | 'cancelled' | 'over_budget' | 'step_limit';
export type AgentEventType = 'tool.called' | 'tool.result' | 'approval.requested' | 'approval.resolved' | 'thread.notice';

export const DEFAULT_MAX_STEPS = 25;
export const DEFAULT_MAX_OUTPUT_TOKENS = 200_000;
export const DEFAULT_WALL_MS = 20 * 60_000;

export interface AgentBounds {
  /** Model calls that may ask for tools (default 25); then one last call without tools asks for the answer. */
  maxSteps?: number;
  /** Output tokens (usage.completion) summed over every call of the loop. */
  maxOutputTokens?: number;
  /** Wall-clock limit of the whole loop, in milliseconds. */
  wallMs?: number;
}

export interface AgentLoopOptions {
  model: ChatModel;
  /** The conversation so far: normally agentSystemPrompt(...) and the user's request. */
  messages: ChatMessage[];
  tools: ToolRegistry;
  workspace: Workspace;
  approver: Approver;
  runner: CommandRunner;
  /** arc.agent.allowedCommands (+ --allow-command) and arc.agent.deniedCommands. */
  commandPolicy?: CommandPolicyOptions;
  bounds?: AgentBounds;
  /**
   * A soft cap: when `measure(usage)` (default: output tokens) reaches `limit`, the approver's
   * approveSpend is asked before the next call (absent or refused: the run stops, over_budget).
   * Each approval allows another `limit`.
   */
  spendCap?: { limit: number; unit?: string; measure?: (usage: Usage) => number };
  /** Where this run's snapshots go (default: a new store, returned in the result). */
  snapshots?: SnapshotStore;
  limits?: Partial<ToolLimits>;
  /** Extra request fields for every call (reasoningEffort, temperature, a per-call output cap …). */
  request?: Omit<ChatRequest, 'messages' | 'tools'>;
  signal?: AbortSignal;
  onEvent?: (type: AgentEventType, data: Record<string, unknown>) => void;
  onText?: (text: string) => void;
  onReasoning?: (text: string) => void;
  /** Each call's usage, as it arrives. */
  onUsage?: (usage: Usage) => void;
}

export interface AgentChange {
  path: string;
  kind: ChangeKind;
}

export interface AgentLoopResult {
  status: AgentStatus;
  /** Why the loop ended, in words. */
  reason: string;
  answer: string;
  usage: Usage;
  /** Model calls made. */
  steps: number;
  changes: AgentChange[];
  commands: CommandRecord[];
  /** What changed, what ran and what was refused, in a few sentences. */
  summary: string;
  /** The whole conversation, tool results included. */
  messages: ChatMessage[];
  snapshots: SnapshotStore;
  error?: string;
}

interface CallResult {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage?: Usage;
}

const EVENT_RESULT_CHARS = 4000;

export async function runAgentLoop(opts: AgentLoopOptions): Promise<AgentLoopResult> {
  const maxSteps = Math.max(1, opts.bounds?.maxSteps ?? DEFAULT_MAX_STEPS);
  const maxTokens = opts.bounds?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const wallMs = opts.bounds?.wallMs ?? DEFAULT_WALL_MS;
  const emit = (type: AgentEventType, data: Record<string, unknown>) => {
    try {
      opts.onEvent?.(type, data);
    } catch {
      // a listener's failure is not the run's
    }
  };
  const notice = (code: string, message: string) => emit('thread.notice', { code, message });

  // One signal for everything in flight: the caller's cancel or the wall clock.
  const run = new AbortController();
  let stopCause: 'user' | 'wall' | undefined;
  const onUserAbort = () => {
    stopCause ??= 'user';
    run.abort();
  };
  if (opts.signal?.aborted) onUserAbort();
  opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  const wallTimer = setTimeout(() => {
    stopCause ??= 'wall';
    run.abort();
  }, wallMs);

  const policy = compileCommandPolicy(opts.commandPolicy ?? {});
  if (policy.invalid.length) notice('invalid_command_pattern', `Ignored invalid command patterns (a denied one still matches literally): ${policy.invalid.join(', ')}`);

  const snapshots = opts.snapshots ?? new SnapshotStore();
  const ctx: ToolContext = createToolContext({
    workspace: opts.workspace,
    approver: observedApprover(opts.approver, emit, run.signal),
    runner: opts.runner,
    policy,
    snapshots,
    signal: run.signal,
    limits: opts.limits,
    notice,
  });
  const messages: ChatMessage[] = [...opts.messages];
  const usage: Usage = { prompt: 0, completion: 0, reasoning: 0 };
  const specs = opts.tools.specs();
  let steps = 0;
  let spendLimit = opts.spendCap?.limit;
  let estimatedUsage = false;

  const call = async (request: ChatRequest): Promise<CallResult> => {
    const r: CallResult = { text: '', reasoning: '', toolCalls: [] };
    try {
      await streamInto(r, request);
    } catch (e) {
      // A call that failed mid-stream may have said what it cost: that spend is the run's.
      const said = isModelError(e) ? e.details.usage : undefined;
      if (said) count(said);
      throw e;
    }
    // Providers end quietly on abort; a quiet end after a cancel is not an answer.
    if (run.signal.aborted) throw new Error('aborted');
    let u = r.usage;
    if (!u) {
      // No usage reported: count about four characters a token so the budget still binds.
      const chars = r.text.length + r.reasoning.length + r.toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
      u = { prompt: 0, completion: Math.ceil(chars / 4), reasoning: Math.ceil(r.reasoning.length / 4) };
      if (!estimatedUsage) notice('usage_estimated', 'The model reported no token usage; the loop estimates output tokens from characters.');
      estimatedUsage = true;
    }
    count(u);
    return r;
  };

  const count = (u: Usage): void => {
    usage.prompt += u.prompt;
    usage.completion += u.completion;
    usage.reasoning += u.reasoning;
    opts.onUsage?.(u);
  };

  const streamInto = async (r: CallResult, request: ChatRequest): Promise<void> => {
    for await (const part of opts.model.stream(request, run.signal)) {
      switch (part.type) {
        case 'text':
          r.text += part.text;
          opts.onText?.(part.text);
          break;
        case 'reasoning':
          r.reasoning += part.text;
          opts.onReasoning?.(part.text);
          break;
        case 'tool_calls':
          r.toolCalls = part.calls;
          break;
        case 'usage':
          r.usage = part.usage;
          break;
        case 'notice':
          notice(part.code, part.message);
          break;
        default:
          break;
      }
    }
  };

  const finish = (status: AgentStatus, reason: string, answer: string, error?: string): AgentLoopResult => {
    clearTimeout(wallTimer);
    opts.signal?.removeEventListener('abort', onUserAbort);
    const changes = [...ctx.changes].map(([path, kind]) => ({ path, kind }));
    const summary = summarize(changes, ctx.commands, ctx.refusedEdits);
    const text = answer.trim() !== '' ? answer : `${capitalize(reason)}.\n\n${summary}`;
    if (status !== 'done') notice(`agent_${status}`, `The agent loop ended (${status}): ${reason}.`);
    return { status, reason, answer: text, usage, steps, changes, commands: ctx.commands, summary, messages, snapshots, error };
  };
  const stopped = (): AgentLoopResult | undefined => {
    if (!run.signal.aborted) return undefined;
    return stopCause === 'wall'
      ? finish('over_budget', `the wall-time limit of ${Math.round(wallMs / 1000)} s was reached`, '')
      : finish('cancelled', 'the run was cancelled', '');
  };
  const failure = (e: unknown): AgentLoopResult => {
    const s = stopped();
    if (s) return s;
    const message = e instanceof Error ? e.message : String(e);
    return finish('failed', `the model call failed: ${message}`, '', isModelError(e) ? e.message : message);
  };

  for (;;) {
    const s = stopped();
    if (s) return s;
    const remaining = maxTokens - usage.completion;
    if (remaining <= 0) return finish('over_budget', `the output-token budget of ${maxTokens} was used up`, '');

    if (steps >= maxSteps) {
      // Out of steps: one last call without tools for the answer, if the budget allows.
      messages.push({
        role: 'user',
        content: `You have used all ${maxSteps} tool steps of this run. Do not call tools. Answer now: summarize what you found and changed, and what is left to do.`,
      });
      let answer = '';
      try {
        const r = await call({ ...opts.request, messages, maxOutputTokens: Math.min(remaining, opts.request?.maxOutputTokens ?? remaining) });
        answer = r.text;
        messages.push({ role: 'assistant', content: r.text });
      } catch (e) {
        const st = stopped();
        if (st) return st;
        notice('final_answer_failed', `The final answer request failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return finish('step_limit', `the step limit of ${maxSteps} model calls was reached`, answer);
    }

    if (spendLimit !== undefined && opts.spendCap) {
      const spent = opts.spendCap.measure ? opts.spendCap.measure(usage) : usage.completion;
      if (spent >= spendLimit) {
        const unit = opts.spendCap.unit ?? 'output tokens';
        const d: Decision = ctx.approver.approveSpend
          ? toDecision(await ctx.approver.approveSpend({ spent, limit: spendLimit, unit }, run.signal))
          : { approved: false };
        if (!d.approved) {
          const st = stopped();
          if (st) return st;
          return finish('over_budget', `the spend cap of ${spendLimit} ${unit} was reached${d.reason ? ` (${d.reason})` : ''}`, '');
        }
        spendLimit += opts.spendCap.limit;
      }
    }

    steps++;
    let r: CallResult;
    try {
      r = await call({
        ...opts.request,
        messages,
        tools: specs.length ? specs : undefined,
        maxOutputTokens: Math.min(remaining, opts.request?.maxOutputTokens ?? remaining),
      });
    } catch (e) {
      return failure(e);
    }

    if (r.toolCalls.length === 0) {
      messages.push({ role: 'assistant', content: r.text });
      return finish('done', 'the model answered', r.text);
    }

    const calls = normalizeIds(r.toolCalls, steps);
    messages.push({ role: 'assistant', content: r.text === '' ? null : r.text, toolCalls: calls });
    if (usage.completion >= maxTokens) {
      // The budget is gone: the requested tools would need another call to be of use.
      for (const c of calls) messages.push({ role: 'tool', toolCallId: c.id, content: 'Not run: the output-token budget of this run is used up.' });
      return finish('over_budget', `the output-token budget of ${maxTokens} was used up`, r.text);
    }

    const outcomes = await runCalls(calls, opts.tools, ctx, emit);
    calls.forEach((c, i) => messages.push({ role: 'tool', toolCallId: c.id, content: outcomes[i]!.content }));
  }
}

/** Read-only calls in a row run together; a write or command waits for what came before and blocks what follows. */
async function runCalls(
  calls: ToolCall[],
  tools: ToolRegistry,
  ctx: ToolContext,
  emit: (type: AgentEventType, data: Record<string, unknown>) => void,
): Promise<ToolOutcome[]> {
  const outcomes: ToolOutcome[] = new Array(calls.length);
  const readOnly = (c: ToolCall) => tools.get(c.name)?.readOnly ?? true;
  const one = async (i: number) => {
    const c = calls[i]!;
    if (ctx.signal.aborted) {
      outcomes[i] = { ok: false, content: 'Not run: the run was stopped.' };
      return;
    }
    emit('tool.called', { callId: c.id, name: c.name, arguments: displayArgs(c.arguments), readOnly: readOnly(c) });
    const start = performance.now();
    const o = await executeToolCall(c, tools, ctx);
    outcomes[i] = o;
    emit('tool.result', {
      callId: c.id,
      name: c.name,
      ok: o.ok,
      content: o.content.length > EVENT_RESULT_CHARS ? `${o.content.slice(0, EVENT_RESULT_CHARS)}…` : o.content,
      ms: Math.round(performance.now() - start),
    });
  };
  let i = 0;
  while (i < calls.length) {
    if (readOnly(calls[i]!)) {
      let j = i;
      while (j < calls.length && readOnly(calls[j]!)) j++;
      const group: Promise<void>[] = [];
      for (let k = i; k < j; k++) group.push(one(k));
      await Promise.all(group);
      i = j;
    } else {
      await one(i);
      i++;
    }
  }
  return outcomes;
}

function displayArgs(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Missing or repeated call ids would pair results with the wrong call. */
function normalizeIds(calls: ToolCall[], step: number): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((c, i) => {
    let id = c.id;
    if (!id || seen.has(id)) id = `call_${step}_${i}`;
    seen.add(id);
    return id === c.id ? c : { ...c, id };
  });
}

/** Wraps the approver: every question and answer becomes an event; a cancel or a failure is a refusal. */
function observedApprover(
  approver: Approver,
  emit: (type: AgentEventType, data: Record<string, unknown>) => void,
  signal: AbortSignal,
): Approver {
  let n = 0;
  const ask = async (kind: string, data: Record<string, unknown>, fn: () => Promise<unknown>): Promise<Decision> => {
    const id = `approval-${++n}`;
    emit('approval.requested', { id, kind, ...data });
    let d: Decision;
    try {
      d = toDecision((await raceAbort(fn(), signal, () => new Error('aborted'))) as never);
    } catch (e) {
      d = { approved: false, reason: signal.aborted ? 'the run was cancelled' : `the approval failed (${e instanceof Error ? e.message : String(e)})` };
    }
    emit('approval.resolved', { id, kind, approved: d.approved, ...(d.reason ? { reason: d.reason } : {}) });
    return d;
  };
  const wrapped: Approver = {
    approveEdit: (req, s) =>
      ask('edit', { path: req.path, editKind: req.kind, diff: req.diff, ...(req.protectedReason ? { protectedReason: req.protectedReason } : {}) }, () => approver.approveEdit(req, s ?? signal)),
    approveCommand: (req, s) =>
      ask('command', { command: req.command, reason: req.reason, cwd: req.cwd, sandboxed: req.sandboxed, network: req.network ?? false }, () => approver.approveCommand(req, s ?? signal)),
    approveSensitive: (req, s) => ask('sensitive', { path: req.path, tool: req.tool, ...(req.reason ? { reason: req.reason } : {}) }, () => approver.approveSensitive(req, s ?? signal)),
  };
  if (approver.approveTool) {
    const tool = approver.approveTool.bind(approver);
    wrapped.approveTool = (req, s) =>
      ask('tool', { name: req.name, server: req.server, tool: req.tool, arguments: req.arguments, readOnly: req.readOnly, reason: req.reason }, () => tool(req, s ?? signal));
  }
  if (approver.approveSpend) {
    const spend = approver.approveSpend.bind(approver);
    wrapped.approveSpend = (req, s) => ask('spend', { spent: req.spent, limit: req.limit, unit: req.unit }, () => spend(req, s ?? signal));
  }
  return wrapped;
}


const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What changed, what ran and what was refused, for the answer, the CLI and history. */
export function summarize(
  changes: readonly AgentChange[],
  commands: readonly CommandRecord[],
  refusedEdits: ReadonlyArray<{ path: string; kind: 'edit' | 'create'; reason: string }> = [],
): string {
  const parts: string[] = [];
  const edited = changes.filter((c) => c.kind === 'edited').map((c) => c.path);
  const created = changes.filter((c) => c.kind === 'created').map((c) => c.path);
  if (edited.length === 0 && created.length === 0) parts.push('No files were changed.');
  else {
    const bits: string[] = [];
    if (edited.length) bits.push(`edited ${edited.join(', ')}`);
    if (created.length) bits.push(`created ${created.join(', ')}`);
    parts.push(`Changed ${edited.length + created.length} file${edited.length + created.length === 1 ? '' : 's'}: ${bits.join('; ')}.`);
  }
  const ran = commands.filter((c) => c.decision === 'auto' || c.decision === 'approved');
  if (ran.length) {
    const list = ran.map((c) => `\`${c.command}\` (${c.timedOut ? 'timed out' : c.cancelled ? 'cancelled' : c.exitCode === null || c.exitCode === undefined ? 'killed' : `exit ${c.exitCode}`})`);
    parts.push(`Ran ${ran.length} command${ran.length === 1 ? '' : 's'}: ${list.join(', ')}.`);
  }
  const notRun = commands.filter((c) => c.decision === 'refused' || c.decision === 'denied');
  if (notRun.length) {
    parts.push(`Not run: ${notRun.map((c) => `\`${c.command}\` (${c.decision})`).join(', ')}.`);
  }
  if (refusedEdits.length) {
    parts.push(`Not applied: ${refusedEdits.map((e) => `${e.kind === 'create' ? 'new file' : 'edit to'} ${e.path} (${e.reason})`).join(', ')}.`);
  }
  return parts.join(' ');
}
