// One arm's run of one item through the engine (DESIGN §6.6): the arm's request, every model call of
// the run attributed to this item × arm (the run's own `usage` events — routing, plans, children and
// tool rounds included), the routed mode, threads, calls cut at their budget. Agentic items run on a
// throwaway copy of their workspace, edits there approved by the eval itself, commands under §5 (the
// sandbox, or refused); the copy is removed after the item's check has run on it.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutoApprover, NodeWorkspace, type CommandRunner } from '../agent';
import type { KnownRunEvent, Mode } from '../core/run/events';
import type { RunRequest, RunSource } from '../core/run/request';
import type { Engine } from '../engine/engine';
import type { AgentEnvironment } from '../engine/threadTypes';
import { armRequest, type ArmBase, type ArmSpec } from './arms';
import type { CommandOutcome } from './checks';
import type { EvalItem } from './items';
import type { ArmRunner, RunOutcome } from './runEval';

export interface EngineArmOptions {
  /** The engine for one run; `agent` is the environment of an agentic item's workspace copy. */
  engineFor(agent?: AgentEnvironment): Engine;
  base: ArmBase;
  source?: RunSource;
  /** Runs agent commands and command checks; without it agentic items run without a workspace. */
  runner?: CommandRunner;
  commandPolicy?: AgentEnvironment['commandPolicy'];
  /** The question as sent: the simulator needs its task mark. */
  questionFor?: (item: EvalItem) => string;
  /** Latency from the run's accounting instead of the clock (the simulator runs without pacing). */
  simulatedMs?: (run: { rootCalls: number; childCalls: number; criticalPathTokens: number }) => number;
  /** Told each run's verdict (`--learn`): the router and cost of pass learn from verified outcomes. */
  learn?: (run: { runId: string; request: RunRequest; mode: Mode; cost: number | null; correct: boolean }) => Promise<void>;
  /** Where workspace copies are made (default the OS temp dir). */
  tmpDir?: string;
}

/** The environment an agentic item runs in: its copy, edits approved, commands as §5 says. */
export function evalAgentEnvironment(dir: string, runner: CommandRunner, commandPolicy?: AgentEnvironment['commandPolicy']): AgentEnvironment {
  return {
    workspace: new NodeWorkspace({ roots: [dir] }),
    approver: new AutoApprover({ edits: true }),
    runner,
    trusted: true,
    ...(commandPolicy ? { commandPolicy } : {}),
  };
}

/** A folder copied for one run; never the original. */
export async function copyWorkspace(src: string, tmpDir = os.tmpdir()): Promise<{ dir: string; remove(): Promise<void> }> {
  const parent = await mkdtemp(path.join(tmpDir, 'arc-eval-'));
  const dir = path.join(parent, path.basename(src));
  await cp(src, dir, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true });
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** Runs a command check in the runner's sandbox on `cwd` (a copy). */
export function commandCheckRunner(runner: CommandRunner, timeoutMs = 120_000): (command: string, cwd: string, signal?: AbortSignal) => Promise<CommandOutcome> {
  return async (command, cwd, signal) => {
    const sandboxPaths = await new NodeWorkspace({ roots: [cwd] }).sandboxPaths();
    const r = await runner.run({ command, cwd, timeoutMs, sandboxPaths, ...(signal ? { signal } : {}) });
    const refused = r.exitCode === null && r.signal === null && !r.timedOut && !r.cancelled && r.output.startsWith('not run:') ? r.output.slice(8).trim() : undefined;
    return { exitCode: r.timedOut ? null : r.exitCode, output: r.timedOut ? `timed out after ${timeoutMs / 1000} s\n${r.output}` : r.output, sandboxed: Boolean(r.sandboxed), ...(refused ? { refused } : {}) };
  };
}

export function engineArmRunner(opts: EngineArmOptions): ArmRunner {
  let shared: Engine | undefined;
  return async (item: EvalItem, arm: ArmSpec, signal: AbortSignal): Promise<RunOutcome> => {
    const request = armRequest(arm, opts.base, opts.questionFor?.(item) ?? item.question, opts.source ?? 'cli');
    let copy: { dir: string; remove(): Promise<void> } | undefined;
    let engine: Engine;
    if (item.workspace && opts.runner) {
      copy = await copyWorkspace(item.workspace, opts.tmpDir);
      engine = opts.engineFor(evalAgentEnvironment(copy.dir, opts.runner, opts.commandPolicy));
    } else {
      engine = shared ??= opts.engineFor();
    }
    const started = performance.now();
    const usage = { prompt: 0, completion: 0, reasoning: 0 };
    let cost: number | null = 0;
    let calls = 0;
    let rootCalls = 0;
    let cutCalls = 0;
    let mode: Mode | undefined;
    let routed: Mode | undefined;
    let budget: number | undefined;
    let last: KnownRunEvent | undefined;
    try {
      for await (const ev of engine.run(request, signal)) {
        last = ev;
        if (ev.type === 'usage') {
          usage.prompt += ev.data.usage.prompt;
          usage.completion += ev.data.usage.completion;
          usage.reasoning += ev.data.usage.reasoning;
          if (ev.data.cost === null) cost = null;
          else if (cost !== null) cost += ev.data.cost;
          calls++;
          if (ev.threadId === 'root') rootCalls++;
        } else if (ev.type === 'run.routed') routed = ev.data.mode;
        else if (ev.type === 'thread.started' && mode === undefined) mode = ev.data.mode;
        else if (ev.type === 'run.budget' && budget === undefined && ev.threadId === 'root') budget = ev.data.reasoning;
        else if (ev.type === 'thread.notice' && ev.data.code === 'budget_reached') cutCalls++;
      }
    } catch (e) {
      await copy?.remove().catch(() => undefined);
      throw e;
    }
    const wall = performance.now() - started;
    const stats = last?.type === 'run.finished' ? last.data.stats : undefined;
    const criticalPathTokens = stats?.criticalPathTokens ?? usage.completion;
    const ms = opts.simulatedMs ? opts.simulatedMs({ rootCalls, childCalls: calls - rootCalls, criticalPathTokens }) : wall;
    const ranMode = mode ?? routed;
    const common = {
      usage,
      cost,
      ms,
      ...(ranMode ? { mode: ranMode } : {}),
      threads: stats?.threads ?? 1,
      criticalPathTokens,
      calls,
      cutCalls,
      ...(budget !== undefined ? { budget } : {}),
      ...(copy ? { workspace: copy.dir, cleanup: copy.remove } : {}),
    };
    const learn = opts.learn;
    const runId = last?.runId;
    const withLearning = (o: RunOutcome): RunOutcome =>
      learn && runId && ranMode ? { ...o, onVerdict: (correct: boolean) => learn({ runId, request, mode: ranMode, cost, correct }) } : o;
    if (last?.type === 'run.finished') return withLearning({ status: 'done', answer: last.data.answer, ...common });
    const answer = last && 'answer' in last.data && typeof last.data.answer === 'string' ? last.data.answer : '';
    if (last?.type === 'run.cancelled') return { status: 'cancelled', answer, ...common };
    const error = last?.type === 'run.failed' ? last.data.error : 'the run ended without a result';
    return { status: 'failed', answer, ...common, error };
  };
}
