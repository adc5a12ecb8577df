// Palette commands that act in the sidebar: Explain Selection (asks with the selection attached) and
// New Chat.
import * as vscode from 'vscode';
import type { Handler } from '../services';
import type { TurnResult } from './port';

const EXPLAIN = 'Explain what the selected code does, step by step, and point out anything surprising.';

/** ARC: Explain Selection. Args: (question?) replaces the default request. */
export const explainSelection: Handler = async (services, [questionArg]): Promise<TurnResult | undefined> => {
  const sidebar = services.sidebar;
  if (!sidebar) throw new Error('the sidebar is not available in this session');
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('ARC: select some code first, then Explain Selection.');
    return undefined;
  }
  const doc = editor.document;
  const selection = {
    text: doc.getText(editor.selection).slice(0, 50_000),
    fileName: vscode.workspace.asRelativePath(doc.uri),
    language: doc.languageId,
    startLine: editor.selection.start.line + 1,
  };
  await vscode.commands.executeCommand('arc.sidebar.focus');
  return sidebar.ask(typeof questionArg === 'string' && questionArg.trim() ? questionArg : EXPLAIN, { selection, attachments: [] });
};

export const newChat: Handler = async (services) => {
  services.sidebar?.newChat();
  await vscode.commands.executeCommand('arc.sidebar.focus');
  return true;
};
