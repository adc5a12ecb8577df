// The provider for any OpenAI-compatible endpoint, through the official `openai` client.
import OpenAI from 'openai';
import { chunkSchema, describeUnreadable, readContent, usageSchema, type ChunkUsage } from './chunkSchema';
import { linkedAbort, raceAbort } from '../abort';
import { cancelledError, ModelError } from './errors';
import { toModelError, type ErrorContext } from './errorMapping';
import { sanitizingFetch, type FetchLike } from './sseSanitizer';
import { ThinkSplitter } from './thinkSplitter';
import { ToolCallAssembler } from './toolCallAssembler';
import { TextToolCallParser, type TextToolCall, type TextToolPart } from './textToolCalls';
import { promptedToolMessages } from './promptedTools';
import { normalizeUsage } from './usage';
import type { CapabilityMemory } from './capabilityMemory';
import { applyControl, controlBodyKeys } from './thinkingOff';
import { streamThinkingOff, type ControlledRequest } from './thinkingOffStream';
import {
  DEFAULT_CAPABILITIES,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type FinishReason,
  type ModelCapabilities,
  type StreamPart,
  type ToolCall,
} from './types';

export interface EndpointOptions {
  id: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  capabilities?: Partial<ModelCapabilities>;
  /** Seconds to wait for response headers, and then between two chunks of a stream. */
  timeoutSeconds?: number;
  /** Retries the SDK makes on 408/409/429/5xx and connection errors (honouring retry-after). */
  maxRetries?: number;
  fetch?: FetchLike;
  /** Where what is learned about each model is kept between runs. */
  memory?: CapabilityMemory;
}

export class OpenAIEndpoint {
  private readonly learned = new Map<string, ModelCapabilities>();

  constructor(readonly options: EndpointOptions) {}

  get id(): string {
    return this.options.id;
  }

  model(name: string): ChatModel {
    let caps = this.learned.get(name);
    if (!caps) {
      // Defaults, then the endpoint's configuration, then what this model taught ARC before.
      const { thinkingBudgetRejected, ...remembered } = this.options.memory?.get(`${this.id}/${name}`) ?? {};
      caps = { ...DEFAULT_CAPABILITIES, ...this.options.capabilities, ...remembered };
      if (thinkingBudgetRejected) caps.thinkingBudgetParam = undefined;
      this.learned.set(name, caps);
    }
    return new OpenAIChatModel(this, name, caps);
  }

  /** Called when a call taught ARC something about a model. */
  remember(name: string, caps: Readonly<ModelCapabilities>): void {
    const configured = this.options.capabilities?.thinkingBudgetParam;
    this.options.memory?.remember(`${this.id}/${name}`, caps, Boolean(configured) && !caps.thinkingBudgetParam);
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const client = this.client(this.options.fetch ?? fetch);
    try {
      const ids: string[] = [];
      for await (const m of client.models.list({ signal })) {
        ids.push(m.id);
        if (ids.length >= 10_000) break;
      }
      return ids.sort();
    } catch (e) {
      throw toModelError(e, this.errorContext(), signal);
    }
  }

  /** A client per call, so each stream's fetch wrapper counts that stream's malformed chunks. */
  client(fetchImpl: FetchLike): OpenAI {
    const { apiKey, headers, baseUrl } = this.options;
    return new OpenAI({
      baseURL: baseUrl,
      // Local servers need no key; the SDK insists on one, so send none rather than a fake one.
      apiKey: apiKey || 'no-key',
      defaultHeaders: { ...headers, ...(apiKey ? {} : { Authorization: null }) },
      timeout: (this.options.timeoutSeconds ?? 120) * 1000,
      maxRetries: this.options.maxRetries ?? 2,
      fetch: fetchImpl,
      logLevel: 'off',
    });
  }

  errorContext(model?: string): ErrorContext {
    return { endpointId: this.id, baseUrl: this.options.baseUrl, model, timeoutSeconds: this.options.timeoutSeconds ?? 120 };
  }
}

