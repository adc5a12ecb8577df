// The editor's own models (vscode.lm) that roles name as `vscode-lm/<id>`, resolved before a run
// (the lookup is asynchronous; the engine asks for models synchronously).
import * as vscode from 'vscode';
import { ROLES, type ArcSettings } from '../../core/config/settings';
import { EDITOR_MODELS } from '../../core/model/registry';
import type { ChatModel } from '../../core/model/types';
import { LmChatModel, type LmRuntime } from './lmChatModel';

function runtime(): LmRuntime {
  return {
    user: (text) => vscode.LanguageModelChatMessage.User(text),
    assistant: (text) => vscode.LanguageModelChatMessage.Assistant(text),
    cancellation: () => {
      const cts = new vscode.CancellationTokenSource();
      return { token: cts.token, cancel: () => cts.cancel(), dispose: () => cts.dispose() };
    },
  };
}

export async function editorModelsFor(settings: ArcSettings): Promise<Map<string, ChatModel>> {
  const out = new Map<string, ChatModel>();
  for (const role of ROLES) {
    const ref = settings.models[role];
    if (!ref || ref.endpointId !== EDITOR_MODELS || out.has(`${EDITOR_MODELS}/${ref.model}`)) continue;
    const [chat] = await vscode.lm.selectChatModels({ id: ref.model });
    if (chat) out.set(`${EDITOR_MODELS}/${ref.model}`, new LmChatModel(chat, runtime()));
  }
  return out;
}
