// The status bar entry: what ARC will use, and whether it is a simulated model (`npm run demo`).
// Reads the raw settings only, so activation does not load the engine or zod.
import * as vscode from 'vscode';

interface RawEndpoint {
  id?: unknown;
  simulated?: unknown;
}

export function createStatusBar(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('arc.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ARC';
  const update = () => {
    const c = vscode.workspace.getConfiguration('arc');
    const instant = c.get<string>('models.instant') || '';
    const endpoints = c.get<RawEndpoint[]>('endpoints') ?? [];
    const endpointId = instant.split('/')[0];
    const simulated = Array.isArray(endpoints) && endpoints.some((e) => e && e.id === endpointId && e.simulated === true);
    if (!instant) {
      item.text = '$(sparkle) ARC: set up';
      item.tooltip = 'ARC has no model yet: add an endpoint to arc.endpoints and set arc.models.instant.';
      item.command = { title: 'Configure ARC', command: 'workbench.action.openSettings', arguments: ['arc.'] };
    } else {
      item.text = `$(sparkle) ARC: Instant${simulated ? ' · simulated model' : ''}`;
      item.tooltip = `ARC answers with ${instant}${simulated ? ' — a simulated model (ARC\'s simulator), not a language model' : ''}. Click to ask.`;
      item.command = 'arc.ask';
    }
    item.show();
  };
  update();
  const listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('arc')) update();
  });
  return vscode.Disposable.from(item, listener);
}