/** Request-body parameters a server may reject with a 400; ARC can do without each of them. */
const DROPPABLE = ['stream_options', 'reasoning_effort', 'max_completion_tokens', 'max_tokens', 'tools', 'temperature'] as const;

class OpenAIChatModel implements ChatModel {
  readonly id: string;

  constructor(
    private readonly endpoint: OpenAIEndpoint,
    readonly model: string,
    /** Shared with the endpoint: what one call learns, the next call uses. */
    readonly capabilities: ModelCapabilities,
  ) {
    this.id = `${endpoint.id}/${model}`;
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamPart> {
    if (request.thinking !== 'off') {
      yield* this.rawStream(request, signal);
      return;
    }
    const caps = this.capabilities;
    yield* streamThinkingOff((req, s) => this.rawStream(req, s), request, signal, {
      label: this.id,
      configured: Boolean(caps.thinkingOff && Object.keys(caps.thinkingOff).length),
      prefill: caps.prefill,
      memory: () => caps.thinkingOffMemory,
      update: (mem) => {
        caps.thinkingOffMemory = mem;
        this.endpoint.remember(this.model, caps);
      },
    });
  }

  private async *rawStream(request: ControlledRequest, signal?: AbortSignal): AsyncGenerator<StreamPart> {
    const idle = new AbortController();
    const link = linkedAbort([signal, idle.signal]);
    try {
      yield* this.streamWith(request, signal, idle, link.signal);
    } finally {
      link.dispose();
    }
  }

  private async *streamWith(request: ControlledRequest, signal: AbortSignal | undefined, idle: AbortController, combined: AbortSignal): AsyncGenerator<StreamPart> {
    const notices: StreamPart[] = [];
    let malformed = 0;
    let attempts = 0;
    const base = this.endpoint.options.fetch ?? fetch;
    // The SDK retries 429s and dropped connections by itself; the scheduler still needs to hear of
    // them to lower its concurrency, so the first one becomes a notice.
    let pushedBack = false;
    const pushback = (message: string) => {
      if (pushedBack) return;
      pushedBack = true;
      notices.push({ type: 'notice', code: 'endpoint_pushback', message });
    };
    const counting: FetchLike = async (input, init) => {
      attempts++;
      try {
        const res = await base(input, init);
        if (res.status === 429) pushback(`${this.endpoint.id} answered 429 (too many requests); retrying.`);
        return res;
      } catch (e) {
        if (!init?.signal?.aborted) pushback(`The connection to ${this.endpoint.id} failed; retrying.`);
        throw e;
      }
    };
    // What the SSE layer saw that the SDK does not pass on (see sseSanitizer.ts).
    let sawDone = false;
    let errorBody: unknown;
    const client = this.endpoint.client(
      sanitizingFetch(
        {
          malformed: () => malformed++,
          error: (b) => (errorBody ??= b),
          done: () => (sawDone = true),
        },
        counting,
      ),
    );
    const idleMs = (this.endpoint.options.timeoutSeconds ?? 120) * 1000;
    const ctx = () => ({ ...this.endpoint.errorContext(this.model), attempts });

    let body = this.buildBody(request);
    let stream: AsyncIterable<unknown>;
    for (let attempt = 0; ; attempt++) {
      try {
        // The SDK sleeps through retry-after without watching the signal; a cancel must not wait for it.
        stream = await raceAbort(client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal: combined }), combined, cancelledError);
        break;
      } catch (e) {
        if (signal?.aborted) throw cancelledError();
        // Each retry drops a different parameter, so this ends within DROPPABLE.length + 1 tries.
        // A thinking-off control the server refuses is the caller's to mark (only that value), not a parameter to drop.
        const controlKeys = request.thinkingControl ? controlBodyKeys(request.thinkingControl, this.capabilities.thinkingOff) : [];
        const dropped = attempt <= DROPPABLE.length ? this.dropRejectedParam(e, body, controlKeys) : undefined;
        if (!dropped) throw toModelError(e, ctx(), signal);
        notices.push({ type: 'notice', code: 'param_dropped', message: dropped });
        this.endpoint.remember(this.model, this.capabilities);
        body = this.buildBody(request);
      }
    }
    for (const n of notices) yield n;

