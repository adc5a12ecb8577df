// The conductor (DESIGN §2): Engine.run(request) routes the request (settling `task: 'auto'` from the
// routed intent), plans the e1 budget from the learned estimates at the request's effort, and runs
// the chosen mode — instant; reasoning, with APR spawning and SCALE when they apply; agentic, the
// tool loop with `spawn_threads` composed in (as reasoning, saying so, without a workspace) — through
// ThreadRunner, reporting everything as RunEvents; it learns from the first call's reasoning (a call
// cut at its budget as a censored observation).
// It composes router/, effort/, parallel/ and agent/, which never import each other.
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatModel, Usage } from '../core/model/types';
import { allowManyListeners } from '../core/abort';
import { Channel } from '../core/run/channel';
import { RunEventEmitter } from '../core/run/emitter';
import type { KnownRunEvent, Mode, ThreadStatus } from '../core/run/events';
import { UsageLedger, type PriceTable } from '../core/run/ledger';
import { AdaptiveScheduler } from '../core/scheduler';
import { computeBudget } from '../effort/budget';
import { LEVEL_PRIORS, planEnforcement } from '../effort/enforce';
import { difficultyBand } from '../effort/band';
import { bucketKey, PRIORS, type EffortEstimates } from '../effort/estimator';
import type { RunStats } from '../parallel/accounting';
import type { EffortCalibration } from '../effort/calibration';
import type { LengthPredictor } from '../effort/predictor';
import type { SparseFeatures } from '../core/run/features';
import { requestFeatures, textFeatures } from './queryFeatures';
import { DEFAULT_MAX_CHILDREN } from '../parallel/spawnProtocol';
import { defaultRunBudget, shouldUseScale } from '../effort/scale';
import type { CallResult } from './streamCall';
import { ThreadRunner, type AgentEnvironment, type EffortPlan } from './threadRunner';
import { agentSystemPrompt } from '../agent/prompts';
import { instructionsNotice, type ProjectInstructions } from '../agent/instructions';
import type { RoleName } from '../core/config/settings';
import { agenticMessages, editMessages, instantMessages, reasoningMessages } from './prompts';
import type { RunRequest } from '../core/run/request';
import { settleTask } from '../router/followUp';
import { FixedModeRouter, forcedDecision, type RouteDecision, type Router } from '../core/run/seams';

/** Gives the model for a role, or throws an Error whose message tells the user how to configure it. */
export interface ModelResolver {
  forRole(role: RoleName): ChatModel;
}

export interface EngineOptions {
  models: ModelResolver;
  prices?: PriceTable;
  router?: Router;
  newRunId?: () => string;
  now?: () => number;
  /** Minimum milliseconds between two `thread.progress` events of one thread. */
  progressIntervalMs?: number;
  /** e1 estimates of natural reasoning length; without them reasoning calls get no budget. */
  estimates?: EffortEstimates;
  /**
   * The per-query prediction of natural reasoning length (effort/predictor.ts); budgets are r × its
   * prediction, with the bucket estimate as its prior. Without it budgets are r × the bucket estimate.
   */
  predictor?: LengthPredictor;
  /** The scheduler spawned threads share; one per process, so that what an endpoint taught it lasts. */
  scheduler?: AdaptiveScheduler;
  /** Spawn depth (`arc.maxDepth`): 1 lets only the root spawn. */
  maxDepth?: number;
  childTimeoutMs?: number;
  /** Where budgets asked and reasoning used are kept per bucket and effort (for `arc stats`). */
  calibration?: EffortCalibration;
  /** Agentic mode's workspace, approvals and command runner; without it agentic runs as reasoning. */
  agent?: () => AgentEnvironment | undefined;
  /** The project's instructions for a request (AGENTS.md …; DESIGN §4); absent or undefined: none. */
  instructions?: (request: RunRequest) => Promise<ProjectInstructions | undefined>;
  /** Told each finished run's accounting (for `arc stats`). */
  onRunStats?: (stats: RunStats) => Promise<void>;
}

