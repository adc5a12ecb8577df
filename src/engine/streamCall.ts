// One model call inside a thread: streams it into events, counts its reasoning as it goes, and can
// stop the reasoning at a budget (budget forcing) without losing what was said.
import { linkedAbort } from '../core/abort';
import { isModelError } from '../core/model/errors';
import type { ChatModel, ChatRequest, FinishReason, ToolCall, Usage } from '../core/model/types';
import type { RunEventEmitter } from '../core/run/emitter';
import { countTokens } from '../effort/tokens';

export interface CallResult {
  text: string;
  reasoning: string;
  /** Reasoning tokens: the server's count when it gives one, else counted here. */
  reasoningTokens: number;
  usage?: Usage;
  finish?: FinishReason;
  /** The reasoning reached `stopReasoningAt` and the call was stopped there. */
  stoppedAtBudget: boolean;
  /** Tool calls the model made, assembled. */
  toolCalls: ToolCall[];
  /** `stopWhen` ended the call: the text is what came before the stop. */
  stoppedByCaller: boolean;
}

export interface CallContext {
  emit: RunEventEmitter;
  threadId: string;
  signal: AbortSignal;
  /** Called with every piece of answer text, so that a failure still leaves the partial answer. */
  onText: (text: string) => void;
  progress: (chars: number) => number | undefined;
  /** Hears every notice too (the scheduler listens for endpoint pushback). */
  onNotice?: (code: string) => void;
  /** Whether to emit `thread.delta` events (children coalesce theirs into progress). */
  deltas?: boolean;
}

export interface CallLimits {
  /** Stop once this many reasoning tokens streamed before any answer text (budget forcing). */
  stopReasoningAt?: number;
  /** Stop when the answer so far says so (a `</spawn>` the server did not stop at, a forged `<join>`). */
  stopWhen?: (text: string, reasoningTokens: number) => boolean;
}

/**
 * Streams `request`. Throws what the model throws (a ModelError), except that a stop at the budget
 * is a normal end. Reasoning is counted per delta, so the stop happens within one delta of the budget.
 */
export async function streamCall(model: ChatModel, request: ChatRequest, ctx: CallContext, limits: CallLimits | number = {}): Promise<CallResult> {
  const { stopReasoningAt, stopWhen } = typeof limits === 'number' ? { stopReasoningAt: limits, stopWhen: undefined } : limits;
  const deltas = ctx.deltas ?? true;
  const local = linkedAbort([ctx.signal]);
  const signal = local.signal;
  const result: CallResult = { text: '', reasoning: '', reasoningTokens: 0, stoppedAtBudget: false, toolCalls: [], stoppedByCaller: false };
  let counted = 0;
  try {
    for await (const part of model.stream(request, signal)) {
      switch (part.type) {
        case 'text':
          result.text += part.text;
          ctx.onText(part.text);
          if (deltas) ctx.emit.emit('thread.delta', ctx.threadId, { text: part.text });
          break;
        case 'reasoning':
          result.reasoning += part.text;
          counted += countTokens(part.text);
          if (deltas) ctx.emit.emit('thread.delta', ctx.threadId, { reasoning: part.text });
          break;
        case 'notice':
          ctx.emit.emit('thread.notice', ctx.threadId, { code: part.code, message: part.message });
          ctx.onNotice?.(part.code);
          break;
        case 'tool_calls':
          result.toolCalls = part.calls;
          break;
        case 'usage':
          result.usage = part.usage;
          break;
        case 'finish':
          result.finish = part.reason;
          break;
        default:
          break;
      }
      if (part.type === 'text' || part.type === 'reasoning') {
        const tokens = ctx.progress(part.text.length);
        if (tokens !== undefined) ctx.emit.emit('thread.progress', ctx.threadId, { tokens });
      }
      if (stopReasoningAt !== undefined && result.text === '' && counted >= stopReasoningAt) {
        result.stoppedAtBudget = true;
        local.abort();
        break;
      }
      if (stopWhen && part.type === 'text' && stopWhen(result.text, counted)) {
        result.stoppedByCaller = true;
        local.abort();
        break;
      }
    }
  } catch (e) {
    // Our own stop surfaces as a cancellation from the model: it is not one.
    const ourStop = result.stoppedAtBudget || result.stoppedByCaller;
    if (!(ourStop && isModelError(e) && e.kind === 'cancelled' && !ctx.signal.aborted)) throw e;
  } finally {
    local.dispose();
  }
  result.reasoningTokens = result.usage && result.usage.reasoning > 0 && !result.stoppedAtBudget ? result.usage.reasoning : counted;
  return result;
}