    const splitter = new ThinkSplitter();
    const tools = new ToolCallAssembler();
    // Tool calls written as text are looked for only where the request offered tools (DESIGN §4).
    const textCalls = request.tools?.length ? new TextToolCallParser(request.tools.map((t) => t.name)) : undefined;
    const fromText: TextToolCall[] = [];
    let finish: FinishReason | undefined;
    let usage: ChunkUsage | undefined;
    let invalid = 0;
    let unreadableFormat: string | undefined;
    /** Anything read at all: text, reasoning or a tool call. */
    let readable = false;
    const self = this;
    /** Content text: `<think>` split out, then tool calls written as text taken out. */
    function* answer(content: string): Generator<StreamPart> {
      const wasThinking = splitter.sawThinkTag;
      for (const part of splitter.push(content)) yield* textOrCalls(part);
      if (!wasThinking && splitter.sawThinkTag && !self.capabilities.thinkTags) {
        self.capabilities.thinkTags = true;
        self.endpoint.remember(self.model, self.capabilities);
        yield { type: 'notice', code: 'think_tags_detected', message: `${self.id} writes its reasoning in <think> tags.` };
      }
    }
    function* textOrCalls(part: { type: 'text' | 'reasoning'; text: string }): Generator<StreamPart> {
      if (part.type === 'reasoning' || !textCalls) {
        if (part.text) yield part;
        return;
      }
      yield* fromParser(textCalls.push(part.text));
    }
    function* fromParser(parts: TextToolPart[]): Generator<StreamPart> {
      for (const p of parts) {
        if (p.type === 'text') yield p;
        else fromText.push(p.call);
      }
    }
    let timer = setTimeout(() => idle.abort(), idleMs);
    try {
      for await (const raw of stream) {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), idleMs);
        const parsed = chunkSchema.safeParse(raw);
        if (!parsed.success) {
          invalid++;
          unreadableFormat ??= describeUnreadable(raw, parsed.error.issues);
          continue;
        }
        const chunk = parsed.data;
        if (chunk.usage ?? chunk.x_groq?.usage) usage = chunk.usage ?? chunk.x_groq?.usage ?? undefined;
        for (const choice of chunk.choices ?? []) {
          const d = choice.delta;
          const reasoning = d?.reasoning_content ?? d?.reasoning;
          if (reasoning) {
            readable = true;
            yield { type: 'reasoning', text: reasoning };
          }
          if (d?.content) {
            const content = readContent(d.content);
            if (content.unreadable.length > 0) {
              invalid++;
              unreadableFormat ??= describeUnreadable(raw);
            }
            if (content.reasoning) {
              readable = true;
              yield { type: 'reasoning', text: content.reasoning };
            }
            if (content.text) {
              readable = true;
              yield* answer(content.text);
            }
          }
          for (const tc of d?.tool_calls ?? []) {
            readable = true;
            const part = tools.push(tc);
            if (part) yield part;
          }
          if (choice.finish_reason) finish = normalizeFinish(choice.finish_reason);
        }
      }
    } catch (e) {
      const kept = usageOf(errorBody) ?? usage;
      if (kept && !signal?.aborted) yield { type: 'usage', usage: normalizeUsage(kept) };
      throw this.midStreamError(e, signal, idle.signal, ctx(), { readable, usage: kept });
    } finally {
      clearTimeout(timer);
    }
    // The SDK ends the loop silently when aborted: a quiet end is not a finished answer.
    if (signal?.aborted) throw cancelledError();
    if (idle.signal.aborted) throw this.midStreamError(new Error('idle'), signal, idle.signal, ctx(), { readable });
    for (const part of splitter.flush()) yield* textOrCalls(part);
    if (textCalls) yield* fromParser(textCalls.flush());
    const bad = malformed + invalid;
    if (!readable && invalid > 0) {
      // Every chunk with content was unreadable: an empty answer here would be a confident lie.
      throw new ModelError(
        'invalid_response',
        `"${this.endpoint.id}" answered in a format ARC cannot read: ${unreadableFormat ?? 'unknown chunks'} (${invalid} chunk${invalid === 1 ? '' : 's'} skipped, nothing read).`,
        { endpointId: this.endpoint.id, ...(usage ? { usage: normalizeUsage(usage) } : {}) },
      );
    }
    if (bad > 0) {
      const what = unreadableFormat ? ` (${unreadableFormat})` : '';
      yield { type: 'notice', code: 'malformed_chunk', message: `Skipped ${bad} malformed chunk${bad === 1 ? '' : 's'} from ${this.endpoint.id}${what}.` };
    }
    // Some servers (OpenRouter relaying Kimi K2, seen in simonw/llm's recordings) never send a
    // finish reason but end cleanly with [DONE]: that is a finished answer, not a cut one.
    if (finish === undefined && sawDone) finish = tools.size > 0 ? 'tool_calls' : 'stop';
    if (finish === undefined) {
      throw new ModelError('stream_cut', `The stream from "${this.endpoint.id}" ended before the model finished; the partial answer is kept.`, {
        endpointId: this.endpoint.id,
      });
    }
    const calls: ToolCall[] = tools.assembled();
    if (fromText.length > 0) {
      fromText.forEach((c, i) => calls.push({ id: `call_text_${i}`, name: c.name, arguments: c.arguments }));
      if (finish === 'stop') finish = 'tool_calls';
      yield {
        type: 'notice',
        code: 'tool_calls_in_text',
        message: `${this.id} wrote ${fromText.length === 1 ? 'its tool call' : `${fromText.length} tool calls`} as text; ARC read ${fromText.length === 1 ? 'it' : 'them'} as tool calls.`,
      };
    }
    if (calls.length > 0) yield { type: 'tool_calls', calls };
    yield { type: 'finish', reason: finish };
    if (usage) yield { type: 'usage', usage: normalizeUsage(usage) };
    else yield { type: 'notice', code: 'usage_missing', message: `${this.endpoint.id} reported no token usage for this call.` };
  }

  private midStreamError(
    e: unknown,
    signal: AbortSignal | undefined,
    idle: AbortSignal,
    ctx: ErrorContext,
    seen: { readable: boolean; usage?: ChunkUsage },
  ): ModelError {
    if (signal?.aborted) return cancelledError();
    if (e instanceof OpenAI.APIError && e.status === undefined) {
      // An error the server sent inside the stream (`event: error`, or a chunk with an `error`).
      const said = errorText(e.error) ?? e.message;
      const kept = seen.readable ? '; the partial answer is kept' : '';
      return new ModelError('server', `"${this.endpoint.id}" reported an error mid-stream: ${said.slice(0, 300)}${kept}.`, {
        endpointId: this.endpoint.id,
        cause: e,
        ...(seen.usage ? { usage: normalizeUsage(seen.usage) } : {}),
      });
    }
    if (idle.aborted) {
      return new ModelError('timeout', `"${this.endpoint.id}" sent nothing for ${ctx.timeoutSeconds} s mid-answer (arc.requestTimeoutSeconds); the partial answer is kept.`, {
        endpointId: this.endpoint.id,
      });
    }
    const mapped = toModelError(e, ctx, signal);
    if (mapped.kind === 'connection' || mapped.kind === 'invalid_response') {
      return new ModelError('stream_cut', `The stream from "${this.endpoint.id}" was cut mid-answer (${mapped.message}); the partial answer is kept.`, {
        endpointId: this.endpoint.id,
        cause: e,
      });
    }
    return mapped;
  }

  private buildBody(req: ControlledRequest): Record<string, unknown> {
    const caps = this.capabilities;
    // Without native tools, the tools go into the prompt and the model answers in <tool_call> text.
    const messages = req.tools?.length && !caps.tools ? promptedToolMessages(req.messages, req.tools) : req.messages;
    const body: Record<string, unknown> = { model: this.model, messages: messages.map(toWireMessage), stream: true };
    if (caps.streamUsage) body.stream_options = { include_usage: true };
    if (req.tools?.length && caps.tools) {
      body.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    }
    if (req.reasoningEffort && caps.reasoningEffort) body.reasoning_effort = req.reasoningEffort;
    if (req.maxOutputTokens !== undefined && caps.maxTokens) body[caps.maxTokensParam] = req.maxOutputTokens;
    if (req.thinkingBudget !== undefined && caps.thinkingBudgetParam) setPath(body, caps.thinkingBudgetParam, req.thinkingBudget);
    if (req.temperature !== undefined && caps.temperature) body.temperature = req.temperature;
    if (req.stop?.length) body.stop = req.stop;
    if (req.thinkingControl) applyControl(body, req.thinkingControl, { configured: caps.thinkingOff, prefill: caps.prefill });
    return body;
  }

  /**
   * A 400 that names a parameter ARC can do without: change the capability so later calls never send
   * it again, and say what was dropped. Anything else is a real bad request.
   */
  private dropRejectedParam(e: unknown, body: Record<string, unknown>, controlKeys: readonly string[] = []): string | undefined {
    if (!(e instanceof OpenAI.APIError) || (e.status !== 400 && e.status !== 422)) return undefined;
    const text = `${e.param ?? ''} ${e.message} ${JSON.stringify(e.error ?? '')}`;
    if (controlKeys.some((k) => text.includes(k))) return undefined;
    const caps = this.capabilities;
    const thinkingRoot = caps.thinkingBudgetParam?.split('.')[0];
    if (thinkingRoot && thinkingRoot in body && text.includes(thinkingRoot)) {
      caps.thinkingBudgetParam = undefined;
      return `${this.id} rejected "${thinkingRoot}"; thinking budgets will not be sent to it.`;
    }
    for (const key of DROPPABLE) {
      if (!(key in body) || !(key === 'tools' ? rejectsTools(text) : text.includes(key))) continue;
      switch (key) {
        case 'stream_options':
          caps.streamUsage = false;
          break;
        case 'reasoning_effort':
          caps.reasoningEffort = false;
          break;
        case 'max_completion_tokens':
          caps.maxTokensParam = 'max_tokens';
          return `${this.id} rejected "max_completion_tokens"; using "max_tokens" instead.`;
        case 'max_tokens':
          caps.maxTokens = false;
          break;
        case 'tools':
          caps.tools = false;
          return `${this.id} rejected "tools"; tools are described in the prompt instead and its <tool_call> text is read as tool calls.`;
        case 'temperature':
          caps.temperature = false;
          break;
      }
      return `${this.id} rejected "${key}"; it will not be sent to this model again.`;
    }
    return undefined;
  }
}

function toWireMessage(m: ChatMessage): Record<string, unknown> {
  switch (m.role) {
    case 'assistant':
      return {
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    default:
      return { role: m.role, content: m.content };
  }
}

/**
 * A 400 about tool calling itself, as servers word it: vLLM without --enable-auto-tool-choice
 * ("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser"), Ollama
 * ("… does not support tools"), llama.cpp without --jinja ("tools param requires --jinja flag"),
 * or any 400 naming the `tools` parameter. A tool call the model got wrong is not one of them.
 */
function rejectsTools(text: string): boolean {
  if (/tool_use_failed|validation failed/i.test(text)) return false;
  return /\btools\b|tool[ _-]?choice|tool-call-parser|function calling/i.test(text);
}

/** The usage an error chunk carries (OpenRouter sends it beside the error). */
function usageOf(body: unknown): ChunkUsage | undefined {
  const u = (body as { usage?: unknown } | undefined)?.usage;
  const parsed = usageSchema.safeParse(u);
  return u && parsed.success ? parsed.data : undefined;
}

function errorText(err: unknown): string | undefined {
  const m = (err as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' && m !== '' ? m : undefined;
}

function normalizeFinish(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    node = (node[k] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

