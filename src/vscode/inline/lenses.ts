// Accept / Reject above each pending hunk and Accept All / Reject All above the proposal (or Stop while
// it streams). Only stable hunks get per-hunk lenses: a provisional one may still change. A lens is
// small text in the editor's lens colour, so each says in words what it does and which key does it,
// with a plain icon (✓ / ×) that cannot be misread; the editor title shows the same two as buttons.
import * as vscode from 'vscode';
import type { InlineChat } from './chat';

export class ProposalLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly chat: InlineChat) {
    this.onDidChangeCodeLenses = chat.onDidChangeProposals;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.chat.proposalFor(doc.uri);
    if (!p || p.state === 'ended') return [];
    const mac = process.platform === 'darwin';
    const uri = doc.uri.toString();
    const top = new vscode.Range(p.startLine, 0, p.startLine, 0);
    const lenses: vscode.CodeLens[] = [];
    if (p.state === 'streaming') {
      const thread = this.chat.threadOf(p);
      lenses.push(new vscode.CodeLens(top, { title: '$(loading~spin) ARC is writing… $(debug-stop) Stop (Esc)', command: 'arc.inline.cancel', arguments: [thread?.id] }));
    } else if (p.kind === 'agent') {
      lenses.push(
        new vscode.CodeLens(top, { title: `$(check) Keep All (${mac ? '⌘⇧⏎' : 'Ctrl+Shift+Enter'})`, command: 'arc.inline.acceptAll', arguments: [uri] }),
        new vscode.CodeLens(top, { title: `$(discard) Undo All (${mac ? '⌘⇧⌫' : 'Ctrl+Shift+Backspace'})`, command: 'arc.inline.rejectAll', arguments: [uri] }),
        new vscode.CodeLens(top, { title: '$(diff-multiple) Review the Run', command: 'arc.review.showChanges', arguments: [] }),
      );
    } else {
      lenses.push(
        new vscode.CodeLens(top, { title: `$(check) Accept All changes (${mac ? '⌘⇧⏎' : 'Ctrl+Shift+Enter'})`, command: 'arc.inline.acceptAll', arguments: [uri], tooltip: 'Keep every change ARC proposes here' }),
        new vscode.CodeLens(top, { title: `$(close) Reject All changes (${mac ? '⌘⇧⌫' : 'Ctrl+Shift+Backspace'})`, command: 'arc.inline.rejectAll', arguments: [uri], tooltip: 'Drop every change ARC proposes here: the code goes back as it was' }),
      );
    }
    const ranges = p.lineRanges();
    if (ranges.length > 1 || p.state === 'streaming' || p.kind === 'agent') {
      for (const r of ranges) {
        if (!r.stable) continue;
        const line = r.removed[1] > r.removed[0] ? r.removed[0] : r.added[0];
        const at = new vscode.Range(line, 0, line, 0);
        const [yes, no] = p.kind === 'agent' ? ['Keep', 'Undo'] : ['Accept', 'Reject'];
        lenses.push(
          new vscode.CodeLens(at, { title: `$(check) ${yes} (${mac ? '⌥⌘Y' : 'Ctrl+Alt+Y'})`, command: 'arc.inline.acceptHunk', arguments: [uri, r.id] }),
          new vscode.CodeLens(at, { title: `$(close) ${no} (${mac ? '⌥⌘N' : 'Ctrl+Alt+N'})`, command: 'arc.inline.rejectHunk', arguments: [uri, r.id] }),
        );
      }
    }
    return lenses;
  }
}
