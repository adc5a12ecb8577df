// "Fix with ARC" in the light bulb of any diagnostic: runs ARC: Fix Selection on the lines the
// diagnostics cover. Imports nothing heavy, so activation could register it too.
import * as vscode from 'vscode';

export class FixWithArcActions implements vscode.CodeActionProvider {
  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const diagnostics = context.diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
    if (diagnostics.length === 0) return [];
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    let span: vscode.Range = range;
    for (const d of diagnostics) span = span.union(d.range);
    const action = new vscode.CodeAction('Fix with ARC', vscode.CodeActionKind.QuickFix);
    action.diagnostics = diagnostics;
    action.command = {
      command: 'arc.fixSelection',
      title: 'Fix with ARC',
      arguments: [doc.uri.toString(), [span.start.line, span.start.character, span.end.line, span.end.character]],
    };
    return [action];
  }
}

/** The documents the action is offered in. */
export const FIX_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export function registerFixWithArc(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(FIX_SELECTOR, new FixWithArcActions(), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
