// A model the editor already has (vscode.lm, DESIGN §4) behind ARC's one model seam. The editor API
// reports no usage and has no effort controls: tokens come from the model's own countTokens, and
// effort becomes a prompt instruction (enforcement "instruction"). The editor objects are injected,
// so this adapter is tested in plain Node with fakes.
import type * as vscode from 'vscode';
import { cancelledError, ModelError } from '../../core/model/errors';
import { DEFAULT_CAPABILITIES, type ChatMessage, type ChatModel, type ChatRequest, type ModelCapabilities, type StreamPart } from '../../core/model/types';

/** What the adapter needs from `vscode`: message constructors and cancellation. */
export interface LmRuntime {
  user(text: string): vscode.LanguageModelChatMessage;
  assistant(text: string): vscode.LanguageModelChatMessage;
  cancellation(): { token: vscode.CancellationToken; cancel(): void; dispose(): void };
}

export const VSCODE_LM_PREFIX = 'vscode-lm';

export const LM_CAPABILITIES: Readonly<ModelCapabilities> = Object.freeze({
  ...DEFAULT_CAPABILITIES,
  // Tool calling through vscode.lm differs by host; the tag forms work everywhere.
  tools: false,
  maxTokens: false,
  streamUsage: false,
  temperature: false,
  promptEffort: true,
});

export class LmChatModel implements ChatModel {
  readonly id: string;
  readonly model: string;
  readonly capabilities: ModelCapabilities = { ...LM_CAPABILITIES };

  constructor(
    private readonly chat: vscode.LanguageModelChat,
    private readonly runtime: LmRuntime,
  ) {
    this.model = chat.id;
    this.id = `${VSCODE_LM_PREFIX}/${chat.id}`;
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamPart> {
    if (signal?.aborted) throw cancelledError();
    const messages = toLmMessages(request.messages, this.runtime);
    const cts = this.runtime.cancellation();
    const onAbort = () => cts.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let text = '';
    try {
      let response: vscode.LanguageModelChatResponse;
      try {
        response = await this.chat.sendRequest(messages, { justification: 'ARC answers the question you asked it.' }, cts.token);
      } catch (e) {
        throw toModelError(e, this.id, signal);
      }
      try {
        for await (const piece of response.text) {
          if (signal?.aborted) break;
          text += piece;
          // A stop sequence (the spawn tag form) is honoured here: the editor API has none.
          const stopAt = firstStop(text, request.stop);
          if (stopAt >= 0) {
            const keep = piece.length - (text.length - stopAt);
            if (keep > 0) yield { type: 'text', text: piece.slice(0, keep) };
            text = text.slice(0, stopAt);
            cts.cancel();
            break;
          }
          if (piece) yield { type: 'text', text: piece };
        }
      } catch (e) {
        if (!signal?.aborted) throw toModelError(e, this.id, signal);
      }
      if (signal?.aborted) throw cancelledError();
      const prompt = await this.count(request.messages.map((m) => m.content ?? '').join('\n'));
      const completion = await this.count(text);
      yield { type: 'usage', usage: { prompt, completion, reasoning: 0 } };
      yield { type: 'finish', reason: 'stop' };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }

  private async count(text: string): Promise<number> {
    if (text === '') return 0;
    try {
      return await this.chat.countTokens(text);
    } catch {
      return Math.ceil(text.length / 4);
    }
  }
}

/** vscode.lm has user and assistant turns only: system text leads the first user turn; tool turns become text. */
export function toLmMessages(messages: ChatMessage[], rt: LmRuntime): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let system = '';
  for (const m of messages) {
    if (m.role === 'system') system += (system ? '\n\n' : '') + m.content;
    else if (m.role === 'user') {
      out.push(rt.user(system ? `${system}\n\n${m.content}` : m.content));
      system = '';
    } else if (m.role === 'assistant') out.push(rt.assistant(m.content ?? ''));
    else out.push(rt.user(`Tool result:\n${m.content}`));
  }
  if (system) out.push(rt.user(system));
  return out;
}

function firstStop(text: string, stops: string[] | undefined): number {
  let at = -1;
  for (const s of stops ?? []) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

function toModelError(e: unknown, id: string, signal?: AbortSignal): ModelError {
  if (signal?.aborted) return cancelledError();
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'NoPermissions') return new ModelError('auth', `VS Code did not allow ARC to use ${id}: ${message} Allow it when VS Code asks, or pick another model for this role.`);
  if (code === 'NotFound') return new ModelError('not_found', `${id} is no longer available in this editor: ${message} Pick another model for this role.`);
  if (code === 'Blocked') return new ModelError('rate_limited', `${id} is blocked for now (a quota or rate limit): ${message}`);
  return new ModelError('server', `${id} failed: ${message}`);
}
