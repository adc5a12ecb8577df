// Read-only Markdown documents that show a run's answer as it streams (`arc-answer:` scheme):
// nothing to save, nothing left dirty when closed.
import * as vscode from 'vscode';

export const ANSWER_SCHEME = 'arc-answer';

export class AnswerDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  newUri(title = 'ARC answer'): vscode.Uri {
    this.counter++;
    return vscode.Uri.from({ scheme: ANSWER_SCHEME, path: `/${title} ${this.counter}.md` });
  }

  set(uri: vscode.Uri, content: string): void {
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
  }

  /** A closed answer's text is not kept for the rest of the session. */
  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
