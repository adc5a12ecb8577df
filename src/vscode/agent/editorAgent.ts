// Agentic mode's environment in the editor: the workspace folders (through NodeWorkspace, with the
// editor's diagnostics and symbol providers and VS Code's own ripgrep), editor approvals, trust, and
// snapshots kept for Undo Last Run.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeCommandRunner, NodeWorkspace, SnapshotStore, type SnapshotData } from '../../agent';
import type { ArcSettings } from '../../core/config/settings';
import type { AgentEnvironment } from '../../engine/threadRunner';
import type { Services } from '../services';
import { EditorApprover } from './editorApprover';
import { sidebarApprover } from '../sidebar/approver';

export const LAST_AGENT_RUN_KEY = 'agent-last-run';

/** The ripgrep VS Code ships, when it is where VS Code keeps it. */
function editorRipgrep(): string | undefined {
  const root = vscode.env.appRoot;
  for (const dir of ['node_modules', 'node_modules.asar.unpacked']) {
    const rg = path.join(root, dir, '@vscode', 'ripgrep', 'bin', process.platform === 'win32' ? 'rg.exe' : 'rg');
    if (existsSync(rg)) return rg;
  }
  return undefined;
}

function roots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export function editorAgent(services: Services, settings: ArcSettings): (() => AgentEnvironment | undefined) {
  return () => {
    const folders = roots();
    if (folders.length === 0) return undefined;
    const severity = (d: vscode.Diagnostic) => (['error', 'warning', 'info', 'hint'] as const)[d.severity] ?? 'info';
    const workspace = new NodeWorkspace({
      roots: folders,
      ripgrepPath: editorRipgrep(),
      // Writes go through the editor's file system, so open editors and file watchers follow them.
      io: {
        writeFile: async (abs: string, data: Uint8Array) => vscode.workspace.fs.writeFile(vscode.Uri.file(abs), data),
        deleteFile: async (abs: string) => vscode.workspace.fs.delete(vscode.Uri.file(abs), { useTrash: false }),
      },
      // The editor knows diagnostics and symbols from its language servers; plain Node does not.
      diagnostics: async (rel?: string) => {
        const entries: Array<readonly [vscode.Uri, readonly vscode.Diagnostic[]]> = rel
          ? [[vscode.Uri.file(path.resolve(folders[0]!, rel)), vscode.languages.getDiagnostics(vscode.Uri.file(path.resolve(folders[0]!, rel)))]]
          : vscode.languages.getDiagnostics();
        return entries.flatMap(([uri, list]) =>
          list.map((d) => ({ path: vscode.workspace.asRelativePath(uri, folders.length > 1), line: d.range.start.line + 1, column: d.range.start.character + 1, severity: severity(d), message: d.message, ...(d.source ? { source: d.source } : {}) })),
        );
      },
      symbols: async (name, { limit }) => {
        const found = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', name);
        if (!found || found.length === 0) return undefined;
        return found.slice(0, limit).map((s) => ({
          path: vscode.workspace.asRelativePath(s.location.uri, folders.length > 1),
          line: s.location.range.start.line + 1,
          kind: vscode.SymbolKind[s.kind]?.toLowerCase() ?? 'symbol',
          text: s.containerName ? `${s.containerName}.${s.name}` : s.name,
        }));
      },
    });
    return {
      workspace,
      approver: sidebarApprover(services, settings, new EditorApprover(services.answers, { autoApproveEdits: settings.agent.autoApproveEdits, allowedCommands: settings.agent.allowedCommands })),
      runner: new NodeCommandRunner(),
      trusted: vscode.workspace.isTrusted,
      commandPolicy: { allowedCommands: settings.agent.allowedCommands, deniedCommands: settings.agent.deniedCommands },
      onSnapshots: (data: SnapshotData) => services.store.set(LAST_AGENT_RUN_KEY, { roots: folders, snapshots: data }),
      spendCapUsd: settings.spendCap,
      prices: settings.prices,
    };
  };
}

/** ARC: Undo Last Run — every file the last agentic run changed, back byte for byte. */
export async function undoLastRun(services: Services): Promise<unknown> {
  const { z } = await import('zod');
  const last = await services.store.get(LAST_AGENT_RUN_KEY, z.object({ roots: z.array(z.string()).min(1), snapshots: z.unknown(), undone: z.boolean().optional() }));
  if (!last || last.undone) {
    void vscode.window.showInformationMessage(last ? 'ARC: the last agentic run was undone already.' : 'ARC: no agentic run has changed files yet.');
    return undefined;
  }
  let result;
  try {
    result = await SnapshotStore.fromJSON(last.snapshots as SnapshotData).undo(new NodeWorkspace({ roots: last.roots }));
  } catch (e) {
    void vscode.window.showErrorMessage(`ARC could not undo the last run: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  await services.store.set(LAST_AGENT_RUN_KEY, { ...last, undone: true });
  const errors = result.errors.length ? ` ${result.errors.length} could not be restored: ${result.errors.map((e) => e.path).join(', ')}.` : '';
  const message = `ARC: restored ${result.restored.length} file(s) and removed ${result.deleted.length} it created.${errors}`;
  if (result.errors.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  services.log.info(message);
  return result;
}
