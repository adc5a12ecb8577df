// The conductor (DESIGN §2): routes a request, runs the chosen mode and reports everything it does
// as RunEvents. This build runs instant and reasoning mode, each as one thread with one model call.
import { randomUUID } from 'node:crypto';
import { isModelError } from '../core/model/errors';
import type { ChatMessage, ChatModel, Usage } from '../core/model/types';
import { Channel } from '../core/run/channel';
import { RunEventEmitter } from '../core/run/emitter';
import type { KnownRunEvent, Mode } from '../core/run/events';
import { addUsage, emptyUsage, UsageLedger, type PriceTable } from '../core/run/ledger';
import { computeBudget, type Budget } from '../effort/budget';
import { continuationTurn, LEVEL_PRIORS, planEnforcement, type EnforcementPlan } from '../effort/enforce';
import { difficultyBand } from '../effort/band';
import { bucketKey, PRIORS, type EffortEstimates } from '../effort/estimator';
import { countTokens } from '../effort/tokens';
import { streamCall, type CallResult } from './streamCall';
import type { RoleName } from '../core/config/settings';
import { instantMessages, reasoningMessages } from './prompts';
import type { RunRequest } from './request';
import { AVAILABLE_MODES, FixedModeRouter, forcedDecision, type RouteDecision, type Router } from './seams';

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
}

type ThreadOutcome = { status: 'done' | 'failed' | 'cancelled'; error?: string; kind?: string };

const MESSAGES: Record<'instant' | 'reasoning', (req: RunRequest) => ChatMessage[]> = {
  instant: instantMessages,
  reasoning: reasoningMessages,
};

export class Engine {
  private readonly router: Router;

  constructor(private readonly options: EngineOptions) {
    this.router = options.router ?? new FixedModeRouter('instant');
  }

  /** Starts a run. The stream always ends with exactly one terminal event and never throws. */
  run(request: RunRequest, signal?: AbortSignal): AsyncIterable<KnownRunEvent> {
    const channel = new Channel<KnownRunEvent>();
    const runId = (this.options.newRunId ?? randomUUID)();
    const emitter = new RunEventEmitter(runId, (e) => channel.push(e), this.options.now);
    void this.execute(request, emitter, signal ?? new AbortController().signal).finally(() => channel.close());
    return channel;
  }

  private async execute(req: RunRequest, emit: RunEventEmitter, signal: AbortSignal): Promise<void> {
    const root = 'root';
    let answer = '';
    try {
      emit.emit('run.started', root, { query: req.query, requestedMode: req.mode ?? 'auto', ...(req.source ? { source: req.source } : {}) });
      const decision = await this.decide(req, signal);
      emit.emit('run.routed', root, decision);
      await this.router.observe?.(req, decision).catch(() => undefined);
      const mode = runnableMode(decision.mode);
      if (mode !== decision.mode) {
        emit.emit('thread.notice', root, { code: 'mode_unavailable', message: `${decision.mode} mode is not in this build of ARC yet: running ${mode} mode instead.` });
      }
      if (signal.aborted) {
        emit.emit('run.cancelled', root, { partial: true });
        return;
      }
      const ledger = new UsageLedger(this.options.prices);
      const result = await this.singleCallThread(mode, req, decision, emit, root, ledger, signal, (text) => (answer = text));
      if (result.status === 'done') {
        emit.emit('run.finished', root, { answer, partial: false, usage: ledger.total(), cost: ledger.cost() });
      } else if (result.status === 'cancelled') {
        emit.emit('run.cancelled', root, { ...(answer ? { answer } : {}), partial: true });
      } else {
        emit.emit('run.failed', root, { error: result.error ?? 'The run failed.', ...(result.kind ? { kind: result.kind } : {}), ...(answer ? { answer } : {}), partial: true });
      }
    } catch (e) {
      // A bug or a configuration problem: still one terminal event, with what is known.
      const message = e instanceof Error ? e.message : String(e);
      emit.emit('run.failed', root, { error: message, kind: 'internal', ...(answer ? { answer } : {}), partial: true });
    }
  }

