// The pending changes in the editor, one per document at a time — inline chat's edits and an agent
// run's (startWhole) alike: starting them, drawing them (added and
// removed line decorations, the context keys the keybindings need), finding the one a command means,
// and what tests and commands read back (`info`). The thread a proposal belongs to hears when it ends.
import * as vscode from 'vscode';
import { detectLineStyle } from '../../edit/lineText';
import { ProposalModel } from '../../edit/proposal';
import type { ChatThread, ProposalInfo } from './chatTypes';
import type { LineRegion } from './context';
import { InlineProposal, type ProposalEnd } from './proposal';

export class InlineProposals implements vscode.Disposable {
  private readonly byUri = new Map<string, InlineProposal>();
  private readonly owner = new Map<InlineProposal, ChatThread>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** What the lenses and views show changed: a proposal's state, its stable hunks, its counts. */
  readonly onDidChange = this.changed.event;
  private readonly redrawn = new vscode.EventEmitter<void>();
  /** After every redraw (while a reply streams: after every streamed edit). */
  readonly onDidRedraw = this.redrawn.event;
  /** What `onDidChange` last reported, and the context keys last set: neither is sent again unchanged. */
  private shownKey = '';
  private contextKeys = '';
  private readonly added: vscode.TextEditorDecorationType;
  private readonly removed: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  private redrawTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ended: (p: InlineProposal, t: ChatThread | undefined, end: ProposalEnd) => void) {
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
      this.redrawn,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.byUri.get(e.document.uri.toString())?.onDidChange(e);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const p = this.byUri.get(doc.uri.toString());
        if (!p) return;
        this.owner.get(p)?.run?.controller.abort();
        p.close();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKeys()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.byUri.has(e.textEditor.document.uri.toString())) this.updateContextKeys();
      }),
    );
  }

  /** Starts thread `t`'s proposal for `region` (whose text is `regionText`) in `doc`. */
  start(t: ChatThread, doc: vscode.TextDocument, region: LineRegion, regionText: string): InlineProposal {
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    // A region at the very end of a document without a final newline keeps it that way.
    const atEnd = region.endLine >= doc.lineCount;
    const style = detectLineStyle(regionText, { eol, finalNewline: !atEnd });
    const proposal = new InlineProposal(doc, region.startLine, regionText, style, {
      changed: () => this.scheduleRedraw(),
      interrupted: (p) => this.owner.get(p)?.run?.controller.abort(),
      ended: (p, end) => {
        if (this.byUri.get(p.uri) === p) this.byUri.delete(p.uri);
        this.scheduleRedraw();
        this.ended(p, this.owner.get(p), end);
      },
    });
    this.byUri.set(doc.uri.toString(), proposal);
    this.owner.set(proposal, t);
    t.proposal = proposal;
    this.scheduleRedraw();
    return proposal;
  }

  /**
   * Shows an agent's edit of the whole document as a pending change — the same decorations, lenses,
   * keys and buffer contract as inline chat's — and resolves once it is in the buffer. `ended` hears
   * how it ended (the agent review saves the document then).
   */
  async startWhole(doc: vscode.TextDocument, proposed: string, ended: (p: InlineProposal, end: ProposalEnd) => void): Promise<InlineProposal> {
    await this.openIn(doc.uri.toString())?.cancel('cancelled');
    const original = doc.getText();
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const style = detectLineStyle(original, { eol, finalNewline: original === '' || original.endsWith('\n') });
    const model = ProposalModel.whole(original, proposed, style);
    const proposal = new InlineProposal(
      doc,
      0,
      original,
      style,
      {
        changed: () => this.scheduleRedraw(),
        interrupted: () => undefined,
        ended: (p, end) => {
          if (this.byUri.get(p.uri) === p) this.byUri.delete(p.uri);
          this.scheduleRedraw();
          ended(p, end);
        },
      },
      model,
      'agent',
    );
    this.byUri.set(doc.uri.toString(), proposal);
    this.scheduleRedraw();
    await proposal.finish();
    return proposal;
  }

  /** A proposal of `uri` that has not ended (only one may be open per document). */
  openIn(uri: string): InlineProposal | undefined {
    const p = this.byUri.get(uri);
    return p && p.state !== 'ended' ? p : undefined;
  }

  /** The proposal of a document (a URI or its string), else of the active editor's. */
  forUri(uriArg?: unknown): InlineProposal | undefined {
    const uri = typeof uriArg === 'string' ? uriArg : uriArg instanceof vscode.Uri ? uriArg.toString() : vscode.window.activeTextEditor?.document.uri.toString();
    return uri ? this.byUri.get(uri) : undefined;
  }

  all(): InlineProposal[] {
    return [...this.byUri.values()];
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

  private scheduleRedraw(): void {
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.redraw();
    }, 15);
  }

  private redraw(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const p = this.byUri.get(editor.document.uri.toString());
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
    // A streamed edit moves no lens (lenses follow their lines): asking the editor for lenses again on
    // every one would only load the workbench the final diff is waiting for.
    const key = this.all()
      .map((p) => {
        const c = p.model.counts();
        const stable = p.state === 'ended' ? '' : p.lineRanges().filter((r) => r.stable).map((r) => `${r.id}@${r.removed[0]}+${r.added[0]}`).join(',');
        return `${p.id}:${p.state}:${c.pending}/${c.accepted}/${c.rejected}:${stable}`;
      })
      .join('|');
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.changed.fire();
    }
    this.redrawn.fire();
    this.updateContextKeys();
  }

  private updateContextKeys(): void {
    const p = this.forUri();
    const pending = !!p && p.state === 'pending';
    const streaming = !!p && p.state === 'streaming';
    const keys = `${pending}/${streaming}`;
    if (keys === this.contextKeys) return;
    this.contextKeys = keys;
    void vscode.commands.executeCommand('setContext', 'arc.inlineDiff.pending', pending);
    void vscode.commands.executeCommand('setContext', 'arc.inlineDiff.streaming', streaming);
  }

  dispose(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    // Best effort on the way out (a reload would otherwise bring back a buffer with both sides shown).
    for (const p of this.byUri.values()) void p.cancel('closed');
    for (const d of this.disposables) d.dispose();
  }
}

/** A proposal as commands and tests read it back. */
export function proposalInfo(p: InlineProposal): ProposalInfo {
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
      ...(t.finished !== undefined && t.finalStart !== undefined ? { finishToFinalEditMs: t.finalStart - t.finished } : {}),
      ...(t.finalStart !== undefined && t.shown !== undefined ? { finalEditMs: t.shown - t.finalStart } : {}),
    },
  };
}
