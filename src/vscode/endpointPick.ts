// Choosing which configured endpoint a command acts on.
import * as vscode from 'vscode';
import type { EndpointConfig } from '../core/config/settings';
import { readSettings } from './settings';

/** The endpoint named by `arg`, the only one configured, or the user's pick; undefined if none. */
export async function pickEndpoint(arg: unknown, purpose: string): Promise<EndpointConfig | undefined> {
  const { settings, problems } = readSettings();
  const endpoints = settings.endpoints;
  if (typeof arg === 'string') {
    const found = endpoints.find((e) => e.id === arg);
    if (!found) throw new Error(`No endpoint "${arg}" in arc.endpoints.`);
    return found;
  }
  if (endpoints.length === 0) {
    const detail = problems.length ? ` (${problems.join(' ')})` : '';
    const open = 'Open Settings';
    void vscode.window
      .showWarningMessage(
        `ARC has no endpoint configured${detail}. Add one to "arc.endpoints", e.g. {"id": "ollama", "baseUrl": "http://127.0.0.1:11434/v1"}, then set "arc.models.instant" to "ollama/<model>".`,
        open,
      )
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'arc.endpoints');
      });
    return undefined;
  }
  if (endpoints.length === 1) return endpoints[0];
  const item = await vscode.window.showQuickPick(
    endpoints.map((e) => ({ label: e.id, description: e.baseUrl, endpoint: e })),
    { title: `ARC: ${purpose}`, placeHolder: 'Choose an endpoint' },
  );
  return item?.endpoint;
}
