// ARC: Open Evaluation Report: an eval's report.html in a webview, under the same strict CSP as the
// page itself (scripts and styles only with a fresh nonce, no remote content, no local resources),
// following the editor's light or dark theme (the page reads the --vscode-* colours and body classes).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nonce } from '../../eval/reportHtml';
import type { Handler } from '../services';

/** The report with this load's nonce in place of the one it was written with. */
export function withFreshNonce(html: string, fresh: string): string {
  const m = /'nonce-([A-Za-z0-9+/=]+)'/.exec(html);
  if (!m) return html;
  return html.split(m[1]!).join(fresh);
}

let lastReport: string | undefined;

export async function showReport(file: string): Promise<void> {
  const html = await readFile(file, 'utf8');
  lastReport = file;
  const panel = vscode.window.createWebviewPanel('arc.evalReport', `ARC Evaluation: ${path.basename(path.dirname(file))}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [],
    enableCommandUris: false,
  });
  panel.webview.html = withFreshNonce(html, nonce());
}

export const openEvaluationReport: Handler = async (_services, [arg]) => {
  let file = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      title: 'ARC: Open Evaluation Report',
      canSelectMany: false,
      filters: { 'ARC evaluation report': ['html'] },
      ...(lastReport ? { defaultUri: vscode.Uri.file(lastReport) } : {}),
      openLabel: 'Open Report',
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return undefined;
  if (path.basename(file) !== 'report.html') file = path.join(file, 'report.html');
  try {
    await showReport(file);
  } catch (e) {
    void vscode.window.showErrorMessage(`ARC: cannot open ${file} (${e instanceof Error ? e.message : String(e)}).`);
    return undefined;
  }
  return file;
};