const DEFAULT_CHILD_TIMEOUT_MS = 300_000;
/** An agentic run may spend this many reasoning calls' e1 budgets over its steps. */
export const AGENTIC_BUDGET_CALLS = 10;
export const DEFAULT_MAX_PARALLEL = 4;

const MESSAGES: Record<'instant' | 'reasoning', (req: RunRequest) => ChatMessage[]> = {
  instant: instantMessages,
  reasoning: reasoningMessages,
};

export class Engine {
  private readonly router: Router;
  private readonly scheduler: AdaptiveScheduler;

  constructor(private readonly options: EngineOptions) {
    this.router = options.router ?? new FixedModeRouter('instant');
    this.scheduler = options.scheduler ?? new AdaptiveScheduler({ maxParallel: DEFAULT_MAX_PARALLEL });
  }

  /** Starts a run. The stream always ends with exactly one terminal event and never throws. */
  run(request: RunRequest, signal?: AbortSignal): AsyncIterable<KnownRunEvent> {
    const channel = new Channel<KnownRunEvent>();
    const runId = (this.options.newRunId ?? randomUUID)();
    const emitter = new RunEventEmitter(runId, (e) => channel.push(e), this.options.now);
    const runSignal = signal ?? new AbortController().signal;
    allowManyListeners(runSignal);
    void this.execute(request, emitter, runSignal).finally(() => channel.close());
    return channel;
  }

  private async execute(asked: RunRequest, emit: RunEventEmitter, signal: AbortSignal): Promise<void> {
    let req = asked;
    const root = 'root';
    let answer = '';
    try {
      emit.emit('run.started', root, { query: req.query, requestedMode: req.mode ?? 'auto', ...(req.source ? { source: req.source } : {}) });
      const ledger = new UsageLedger(this.options.prices);
      // A router that asks a model (self-routing) spends tokens too: they are the run's.
      const routed = await this.decide(req, signal, (model, usage) => emit.emit('usage', root, { model, usage, cost: ledger.add(model, usage) }));
      // `task: 'auto'` (inline chat) takes the routed intent: run.routed says what the run will do.
      const settled = settleTask(req, routed);
      req = settled.request;
      const decision = settled.decision;
      emit.emit('run.routed', root, decision);
      await this.router.observe?.(req, decision).catch(() => undefined);
      const instructions = await this.options.instructions?.(req).catch(() => undefined);
      if (instructions?.files.length) {
        req = { ...req, instructions };
        emit.emit('thread.notice', root, { code: 'instructions', message: instructionsNotice(instructions) });
      }
      // An edit of a selection is answered with its replacement, not worked out with tools.
      const agent = decision.mode === 'agentic' && req.task !== 'edit' ? this.options.agent?.() : undefined;
      const mode = decision.mode === 'agentic' && !agent ? 'reasoning' : decision.mode;
      if (mode !== decision.mode) {
        emit.emit('thread.notice', root, {
          code: 'mode_unavailable',
          message:
            req.task === 'edit'
              ? 'An edit of the selection is written in one reply: running reasoning mode instead of agentic.'
              : 'Agentic mode needs a workspace to work on (open a folder in VS Code, or pass --workspace DIR to arc): running reasoning mode instead.',
        });
      }
      if (signal.aborted) {
        emit.emit('run.cancelled', root, { partial: true });
        return;
      }
      const runner = this.runner(emit, ledger, req.effort, req.spendCapUsd);
      const result =
        mode === 'agentic' && agent
          ? await this.agenticThread(req, agent, emit, runner, signal, (text) => (answer = text))
          : await this.rootThread(mode === 'agentic' ? 'reasoning' : mode, req, decision, emit, runner, signal, (text) => (answer = text));
      if (result.status === 'done') {
        answer = result.answer;
        const stats = runner.accounting.summary(root);
        emit.emit('run.finished', root, { answer, partial: false, usage: ledger.total(), cost: ledger.cost(), stats });
        await this.options.onRunStats?.(stats).catch(() => undefined);
        // What the run used in the mode that served it: the router learns what modes cost (§3.1).
        const served = ledger.mainModel();
        if (served) await this.router.recordCost?.(req, decision, mode, ledger.total(), served).catch(() => undefined);
      } else if (result.status === 'cancelled') {
        emit.emit('run.cancelled', root, { ...(answer ? { answer } : {}), partial: true });
      } else {
        const error = result.error ?? (result.status === 'over_budget' ? 'The run used its whole budget before it could answer.' : 'The run failed.');
        emit.emit('run.failed', root, { error, kind: result.kind ?? (result.status === 'over_budget' ? 'over_budget' : undefined), ...(answer ? { answer } : {}), partial: true });
      }
    } catch (e) {
      // A bug or a configuration problem: still one terminal event, with what is known.
      const message = e instanceof Error ? e.message : String(e);
      emit.emit('run.failed', root, { error: message, kind: 'internal', ...(answer ? { answer } : {}), partial: true });
    }
  }

