// Runs one thread of a run: its model calls (through ThreadState, budgeted by effort/budgetedCall),
// its spawned children through the shared scheduler, SCALE steps and the agent loop, and the events
// that show all of it (DESIGN §3.2, §3.3, §3.4, §6.2). One ThreadRunner per run: it owns the run's
// accounting. Shapes are in ./threadTypes.ts, a thread's calls in ./threadState.ts.
import { linkedAbort } from '../core/abort';
import type { ChatMessage, ChatModel, Usage } from '../core/model/types';
import type { ThreadStatus } from '../core/run/events';
import { costOf, emptyUsage } from '../core/run/ledger';
import { endpointKey } from '../core/scheduler';
import type { Budget } from '../effort/budget';
import { MIN_ANSWER_RESERVE } from '../effort/budgetedCall';
import { LEVEL_PRIORS, planEnforcement, type EnforcementPlan } from '../effort/enforce';
import { runScale, stepBudgetParts, type ScaleDeps } from '../effort/scale';
import { RunAccounting } from '../parallel/accounting';
import { carveChildBudgets, MIN_CHILD_BUDGET } from '../parallel/carve';
import { childMessages } from '../parallel/prompts';
import { runSpawnLoop, type ParentCallResult } from '../parallel/spawnLoop';
import { MAX_SPAWN_ROUNDS, parseSpawnArguments, SPAWN_TOOL_NAME, spawnResultJson, spawnToolSpec, type ChildResult, type SpawnRequest } from '../parallel/spawnProtocol';
import { AGENT_HELPER_NOTE } from '../agent/prompts';
import { withSystemNote } from '../core/model/messages';
import { createAgentTools, defineTool, runAgentLoop, ToolError, type AgentTool } from '../agent';
import { z } from 'zod';
import { ThreadState } from './threadState';
import type { AgentEnvironment, EffortPlan, RunnerDeps, ThreadResult, ThreadSpec } from './threadTypes';

export type { AgentEnvironment, EffortPlan, RunnerDeps, ThreadResult, ThreadSpec } from './threadTypes';
export { ThreadState } from './threadState';

/** Steps of a spawned helper, and its budget when the parent's is unknown. */
const HELPER_MAX_STEPS = 12;
const HELPER_DEFAULT_BUDGET = 16_000;

/** A System 1 step on a model that always thinks may think this much before it must answer. */

/** The request as the model sees it: SCALE plans from the user's own turn. */
function lastUserTurn(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return '';
}

