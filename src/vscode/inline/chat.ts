// Inline chat (issue 10): a prompt inside the editor at the selection — a comment thread of the stable
// `comments` API, its reply box the prompt — answered in the thread, or turned into an edit streamed
// into the buffer as a vertical diff (./proposal.ts) with Accept / Reject lenses (./lenses.ts).
import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/model/types';
import type { Intent, Mode } from '../../core/run/events';
import { detectLineStyle } from '../../edit/lineText';
import type { Resolution } from '../../edit/applyHunks';
import type { RequestedMode, RunContext, RunRequest } from '../../core/run/request';
import { recordRunOutcome, runOnSurface } from '../runOnSurface';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { formatDiagnostics, regionOf, surroundingLines, type DiagnosticLike, type LineRegion } from './context';
import { inlineRunFeed } from './feed';
import { InlineProposal, type ProposalEnd } from './proposal';
import { MAX_EFFORT, MIN_EFFORT, parsePrompt, PROMPT_HELP, threadLabel } from './prompt';
import { finalMeta, newReply, notesText, reduceReply, replyLabel, stoppedAnswerBody, stoppedEditBody, streamingBody } from './reply';

export const COMMENT_CONTROLLER_ID = 'arc.inline';
const RENDER_MS = 100;
/** Earlier turns a follow-up sends (user + assistant messages). */
const MAX_HISTORY_MESSAGES = 12;
const MAX_HISTORY_CHARS = 12_000;

export interface HunkInfo {
  id: string;
  stable: boolean;
  status: 'pending' | Resolution;
  /** 0-based line in the region of the first original line replaced. */
  origStart: number;
  origLines: string[];
  newLines: string[];
  /** Document lines shown for a pending hunk: its removed then its added lines ([start, end)). */
  removed?: [number, number];
  added?: [number, number];
}

export interface ProposalInfo {
  id: string;
  uri: string;
  state: 'streaming' | 'pending' | 'ended';
  endedAs?: string;
  startLine: number;
  hunks: HunkInfo[];
  counts: { hunks: number; pending: number; accepted: number; rejected: number; added: number; removed: number };
  timings: { lastChunkToShownMs?: number; finishToShownMs?: number };
}

export interface InlineResult {
  threadId: string;
  uri: string;
  runId: string;
  status: 'finished' | 'failed' | 'cancelled';
  intent: Intent;
  mode?: Mode;
  answer: string;
  error?: string;
  /** An edit's proposal, as left in the buffer when the reply ended. */
  proposal?: ProposalInfo;
}

interface ChatThread {
  id: string;
  uri: vscode.Uri;
  thread: vscode.CommentThread;
  /** What an edit replaces: the selection's whole lines (after an edit: what the edit left there). */
  region: LineRegion;
  /** The region was selected (not just where the cursor was): questions get it as the selection. */
  selected: boolean;
  mode?: RequestedMode;
  effort?: number;
  routed?: Mode;
  history: ChatMessage[];
  comments: vscode.Comment[];
  lastIntent?: Intent;
  run?: { controller: AbortController; done: Promise<InlineResult | undefined> };
  proposal?: InlineProposal;
  /** The exchange whose status line a proposal's outcome updates. */
  proposalComment?: vscode.Comment;
  proposalRun?: { runId: string; request: RunRequest; mode?: Mode };
  disposed: boolean;
}

export interface InlineTarget {
  editor: vscode.TextEditor;
  region: LineRegion;
  selected: boolean;
}

export interface SendOptions {
  intent?: Intent;
  mode?: RequestedMode;
  effort?: number;
  /** The prompt shown in the thread, when the query sent is longer (Fix). */
  shown?: string;
}

let threadCounter = 0;

export class InlineChat implements vscode.Disposable {
  private controller: vscode.CommentController | undefined;
  private readonly threads = new Map<string, ChatThread>();
  private readonly byWidget = new Map<vscode.CommentThread, ChatThread>();
  /** One proposal per document at a time. */
  private readonly proposals = new Map<string, InlineProposal>();
  private readonly owner = new Map<InlineProposal, ChatThread>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeProposals = this.changed.event;
  private readonly added: vscode.TextEditorDecorationType;
  private readonly removed: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  private redrawTimer: NodeJS.Timeout | undefined;
  /**
   * The prompt box of a new thread: VS Code shows an open, focused reply box only for a thread it
   * makes itself (a "template", from Add Comment), so ARC offers one commenting line — the anchor —
   * just long enough to run Add Comment there, and adopts the thread when its first prompt is sent.
   */
  private armed: { uri: string; line: number } | undefined;
  private rangesAsked: ((uri: string) => void) | undefined;
  private pendingTarget: InlineTarget | undefined;

