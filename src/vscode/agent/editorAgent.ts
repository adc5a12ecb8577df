// Agentic mode's environment in the editor: the workspace folders (through NodeWorkspace, with the
// editor's diagnostics and symbol providers and VS Code's own ripgrep), editor approvals, trust, and
// snapshots kept for Undo Last Run, and edits proposed for review in the editor (../review).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadProjectInstructions, NodeCommandRunner, NodeWorkspace, UndoStack, type ProjectInstructions } from '../../agent';
import type { RunRequest } from '../../core/run/request';
import { editorExtraTools } from './editorMcp';
import type { ArcSettings } from '../../core/config/settings';
import type { AgentEnvironment } from '../../engine/threadRunner';
import type { Services } from '../services';
import { EditorApprover } from './editorApprover';
import { sidebarApprover } from '../sidebar/approver';
import { reviewingApprover } from '../review/reviewApprover';


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

export function editorAgent(services: Services, settings: ArcSettings, label = 'agentic run'): (() => AgentEnvironment | undefined) {
  return () => {
    const folders = roots();
    if (folders.length === 0) return undefined;
    // Edits proposed for review in the editor (arc.agent.editReview), unless auto-approved.
    const review = services.review && settings.agent.editReview === 'editor' && !settings.agent.autoApproveEdits
      ? services.review.begin(label, (abs) => vscode.workspace.asRelativePath(abs, folders.length > 1))
      : undefined;
    const severity = (d: vscode.Diagnostic) => (['error', 'warning', 'info', 'hint'] as const)[d.severity] ?? 'info';
    const workspace = new NodeWorkspace({
      roots: folders,
      ripgrepPath: editorRipgrep(),
      // Writes go through the editor's file system, so open editors and file watchers follow them.
      io: {
        writeFile: async (abs: string, data: Uint8Array) => vscode.workspace.fs.writeFile(vscode.Uri.file(abs), data),
        deleteFile: async (abs: string) => vscode.workspace.fs.delete(vscode.Uri.file(abs), { useTrash: false }),
        ...(review ? { propose: (abs: string, data: Uint8Array) => review.propose(abs, data), readFile: (abs: string) => review.readFile(abs) } : {}),
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
      approver: reviewingApprover(review, sidebarApprover(services, settings, new EditorApprover(services.answers, { autoApproveEdits: settings.agent.autoApproveEdits, allowedCommands: settings.agent.allowedCommands }))),
      // Commands run in the OS sandbox where there is one (DESIGN §5); the extension's own storage is masked there.
      runner: new NodeCommandRunner({ sandbox: settings.agent.sandbox, network: settings.agent.commandNetwork, maskAlso: services.storagePaths ?? [] }),
      trusted: vscode.workspace.isTrusted,
      commandPolicy: { allowedCommands: settings.agent.allowedCommands, deniedCommands: settings.agent.deniedCommands },
      onChanges: (run) => new UndoStack(services.store, folders).push(run),
      spendCapUsd: settings.spendCap,
      prices: settings.prices,
      // MCP servers and the editor's own tools (DESIGN §6.7); workspace servers only when trusted.
      extraTools: (req) => editorExtraTools(services, settings, folders, vscode.workspace.isTrusted, req),
    };
  };
}

/** The project's instructions (AGENTS.md …; DESIGN §4) for a request, unless arc.instructions.enabled is off. */
export function editorInstructions(settings: ArcSettings): ((req: RunRequest) => Promise<ProjectInstructions | undefined>) | undefined {
  if (!settings.instructions) return undefined;
  return async (req) => {
    const folders = roots();
    if (folders.length === 0) return undefined;
    const inPlay = [req.context?.selection?.fileName].filter((f): f is string => Boolean(f));
    return loadProjectInstructions(new NodeWorkspace({ roots: folders }), { filesInPlay: inPlay });
  };
}

/** ARC: Undo Last Run — the newest agentic run on these folders that changed files, back byte for byte; again for the one before. */
export async function undoLastRun(services: Services): Promise<unknown> {
  const folders = roots();
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('ARC: open a folder first: Undo Last Run works on the agentic runs of the open folders.');
    return undefined;
  }
  let undone;
  try {
    undone = await new UndoStack(services.store, folders).undo(new NodeWorkspace({ roots: folders }));
  } catch (e) {
    void vscode.window.showErrorMessage(`ARC could not undo the last run: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const last = undone[0];
  if (!last) {
    void vscode.window.showInformationMessage('ARC: no agentic run in these folders has changed files (or every one was undone).');
    return undefined;
  }
  const result = last.result;
  const errors = result.errors.length ? ` ${result.errors.length} could not be restored: ${result.errors.map((e) => e.path).join(', ')}.` : '';
  const message = `ARC: undid run ${last.n}: restored ${result.restored.length} file(s) and removed ${result.deleted.length} it created.${errors}`;
  if (result.errors.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  services.log.info(message);
  return result;
}