export class ThreadRunner {
  readonly accounting: RunAccounting;
  private childSeq = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.accounting = new RunAccounting(deps.now);
  }

  async run(spec: ThreadSpec, body?: (state: ThreadState) => Promise<ThreadResult>): Promise<ThreadResult> {
    const { emit } = this.deps;
    const budget = spec.cap ?? spec.effort?.budget.total ?? null;
    emit.emit('thread.started', spec.id, { goal: spec.goal, role: spec.role, mode: spec.mode, budget, model: spec.model.id }, spec.parentId);
    this.accounting.start(spec.id, spec.parentId, spec.group ?? 0);
    const state = new ThreadState(spec, this.deps);
    let result: ThreadResult;
    try {
      if (body) result = await body(state);
      else result = spec.spawn ? await this.spawning(spec, state) : await this.single(spec, state);
    } catch (e) {
      result = state.failure(e);
    }
    const u = state.usage;
    if (state.usageKnown) {
      emit.emit('usage', spec.id, { model: spec.model.id, usage: u, cost: this.deps.ledger.add(spec.model.id, u) }, spec.parentId);
    } else {
      // No usage arrived (the server sent none, or the call ended first): the cost is unknown, not zero.
      this.deps.ledger.markUnknown(spec.model.id);
      emit.emit('usage', spec.id, { model: spec.model.id, usage: u, cost: null }, spec.parentId);
    }
    this.accounting.addTokens(spec.id, u.completion);
    this.accounting.end(spec.id);
    emit.emit('thread.finished', spec.id, { status: result.status, answer: result.answer, usage: u, ...(result.error ? { error: result.error } : {}) }, spec.parentId);
    return { ...result, usage: u, tokens: u.completion + state.childTokens + state.spawnedTokens };
  }

  /**
   * A reasoning thread run as SCALE (DESIGN §3.3): the plan and score calls are the thread's own
   * (thinking off), each step is a child thread — System 1 on the instant role, System 2 on the
   * reasoning role with its share of the budget — and the last step's answer is the thread's.
   */
  async scale(spec: ThreadSpec, models: { system1: ChatModel; system2: ChatModel }, effort: number, budget: number, levelMean: (model: ChatModel, level: keyof typeof LEVEL_PRIORS) => number): Promise<ThreadResult> {
    return this.run({ ...spec, cap: budget }, async (state) => {
      const depthOf = new Map<number, number>();
      const deps: ScaleDeps = {
        call: async (req) => {
          const out = await state.plainCall(models.system1, req.messages, req.maxOutputTokens, req.signal);
          return out;
        },
        runStep: async (req) => {
          const model = req.system === 1 ? models.system1 : models.system2;
          const parts = stepBudgetParts(req.budget, req.system, req.final);
          const stepBudget: Budget = { effort, estimate: parts.reasoning, reasoning: parts.reasoning, answer: parts.answer, total: parts.reasoning + parts.answer };
          // System 1 is thinking off (DESIGN §3.3, §4): the provider sends the model's working control.
          const plan: EnforcementPlan = req.system === 1 ? { kind: 'none', request: { maxOutputTokens: stepBudget.total } } : planEnforcement(model.capabilities, stepBudget, (level) => levelMean(model, level));
          const r = await this.run({
            id: `${spec.id}.s${req.index + 1}`,
            parentId: spec.id,
            group: depthOf.get(req.index) ?? req.index,
            goal: req.title || req.goal,
            role: req.system === 1 ? 'instant' : 'reasoning',
            mode: req.system === 1 ? 'instant' : 'reasoning',
            messages: req.messages,
            model,
            effort: { bucket: `scale|${model.id}|system${req.system}`, budget: stepBudget, plan },
            ...(req.system === 1 ? { thinking: 'off' as const } : {}),
            cap: req.budget,
            depth: spec.depth + 1,
            signal: req.signal,
            deltas: req.final && spec.deltas,
            onAnswer: req.final ? spec.onAnswer : undefined,
            timedOut: undefined,
          });
          state.childTokens += r.tokens;
          return { status: r.status, answer: r.answer, tokens: r.tokens, ...(r.error ? { error: r.error } : {}) };
        },
        pool: {
          run: (fn, signal) => this.deps.scheduler.run(endpointKey(models.system2.id), (slot) => fn(slot.signal), signal),
        },
        emit: (event) => {
          if (event.type === 'plan.created') {
            for (const [i, step] of event.data.steps.entries()) {
              const d = step.dependsOn.reduce((m, j) => Math.max(m, (depthOf.get(j) ?? 0) + 1), 0);
              depthOf.set(i, d);
            }
            this.deps.emit.emit('plan.created', spec.id, event.data, spec.parentId);
          } else {
            this.deps.emit.emit('thread.notice', spec.id, event.data, spec.parentId);
          }
        },
      };
      const result = await runScale(deps, { request: lastUserTurn(spec.messages), effort, budget }, spec.signal);
      if (result.status === 'fallback') {
        // No usable plan: one undecomposed reasoning call with what is left (the notice is out already).
        const remaining = Math.max(0, budget - state.usage.completion);
        const out = await state.budgetedCall(spec.messages, {}, remaining);
        if (out.overBudget) return { status: 'over_budget', answer: out.text, usage: state.usage, tokens: 0, error: out.error };
        if (out.noAnswer) return { status: 'failed', answer: '', usage: state.usage, tokens: 0, error: out.error, kind: 'no_answer' };
        return { status: 'done', answer: out.text, usage: state.usage, tokens: 0 };
      }
      spec.onAnswer?.(result.answer);
      if (result.status === 'done') return { status: 'done', answer: result.answer, usage: state.usage, tokens: 0 };
      if (result.status === 'cancelled') return { status: 'cancelled', answer: result.answer, usage: state.usage, tokens: 0 };
      const error = result.notes.at(-1) ?? 'A SCALE step failed.';
      return { status: result.status, answer: result.answer, usage: state.usage, tokens: 0, error, kind: 'scale_step_failed' };
    });
  }

  /**
   * An agentic thread (DESIGN §3.1, §5): the bounded tool loop over the workspace, with
   * `spawn_threads` added to its tools when the thread may spawn, all within `budget`.
   */
  async agentic(spec: ThreadSpec, env: AgentEnvironment, budget: number, opts: { readOnly?: boolean } = {}): Promise<ThreadResult> {
    return this.run({ ...spec, cap: budget }, async (state) => {
      const { emit } = this.deps;
      const readOnly = Boolean(opts.readOnly);
      const notice = (code: string, message: string) => emit.emit('thread.notice', spec.id, { code, message }, spec.parentId);
      let surfaceTools: AgentTool[] = [];
      try {
        surfaceTools = (await env.extraTools?.({ readOnly, notice })) ?? [];
      } catch (e) {
        notice('tools_unavailable', `Extra tools (MCP) are unavailable in this run: ${e instanceof Error ? e.message : String(e)}`);
      }
      // Spawned helpers in an agentic run get the read-only tools (DESIGN §3.4).
      const extraTools = [...(spec.spawn && !readOnly ? [this.spawnTool(spec, state, env)] : []), ...surfaceTools];
      const tools = createAgentTools({ trusted: env.trusted, extraTools, readOnly });
      let answer = '';
      const result = await runAgentLoop({
        model: spec.model,
        messages: spec.messages,
        tools,
        workspace: env.workspace,
        approver: env.approver,
        runner: env.runner,
        commandPolicy: env.commandPolicy,
        bounds: { maxSteps: env.maxSteps, maxOutputTokens: Math.max(1, budget - state.childTokens), wallMs: env.wallMs },
        ...(env.spendCapUsd && env.spendCapUsd > 0
          ? { spendCap: { limit: env.spendCapUsd, unit: 'USD', measure: (u: Usage) => costOf(spec.model.id, u, env.prices ?? {}) ?? 0 } }
          : {}),
        signal: spec.signal,
        onEvent: (type, data) => {
          if (type === 'thread.notice') emit.emit('thread.notice', spec.id, { code: String(data.code ?? 'agent'), message: String(data.message ?? '') }, spec.parentId);
          else emit.emit(type, spec.id, data, spec.parentId);
        },
        onText: (t) => {
          answer += t;
          if (spec.deltas) emit.emit('thread.delta', spec.id, { text: t }, spec.parentId);
          spec.onAnswer?.(answer);
        },
        onReasoning: (t) => {
          if (spec.deltas) emit.emit('thread.delta', spec.id, { reasoning: t }, spec.parentId);
        },
        onUsage: (u) => state.addUsage(u),
      });
      if (result.snapshots.size > 0) await env.onChanges?.({ runId: emit.runId, query: spec.goal, snapshots: result.snapshots.toJSON() }).catch(() => undefined);
      // What changed belongs with the answer: the user sees it even when the model forgets to say it.
      const full = result.summary.trim() && !readOnly ? `${result.answer.trim()}\n\n---\n${result.summary.trim()}`.trim() : result.answer;
      spec.onAnswer?.(full);
      const base = { answer: full, usage: state.usage, tokens: 0 };
      switch (result.status) {
        case 'done':
          return { status: 'done', ...base };
        case 'step_limit':
          emit.emit('thread.notice', spec.id, { code: 'step_limit', message: result.reason }, spec.parentId);
          return full.trim() ? { status: 'done', ...base } : { status: 'failed', ...base, error: result.reason, kind: 'step_limit' };
        case 'cancelled':
          return { status: 'cancelled', ...base };
        case 'over_budget':
          return { status: 'over_budget', ...base, error: result.reason };
        default:
          return { status: 'failed', ...base, error: result.error ?? result.reason, kind: 'agent' };
      }
    });
  }

  /** `spawn_threads` as an agent tool: the engine composes it, so agent/ and parallel/ stay apart. */
  private spawnTool(spec: ThreadSpec, state: ThreadState, helperEnv?: AgentEnvironment): AgentTool {
    const maxChildren = spec.spawn?.maxChildren ?? 1;
    let rounds = 0;
    return defineTool({
      name: SPAWN_TOOL_NAME,
      description: spawnToolSpec(maxChildren).description,
      schema: z.object({ threads: z.array(z.object({ goal: z.string(), context: z.string().nullable() })).min(1).max(maxChildren) }),
      readOnly: true,
      run: async (args) => {
        if (rounds >= MAX_SPAWN_ROUNDS) throw new ToolError(`No more spawn rounds: at most ${MAX_SPAWN_ROUNDS} per thread.`);
        const parsed = parseSpawnArguments(JSON.stringify(args), maxChildren);
        if (!parsed.ok) throw new ToolError(parsed.error);
        rounds++;
        return spawnResultJson(await this.children(spec, state, parsed.threads, rounds, helperEnv));
      },
    });
  }

  private async single(spec: ThreadSpec, state: ThreadState): Promise<ThreadResult> {
    const out = await state.budgetedCall(spec.messages, {});
    if (out.overBudget) return { status: 'over_budget', answer: out.text, usage: state.usage, tokens: 0, error: out.error };
    if (out.noAnswer) return { status: 'failed', answer: '', usage: state.usage, tokens: 0, error: out.error, kind: 'no_answer', firstCall: state.firstCall };
    return { status: 'done', answer: out.text, usage: state.usage, tokens: 0, firstCall: state.firstCall };
  }

  private async spawning(spec: ThreadSpec, state: ThreadState): Promise<ThreadResult> {
    const { maxChildren } = spec.spawn!;
    let failure: ThreadResult | undefined;
    const loop = await runSpawnLoop({
      messages: spec.messages,
      useTools: spec.model.capabilities.tools,
      maxChildren,
      call: async (messages, options): Promise<ParentCallResult> => {
        const out = await state.budgetedCall(messages, options);
        if (out.overBudget) failure = { status: 'over_budget', answer: out.text, usage: state.usage, tokens: 0, error: out.error };
        else if (out.noAnswer) failure = { status: 'failed', answer: '', usage: state.usage, tokens: 0, error: out.error, kind: 'no_answer' };
        return { text: out.text, toolCalls: out.toolCalls, final: Boolean(failure) };
      },
      runChildren: (requests, round) => this.children(spec, state, requests, round),
      notice: (code, message) => this.deps.emit.emit('thread.notice', spec.id, { code, message }, spec.parentId),
    });
    if (state.firstCall) state.firstCall.spawned = loop.rounds > 0;
    spec.onAnswer?.(loop.answer);
    if (failure) return { ...failure, answer: loop.answer || failure.answer, firstCall: state.firstCall };
    return { status: 'done', answer: loop.answer, usage: state.usage, tokens: 0, firstCall: state.firstCall };
  }

  private async children(parent: ThreadSpec, state: ThreadState, requests: SpawnRequest[], round: number, helperEnv?: AgentEnvironment): Promise<ChildResult[]> {
    const model = this.deps.childModel(parent.mode);
    const depth = parent.depth + 1;
    const plans = helperEnv ? [] : requests.map((req) => this.deps.childPlan?.(req.goal, model));
    if (plans.length && plans.every((p) => p !== undefined)) {
      // Each child budgeted from its own goal (DESIGN §3.4); the tree bounded by maxChildren × that.
      const spent = this.deps.spendCapUsd !== undefined ? this.deps.ledger.costWith(parent.model.id, state.usage) : null;
      const capped = spent !== null && spent >= this.deps.spendCapUsd!;
      if (capped) this.deps.emit.emit('thread.notice', parent.id, { code: 'spend_cap', message: `The run has cost $${spent.toFixed(4)}, at arc.spendCap ($${this.deps.spendCapUsd}): no further threads start.` }, parent.parentId);
      const caps = plans.map((p) => (capped ? 0 : this.treeAllowance(parent, p!.budget.total)));
      const results = await Promise.all(requests.map((req, i) => this.child(parent, req, caps[i], model, depth, round, undefined, caps[i] === plans[i]!.budget.total ? plans[i] : undefined)));
      for (const r of results) state.spawnedTokens += r.tokens;
      return results;
    }
    const remaining = state.remaining();
    const reserve = Math.max(MIN_ANSWER_RESERVE, Math.min(parent.effort?.budget.answer ?? 1024, Math.floor((remaining ?? 0) / 4)));
    const budgets = remaining === undefined ? requests.map(() => undefined) : carveChildBudgets(remaining, requests.length, reserve).budgets;
    const results = await Promise.all(
      requests.map((req, i) => this.child(parent, req, budgets[i], model, depth, round, helperEnv)),
    );
    for (const r of results) state.childTokens += r.tokens;
    return results;
  }

  /** Output tokens promised to spawned threads so far in this run, against maxChildren × a child's budget. */
  private treeCommitted = 0;

  /** A child's cap within the tree's allowance: its own budget while the allowance lasts, then what is left. */
  private treeAllowance(parent: ThreadSpec, childTotal: number): number {
    const allowance = (parent.spawn?.maxChildren ?? 1) * childTotal;
    const cap = Math.max(0, Math.min(childTotal, allowance - this.treeCommitted));
    const usable = cap >= MIN_CHILD_BUDGET ? cap : 0;
    this.treeCommitted += usable;
    return usable;
  }

  private async child(parent: ThreadSpec, req: SpawnRequest, cap: number | undefined, model: ChatModel, depth: number, round: number, helperEnv?: AgentEnvironment, effort?: EffortPlan): Promise<ChildResult> {
    const id = `${parent.id}.${++this.childSeq}`;
    const base: Omit<ThreadSpec, 'signal'> = {
      id,
      parentId: parent.id,
      group: round,
      goal: req.goal,
      role: parent.mode === 'instant' ? 'instant' : 'reasoning',
      mode: parent.mode === 'instant' ? 'instant' : 'reasoning',
      messages: childMessages(req),
      model,
      cap,
      ...(effort ? { effort } : {}),
      depth,
      deltas: false,
      spawn: depth < this.deps.maxDepth ? { maxChildren: parent.spawn?.maxChildren ?? 1 } : undefined,
    };
    if (cap === 0) {
      // Nothing left to carve: say so in the tree rather than start a call that cannot answer.
      const { emit } = this.deps;
      emit.emit('thread.started', id, { goal: req.goal, role: base.role, mode: base.mode, budget: 0, model: model.id }, parent.id);
      const why = this.deps.spendCapUsd !== undefined ? 'No budget was left for this thread (the tree\'s allowance, or arc.spendCap reached).' : 'No budget was left for this thread.';
      emit.emit('thread.finished', id, { status: 'over_budget', answer: '', usage: emptyUsage(), error: why }, parent.id);
      return { goal: req.goal, status: 'over_budget', answer: '', tokens: 0 };
    }
    const link = linkedAbort([parent.signal], this.deps.childTimeoutMs);
    const signal = link.signal;
    const timeout = { get aborted() { return signal.aborted && !parent.signal.aborted; } };
    const timedOut = () => (timeout.aborted ? `The thread timed out after ${(this.deps.childTimeoutMs / 1000).toFixed(1)} s.` : undefined);
    try {
      const r = await this.deps.scheduler.run(
        endpointKey(model.id),
        (slot) =>
          helperEnv
            ? // A helper of an agentic run: the read-only tools, its own budget, steps and time limit.
              this.agentic(
                { ...base, mode: 'agentic', spawn: undefined, messages: withSystemNote(base.messages, AGENT_HELPER_NOTE), signal, timedOut, onCongestion: () => slot.congestion() },
                { ...helperEnv, maxSteps: helperEnv.helperMaxSteps ?? HELPER_MAX_STEPS, wallMs: this.deps.childTimeoutMs, onChanges: undefined },
                cap ?? HELPER_DEFAULT_BUDGET,
                { readOnly: true },
              )
            : this.run({ ...base, signal, timedOut, onCongestion: () => slot.congestion() }),
        signal,
      );
      const answer = r.status === 'done' || r.answer ? r.answer : r.error ?? '';
      // The parent should know when a child's reasoning was stopped at its budget.
      const cutNote = r.firstCall?.cut && effort ? `\n[this thread's reasoning was stopped at its budget of ${effort.budget.reasoning} tokens]` : '';
      return { goal: req.goal, status: r.status, answer: `${answer}${cutNote}`, tokens: r.tokens };
    } catch (e) {
      // Cancelled while queued: it never started.
      const status: ThreadStatus = parent.signal.aborted ? 'cancelled' : 'failed';
      return { goal: req.goal, status, answer: timeout.aborted ? 'The thread timed out before it could start.' : e instanceof Error ? e.message : String(e), tokens: 0 };
    } finally {
      link.dispose();
    }
  }
}
