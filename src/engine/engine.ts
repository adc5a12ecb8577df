// The conductor (DESIGN §2): routes a request, runs the chosen mode and reports everything it does
// as RunEvents. This build runs instant and reasoning mode, each as one thread with one model call.
import { randomUUID } from 'node:crypto';
import { isModelError } from '../core/model/errors';
import type { ChatMessage, ChatModel, Usage } from '../core/model/types';
import { Channel } from '../core/run/channel';
import { RunEventEmitter } from '../core/run/emitter';
import type { KnownRunEvent, Mode } from '../core/run/events';
import { emptyUsage, UsageLedger, type PriceTable } from '../core/run/ledger';
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
      const decision = await this.decide(req);
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
      const result = await this.singleCallThread(mode, req, emit, root, ledger, signal, (text) => (answer = text));
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

  private async decide(req: RunRequest): Promise<RouteDecision> {
    const routed = await this.router.route(req);
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
    emit.emit('thread.started', threadId, { goal: req.query, role: mode, mode, budget: null, model: model.id });
    const progress = new ProgressMeter(this.options.progressIntervalMs ?? 250, this.options.now ?? Date.now);
    let answer = '';
    let usage: Usage | undefined;
    const finish = (status: ThreadOutcome['status'], error?: string) => {
      const u = usage ?? emptyUsage();
      if (usage) {
        const cost = ledger.add(model.id, usage);
        emit.emit('usage', threadId, { model: model.id, usage: u, cost });
      }
      emit.emit('thread.finished', threadId, { status, answer, usage: u, ...(error ? { error } : {}) });
    };
    try {
      for await (const part of model.stream({ messages: MESSAGES[mode](req) }, signal)) {
        switch (part.type) {
          case 'text':
            answer += part.text;
            setAnswer(answer);
            emit.emit('thread.delta', threadId, { text: part.text });
            break;
          case 'reasoning':
            emit.emit('thread.delta', threadId, { reasoning: part.text });
            break;
          case 'notice':
            emit.emit('thread.notice', threadId, { code: part.code, message: part.message });
            break;
          case 'usage':
            usage = part.usage;
            break;
          default:
            break;
        }
        if (part.type === 'text' || part.type === 'reasoning') {
          const tokens = progress.add(part.text);
          if (tokens !== undefined) emit.emit('thread.progress', threadId, { tokens });
        }
      }
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

  add(text: string): number | undefined {
    this.chars += text.length;
    const t = this.now();
    if (t - this.last < this.intervalMs) return undefined;
    this.last = t;
    return Math.ceil(this.chars / 4);
  }
}