  constructor(private readonly services: Services) {
    this.added = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.removed = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      textDecoration: 'line-through',
      opacity: '0.75',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.added,
      this.removed,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onDocumentClose(doc)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKeys()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.proposals.has(e.textEditor.document.uri.toString())) this.updateContextKeys();
      }),
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
    const widget = controller.createCommentThread(uri, anchorOf(target.region), []);
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
   * The prompt box at the selection, focused for typing: Add Comment on the anchor line (see `armed`).
   * False when the editor did not make one (then the caller asks in an input box instead).
   */
  async prompt(target: InlineTarget): Promise<boolean> {
    const controller = this.commentController();
    const editor = target.editor;
    const uri = editor.document.uri.toString();
    const anchor = anchorOf(target.region).start;
    // A thread of ARC's already there: open it rather than start another on the same line.
    const existing = [...this.threads.values()].find((t) => !t.disposed && t.uri.toString() === uri && t.thread.range?.start.line === anchor.line);
    if (existing) {
      existing.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      return true;
    }
    this.pendingTarget = target;
    const label = `${threadLabel(this.modeOf(undefined), this.effortOf(undefined))} — ask about the code, or describe an edit (${PROMPT_HELP})`;
    controller.options = { prompt: label, placeHolder: label };
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
    const widget = this.commentController().createCommentThread(t.uri, old.range ?? anchorOf(t.region), t.comments.map((c) => ({ ...c })));
    widget.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    widget.canReply = true;
    widget.contextValue = old.contextValue;
    widget.label = old.label;
    this.byWidget.delete(old);
    this.byWidget.set(widget, t);
    t.thread = widget;
    old.dispose();
    this.commentController().options = FOLLOW_UP_OPTIONS;
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
      return this.execute(t, parsed.query, opts.shown ?? raw.trim(), opts.intent ?? parsed.intent, controller);
    })();
    t.run = { controller, done };
    const clear = () => {
      if (t.run?.done === done) t.run = undefined;
      this.setRunning(t, !!t.run);
    };
    done.then(clear, clear);
    return done;
  }

  /**
   * One request of a thread: the comment UI around runOnSurface (the one run lifecycle). The intent is
   * the forced one, else what `run.routed` says (the engine settles `task: 'auto'`); an edit's
   * proposal starts when the run is routed to one.
   */
  private async execute(t: ChatThread, query: string, shown: string, forcedIntent: Intent | undefined, controller: AbortController): Promise<InlineResult | undefined> {
    const services = this.services;
    const doc = await vscode.workspace.openTextDocument(t.uri);
    const uri = doc.uri.toString();
    // A follow-up on a pending proposal of this thread redoes the edit from the original.
    if (t.proposal && t.proposal.state !== 'ended') {
      await t.proposal.cancel('cancelled');
    }
    const region = clampRegion(t.region, doc);
    const regionText = doc.getText(rangeOf(region, doc));
    const context = this.contextFor(doc, region, t.selected);
    // An edit always works on the region, selected or not.
    const editRegion = selectionOf(doc, region, regionText);
    const { settings } = readSettings();

    const user: vscode.Comment = { author: { name: 'You' }, body: new vscode.MarkdownString().appendText(shown), mode: vscode.CommentMode.Preview };
    const reply: MutableComment = { author: { name: 'ARC' }, body: markdown('…'), mode: vscode.CommentMode.Preview, label: forcedIntent === 'edit' ? 'editing' : 'answering' };
    t.comments.push(user, reply);
    this.renderThread(t);
    this.setRunning(t, true);
    const failed = (intent: Intent, error: string, runId = ''): InlineResult => {
      reply.body = markdown(`$(warning) ${error}`);
      reply.label = undefined;
      this.renderThread(t);
      return { threadId: t.id, uri, runId, status: 'failed', intent, answer: '', error };
    };
    const openProposal = () => {
      const other = this.proposals.get(uri);
      return other && other.state !== 'ended' ? other : undefined;
    };
    const BLOCKED = 'Another ARC proposal is still open in this file: accept or reject it first.';
    if (forcedIntent === 'edit' && openProposal()) return failed('edit', BLOCKED);

    const state = newReply(forcedIntent);
    let proposal: InlineProposal | undefined;
    let blocked = false;
    let simulated = false;
    let timer: NodeJS.Timeout | undefined;
    const render = () => {
      timer = undefined;
      reply.label = replyLabel(state, simulated);
      if (proposal) {
        const lines = proposal.model.hunks().reduce((n, h) => n + h.newLines.length, 0);
        reply.body = markdown(`$(loading~spin) Writing the change in the editor… ${lines} new line${lines === 1 ? '' : 's'} so far. ${stopLink(t.id)}`);
      } else {
        reply.body = markdown(`${streamingBody(state)}\n\n${commandLink('Stop', 'arc.inline.cancel', [t.id])}`, false, false);
      }
      this.renderThread(t);
    };
    const schedule = () => {
      timer ??= setTimeout(render, RENDER_MS);
    };
    const routedTo = (intent: Intent) => {
      reply.label = intent === 'edit' ? 'editing' : 'answering';
      if (state.routed && (t.mode ?? settings.mode) === 'auto') {
        t.routed = state.routed;
        this.relabel(t);
      }
      if (intent !== 'edit') return;
      if (openProposal()) {
        blocked = true;
        controller.abort();
        return;
      }
      proposal = this.startProposal(t, doc, region, regionText);
      t.proposalComment = reply;
      // The selection has done its job (it chose the region): left in place it would paint over the diff.
      for (const e of vscode.window.visibleTextEditors) {
        if (e.document === doc && !e.selection.isEmpty) e.selection = new vscode.Selection(e.selection.start, e.selection.start);
      }
    };
    const outcome = await runOnSurface(
      services,
      {
        query,
        modeOverride: t.mode,
        source: 'inline',
        context: forcedIntent === 'edit' ? { ...context, selection: editRegion } : forcedIntent ? context : { ...context, editRegion },
        history: trimHistory(t.history),
        task: forcedIntent ?? 'auto',
        ...(t.lastIntent ? { previousIntent: t.lastIntent } : {}),
        effort: t.effort,
      },
      {
        controller,
        onStart: (run) => {
          simulated = run.simulated;
        },
        onEvent: (event) => {
          inlineRunFeed.emit({ threadId: t.id, uri, query, ...(state.intent ? { intent: state.intent } : {}), event });
          const editText = reduceReply(state, event);
          if (event.type === 'run.routed') routedTo(state.intent!);
          if (editText && proposal) proposal.push(editText);
          if (event.type === 'thread.progress' || event.type === 'thread.delta') schedule();
        },
      },
    );
    if (timer) clearTimeout(timer);
    const intent = state.intent ?? forcedIntent ?? 'answer';
    if (outcome.status === 'not-run') return failed(intent, outcome.error ?? 'ARC has no model configured (see the warning, or ARC: Set API Key and the arc.* settings).');
    const { runId, request, mode, last } = outcome;
    if (blocked) return failed(intent, BLOCKED, runId);

    const meta = finalMeta(state, last?.type === 'run.finished' ? last.data.usage : undefined, simulated);
    const base = { threadId: t.id, uri, runId, intent, mode: state.mode };
    const noteText = notesText(state);

    if (outcome.status === 'finished') {
      const final = outcome.answer;
      t.lastIntent = intent;
      pushHistory(t, query, final);
      reply.label = meta;
      if (proposal) {
        t.proposalRun = { runId, request, mode: state.mode ?? mode };
        await proposal.finish(final);
        reply.body = proposal.state === 'ended' ? markdown(`No change proposed: the reply left the code as it was.${noteText}`) : markdown(`${proposalSummary(proposal)}${noteText}`, true);
        this.renderThread(t);
        return { ...base, status: 'finished', answer: final, proposal: this.info(proposal) };
      }
      reply.body = markdown(`${final}${noteText}`, false, false);
      this.renderThread(t);
      return { ...base, status: 'finished', answer: final };
    }

    const cancelled = outcome.status === 'cancelled';
    const error = cancelled ? undefined : outcome.error;
    const partial = last?.type === 'run.failed' || last?.type === 'run.cancelled' ? (last.data.answer ?? '') : '';
    reply.label = meta || undefined;
    if (proposal) {
      const interrupted = proposal.interrupted;
      await proposal.cancel('cancelled');
      reply.body = markdown(stoppedEditBody(cancelled, interrupted, error));
      this.renderThread(t);
      return { ...base, status: cancelled ? 'cancelled' : 'failed', answer: partial, ...(error ? { error } : {}), proposal: this.info(proposal) };
    }
    reply.body = markdown(stoppedAnswerBody(partial, cancelled, error), false, false);
    this.renderThread(t);
    return { ...base, status: cancelled ? 'cancelled' : 'failed', answer: partial, ...(error ? { error } : {}) };
  }

  private contextFor(doc: vscode.TextDocument, region: LineRegion, selected: boolean): RunContext {
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

  /** Diagnostics in the region (for Fix), as the model gets them. */
  diagnosticsIn(doc: vscode.TextDocument, region: LineRegion): string[] {
    return this.contextFor(doc, region, true).diagnostics ?? [];
  }

  // ---- proposals ----------------------------------------------------------------------------------

  private startProposal(t: ChatThread, doc: vscode.TextDocument, region: LineRegion, regionText: string): InlineProposal {
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    // A region at the very end of a document without a final newline keeps it that way.
    const atEnd = region.endLine >= doc.lineCount;
    const style = detectLineStyle(regionText, { eol, finalNewline: !atEnd });
    const proposal = new InlineProposal(doc, region.startLine, regionText, style, {
      changed: () => this.scheduleRedraw(),
      interrupted: (p) => {
        const owner = this.owner.get(p);
        owner?.run?.controller.abort();
      },
      ended: (p, end) => this.proposalEnded(p, end),
    });
    this.proposals.set(doc.uri.toString(), proposal);
    this.owner.set(proposal, t);
    t.proposal = proposal;
    this.scheduleRedraw();
    return proposal;
  }

  proposalFor(uriArg?: unknown): InlineProposal | undefined {
    const uri =
      typeof uriArg === 'string' ? uriArg : uriArg instanceof vscode.Uri ? uriArg.toString() : vscode.window.activeTextEditor?.document.uri.toString();
    return uri ? this.proposals.get(uri) : undefined;
  }

  allProposals(): InlineProposal[] {
    return [...this.proposals.values()];
  }

  /** The pending hunk the cursor is in (or next to), for the keybindings. */
  hunkAtCursor(p: InlineProposal): string | undefined {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === p.doc);
    const line = editor ? editor.selection.active.line : p.startLine;
    return p.model.hunkAtLine(line - p.startLine);
  }

  threadOf(p: InlineProposal): ChatThread | undefined {
    return this.owner.get(p);
  }

  private proposalEnded(p: InlineProposal, end: ProposalEnd): void {
    const t = this.owner.get(p);
    if (this.proposals.get(p.uri) === p) this.proposals.delete(p.uri);
    this.scheduleRedraw();
    if (!t) return;
    // Where the thread's next edit works: the region as the proposal left it.
    const text = end.reason === 'resolved' ? (end.text ?? p.original) : end.reason === 'undone' || end.reason === 'cancelled' ? p.original : undefined;
    if (text !== undefined && !p.doc.isClosed) {
      const startLine = p.startLine;
      t.region = { startLine, endLine: startLine + lineCountOf(text) };
      if (!t.disposed) t.thread.range = anchorOf(t.region);
    }
    const comment = t.proposalComment as MutableComment | undefined;
    if (comment && end.reason !== 'cancelled') {
      const total = end.accepted + end.rejected;
      const words: Record<string, string> = {
        resolved:
          total === 0
            ? 'No change proposed.'
            : end.accepted === 0
              ? 'Rejected: the code is as it was.'
              : end.rejected === 0
                ? `Accepted ${end.accepted === 1 ? 'the change' : `all ${end.accepted} changes`}. Undo (Ctrl+Z) goes back to the original in one step.`
                : `Accepted ${end.accepted} of ${total} changes. Undo (Ctrl+Z) goes back to the original in one step.`,
        undone: 'Undone: the code is as it was.',
        detached: 'The proposal was edited by hand: its lines were left as they are.',
        closed: 'The file was closed: the proposal was dropped.',
      };
      comment.body = markdown(words[end.reason] ?? '');
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

  info(p: InlineProposal): ProposalInfo {
    const ranges = new Map(p.state === 'ended' ? [] : p.lineRanges().map((r) => [r.id, r]));
    const t = p.timings;
    return {
      id: p.id,
      uri: p.uri,
      state: p.state,
      ...(p.endedAs ? { endedAs: p.endedAs } : {}),
      startLine: p.doc.isClosed ? -1 : p.startLine,
      hunks: p.model.hunks().map((h) => {
        const r = ranges.get(h.id);
        return {
          id: h.id,
          stable: h.stable,
          status: p.model.resolution(h.id) ?? 'pending',
          origStart: h.origStart,
          origLines: [...h.origLines],
          newLines: [...h.newLines],
          ...(r ? { removed: r.removed, added: r.added } : {}),
        };
      }),
      counts: p.model.counts(),
      timings: {
        ...(t.lastChunk !== undefined && t.shown !== undefined ? { lastChunkToShownMs: t.shown - t.lastChunk } : {}),
        ...(t.finished !== undefined && t.shown !== undefined ? { finishToShownMs: t.shown - t.finished } : {}),
      },
    };
  }

  // ---- drawing ------------------------------------------------------------------------------------

  private scheduleRedraw(): void {
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.redraw();
    }, 15);
  }

  private redraw(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const p = this.proposals.get(editor.document.uri.toString());
      const added: vscode.Range[] = [];
      const removed: vscode.Range[] = [];
      if (p && p.state !== 'ended') {
        for (const r of p.lineRanges()) {
          if (r.removed[1] > r.removed[0]) removed.push(new vscode.Range(r.removed[0], 0, r.removed[1] - 1, 0));
          if (r.added[1] > r.added[0]) added.push(new vscode.Range(r.added[0], 0, r.added[1] - 1, 0));
        }
      }
      editor.setDecorations(this.added, added);
      editor.setDecorations(this.removed, removed);
    }
    this.changed.fire();
    this.updateContextKeys();
  }

  private updateContextKeys(): void {
    const p = this.proposalFor();
    void vscode.commands.executeCommand('setContext', 'arc.inlineDiff.pending', !!p && p.state === 'pending');
    void vscode.commands.executeCommand('setContext', 'arc.inlineDiff.streaming', !!p && p.state === 'streaming');
  }

  private renderThread(t: ChatThread): void {
    if (t.disposed) return;
    // A new array (and new comment objects) is what makes the widget redraw.
    t.thread.comments = t.comments.map((c) => ({ ...c }));
  }

  private relabel(t: ChatThread): void {
    if (t.disposed) return;
    t.thread.label = threadLabel(this.modeOf(t), this.effortOf(t), t.routed);
  }

  private setRunning(t: ChatThread, running: boolean): void {
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

  // ---- document events ----------------------------------------------------------------------------

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const uri = e.document.uri.toString();
    this.proposals.get(uri)?.onDidChange(e);
    // Threads follow edits above them, so a follow-up edits the right lines.
    for (const t of this.threads.values()) {
      if (t.uri.toString() !== uri || (t.proposal && t.proposal.state !== 'ended')) continue;
      const moved = shiftRegion(t.region, e.contentChanges);
      if (moved.startLine !== t.region.startLine || moved.endLine !== t.region.endLine) t.region = moved;
    }
  }

  private onDocumentClose(doc: vscode.TextDocument): void {
    const uri = doc.uri.toString();
    const p = this.proposals.get(uri);
    if (p) {
      this.owner.get(p)?.run?.controller.abort();
      p.close();
    }
  }

  dispose(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    for (const t of this.threads.values()) t.run?.controller.abort();
    for (const t of this.threads.values()) t.disposed = true;
    // Best effort on the way out (a reload would otherwise bring back a buffer with both sides shown).
    for (const p of this.proposals.values()) void p.cancel('closed');
    for (const d of this.disposables) d.dispose();
  }
}

