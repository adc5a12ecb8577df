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
      const mode = c.get<string>('mode') || 'auto';
      const effort = Number(c.get<number>('effort') ?? 1);
      const label = `${mode.charAt(0).toUpperCase()}${mode.slice(1)} · ${Number.isFinite(effort) ? effort.toFixed(1) : '1.0'}×`;
      item.text = `$(sparkle) ARC: ${label}${simulated ? ' · simulated model' : ''}`;
      item.tooltip = `ARC: mode ${mode}${mode === 'auto' ? ' (the router decides per request)' : ''}, effort ${label.split(' · ')[1]}; instant answers from ${instant}${simulated ? ' — a simulated model (ARC\'s simulator), not a language model' : ''}. Click to ask.`;
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