  private runner(emit: RunEventEmitter, ledger: UsageLedger, effort: number, spendCapUsd?: number): ThreadRunner {
    const estimates = this.options.estimates;
    return new ThreadRunner({
      ...(spendCapUsd && spendCapUsd > 0 ? { spendCapUsd } : {}),
      childPlan: estimates
        ? (goal, model) => {
            // The same estimator the root uses, for the child's own goal (a reasoning subtask).
            const bucket = bucketKey({ model: model.id, mode: 'reasoning', kind: 'reasoning', band: difficultyBand(goal) });
            return this.planFrom(bucket, model, effort, () => textFeatures(goal));
          }
        : undefined,
      emit,
      ledger,
      scheduler: this.scheduler,
      childModel: (parentMode) => this.modelFor(parentMode === 'instant' ? 'instant' : 'reasoning', () => undefined),
      maxDepth: this.options.maxDepth ?? 1,
      childTimeoutMs: this.options.childTimeoutMs ?? DEFAULT_CHILD_TIMEOUT_MS,
      progressIntervalMs: this.options.progressIntervalMs ?? 250,
      now: this.options.now ?? Date.now,
    });
  }

  private async decide(req: RunRequest, signal: AbortSignal, spent: (model: string, usage: Usage) => void): Promise<RouteDecision> {
    const routed = await this.router.route(req, signal, spent);
    const requested = req.mode ?? 'auto';
    return requested === 'auto' ? routed : forcedDecision(routed, requested);
  }

  /** The reasoning role falls back to the instant role's model (with a notice) when it is not set. */
  private modelFor(mode: 'instant' | 'reasoning', notice: (message: string) => void): ChatModel {
    if (mode === 'instant') return this.options.models.forRole('instant');
    try {
      return this.options.models.forRole('reasoning');
    } catch (e) {
      let fallback: ChatModel;
      try {
        fallback = this.options.models.forRole('instant');
      } catch {
        throw e;
      }
      notice(`No model is set for the reasoning role (arc.models.reasoning); reasoning with ${fallback.id} instead.`);
      return fallback;
    }
  }