// ---- helpers --------------------------------------------------------------------------------------

type MutableComment = { -readonly [K in keyof vscode.Comment]: vscode.Comment[K] };

const LINK_COMMANDS = ['arc.inline.acceptAll', 'arc.inline.rejectAll', 'arc.inline.cancel'];

/** The reply box of a thread that has a conversation (its title shows the mode and effort). */
const FOLLOW_UP_OPTIONS = {
  prompt: 'Follow up… ("shorter", "also handle null")',
  placeHolder: `Follow up… ("shorter", "also handle null") · ${PROMPT_HELP}`,
};

/** Trusted for ARC's own command links only; `icons: false` for model text (`$(x)` is code there). */
function markdown(text: string, links = false, icons = true): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, icons);
  md.isTrusted = { enabledCommands: links ? LINK_COMMANDS : ['arc.inline.cancel'] };
  return md;
}

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

function stopLink(threadId: string): string {
  return commandLink('$(debug-stop) Stop', 'arc.inline.cancel', [threadId]);
}

function proposalSummary(p: InlineProposal): string {
  const c = p.model.counts();
  const autoSave = vscode.workspace.getConfiguration('files', p.doc.uri).get<string>('autoSave', 'off');
  const saveNote =
    autoSave === 'off' ? 'ARC never saves the file.' : `ARC never saves the file, but auto save ("files.autoSave": "${autoSave}") may write it with the proposal shown until you accept or reject.`;
  const mac = process.platform === 'darwin';
  const keys = mac ? '⌘⇧⏎ accepts all, ⌘⇧⌫ rejects all, ⌥⌘Y / ⌥⌘N the change at the cursor' : 'Ctrl+Shift+Enter accepts all, Ctrl+Shift+Backspace rejects all, Ctrl+Alt+Y / Ctrl+Alt+N the change at the cursor';
  return (
    `Proposed ${c.hunks} change${c.hunks === 1 ? '' : 's'} (+${c.added} −${c.removed} lines), shown in the editor. ` +
    `${commandLink('$(check-all) Accept all', 'arc.inline.acceptAll', [p.uri])} · ${commandLink('$(close-all) Reject all', 'arc.inline.rejectAll', [p.uri])}\n\n_${keys}. ${saveNote}_`
  );
}

