// Inline chat's small helpers: trusted Markdown and command links for the replies, the region a
// thread edits (clamped, anchored, moved by edits above it), and the history a follow-up sends.
import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/model/types';
import type { RunContext } from '../../core/run/request';
import type { ChatThread } from './chatTypes';
import { anchorLine, formatDiagnostics, surroundingLines, type DiagnosticLike, type LineRegion } from './context';
import type { InlineProposal } from './proposal';
import { PROMPT_HELP } from './prompt';

/** Earlier turns a follow-up sends (user + assistant messages). */
const MAX_HISTORY_MESSAGES = 12;
const MAX_HISTORY_CHARS = 12_000;

export type MutableComment = { -readonly [K in keyof vscode.Comment]: vscode.Comment[K] };

const LINK_COMMANDS = ['arc.inline.acceptAll', 'arc.inline.rejectAll', 'arc.inline.cancel'];

/** The reply box of a thread that has a conversation (its title shows the mode and effort). */
export const FOLLOW_UP_OPTIONS = {
  prompt: 'Follow up… ("shorter", "also handle null")',
  placeHolder: `Follow up… ("shorter", "also handle null") · ${PROMPT_HELP}`,
};

/** Trusted for ARC's own command links only; `icons: false` for model text (`$(x)` is code there). */
export function markdown(text: string, links = false, icons = true): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, icons);
  md.isTrusted = { enabledCommands: links ? LINK_COMMANDS : ['arc.inline.cancel'] };
  return md;
}

export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

export function stopLink(threadId: string): string {
  return commandLink('$(debug-stop) Stop', 'arc.inline.cancel', [threadId]);
}

export function proposalSummary(p: InlineProposal): string {
  const c = p.model.counts();
  const autoSave = vscode.workspace.getConfiguration('files', p.doc.uri).get<string>('autoSave', 'off');
  const saveNote =
    autoSave === 'off' ? 'ARC never saves the file.' : `ARC never saves the file, but auto save ("files.autoSave": "${autoSave}") may write it with the proposal shown until you accept or reject.`;
  const mac = process.platform === 'darwin';
  const keys = mac ? '⌘⇧⏎ accepts all, ⌘⇧⌫ rejects all, ⌥⌘Y / ⌥⌘N the change at the cursor' : 'Ctrl+Shift+Enter accepts all, Ctrl+Shift+Backspace rejects all, Ctrl+Alt+Y / Ctrl+Alt+N the change at the cursor';
  return (
    `Proposed ${c.hunks} change${c.hunks === 1 ? '' : 's'} (+${c.added} −${c.removed} lines), shown in the editor. ` +
    `${commandLink('$(check) Accept all', 'arc.inline.acceptAll', [p.uri])} · ${commandLink('$(close) Reject all', 'arc.inline.rejectAll', [p.uri])}\n\n_${keys}. ${saveNote}_`
  );
}

/** The line a thread's widget goes below (./context.ts `anchorLine`: above the region, or below it at the top of the file). */
export function anchorOf(region: LineRegion, lineCount: number): vscode.Range {
  const line = anchorLine(region, lineCount);
  return new vscode.Range(line, 0, line, 0);
}

/** Lines of an open document (1 when it is not open: its first line is always there). */
export function lineCountIn(uri: vscode.Uri): number {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.lineCount ?? 1;
}

export function clampRegion(region: LineRegion, doc: vscode.TextDocument): LineRegion {
  const startLine = Math.max(0, Math.min(region.startLine, doc.lineCount - 1));
  return { startLine, endLine: Math.max(startLine, Math.min(region.endLine, doc.lineCount)) };
}

/** The region's text range: from its first line's start to the next line's start (or the end). */
export function rangeOf(region: LineRegion, doc: vscode.TextDocument): vscode.Range {
  const start = new vscode.Position(region.startLine, 0);
  if (region.endLine >= doc.lineCount) return new vscode.Range(start, doc.lineAt(doc.lineCount - 1).range.end);
  return new vscode.Range(start, new vscode.Position(region.endLine, 0));
}

export function selectionOf(doc: vscode.TextDocument, region: LineRegion, text: string): NonNullable<RunContext['selection']> {
  return { text, fileName: vscode.workspace.asRelativePath(doc.uri), language: doc.languageId, startLine: region.startLine + 1 };
}

export function lineCountOf(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

export function toDiagnosticLike(d: vscode.Diagnostic): DiagnosticLike {
  const severity = (['error', 'warning', 'info', 'hint'] as const)[d.severity] ?? 'error';
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return { line: d.range.start.line, severity, message: d.message, ...(d.source ? { source: d.source } : {}), ...(code !== undefined ? { code } : {}) };
}

export function pushHistory(t: ChatThread, query: string, answer: string): void {
  t.history.push({ role: 'user', content: query }, { role: 'assistant', content: answer });
}

/** The newest turns that fit (whole user + assistant pairs). */
export function trimHistory(history: ChatMessage[]): ChatMessage[] | undefined {
  if (history.length === 0) return undefined;
  const out: ChatMessage[] = [];
  let chars = 0;
  for (let i = history.length - 2; i >= 0 && out.length < MAX_HISTORY_MESSAGES; i -= 2) {
    const pair = history.slice(i, i + 2);
    const size = pair.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
    if (chars + size > MAX_HISTORY_CHARS && out.length > 0) break;
    chars += size;
    out.unshift(...pair);
  }
  return out;
}

/** Moves a region for edits outside it (line-based; an edit inside it changes its end). */
export function shiftRegion(region: LineRegion, changes: readonly vscode.TextDocumentContentChangeEvent[]): LineRegion {
  let { startLine, endLine } = region;
  for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
    const delta = (c.text.match(/\n/g)?.length ?? 0) - (c.range.end.line - c.range.start.line);
    if (delta === 0) continue;
    if (c.range.end.line < startLine || (c.range.end.line === startLine && c.range.end.character === 0 && c.range.start.line < startLine)) {
      startLine += delta;
      endLine += delta;
    } else if (c.range.start.line < endLine) {
      endLine = Math.max(startLine, endLine + delta);
    }
  }
  return { startLine: Math.max(0, startLine), endLine: Math.max(0, endLine) };
}

/** What a request of a thread sends: the region (or where the cursor was), the lines around it and its diagnostics. */
export function contextFor(doc: vscode.TextDocument, region: LineRegion, selected: boolean): RunContext {
  const surrounding = surroundingLines((i) => doc.lineAt(i).text, doc.lineCount, region);
  const range = rangeOf(region, doc);
  const diagnostics = formatDiagnostics(
    vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.range.intersection(range) !== undefined || (d.range.start.line >= region.startLine && d.range.start.line < Math.max(region.endLine, region.startLine + 1)))
      .map(toDiagnosticLike),
  );
  const ctx: RunContext = { surrounding };
  if (selected) ctx.selection = selectionOf(doc, region, doc.getText(range));
  else ctx.selection = { text: '', fileName: vscode.workspace.asRelativePath(doc.uri), language: doc.languageId, startLine: region.startLine + 1 };
  if (diagnostics.length) ctx.diagnostics = diagnostics;
  return ctx;
}
