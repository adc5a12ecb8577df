// One proposal shown in a document — inline chat's streamed edit of a region, or an agent's edit of a
// whole file (the same pending-change model, src/edit/proposal.ts): keeps the region's text equal to the ProposalModel's view while
// the reply streams and while hunks are accepted or rejected, tells its own edits from everyone
// else's, and puts the original back when it is dropped. ARC never saves the document.
//
// Undo: every edit of a proposal is made without undo stops (the first one starts a new undo group),
// so the whole proposal is one group. Resolving it (Accept All, Reject All, or deciding the last hunk)
// first puts the original back inside that group, then writes the final text as one edit of its own
// with stops around it: one undo after that returns exactly to the original, however the hunks were
// decided.
import * as vscode from 'vscode';
import type { Resolution } from '../../edit/applyHunks';
import { ProposalModel } from '../../edit/proposal';
import { lineDelta, mapSpan } from '../../edit/textDelta';
import type { LineStyle } from '../../edit/lineText';

/**
 * One frame at 60 Hz: the chunks that arrive within it reach the buffer as one edit (the diff itself
 * sees every chunk). At most one streamed edit is in flight, so when the reply completes the final
 * diff waits for at most one edit before it is written, itself as one edit.
 */
const FRAME_MS = 16;

export type ProposalState = 'streaming' | 'pending' | 'ended';

export type ProposalEndReason =
  /** Every hunk decided (or the reply changed nothing). */
  | 'resolved'
  /** Dropped: the run stopped, failed, or the document was edited while it streamed. */
  | 'cancelled'
  /** The user's undo brought the original back. */
  | 'undone'
  /** The region was edited by hand while hunks were pending: left as it is, no longer tracked. */
  | 'detached'
  /** The document was closed. */
  | 'closed';

export interface ProposalEnd {
  reason: ProposalEndReason;
  accepted: number;
  rejected: number;
  /** For 'resolved': the region's final text. */
  text?: string;
}

export interface ProposalHooks {
  /** Something to redraw: decorations, lenses, the thread's status. */
  changed(p: InlineProposal): void;
  /** The document was edited by someone else while the reply streamed: stop the run. */
  interrupted(p: InlineProposal): void;
  ended(p: InlineProposal, end: ProposalEnd): void;
}

export interface ProposalTimings {
  /** performance.now() of the last chunk pushed. */
  lastChunk?: number;
  /** ...when the reply's code block closed (the proposal was complete before the run ended). */
  complete?: number;
  /** ...of finish(). */
  finished?: number;
  /** ...when the final diff's edit started (after the streamed edit in flight, if any). */
  finalStart?: number;
  /** ...when the final diff was in the buffer. */
  shown?: number;
}

interface Snapshot {
  text: string;
  decisions: ReadonlyMap<string, Resolution>;
}

let counter = 0;

export class InlineProposal {
  readonly id = `p${++counter}`;
  readonly model: ProposalModel;
  state: ProposalState = 'streaming';
  endedAs: ProposalEndReason | undefined;
  /** Someone edited the document while the reply streamed (so the run was stopped). */
  interrupted = false;
  readonly timings: ProposalTimings = {};
  /** Offset of the region's first character in the document. */
  private base: number;
  /** What the region holds now, as far as this proposal knows. */
  private shown: string;
  /** The region text an edit in flight will produce. */
  private expected: string | undefined;
  private ops: Promise<unknown> = Promise.resolve();
  /** The next frame's streamed update. */
  private timer: NodeJS.Timeout | undefined;
  /** A streamed update queued or being written. */
  private streamWrite: Promise<void> | undefined;
  /** Chunks arrived since the last streamed update was taken. */
  private dirty = false;
  /** performance.now() when the last streamed update was in the buffer, and how long it took. */
  private lastFrameEnd = 0;
  private lastWriteMs = 0;
  private grouped = false;
  /** Being removed or resolved: changes are tracked, nothing else is written. */
  private closing = false;
  private readonly snapshots: Snapshot[] = [];

  constructor(
    readonly doc: vscode.TextDocument,
    startLine: number,
    readonly original: string,
    style: LineStyle,
    private readonly hooks: ProposalHooks,
    /** A proposal made whole elsewhere (an agent's edit: `ProposalModel.whole`); default: streamed in. */
    model?: ProposalModel,
    /** Whose it is: inline chat's (Accept / Reject) or an agent run's (Keep / Undo). */
    readonly kind: 'inline' | 'agent' = 'inline',
  ) {
    this.model = model ?? new ProposalModel(original, { fallbackStyle: style });
    this.base = doc.offsetAt(new vscode.Position(startLine, 0));
    this.shown = original;
  }

  get uri(): string {
    return this.doc.uri.toString();
  }

