// Registers `@arc` in the Chat view at activation, where the editor has a chat API (DESIGN §1). The
// host here has no chat provider, so this is built and its mapping unit-tested, not verified in a
// live Chat view. Requests are handled by the lazily loaded runtime.
import * as vscode from 'vscode';

export interface ParticipantHost {
  chat(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult>;
}

export function registerParticipant(getSession: () => ParticipantHost, extensionUri: vscode.Uri): vscode.Disposable | undefined {
  const chat = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof chat?.createChatParticipant !== 'function') return undefined;
  const participant = chat.createChatParticipant('arc.participant', (request, context, stream, token) => getSession().chat(request, context, stream, token));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'arc.svg');
  return participant;
}
