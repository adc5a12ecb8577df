// Inline chat (issue 10): a prompt inside the editor at the selection — a comment thread of the stable
// `comments` API, its reply box the prompt — answered in the thread, or turned into an edit streamed
// into the buffer as a vertical diff (./proposal.ts) with Accept / Reject lenses (./lenses.ts). This file
// owns the threads (the comment widgets, their regions, mode and effort); a request runs in
// ./request.ts, proposals live in ./proposals.ts, the reply's words come from ./reply.ts.
import * as vscode from 'vscode';
import type { Mode } from '../../core/run/events';
import type { RequestedMode, RunRequest } from '../../core/run/request';
import { recordRunOutcome } from '../runOnSurface';
import type { Services } from '../services';
import { readSettings } from '../settings';
import type { ChatThread, InlineResult, InlineTarget, ProposalInfo, SendOptions } from './chatTypes';
import { anchorOf, contextFor, FOLLOW_UP_OPTIONS, lineCountIn, lineCountOf, markdown, shiftRegion, type MutableComment } from './chatHelpers';
import { regionOf, type LineRegion } from './context';
import { ThreadFocus } from './focus';
import type { InlineProposal, ProposalEnd } from './proposal';
import { InlineProposals, proposalInfo } from './proposals';
import { MAX_EFFORT, MIN_EFFORT, parsePrompt, PROMPT_HELP, threadLabel } from './prompt';
import { proposalEndText } from './reply';
import { runInThread } from './request';

export type { ChatThread, HunkInfo, InlineResult, InlineTarget, ProposalInfo, SendOptions } from './chatTypes';

export const COMMENT_CONTROLLER_ID = 'arc.inline';

let threadCounter = 0;

export class InlineChat implements vscode.Disposable {
  private controller: vscode.CommentController | undefined;
  private readonly threads = new Map<string, ChatThread>();
  private readonly byWidget = new Map<vscode.CommentThread, ChatThread>();
  /** One proposal per document at a time (constructed first: it hears document changes first). */
  readonly proposals = new InlineProposals((p, t, end) => this.proposalEnded(p, t, end));
  readonly onDidChangeProposals = this.proposals.onDidChange;
  private readonly disposables: vscode.Disposable[] = [];
  /** Threads with a request in flight (the `arc.inline.running` context key). */
  private readonly running = new Set<string>();
  /**
   * The prompt box of a new thread: VS Code shows an open, focused reply box only for a thread it
   * makes itself (a "template", from Add Comment), so ARC offers one commenting line — the anchor —
   * just long enough to run Add Comment there, and adopts the thread when its first prompt is sent.
   */
  private armed: { uri: string; line: number } | undefined;
  private rangesAsked: ((uri: string) => void) | undefined;
  private pendingTarget: InlineTarget | undefined;
  private readonly focus: ThreadFocus;

