// The one model seam of ARC (DESIGN §2): every provider turns its wire format into these parts.
import type { ThinkingOffMemory } from './thinkingOff';

export interface Usage {
  prompt: number;
  completion: number;
  /** Reasoning tokens, a part of `completion`; 0 when the server reports none. */
  reasoning: number;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model wrote it: validated by whoever runs the tool. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ReasoningEffortLevel = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  reasoningEffort?: ReasoningEffortLevel;
  /** Cap on output tokens (reasoning + answer) for this call. */
  maxOutputTokens?: number;
  /** Native thinking budget in tokens; sent only where the endpoint names its parameter. */
  thinkingBudget?: number;
  temperature?: number;
  stop?: string[];
  /**
   * `off`: this call should not reason at all (instant answers, SCALE's System 1 steps, routing and
   * scoring calls). The provider sends the control that works for the model and verifies it.
   */
  thinking?: 'off';
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export type NoticeCode =
  | 'malformed_chunk'
  | 'param_dropped'
  | 'think_tags_detected'
  | 'usage_missing'
  /** The endpoint answered 429 or dropped a connection and the SDK retried: a sign of overload. */
  | 'endpoint_pushback'
  /** The model wrote its tool calls as text (`<tool_call>`, `[TOOL_CALLS]`, bare JSON); they were read as calls. */
  | 'tool_calls_in_text'
  /** Which control turned thinking off for this call (DESIGN §4). */
  | 'thinking_control'
  /** Reasoning was stopped (past 16 tokens with thinking off) and the answer asked for. */
  | 'budget_reached';

export type StreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  /** Sent once, before `finish`, with every call assembled across chunks. */
  | { type: 'tool_calls'; calls: ToolCall[] }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'usage'; usage: Usage }
  | { type: 'notice'; code: NoticeCode; message: string };

export interface ModelCapabilities {
  tools: boolean;
  reasoningEffort: boolean;
  /** Dotted request-body path of a native thinking budget, e.g. `thinking.budget_tokens`. */
  thinkingBudgetParam?: string;
  prefill: boolean;
  /** The model writes its reasoning inside `<think>` tags in the content. */
  thinkTags: boolean;
  maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  /** The server accepts an output-token cap at all (some reject one above their context). */
  maxTokens: boolean;
  /** The server accepts `stream_options.include_usage`. */
  streamUsage: boolean;
  /** The model accepts `temperature` (some reasoning models reject it). */
  temperature: boolean;
  /**
   * Effort can only be asked for in words (the editor's own models: no budget parameter and no
   * reasoning to count), so the budget becomes a prompt instruction.
   */
  promptEffort?: boolean;
  /** Request-body fields that turn thinking off on this endpoint (configured); tried first. */
  thinkingOff?: Record<string, unknown>;
  /** What ARC learned of this model's thinking-off controls (DESIGN §4), remembered in the Store. */
  thinkingOffMemory?: ThinkingOffMemory;
}

export const DEFAULT_CAPABILITIES: Readonly<ModelCapabilities> = Object.freeze({
  tools: true,
  reasoningEffort: false,
  prefill: false,
  thinkTags: false,
  maxTokensParam: 'max_completion_tokens',
  maxTokens: true,
  streamUsage: true,
  temperature: true,
});

export interface ChatModel {
  /** `endpointId/model`, as roles name it. */
  readonly id: string;
  readonly model: string;
  readonly capabilities: Readonly<ModelCapabilities>;
  /**
   * Streams one call. Throws a `ModelError` on failure (including cancellation, kind
   * `cancelled`); parts already yielded stay valid, so callers keep partial text.
   */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamPart>;
}
