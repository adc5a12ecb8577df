// The status bar entry: what ARC will use, and whether it is a simulated model (`npm run demo`).
// Reads the raw settings only, so activation does not load the engine or zod.
import * as vscode from 'vscode';

interface RawEndpoint {
  id?: unknown;
  simulated?: unknown;
}

export interface StatusBar extends vscode.Disposable {
  /** Runs in flight across every surface: the icon spins while there is one. */
  setActiveRuns(n: number): void;
}

/** The session's runs in flight; tells `onChange` the count whenever it changes. */
export class RunSet extends Set<AbortController> {
  constructor(private readonly onChange: (size: number) => void) {
    super();
  }

  override add(c: AbortController): this {
    const before = this.size;
    super.add(c);
    if (this.size !== before) this.onChange(this.size);
    return this;
  }

  override delete(c: AbortController): boolean {
    const gone = super.delete(c);
    if (gone) this.onChange(this.size);
    return gone;
  }

  override clear(): void {
    super.clear();
    this.onChange(0);
  }
}

export function createStatusBar(): StatusBar {
  const item = vscode.window.createStatusBarItem('arc.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ARC';
  let active = 0;
  const update = () => {
    const icon = active > 0 ? '$(loading~spin)' : '$(sparkle)';
    const c = vscode.workspace.getConfiguration('arc');
    const instant = c.get<string>('models.instant') || '';
    const endpoints = c.get<RawEndpoint[]>('endpoints') ?? [];
    const endpointId = instant.split('/')[0];
    const simulated = Array.isArray(endpoints) && endpoints.some((e) => e && e.id === endpointId && e.simulated === true);
    if (!instant) {
      item.text = `${icon} ARC: set up`;
      item.tooltip = 'ARC has no model yet: click to open the ARC sidebar and set one up (Ollama, LM Studio or an API key).';
      item.command = { title: 'Open ARC', command: 'arc.sidebar.focus' };
    } else {
      const mode = c.get<string>('mode') || 'auto';
      const effort = Number(c.get<number>('effort') ?? 1);
      const label = `${mode.charAt(0).toUpperCase()}${mode.slice(1)} · ${Number.isFinite(effort) ? effort.toFixed(1) : '1.0'}×`;
      item.text = `${icon} ARC: ${label}${simulated ? ' · simulated model' : ''}`;
      item.tooltip = `ARC: mode ${mode}${mode === 'auto' ? ' (the router decides per request)' : ''}, effort ${label.split(' · ')[1]}; instant answers from ${instant}${simulated ? ' — a simulated model (ARC\'s simulator), not a language model' : ''}.${active > 0 ? ` ${active} run${active === 1 ? '' : 's'} in progress.` : ''} Click to open the ARC sidebar.`;
      item.command = { title: 'Open ARC', command: 'arc.sidebar.focus' };
    }
    item.show();
  };
  update();
  const listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('arc')) update();
  });
  const disposable = vscode.Disposable.from(item, listener);
  return {
    setActiveRuns(n: number) {
      if (n === active) return;
      active = n;
      update();
    },
    dispose: () => disposable.dispose(),
  };
}