  constructor(readonly services: Services) {
    this.focus = new ThreadFocus(COMMENT_CONTROLLER_ID, (m) => services.log.info(m));
    this.disposables.push(
      this.proposals,
      this.focus,
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e)),
      this.proposals.onDidRedraw(() => this.followProposals()),
    );
  }

  // ---- threads ------------------------------------------------------------------------------------

  /** Where a new prompt goes: the given document and range, or the active editor's selection. */
  async target(uriArg?: unknown, rangeArg?: unknown): Promise<InlineTarget | undefined> {
    let editor = vscode.window.activeTextEditor;
    if (typeof uriArg === 'string' || uriArg instanceof vscode.Uri) {
      const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg;
      if (editor?.document.uri.toString() !== uri.toString()) {
        const doc = await vscode.workspace.openTextDocument(uri);
        editor = await vscode.window.showTextDocument(doc, { preserveFocus: false });
      }
    }
    if (!editor) return undefined;
    const doc = editor.document;
    let sel: vscode.Range = editor.selection;
    const r = Array.isArray(rangeArg) && rangeArg.length === 4 && rangeArg.every((n) => typeof n === 'number') ? (rangeArg as number[]) : undefined;
    if (r) {
      sel = doc.validateRange(new vscode.Range(r[0]!, r[1]!, r[2]!, r[3]!));
      editor.selection = new vscode.Selection(sel.start, sel.end);
    } else if (rangeArg instanceof vscode.Range) {
      sel = doc.validateRange(rangeArg);
    }
    const region = regionOf({ startLine: sel.start.line, startCharacter: sel.start.character, endLine: sel.end.line, endCharacter: sel.end.character }, doc.lineCount);
    return { editor, region, selected: !sel.isEmpty };
  }

  /** A thread above the region for a prompt given by a command (no box to type in: it is sent at once). */
  open(target: InlineTarget): ChatThread {
    const controller = this.commentController();
    // One empty prompt at a time: an unused one is replaced.
    for (const t of [...this.threads.values()]) if (t.comments.length === 0 && !t.run) this.disposeThread(t);
    const uri = target.editor.document.uri;
    const widget = controller.createCommentThread(uri, anchorOf(target.region, target.editor.document.lineCount), []);
    widget.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    widget.canReply = true;
    const t: ChatThread = {
      id: `inline-${++threadCounter}`,
      uri,
      thread: widget,
      region: target.region,
      selected: target.selected,
      history: [],
      comments: [],
      disposed: false,
    };
    widget.contextValue = 'arc-idle';
    this.threads.set(t.id, t);
    this.byWidget.set(widget, t);
    this.relabel(t);
    return t;
  }

  /**
   * The prompt box at the selection, focused for typing: a thread of ARC's (titled by ARC) whose box
   * the workbench is asked to focus (./focus.ts); failing that, Add Comment on the anchor line (see
   * `armed`). Again at a place that has a thread of ARC's open: the keyboard goes to that thread's box.
   * False when the editor made no box (then the caller asks in an input box instead).
   */
  async prompt(target: InlineTarget): Promise<boolean> {
    const controller = this.commentController();
    const editor = target.editor;
    const uri = editor.document.uri.toString();
    const anchor = anchorOf(target.region, editor.document.lineCount).start;
    const existing = this.threadAt(uri, editor.document.lineCount, anchor.line);
    if (existing) {
      existing.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      if (existing.comments.length === 0) this.setPromptOptions();
      await this.focus.focus(controller, existing.thread);
      return true;
    }
    this.setPromptOptions();
    const t = this.open(target);
    if (await this.focus.focus(controller, t.thread)) return true;
    this.disposeThread(t);
    return this.templatePrompt(target, anchor);
  }

  /** The newest open thread of `uri` whose widget goes on `line` (the same region, or one anchored there). */
  private threadAt(uri: string, lineCount: number, line: number): ChatThread | undefined {
    return [...this.threads.values()]
      .reverse()
      .find((t) => !t.disposed && t.uri.toString() === uri && (anchorOf(t.region, lineCount).start.line === line || t.thread.range?.start.line === line));
  }

  private setPromptOptions(): void {
    const label = `${threadLabel(this.modeOf(undefined), this.effortOf(undefined))} — ask about the code, or describe an edit (${PROMPT_HELP})`;
    this.commentController().options = { prompt: label, placeHolder: label };
  }

  /** The editor's own focused box: Add Comment on the anchor line (the thread is adopted when a prompt is sent). */
  private async templatePrompt(target: InlineTarget, anchor: vscode.Position): Promise<boolean> {
    const controller = this.commentController();
    const editor = target.editor;
    const uri = editor.document.uri.toString();
    this.pendingTarget = target;
    const asked = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 3000);
      this.rangesAsked = (u) => {
        if (u !== uri) return;
        clearTimeout(timer);
        this.rangesAsked = undefined;
        resolve(true);
      };
    });
    this.armed = { uri, line: anchor.line };
    // Assigning the provider again makes the editor ask for the ranges again.
    controller.commentingRangeProvider = this.rangeProvider;
    if (!(await asked)) {
      this.disarm();
      return false;
    }
    // The editor stores the ranges after asking: give it a moment before Add Comment looks at them.
    await new Promise((r) => setTimeout(r, 50));
    const selections = editor.selections;
    editor.selection = new vscode.Selection(anchor, anchor);
    try {
      await vscode.commands.executeCommand('workbench.action.addComment');
    } catch {
      this.disarm();
      return false;
    } finally {
      editor.selections = selections;
    }
    return true;
  }

  private readonly rangeProvider: vscode.CommentingRangeProvider = {
    provideCommentingRanges: (doc) => {
      const uri = doc.uri.toString();
      this.rangesAsked?.(uri);
      const armed = this.armed;
      if (!armed || armed.uri !== uri || armed.line >= doc.lineCount) return [];
      return [doc.lineAt(armed.line).range];
    },
  };

  private disarm(): void {
    if (!this.armed) return;
    this.armed = undefined;
    if (this.controller) this.controller.commentingRangeProvider = this.rangeProvider;
  }

  find(arg: unknown): ChatThread | undefined {
    if (typeof arg === 'string') return this.threads.get(arg);
    if (arg && typeof arg === 'object') {
      const widget = (arg as { thread?: vscode.CommentThread }).thread ?? (arg as vscode.CommentThread);
      const t = this.byWidget.get(widget);
      if (t) return t;
      if (widget && typeof widget === 'object' && 'uri' in widget && 'comments' in widget) return this.adopt(widget);
    }
    return undefined;
  }

  /**
   * After a prompt is sent from the box: a fresh widget with the conversation (the editor keeps the
   * sent text in the box otherwise), and the keyboard back in the code, where the answer or the diff
   * appears and where the accept / reject / stop keys work. Later prompts go in through "Reply…".
   */
  async afterSubmit(t: ChatThread): Promise<void> {
    if (t.disposed) return;
    const old = t.thread;
    // The new widget reads the box's placeholder when it is made: the follow-up one from now on.
    this.commentController().options = FOLLOW_UP_OPTIONS;
    const widget = this.commentController().createCommentThread(t.uri, old.range ?? anchorOf(t.region, lineCountIn(t.uri)), t.comments.map((c) => ({ ...c })));
    widget.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    widget.canReply = true;
    widget.contextValue = old.contextValue;
    widget.label = old.label;
    this.byWidget.delete(old);
    this.byWidget.set(widget, t);
    t.thread = widget;
    old.dispose();
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === t.uri.toString());
    if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false, preview: false });
  }

  /** A thread the editor made from Add Comment (our prompt box): from now on it is an ARC thread. */
  private adopt(widget: vscode.CommentThread): ChatThread {
    const pending = this.pendingTarget;
    const uri = widget.uri;
    let region: LineRegion;
    let selected = false;
    if (pending && pending.editor.document.uri.toString() === uri.toString()) {
      region = pending.region;
      selected = pending.selected;
    } else {
      const line = widget.range?.start.line ?? 0;
      region = { startLine: line + 1, endLine: line + 2 };
    }
    this.pendingTarget = undefined;
    this.disarm();
    widget.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    const t: ChatThread = { id: `inline-${++threadCounter}`, uri, thread: widget, region, selected, history: [], comments: [], disposed: false };
    widget.contextValue = 'arc-idle';
    this.threads.set(t.id, t);
    this.byWidget.set(widget, t);
    this.relabel(t);
    return t;
  }

  /** The thread a command without arguments means: the active editor's newest thread. */
  current(): ChatThread | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const all = [...this.threads.values()].filter((t) => !t.disposed);
    return [...all].reverse().find((t) => t.uri.toString() === uri) ?? all.at(-1);
  }

  close(t: ChatThread): void {
    t.run?.controller.abort();
    this.disposeThread(t);
  }

  setMode(t: ChatThread, mode: RequestedMode): void {
    t.mode = mode;
    t.routed = undefined;
    this.relabel(t);
  }

  setEffort(t: ChatThread, effort: number): void {
    t.effort = effort;
    this.relabel(t);
  }

  effortOf(t: ChatThread | undefined): number {
    return t?.effort ?? readSettings().settings.effort;
  }

  modeOf(t: ChatThread | undefined): RequestedMode {
    return t?.mode ?? readSettings().settings.mode;
  }

  cancel(t: ChatThread): boolean {
    if (!t.run) return false;
    t.run.controller.abort();
    return true;
  }

  // ---- a request ----------------------------------------------------------------------------------

  /** Sends a prompt from the thread's box (or a command). Undefined when it only changed settings. */
  send(t: ChatThread, raw: string, opts: SendOptions = {}): Promise<InlineResult | undefined> {
    const parsed = parsePrompt(raw);
    if (parsed.mode) this.setMode(t, parsed.mode);
    if (opts.mode) this.setMode(t, opts.mode);
    if (parsed.effort !== undefined) this.setEffort(t, parsed.effort);
    if (opts.effort !== undefined) this.setEffort(t, opts.effort);
    if (parsed.badEffort) void vscode.window.showWarningMessage(`ARC: effort must be a number from ${MIN_EFFORT} to ${MAX_EFFORT} (got ${parsed.badEffort}).`);
    if (!parsed.query) return Promise.resolve(undefined);
    const previous = t.run;
    const controller = new AbortController();
    const done = (async () => {
      if (previous) {
        previous.controller.abort();
        await previous.done.catch(() => undefined);
      }
      return runInThread(this, t, parsed.query, opts.shown ?? raw.trim(), opts.intent ?? parsed.intent, controller);
    })();
    t.run = { controller, done };
    const clear = () => {
      if (t.run?.done === done) t.run = undefined;
      this.setRunning(t, !!t.run);
    };
    done.then(clear, clear);
    return done;
  }

  /** Diagnostics in the region (for Fix), as the model gets them. */
  diagnosticsIn(doc: vscode.TextDocument, region: LineRegion): string[] {
    return contextFor(doc, region, true).diagnostics ?? [];
  }

  // ---- proposals ----------------------------------------------------------------------------------

  proposalFor(uriArg?: unknown): InlineProposal | undefined {
    return this.proposals.forUri(uriArg);
  }

  allProposals(): InlineProposal[] {
    return this.proposals.all();
  }

  /** The pending hunk the cursor is in (or next to), for the keybindings. */
  hunkAtCursor(p: InlineProposal): string | undefined {
    return this.proposals.hunkAtCursor(p);
  }

  threadOf(p: InlineProposal): ChatThread | undefined {
    return this.proposals.threadOf(p);
  }

  info(p: InlineProposal): ProposalInfo {
    return proposalInfo(p);
  }

  private proposalEnded(p: InlineProposal, t: ChatThread | undefined, end: ProposalEnd): void {
    if (!t) return;
    // Where the thread's next edit works: the region as the proposal left it.
    const text = end.reason === 'resolved' ? (end.text ?? p.original) : end.reason === 'undone' || end.reason === 'cancelled' ? p.original : undefined;
    if (text !== undefined && !p.doc.isClosed) {
      const startLine = p.startLine;
      t.region = { startLine, endLine: startLine + lineCountOf(text) };
      if (!t.disposed) t.thread.range = anchorOf(t.region, p.doc.lineCount);
    }
    const comment = t.proposalComment as MutableComment | undefined;
    if (comment && end.reason !== 'cancelled') {
      comment.body = markdown(proposalEndText(end));
      this.renderThread(t);
    }
    // Outcomes the router and cost of pass learn from: an accepted edit is a success.
    const run = t.proposalRun;
    if (run && (end.reason === 'resolved' || end.reason === 'undone') && end.accepted + end.rejected > 0) {
      void this.recordOutcome(run, end.reason === 'resolved' && end.accepted > 0);
    }
  }

  private async recordOutcome(run: { runId: string; request: RunRequest; mode?: Mode }, accepted: boolean): Promise<void> {
    try {
      await recordRunOutcome(this.services, run, { type: 'edit', accepted });
    } catch (e) {
      this.services.log.warn(`could not record the edit's outcome: ${String(e)}`);
    }
  }

  renderThread(t: ChatThread): void {
    if (t.disposed) return;
    // A new array (and new comment objects) is what makes the widget redraw.
    t.thread.comments = t.comments.map((c) => ({ ...c }));
  }

  relabel(t: ChatThread): void {
    if (t.disposed) return;
    t.thread.label = threadLabel(this.modeOf(t), this.effortOf(t), t.routed);
  }

  setRunning(t: ChatThread, running: boolean): void {
    const before = this.running.size;
    if (running && !t.disposed) this.running.add(t.id);
    else this.running.delete(t.id);
    // Stop is offered in the palette only while an inline request runs.
    if ((before > 0) !== (this.running.size > 0)) void vscode.commands.executeCommand('setContext', 'arc.inline.running', this.running.size > 0);
    if (t.disposed) return;
    t.thread.contextValue = running ? 'arc-running' : 'arc-idle';
  }

  private commentController(): vscode.CommentController {
    if (!this.controller) {
      this.controller = vscode.comments.createCommentController(COMMENT_CONTROLLER_ID, 'ARC');
      this.controller.options = FOLLOW_UP_OPTIONS;
      this.controller.commentingRangeProvider = this.rangeProvider;
      this.disposables.push(this.controller);
    }
    return this.controller;
  }

  private disposeThread(t: ChatThread): void {
    if (t.disposed) return;
    t.disposed = true;
    this.threads.delete(t.id);
    this.byWidget.delete(t.thread);
    t.thread.dispose();
  }

  /**
   * A thread below its region (one that starts the file: there is no line above it) moves down with the
   * diff shown there, so the widget never sits between the removed and the added lines.
   */
  private followProposals(): void {
    for (const t of this.threads.values()) {
      const p = t.proposal;
      if (t.disposed || !p || p.state === 'ended' || p.doc.isClosed || p.startLine > 0) continue;
      const line = Math.min(p.range.end.line, p.doc.lineCount - 1);
      if (t.thread.range?.start.line !== line) t.thread.range = new vscode.Range(line, 0, line, 0);
    }
  }

  // ---- document events ----------------------------------------------------------------------------

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const uri = e.document.uri.toString();
    // Threads follow edits above them, so a follow-up edits the right lines.
    for (const t of this.threads.values()) {
      if (t.uri.toString() !== uri || (t.proposal && t.proposal.state !== 'ended')) continue;
      const moved = shiftRegion(t.region, e.contentChanges);
      if (moved.startLine !== t.region.startLine || moved.endLine !== t.region.endLine) t.region = moved;
    }
  }

  dispose(): void {
    for (const t of this.threads.values()) t.run?.controller.abort();
    for (const t of this.threads.values()) t.disposed = true;
    for (const d of this.disposables) d.dispose();
  }
}