  private async decide(req: RunRequest, signal: AbortSignal): Promise<RouteDecision> {
    const routed = await this.router.route(req, signal);
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

  private async singleCallThread(
    mode: 'instant' | 'reasoning',
    req: RunRequest,
    decision: RouteDecision,
    emit: RunEventEmitter,
    threadId: string,
    ledger: UsageLedger,
    signal: AbortSignal,
    setAnswer: (text: string) => void,
  ): Promise<ThreadOutcome> {
    let model: ChatModel;
    try {
      model = this.modelFor(mode, (message) => emit.emit('thread.notice', threadId, { code: 'role_fallback', message }));
    } catch (e) {
      return { status: 'failed', error: e instanceof Error ? e.message : String(e), kind: 'config' };
    }
    const messages = MESSAGES[mode](req);
    const effort = this.effortPlan(mode, req, decision, model);
    if (effort) {
      emit.emit('run.budget', threadId, {
        effort: effort.budget.effort,
        estimate: effort.budget.estimate,
        reasoning: effort.budget.reasoning,
        answer: effort.budget.answer,
        total: effort.budget.total,
        enforcement: effort.plan.kind,
        ...(effort.plan.level ? { level: effort.plan.level } : {}),
        bucket: effort.bucket,
      });
    }
    emit.emit('thread.started', threadId, { goal: req.query, role: mode, mode, budget: effort?.budget.total ?? null, model: model.id });
    const meter = new ProgressMeter(this.options.progressIntervalMs ?? 250, this.options.now ?? Date.now);
    let answer = '';
    let usage: Usage | undefined;
    const ctx = {
      emit,
      threadId,
      signal,
      onText: (text: string) => {
        answer += text;
        setAnswer(answer);
      },
      progress: (chars: number) => meter.add(chars),
    };
    const finish = (status: ThreadOutcome['status'], error?: string) => {
      const u = usage ?? emptyUsage();
      if (usage) {
        emit.emit('usage', threadId, { model: model.id, usage: u, cost: ledger.add(model.id, usage) });
      } else {
        // No usage arrived (the server sent none, or the call ended first): the cost is unknown, not zero.
        ledger.markUnknown(model.id);
        emit.emit('usage', threadId, { model: model.id, usage: u, cost: null });
      }
      emit.emit('thread.finished', threadId, { status, answer, usage: u, ...(error ? { error } : {}) });
    };
    try {
      const first = await streamCall(model, { messages, ...effort?.plan.request }, ctx, effort?.plan.stopAt);
      usage = first.usage ?? (first.stoppedAtBudget ? estimatedUsage(messages, first) : undefined);
      const cut = first.stoppedAtBudget || (first.finish === 'length' && first.text.trim() === '');
      if (cut && effort) {
        // Budget forcing: the reasoning stops here and the answer is asked for, the truncated
        // reasoning carried in a user turn (R1/Qwen3 templates drop <think> from assistant turns).
        emit.emit('thread.notice', threadId, {
          code: 'budget_reached',
          message: `Reasoning reached its budget of ${effort.budget.reasoning} tokens (${effort.budget.effort}× the usual ${effort.budget.estimate}); asking for the answer now.`,
        });
        const followUp: ChatMessage[] = [...messages, { role: 'user', content: continuationTurn(first.reasoning) }];
        // Templates that open every turn with <think> may reason again: that gets a small budget too.
        const second = await streamCall(model, { messages: followUp, maxOutputTokens: effort.budget.answer }, ctx, Math.floor(effort.budget.answer / 2));
        usage = addUsage(usage ?? emptyUsage(), second.usage ?? estimatedUsage(followUp, second));
        if (second.text.trim() === '') {
          await this.learnEffort(effort, model, first, cut);
          const error = 'The model gave no answer after its reasoning was stopped at the budget; try more effort (arc.effort / --effort).';
          finish('failed', error);
          return { status: 'failed', error, kind: 'no_answer' };
        }
      }
      if (effort) await this.learnEffort(effort, model, first, cut);
      finish('done');
      return { status: 'done' };
    } catch (e) {
      if (isModelError(e) && e.kind === 'cancelled') {
        finish('cancelled');
        return { status: 'cancelled' };
      }
      const message = e instanceof Error ? e.message : String(e);
      finish('failed', message);
      return { status: 'failed', error: message, kind: isModelError(e) ? e.kind : 'internal' };
    }
  }

  /** The e1 budget of a reasoning call and how it is enforced; none for instant calls or without estimates. */
  private effortPlan(mode: 'instant' | 'reasoning', req: RunRequest, decision: RouteDecision, model: ChatModel): EffortPlan | undefined {
    const estimates = this.options.estimates;
    if (mode !== 'reasoning' || !estimates) return undefined;
    const bucket = bucketKey({ model: model.id, mode, kind: decision.mode, band: difficultyBand(req.query, req.context?.selection?.text) });
    const estimate = estimates.get(bucket, PRIORS.reasoning);
    const budget = computeBudget(estimate.mean, req.effort ?? 1);
    const plan = planEnforcement(model.capabilities, budget, (level) => estimates.get(levelKey(model.id, level), LEVEL_PRIORS[level]).mean);
    return { bucket, budget, plan };
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
    await estimates.record(effort.bucket, PRIORS.reasoning, capped ? effort.budget.reasoning : call.reasoningTokens, capped).catch(() => undefined);
  }
}

/** A native budget used to this share or more was probably binding. */
const NATIVE_CAP_SHARE = 0.9;

interface EffortPlan {
  bucket: string;
  budget: Budget;
  plan: EnforcementPlan;
}

function levelKey(modelId: string, level: string): string {
  return `level|${modelId}|${level}`;
}

/** When a stopped call never sent its usage, count what it read and wrote. */
function estimatedUsage(messages: ChatMessage[], call: CallResult): Usage {
  const prompt = messages.reduce((n, m) => n + countTokens(m.content ?? ''), 0);
  const reasoning = call.reasoningTokens;
  return { prompt, completion: reasoning + countTokens(call.text), reasoning };
}

function runnableMode(mode: Mode): 'instant' | 'reasoning' {
  if (AVAILABLE_MODES.includes(mode) && mode !== 'agentic') return mode;
  return 'reasoning';
}

/**
 * Counts streamed tokens approximately (4 characters a token) until the server's usage arrives,
 * and lets one progress event through per interval so that fast streams do not flood the views.
 */
class ProgressMeter {
  private chars = 0;
  private last = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  add(chars: number): number | undefined {
    this.chars += chars;
    const t = this.now();
    if (t - this.last < this.intervalMs) return undefined;
    this.last = t;
    return Math.ceil(this.chars / 4);
  }
}
