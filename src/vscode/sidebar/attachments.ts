// What the sidebar attaches to a question (#file): the selection or files the person picks, read as
// text, bounded so a large file cannot fill the prompt, binary and sensitive files left out.
import * as vscode from 'vscode';
import { isSensitivePath } from '../../agent/filters';
import type { AttachmentInfo } from '../../protocol/messages';
import type { Attachment } from './port';

export const MAX_ATTACHMENT_CHARS = 50_000;
export const MAX_ATTACHMENTS = 10;

function bound(text: string): string {
  return text.length > MAX_ATTACHMENT_CHARS ? `${text.slice(0, MAX_ATTACHMENT_CHARS)}\n[… cut at ${MAX_ATTACHMENT_CHARS.toLocaleString('en-US')} characters]` : text;
}

const LANGUAGES: Record<string, string> = { ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact', py: 'python', md: 'markdown', json: 'json', rs: 'rust', go: 'go', java: 'java', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', rb: 'ruby', sh: 'shellscript', yml: 'yaml', yaml: 'yaml', html: 'html', css: 'css' };

/** What the page shows of attachments: names and sizes, never their text. */
export function attachmentInfo(list: Attachment[]): AttachmentInfo[] {
  return list.map((a) => ({ name: a.name.slice(0, 300), chars: a.text.length, ...(a.language ? { language: a.language.slice(0, 64) } : {}) }));
}

/** Asks which files (or the selection) to attach; none when the person cancels. */
export async function pickAttachments(): Promise<Attachment[]> {
  const editor = vscode.window.activeTextEditor;
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; selection?: boolean };
  const items: Item[] = [];
  if (editor && !editor.selection.isEmpty) items.push({ label: '$(selection) Selection', description: vscode.workspace.asRelativePath(editor.document.uri), selection: true });
  if (editor && editor.document.uri.scheme === 'file') items.push({ label: `$(file) ${vscode.workspace.asRelativePath(editor.document.uri)}`, description: 'active editor', uri: editor.document.uri });
  const files = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', 2000);
  for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const rel = vscode.workspace.asRelativePath(uri);
    if (isSensitivePath(rel.split('\\').join('/'))) continue;
    if (editor && uri.toString() === editor.document.uri.toString()) continue;
    items.push({ label: `$(file) ${rel}`, uri });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'ARC: #file — attach files to the next question', canPickMany: true, matchOnDescription: true, placeHolder: 'Files the model should see (each is cut at 50,000 characters)' });
  if (!picked?.length) return [];
  const added: Attachment[] = [];
  for (const p of picked) {
    if (p.selection && editor) {
      const text = editor.document.getText(editor.selection);
      added.push({ name: `${vscode.workspace.asRelativePath(editor.document.uri)}:${editor.selection.start.line + 1}-${editor.selection.end.line + 1}`, text: bound(text), language: editor.document.languageId });
    }
  }
  added.push(...(await readAttachments(picked.flatMap((p) => (p.uri ? [p.uri] : [])))));
  return added;
}

/** Reads files as text for attachment: bounded, binary files skipped. */
export async function readAttachments(uris: vscode.Uri[]): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const uri of uris.slice(0, MAX_ATTACHMENTS)) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const head = bytes.subarray(0, Math.min(bytes.length, 8000));
      if (head.includes(0)) {
        void vscode.window.showWarningMessage(`ARC: ${vscode.workspace.asRelativePath(uri)} looks binary; not attached.`);
        continue;
      }
      const text = new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_ATTACHMENT_CHARS * 4));
      const ext = uri.path.split('.').pop()?.toLowerCase() ?? '';
      out.push({ name: vscode.workspace.asRelativePath(uri), text: bound(text), ...(LANGUAGES[ext] ? { language: LANGUAGES[ext] } : {}) });
    } catch (e) {
      void vscode.window.showWarningMessage(`ARC: could not read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