  private async rootThread(
    mode: 'instant' | 'reasoning',
    req: RunRequest,
    decision: RouteDecision,
    emit: RunEventEmitter,
    runner: ThreadRunner,
    signal: AbortSignal,
    setAnswer: (text: string) => void,
  ): Promise<{ status: ThreadStatus; answer: string; error?: string; kind?: string }> {
    const threadId = 'root';
    let model: ChatModel;
    try {
      model = this.modelFor(mode, (message) => emit.emit('thread.notice', threadId, { code: 'role_fallback', message }));
    } catch (e) {
      return { status: 'failed', answer: '', error: e instanceof Error ? e.message : String(e), kind: 'config' };
    }
    const edit = req.task === 'edit';
    const messages = edit ? editMessages(req, mode === 'reasoning') : MESSAGES[mode](req);
    const effort = this.effortPlan(mode, req, decision, model);
    const r = req.effort;
    // An edit is one block of replacement text: neither split into steps nor spread over threads.
    const scale = mode === 'reasoning' && !edit ? shouldUseScale(req.scale ?? 'auto', req.query) : undefined;
    const scaleBudget = scale?.use ? defaultRunBudget(r, effort?.budget.estimate ?? PRIORS.reasoning) : undefined;
    if (effort) {
      emit.emit('run.budget', threadId, {
        effort: effort.budget.effort,
        estimate: effort.budget.estimate,
        reasoning: scaleBudget !== undefined ? scaleBudget - effort.budget.answer : effort.budget.reasoning,
        answer: effort.budget.answer,
        total: scaleBudget ?? effort.budget.total,
        enforcement: effort.plan.kind,
        ...(effort.plan.level ? { level: effort.plan.level } : {}),
        bucket: effort.bucket,
        ...(effort.prior !== undefined ? { prediction: effort.budget.estimate, prior: Math.round(effort.prior) } : {}),
        ...(scaleBudget !== undefined ? { policy: 'scale' } : {}),
      });
    }
    if (scale?.use && scaleBudget !== undefined) {
      emit.emit('thread.notice', threadId, { code: 'scale', message: `Solving step by step (SCALE): ${scale.reason}.` });
      // System 1 is the System 2 model with thinking off (the paper's setup), unless the user asked for the instant role.
      let system1: ChatModel = model;
      if (req.scaleSystem1 === 'instant-role') {
        try {
          system1 = this.options.models.forRole('instant');
        } catch {
          system1 = model;
        }
      }
      const levelMean = (m: ChatModel, level: keyof typeof LEVEL_PRIORS) => this.options.estimates?.get(levelKey(m.id, level), LEVEL_PRIORS[level]).mean ?? LEVEL_PRIORS[level];
      return runner.scale(
        { id: threadId, goal: req.query, role: mode, mode, messages, model, depth: 0, signal, deltas: true, onAnswer: setAnswer },
        { system1, system2: model },
        r,
        scaleBudget,
        levelMean,
      );
    }
    const spawn = edit ? undefined : this.spawnFor(mode, req);
    const result = await runner.run({
      id: threadId,
      goal: req.query,
      role: mode,
      mode,
      messages,
      model,
      effort,
      spawn,
      depth: 0,
      signal,
      deltas: true,
      onAnswer: setAnswer,
      // Instant mode answers directly (A²FM): thinking off on every provider, with an answer cap.
      ...(mode === 'instant' ? { thinking: 'off' as const } : {}),
    });
    const first = result.firstCall;
    if (effort && first && !first.spawned) {
      await this.learnEffort(effort, model, first.call, first.cut);
      const used = result.usage.reasoning > 0 ? result.usage.reasoning : first.call.reasoningTokens;
      if (used > 0 || first.cut) await this.options.calibration?.record(effort.bucket, effort.budget.effort, effort.budget.reasoning, used, first.cut, model.id).catch(() => undefined);
    }
    return result;
  }

  private async agenticThread(
    req: RunRequest,
    env: AgentEnvironment,
    emit: RunEventEmitter,
    runner: ThreadRunner,
    signal: AbortSignal,
    setAnswer: (text: string) => void,
  ): Promise<{ status: ThreadStatus; answer: string; error?: string; kind?: string }> {
    const threadId = 'root';
    let model: ChatModel;
    try {
      model = this.agenticModel((message) => emit.emit('thread.notice', threadId, { code: 'role_fallback', message }));
    } catch (e) {
      return { status: 'failed', answer: '', error: e instanceof Error ? e.message : String(e), kind: 'config' };
    }
    const r = req.effort;
    const one = computeBudget(PRIORS.reasoning, r);
    const budget = AGENTIC_BUDGET_CALLS * one.total;
    emit.emit('run.budget', threadId, {
      effort: one.effort,
      estimate: one.estimate,
      reasoning: budget - one.answer,
      answer: one.answer,
      total: budget,
      enforcement: 'none',
      bucket: `${model.id}|agentic`,
      policy: 'agentic',
    });
    const messages = agenticMessages(req, agentSystemPrompt({ trusted: env.trusted, roots: env.workspace.roots.map((root) => root.name) }));
    return runner.agentic(
      { id: threadId, goal: req.query, role: 'agentic', mode: 'agentic', messages, model, spawn: this.spawnFor('agentic', req), depth: 0, signal, deltas: true, onAnswer: setAnswer },
      env,
      budget,
    );
  }

