// One `thinking: off` call (DESIGN §4): send the control chosen for this model, verify it from the
// stream, and never let an ignored control cost more than a few tokens — past 16 reasoning tokens the
// stream is stopped and the answer asked for directly (with the next control), so every answer still
// arrives. A 400 on a control marks only that control and tries the next. What is learned is handed
// to `update` (the provider remembers it in the Store), so the next call starts from what worked.
import { isModelError } from './errors';
import {
  answerDirectlyMessages,
  chooseControl,
  CONTROL_LABELS,
  emptyThinkingOffMemory,
  reasoningTokensOf,
  rejectsControl,
  THINKING_OFF_ORDER,
  THINKING_OFF_TOLERANCE,
  type ThinkingOffControl,
  type ThinkingOffMemory,
} from './thinkingOff';
import type { ChatMessage, ChatRequest, StreamPart, Usage } from './types';

export type ControlledRequest = ChatRequest & { thinkingControl?: ThinkingOffControl };

export interface ThinkingOffHooks {
  /** For messages: the model's id. */
  label: string;
  memory(): ThinkingOffMemory | undefined;
  update(mem: ThinkingOffMemory): void;
  /** The endpoint configures its own thinking-off fields (`capabilities.thinkingOff`). */
  configured: boolean;
  /** The server continues a trailing assistant turn. */
  prefill: boolean;
}

type RawStream = (request: ControlledRequest, signal?: AbortSignal) => AsyncIterable<StreamPart>;

const clone = (m: ThinkingOffMemory | undefined): ThinkingOffMemory => ({ ...(m ?? emptyThinkingOffMemory()), ineffective: [...(m?.ineffective ?? [])], rejected: [...(m?.rejected ?? [])] });

export async function* streamThinkingOff(raw: RawStream, request: ChatRequest, signal: AbortSignal | undefined, hooks: ThinkingOffHooks): AsyncGenerator<StreamPart> {
  const mem = clone(hooks.memory());
  const mark = (list: 'ineffective' | 'rejected', c: ThinkingOffControl) => {
    if (c === 'forced' || mem[list].includes(c)) return;
    mem[list].push(c);
    if (mem.working === c) delete mem.working;
    hooks.update(clone(mem));
  };

  let cutTokens = 0;
  let cutControl: ThinkingOffControl | undefined;
  for (let attempt = 0; attempt <= THINKING_OFF_ORDER.length; attempt++) {
    const { control, verified } = chooseControl(mem, hooks.configured);
    const local = new AbortController();
    const onAbort = () => local.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let started = false;
    let reasoning = 0;
    let cut = false;
    let usage: Usage | undefined;
    try {
      for await (const part of raw({ ...request, thinkingControl: control }, local.signal)) {
        if (!started) {
          started = true;
          yield {
            type: 'notice',
            code: 'thinking_control',
            message: `Thinking off on ${hooks.label} with ${CONTROL_LABELS[control]}${verified ? '' : ' (not yet verified for this model: reasoning past 16 tokens is stopped and the answer asked for)'}.`,
          };
        }
        if (part.type === 'reasoning') {
          reasoning += reasoningTokensOf(part.text);
          if (reasoning > THINKING_OFF_TOLERANCE) {
            cut = true;
            mark('ineffective', control);
            local.abort();
            break;
          }
        }
        if (part.type === 'usage') {
          usage = part.usage;
          continue;
        }
        yield part;
      }
    } catch (e) {
      signal?.removeEventListener('abort', onAbort);
      // A 400 before anything streamed that names this control: mark it and try the next one.
      if (!started && !signal?.aborted && isModelError(e) && e.kind === 'bad_request' && rejectsControl(errorText(e), control)) {
        mark('rejected', control);
        yield { type: 'notice', code: 'param_dropped', message: `${hooks.label} rejected ${CONTROL_LABELS[control]}; trying the next way to turn thinking off.` };
        continue;
      }
      throw e;
    }
    signal?.removeEventListener('abort', onAbort);
    if (!cut) {
      if (usage && usage.reasoning > THINKING_OFF_TOLERANCE) mark('ineffective', control);
      else if (mem.working !== control && reasoning <= THINKING_OFF_TOLERANCE) {
        mem.working = control;
        hooks.update(clone(mem));
      }
      if (usage) yield { type: 'usage', usage };
      return;
    }
    cutTokens = reasoning;
    cutControl = control;
    break;
  }
  if (signal?.aborted) return;
  const next = chooseControl(mem, hooks.configured).control;
  yield {
    type: 'notice',
    code: 'budget_reached',
    message: `${hooks.label} kept thinking despite ${CONTROL_LABELS[cutControl ?? 'forced']}; reasoning was stopped after ${cutTokens} tokens and the answer asked for directly${next !== cutControl ? ` (next: ${CONTROL_LABELS[next]})` : ''}.`,
  };
  yield* answerDirectly(raw, request, next, cutTokens, signal, hooks, (c) => mark('ineffective', c));
}

/**
 * The answer after a cut: the next control, and the empty reasoning as a prefill or a user turn that
 * asks for the answer now. Whatever reasoning the model still writes is counted but not shown, and the
 * call is not stopped again (a second stop would leave no answer).
 */
async function* answerDirectly(
  raw: RawStream,
  request: ChatRequest,
  control: ThinkingOffControl,
  cutTokens: number,
  signal: AbortSignal | undefined,
  hooks: ThinkingOffHooks,
  ignored: (c: ThinkingOffControl) => void,
): AsyncGenerator<StreamPart> {
  const messages = answerDirectlyMessages(request.messages, hooks.prefill) as ChatMessage[];
  let reasoning = 0;
  for await (const part of raw({ ...request, messages, thinkingControl: control }, signal)) {
    if (part.type === 'reasoning') {
      reasoning += reasoningTokensOf(part.text);
      continue;
    }
    if (part.type === 'usage') {
      // The stopped call sent no usage: its reasoning, as counted, is added.
      yield { type: 'usage', usage: { prompt: part.usage.prompt, completion: part.usage.completion + cutTokens, reasoning: part.usage.reasoning + cutTokens } };
      continue;
    }
    yield part;
  }
  if (reasoning > THINKING_OFF_TOLERANCE) {
    ignored(control);
    yield { type: 'notice', code: 'thinking_control', message: `${hooks.label} reasoned ${reasoning} more tokens before answering (not shown); ARC will try another control next time.` };
  }
}

function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x && depth < 4; depth++) {
    if (x instanceof Error) {
      parts.push(x.message);
      const rec = x as unknown as { error?: unknown; param?: unknown; cause?: unknown; details?: { cause?: unknown } };
      if (rec.param) parts.push(String(rec.param));
      if (rec.error) parts.push(JSON.stringify(rec.error));
      x = rec.details?.cause ?? rec.cause;
    } else break;
  }
  return parts.join(' ');
}
