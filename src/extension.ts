// Activation wires ARC and owns its disposables. It registers the commands, the status bar entry, the
// sidebar's webview view, the "Fix with ARC" code action and `@arc`, and nothing else: the engine and everything behind the commands load on first use
// (dist/runtime.js), so activation stays cheap and the bundle loads in plain Node with a stub `vscode`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from './vscode/commandIds';
import type { ArcSession, createSession } from './vscode/runtime';
import { createStatusBar } from './vscode/statusBar';
import { registerSidebar } from './vscode/sidebar/register';
import { registerParticipant } from './vscode/participant/register';
import { registerFixWithArc } from './vscode/inline/codeActions';

export function activate(context: vscode.ExtensionContext): void {
  let session: ArcSession | undefined;
  const getSession = (): ArcSession => {
    if (!session) {
      const runtime = require(path.join(__dirname, 'runtime.js')) as { createSession: typeof createSession };
      session = runtime.createSession(context, { status });
      context.subscriptions.push(session);
    }
    return session;
  };
  const status = createStatusBar();
  context.subscriptions.push(status);
  // The sidebar and @arc are registered now; what they run loads with the runtime on first use.
  context.subscriptions.push(registerSidebar(getSession));
  // "Fix with ARC" is in the light bulb from the start; the fix itself loads the runtime.
  context.subscriptions.push(registerFixWithArc());
  const participant = registerParticipant(getSession, context.extensionUri);
  if (participant) context.subscriptions.push(participant);
  for (const id of COMMAND_IDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(getSession, id, args)),
    );
  }
}

async function runCommand(getSession: () => ArcSession, id: CommandId, args: unknown[]): Promise<unknown> {
  try {
    return await getSession().execute(id, args);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`ARC: ${message}`);
    return undefined;
  }
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