  /** The agentic role, else the reasoning role, else the instant one (with a notice). */
  private agenticModel(notice: (message: string) => void): ChatModel {
    for (const role of ['agentic', 'reasoning', 'instant'] as const) {
      try {
        const model = this.options.models.forRole(role);
        if (role !== 'agentic') notice(`No model is set for the agentic role (arc.models.agentic); working with ${model.id} instead.`);
        return model;
      } catch (e) {
        if (role === 'instant') throw e;
      }
    }
    throw new Error('unreachable');
  }

  /** Spawning is on by default in reasoning mode (§6.1 `--spawn`), never in instant mode. */
  private spawnFor(mode: Mode, req: RunRequest): { maxChildren: number } | undefined {
    if (mode === 'instant' || req.parallel?.spawn === false) return undefined;
    return { maxChildren: Math.max(1, Math.min(64, req.parallel?.maxChildren ?? DEFAULT_MAX_CHILDREN)) };
  }

  /** The e1 budget of a reasoning call and how it is enforced; none for instant calls or without estimates. */
  private effortPlan(mode: 'instant' | 'reasoning', req: RunRequest, decision: RouteDecision, model: ChatModel): EffortPlan | undefined {
    const estimates = this.options.estimates;
    if (mode !== 'reasoning' || !estimates) return undefined;
    const bucket = bucketKey({ model: model.id, mode, kind: decision.mode, band: difficultyBand(req.query, req.context?.selection?.text) });
    return this.planFrom(bucket, model, req.effort, () => requestFeatures(req));
  }

  /** r × the prediction for this query (the bucket's estimate when there is no predictor), and how to enforce it. */
  private planFrom(bucket: string, model: ChatModel, effort: number, features: () => SparseFeatures): EffortPlan {
    const estimates = this.options.estimates!;
    const prior = estimates.get(bucket, PRIORS.reasoning).mean;
    const predictor = this.options.predictor;
    const x = predictor ? features() : undefined;
    const budget = computeBudget(predictor && x ? predictor.predict(model.id, x, prior, bucket) : prior, effort);
    const plan = planEnforcement(model.capabilities, budget, (level) => estimates.get(levelKey(model.id, level), LEVEL_PRIORS[level]).mean);
    return { bucket, budget, plan, ...(x ? { prior, features: x } : {}) };
  }

  private async learnEffort(effort: EffortPlan, model: ChatModel, call: CallResult, cut: boolean): Promise<void> {
    const estimates = this.options.estimates!;
    // No reasoning seen and none reported says nothing (a server that hides it, or counts none):
    // recording a zero would teach every later call to think less.
    if (!cut && call.reasoningTokens === 0) return;
    if (effort.plan.kind === 'effort_level' && effort.plan.level && effort.plan.level in LEVEL_PRIORS) {
      // A level shapes the reasoning: what it produced teaches the level's mean, not what the
      // query would naturally take.
      const level = effort.plan.level as keyof typeof LEVEL_PRIORS;
      await estimates.record(levelKey(model.id, level), LEVEL_PRIORS[level], call.reasoningTokens, call.finish === 'length').catch(() => undefined);
      return;
    }
    // A call that was stopped, or used (nearly) all of a native budget, says only "natural ≥ budget":
    // a censored observation, or the estimate would shrink toward the floor at every effort < 1.
    const capped = cut || (effort.plan.kind === 'native' && (call.finish === 'length' || call.reasoningTokens >= NATIVE_CAP_SHARE * effort.budget.reasoning));
    const tokens = capped ? effort.budget.reasoning : call.reasoningTokens;
    // The predictor learns the residual against the prior its prediction was made from, before the bucket moves.
    if (effort.features && effort.prior !== undefined) await this.options.predictor?.record(model.id, effort.features, effort.prior, tokens, capped, effort.bucket).catch(() => undefined);
    await estimates.record(effort.bucket, PRIORS.reasoning, tokens, capped).catch(() => undefined);
  }
}

/** A native budget used to this share or more was probably binding. */
const NATIVE_CAP_SHARE = 0.9;

function levelKey(modelId: string, level: string): string {
  return `level|${modelId}|${level}`;
}