/** The comment widget sits above the region (below the line before it), like the editor's own inline chat. */
function anchorOf(region: LineRegion): vscode.Range {
  const line = Math.max(0, region.startLine - 1);
  return new vscode.Range(line, 0, line, 0);
}

function clampRegion(region: LineRegion, doc: vscode.TextDocument): LineRegion {
  const startLine = Math.max(0, Math.min(region.startLine, doc.lineCount - 1));
  return { startLine, endLine: Math.max(startLine, Math.min(region.endLine, doc.lineCount)) };
}

/** The region's text range: from its first line's start to the next line's start (or the end). */
function rangeOf(region: LineRegion, doc: vscode.TextDocument): vscode.Range {
  const start = new vscode.Position(region.startLine, 0);
  if (region.endLine >= doc.lineCount) return new vscode.Range(start, doc.lineAt(doc.lineCount - 1).range.end);
  return new vscode.Range(start, new vscode.Position(region.endLine, 0));
}

function selectionOf(doc: vscode.TextDocument, region: LineRegion, text: string): NonNullable<RunContext['selection']> {
  return { text, fileName: vscode.workspace.asRelativePath(doc.uri), language: doc.languageId, startLine: region.startLine + 1 };
}

function lineCountOf(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function toDiagnosticLike(d: vscode.Diagnostic): DiagnosticLike {
  const severity = (['error', 'warning', 'info', 'hint'] as const)[d.severity] ?? 'error';
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return { line: d.range.start.line, severity, message: d.message, ...(d.source ? { source: d.source } : {}), ...(code !== undefined ? { code } : {}) };
}

function pushHistory(t: ChatThread, query: string, answer: string): void {
  t.history.push({ role: 'user', content: query }, { role: 'assistant', content: answer });
}

/** The newest turns that fit (whole user + assistant pairs). */
function trimHistory(history: ChatMessage[]): ChatMessage[] | undefined {
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
function shiftRegion(region: LineRegion, changes: readonly vscode.TextDocumentContentChangeEvent[]): LineRegion {
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

