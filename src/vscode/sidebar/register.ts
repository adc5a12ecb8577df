// Registers the sidebar's webview view at activation. Only this small part loads then: the view's
// contents (and the engine) come from the lazily loaded runtime the first time the view is shown.
// No retainContextWhenHidden: the page is rebuilt from a snapshot each time it is shown.
import * as vscode from 'vscode';

export const SIDEBAR_VIEW_ID = 'arc.sidebar';

export interface SidebarHost {
  resolveSidebar(view: vscode.WebviewView): void;
}

export function registerSidebar(getSession: () => SidebarHost): vscode.Disposable {
  return vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, {
    resolveWebviewView: (view) => getSession().resolveSidebar(view),
  });
}