  /** The document line the region starts on. */
  get startLine(): number {
    return this.doc.positionAt(this.base).line;
  }

  /** The region as it is in the document now. */
  get range(): vscode.Range {
    return new vscode.Range(this.doc.positionAt(this.base), this.doc.positionAt(this.base + this.shown.length));
  }

  push(chunk: string): void {
    if (this.state !== 'streaming' || this.closing) return;
    const wasStreaming = this.model.streaming;
    this.model.push(chunk);
    this.timings.lastChunk = performance.now();
    if (!wasStreaming) return;
    if (!this.model.streaming) this.timings.complete = this.timings.lastChunk;
    this.scheduleFrame();
  }

  /**
   * The buffer follows the stream once a frame, one edit at a time; chunks in between join the next
   * edit. After an edit the next one waits at least as long as that edit took, so the workbench is idle
   * half the time: a final diff never queues behind a backlog of streamed edits and their redraws.
   */
  private scheduleFrame(): void {
    this.dirty = true;
    if (this.timer || this.streamWrite) return;
    // The code block has closed: its final diff goes in now (one edit), not a frame later.
    const pace = this.model.streaming ? Math.max(FRAME_MS, this.lastWriteMs) : 0;
    const wait = Math.max(0, pace - (performance.now() - this.lastFrameEnd));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'streaming' || this.closing) return;
      this.dirty = false;
      const started = performance.now();
      const write = this.enqueue(() => this.sync()).then(
        () => undefined,
        () => undefined,
      );
      this.streamWrite = write;
      void write.then(() => {
        this.lastFrameEnd = performance.now();
        this.lastWriteMs = this.lastFrameEnd - started;
        if (this.streamWrite === write) this.streamWrite = undefined;
        if (this.dirty && this.state === 'streaming' && !this.closing) this.scheduleFrame();
      });
    }, wait);
  }

  /** The reply is complete: show the final diff. Resolves once it is in the buffer. */
  finish(finalReply?: string): Promise<void> {
    if (this.state !== 'streaming' || this.closing) return this.settled();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    this.timings.finished = performance.now();
    if (finalReply !== undefined && finalReply.trim() !== '' && finalReply.trim() !== this.model.reply.trim()) {
      // The run's answer is the authority; what streamed differed (a retry, a re-asked answer).
      this.model.replaceReply(finalReply);
    } else {
      this.model.finish();
    }
    // Queued behind the streamed edit in flight, if there is one: the final diff is one more edit.
    return this.enqueue(async () => {
      if (this.state !== 'streaming' || this.closing) return;
      this.timings.finalStart = performance.now();
      await this.sync();
      this.timings.shown = performance.now();
      if (this.model.hunks().length === 0) {
        this.end({ reason: 'resolved', accepted: 0, rejected: 0, text: this.original });
        return;
      }
      this.state = 'pending';
      this.snapshot();
      this.hooks.changed(this);
    });
  }

  /**
   * Accepts or rejects one hunk — also while the reply still streams, once the hunk is stable; deciding
   * the last one resolves the proposal.
   */
  resolve(hunkId: string, resolution: Resolution): Promise<boolean> {
    return this.enqueue(async () => {
      if (this.state === 'ended' || this.closing || !this.model.resolve(hunkId, resolution)) return false;
      if (this.model.done) {
        await this.complete();
      } else {
        await this.write(this.model.view().text, false, false);
        this.snapshot();
        this.hooks.changed(this);
      }
      return true;
    });
  }

  /** Accept All / Reject All: only once the reply is complete (Reject All while streaming is `cancel`). */
  resolveAll(resolution: Resolution): Promise<boolean> {
    return this.enqueue(async () => {
      if (this.state !== 'pending' || this.closing) return false;
      this.model.resolveAll(resolution);
      await this.complete();
      return true;
    });
  }

  /** Drops the proposal and puts the original back (the run stopped or failed, or the user edited). */
  cancel(reason: ProposalEndReason = 'cancelled'): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.state === 'ended' || this.closing) return this.settled();
    // From here on no streamed update is written.
    this.closing = true;
    return this.enqueue(async () => {
      if (this.state === 'ended') return;
      await this.write(this.original, false, true);
      this.end({ reason, accepted: 0, rejected: this.model.hunks().length });
    });
  }

  /** Resolves when every queued edit is done. */
  settled(): Promise<void> {
    return this.ops.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Called for every change of this document. */
  onDidChange(e: vscode.TextDocumentChangeEvent): void {
    if (this.state === 'ended' || e.contentChanges.length === 0) return;
    if (this.isOwn(e)) {
      this.shown = this.expected!;
      this.expected = undefined;
      return;
    }
    const span = mapSpan(this.base, this.base + this.shown.length, e.contentChanges);
    const now = this.doc.getText(new vscode.Range(this.doc.positionAt(span.start), this.doc.positionAt(span.end)));
    this.base = span.start;
    this.shown = now;
    if (this.closing) return;
    if (this.state === 'streaming') {
      // Someone typed while the reply streamed: the run stops and the proposal goes (DESIGN: inline chat).
      this.interrupted = true;
      this.hooks.interrupted(this);
      void this.cancel('cancelled');
      return;
    }
    if (!span.inside) {
      this.hooks.changed(this);
      return;
    }
    if (now === this.original) {
      this.end({ reason: 'undone', accepted: 0, rejected: this.model.hunks().length });
      return;
    }
    const known = [...this.snapshots].reverse().find((s) => s.text === now);
    if (known) {
      // An undo or redo of one of our own steps: back to that state.
      this.model.restoreDecisions(known.decisions);
      this.hooks.changed(this);
      return;
    }
    const c = this.model.counts();
    this.end({ reason: 'detached', accepted: c.accepted, rejected: c.rejected });
  }

  /** The change our edit in flight makes: inside the region, and the region now reads as expected. */
  private isOwn(e: vscode.TextDocumentChangeEvent): boolean {
    const expected = this.expected;
    if (expected === undefined) return false;
    const end = this.base + this.shown.length;
    let growth = 0;
    for (const c of e.contentChanges) {
      if (c.rangeOffset < this.base || c.rangeOffset + c.rangeLength > end) return false;
      growth += c.text.length - c.rangeLength;
    }
    if (this.shown.length + growth !== expected.length) return false;
    const doc = this.doc;
    return doc.getText(new vscode.Range(doc.positionAt(this.base), doc.positionAt(this.base + expected.length))) === expected;
  }

  /** The document was closed: nothing can be written any more. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.state !== 'ended') this.end({ reason: 'closed', accepted: 0, rejected: 0 });
  }

  /** Document lines of each pending hunk's removed and added lines, and where its lenses go. */
  lineRanges(): Array<{ id: string; stable: boolean; removed: [number, number]; added: [number, number] }> {
    const start = this.startLine;
    return this.model.ranges().map((r) => ({
      id: r.id,
      stable: this.model.hunk(r.id)?.stable ?? false,
      removed: [start + r.removed.start, start + r.removed.end],
      added: [start + r.added.start, start + r.added.end],
    }));
  }

  private async sync(): Promise<void> {
    if (this.state !== 'streaming' || this.closing) return;
    await this.write(this.model.view().text, false, false);
    this.hooks.changed(this);
  }

  /** Everything decided: the original back inside the group, then the final text as one undo step. */
  private async complete(): Promise<void> {
    this.closing = true;
    const final = this.model.finalText();
    const c = this.model.counts();
    if (final === this.original) {
      await this.write(this.original, false, true);
    } else {
      await this.write(this.original, false, false);
      await this.write(final, true, true);
    }
    this.end({ reason: 'resolved', accepted: c.accepted, rejected: c.rejected, text: final });
  }

  private end(end: ProposalEnd): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedAs = end.reason;
    this.hooks.ended(this, end);
  }

  private snapshot(): void {
    this.snapshots.push({ text: this.model.view().text, decisions: this.model.decisions() });
    if (this.snapshots.length > 200) this.snapshots.shift();
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.ops.then(op, op);
    this.ops = next.catch(() => undefined);
    return next;
  }

  /** Makes the region read `target` with the smallest whole-line edit. */
  private async write(target: string, undoStopBefore: boolean, undoStopAfter: boolean): Promise<boolean> {
    if (this.doc.isClosed) return false;
    const doc = this.doc;
    // Every change is seen, so this holds; if it ever does not, the region's text is what counts.
    const current = doc.getText(this.range);
    if (current !== this.shown) this.shown = current;
    const delta = lineDelta(this.shown, target);
    if (!delta) return true;
    const range = new vscode.Range(doc.positionAt(this.base + delta.start), doc.positionAt(this.base + delta.end));
    // The first edit of a proposal starts its undo group; the rest join it.
    const before = undoStopBefore || !this.grouped;
    this.grouped = true;
    this.expected = target;
    let ok = false;
    try {
      const editor = this.editor();
      if (editor) {
        ok = await editor.edit((b) => b.replace(range, delta.text), { undoStopBefore: before, undoStopAfter });
      } else {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, range, delta.text);
        ok = await vscode.workspace.applyEdit(edit);
      }
    } catch {
      ok = false;
    }
    if (this.expected === target) {
      // The change event normally arrives before the edit resolves; if it did not, check the text.
      if (ok && doc.getText(new vscode.Range(doc.positionAt(this.base), doc.positionAt(this.base + target.length))) === target) {
        this.shown = target;
      }
      this.expected = undefined;
    }
    return ok;
  }

  private editor(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
  }
}
