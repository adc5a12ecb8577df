// A thread's calls (DESIGN §3.2, §6.2): what it has spent (usage, estimated when a server sends none),
// what it may still spend, its budgeted steps (effort/budgetedCall.ts does the cut, the "Wait,"
// extension and the answer after the cut) and its plain calls, with progress events throttled.
import { linkedAbort } from '../core/abort';
import { isModelError } from '../core/model/errors';
import type { ChatMessage, ChatModel, ChatRequest, Usage } from '../core/model/types';
import { addUsage, emptyUsage } from '../core/run/ledger';
import { budgetedCall, type BudgetedOutcome } from '../effort/budgetedCall';
import { countTokens } from '../effort/tokens';
import type { ParentCallOptions } from '../parallel/spawnLoop';
import { streamCall, type CallContext, type CallLimits, type CallResult } from './streamCall';
import type { RunnerDeps, ThreadResult, ThreadSpec } from './threadTypes';

/** A thread's calls: what it has spent, what it may still spend, and how each call is budgeted. */
export class ThreadState {
  usage: Usage = emptyUsage();
  usageKnown = true;
  childTokens = 0;
  /** Tokens of spawned threads budgeted from their own goals: counted in the thread's total, not against its own budget. */
  spawnedTokens = 0;
  calls = 0;
  firstCall?: { call: CallResult; cut: boolean; spawned: boolean };
  private text = '';
  private readonly meter: ProgressMeter;
  private readonly ctx: CallContext;

  constructor(
    private readonly spec: ThreadSpec,
    private readonly deps: RunnerDeps,
  ) {
    this.meter = new ProgressMeter(deps.progressIntervalMs, deps.now);
    this.ctx = {
      emit: deps.emit,
      threadId: spec.id,
      signal: spec.signal,
      deltas: spec.deltas,
      onText: (t) => {
        this.text += t;
        spec.onAnswer?.(this.text);
      },
      progress: (chars) => this.meter.add(chars),
      onNotice: (code) => {
        if (code === 'endpoint_pushback') spec.onCongestion?.();
      },
    };
  }

  /** Usage a caller measured itself (the agent loop streams its own calls). */
  addUsage(u: Usage): void {
    this.usage = addUsage(this.usage, u);
  }

  /** Output tokens still allowed, or undefined when the thread is unbudgeted. */
  remaining(): number | undefined {
    const cap = this.spec.effort?.budget.total ?? this.spec.cap;
    if (cap === undefined) return undefined;
    return Math.max(0, cap - this.usage.completion - this.childTokens);
  }

  failure(e: unknown): ThreadResult {
    if (isModelError(e) && e.kind === 'cancelled') {
      const timeout = this.spec.timedOut?.();
      if (timeout) return { status: 'failed', answer: this.text, usage: this.usage, tokens: 0, error: timeout, kind: 'timeout' };
      return { status: 'cancelled', answer: this.text, usage: this.usage, tokens: 0 };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { status: 'failed', answer: this.text, usage: this.usage, tokens: 0, error: message, kind: isModelError(e) ? e.kind : 'internal' };
  }

  /**
   * One budgeted step of the thread (effort/budgetedCall.ts): a call, cut at the budget and then
   * asked for the answer, or extended ("Wait,") at effort > 1.
   */
  async budgetedCall(messages: ChatMessage[], options: ParentCallOptions, capOverride?: number): Promise<BudgetedOutcome<CallResult>> {
    const first = this.calls === 0;
    this.calls++;
    this.text = '';
    const out = await budgetedCall<CallResult>(
      {
        call: (request, stops) => this.call(request, stops),
        restart: () => {
          this.text = '';
        },
        notice: (code, message) => this.deps.emit.emit('thread.notice', this.spec.id, { code, message }, this.spec.parentId),
      },
      {
        messages,
        options,
        capabilities: this.spec.model.capabilities,
        first,
        remaining: capOverride ?? this.remaining(),
        ...(this.spec.effort ? { plan: this.spec.effort } : {}),
        hardCap: this.spec.cap !== undefined,
        thinkingOff: this.spec.thinking === 'off',
        child: this.spec.parentId !== undefined,
      },
    );
    if (out.firstCall) this.firstCall = { ...out.firstCall, spawned: false };
    return out;
  }

  /**
   * A call that is part of the thread's own work but not its answer (SCALE's plan and scores): no
   * deltas, thinking kept short, its tokens counted as the thread's.
   */
  async plainCall(model: ChatModel, messages: ChatMessage[], maxOutputTokens: number, signal: AbortSignal): Promise<{ text: string; tokens: number }> {
    const request: ChatRequest = { messages, maxOutputTokens, thinking: 'off' };
    const link = linkedAbort([this.spec.signal, signal]);
    const ctx: CallContext = { ...this.ctx, signal: link.signal, deltas: false, onText: () => undefined };
    const before = this.usage.completion;
    try {
      const result = await this.tracked(() => streamCall(model, request, ctx, {}), request);
      return { text: result.text, tokens: this.usage.completion - before };
    } finally {
      link.dispose();
    }
  }

  private call(request: ChatRequest, limits: CallLimits): Promise<CallResult> {
    return this.tracked(() => streamCall(this.spec.model, request, this.ctx, limits), request);
  }

  /** Adds what a call spent to the thread's usage, estimated when the server sent none. */
  private async tracked(fn: () => Promise<CallResult>, request: ChatRequest): Promise<CallResult> {
    let result: CallResult | undefined;
    try {
      result = await fn();
      return result;
    } catch (e) {
      // A call that failed mid-stream may still have said what it cost (an error chunk's usage):
      // that spend is the run's, and counts toward the spend cap.
      const said = isModelError(e) ? e.details.usage : undefined;
      if (said) this.usage = addUsage(this.usage, said);
      else this.usageKnown = false;
      throw e;
    } finally {
      if (result) {
        const used = result.usage ?? (result.stoppedAtBudget || result.stoppedByCaller ? estimatedUsage(request.messages, result) : undefined);
        if (used) this.usage = addUsage(this.usage, used);
        else this.usageKnown = false;
      }
    }
  }
}

/** When a stopped call never sent its usage, count what it read and wrote. */
function estimatedUsage(messages: ChatMessage[], call: CallResult): Usage {
  const prompt = messages.reduce((n, m) => n + countTokens(m.content ?? ''), 0);
  const reasoning = call.reasoningTokens;
  return { prompt, completion: reasoning + countTokens(call.text), reasoning };
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

