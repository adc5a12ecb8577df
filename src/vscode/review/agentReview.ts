// Agent edits reviewed in the editor (issue 21): an agentic run's edit of a file is not written to the
// disk but shown in its buffer as a pending change — the same model (src/edit ProposalModel), live-diff
// decorations, Keep / Undo lenses, keys and command ids (`arc.inline.*`) as inline chat — and the
// run's files are listed in the sidebar (+/− per file, open, keep, undo) and in VS Code's multi-diff
// editor. Files not open are opened in the background. When every hunk of a file is decided the
// document is saved, so the disk holds exactly the kept bytes; until then nothing is written. The agent
// reaches this through its Workspace's io hook (`propose`, `readFile`), so src/agent stays editor-free.
import * as vscode from 'vscode';
import { ChangeSet, fileState, type ChangeSetSummary } from '../../edit/changeSet';
import type { AnswerDocuments } from '../answerDocuments';
import type { InlineProposal, ProposalEnd } from '../inline/proposal';
import type { InlineProposals } from '../inline/proposals';

/** One run's review: what the agent proposed, by file. */
export interface ReviewBatch {
  readonly changes: ChangeSet;
  /** The io hook's `propose`: shows `data` as the file's pending change. */
  propose(abs: string, data: Uint8Array): Promise<void>;
  /** The io hook's `readFile`: the file as the agent left it, while its change is pending. */
  readFile(abs: string): Promise<Uint8Array | undefined>;
}

interface Tracked {
  batch: Batch;
  path: string;
  proposal: InlineProposal;
  /** The document had no unsaved changes when the agent's change arrived: it is saved when decided. */
  cleanBefore: boolean;
  /** What the agent proposed, whole (for the multi-diff editor). */
  proposed: string;
  /** A newer edit of the same file is taking this one's place. */
  replaced?: boolean;
}

class Batch implements ReviewBatch {
  readonly changes: ChangeSet;

  constructor(
    private readonly review: AgentReview,
    label: string,
    private readonly relative: (abs: string) => string,
  ) {
    this.changes = new ChangeSet(label);
  }

  propose(abs: string, data: Uint8Array): Promise<void> {
    return this.review.propose(this, this.relative(abs), vscode.Uri.file(abs), Buffer.from(data).toString('utf8'));
  }

  async readFile(abs: string): Promise<Uint8Array | undefined> {
    const t = this.review.trackedAt(vscode.Uri.file(abs).toString());
    if (!t || t.proposal.state === 'ended') return undefined;
    // Hunks the user already undid are out; the rest read as the agent wrote them.
    return Buffer.from(t.proposal.model.finalText('accepted'), 'utf8');
  }
}

export class AgentReview implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private latest: Batch | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The changed-files list changed (the sidebar redraws it). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly proposals: InlineProposals,
    private readonly docs: AnswerDocuments,
  ) {
    this.disposables.push(proposals.onDidChange(() => this.refresh()));
  }

  /** A new run's review (the agent environment makes one per run). */
  begin(label: string, relative: (abs: string) => string): ReviewBatch {
    return new Batch(this, label, relative);
  }

  trackedByPath(path: string): Tracked | undefined {
    return [...this.tracked.values()].reverse().find((t) => t.path === path);
  }

  trackedAt(uri: string): Tracked | undefined {
    return this.tracked.get(uri);
  }

  async propose(batch: Batch, path: string, uri: vscode.Uri, text: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = this.tracked.get(uri.toString());
    // A second edit of a file still under review replaces the first: its original stays the base.
    if (before && before.proposal.state !== 'ended') {
      before.replaced = true;
      await before.proposal.cancel('cancelled');
    }
    const cleanBefore = before ? before.cleanBefore : !doc.isDirty;
    const tracked: Tracked = { batch, path, proposal: undefined as unknown as InlineProposal, cleanBefore, proposed: text };
    this.tracked.set(uri.toString(), tracked);
    this.latest = batch;
    tracked.proposal = await this.proposals.startWhole(doc, text, (p, end) => void this.ended(tracked, p, end));
    this.update(tracked);
  }

  private async ended(t: Tracked, p: InlineProposal, end: ProposalEnd): Promise<void> {
    if (t.replaced) return;
    this.update(t, end.reason);
    // Decided: the disk gets exactly the kept bytes (an undone or dropped change leaves them as they were).
    if ((end.reason === 'resolved' || end.reason === 'undone' || end.reason === 'cancelled') && t.cleanBefore && !p.doc.isClosed && p.doc.isDirty) {
      await p.settled();
      await p.doc.save();
    }
  }

  private update(t: Tracked, ended?: ProposalEnd['reason']): void {
    const c = t.proposal.model.counts();
    const state = fileState(c, ended ?? (t.proposal.state === 'ended' ? t.proposal.endedAs : undefined));
    t.batch.changes.set({ path: t.path, uri: t.proposal.uri, added: c.added, removed: c.removed, hunks: c.hunks, pending: state === 'pending' ? c.pending : 0, state });
    this.emitter.fire();
  }

  private refresh(): void {
    let changed = false;
    for (const t of this.tracked.values()) {
      const f = t.batch.changes.get(t.path);
      const c = t.proposal.model.counts();
      if (f && t.proposal.state !== 'ended' && (f.pending !== c.pending || f.added !== c.added)) {
        this.update(t);
        changed = true;
      }
    }
    if (!changed) return;
  }

  /** The latest run's changed files (empty when no run proposed anything this session). */
  summary(): (ChangeSetSummary & { label: string }) | undefined {
    if (!this.latest || this.latest.changes.size === 0) return undefined;
    return { label: this.latest.changes.label, ...this.latest.changes.summary() };
  }

  private pendingOf(path?: string): InlineProposal[] {
    const out: InlineProposal[] = [];
    for (const t of this.tracked.values()) {
      if (t.batch !== this.latest || t.proposal.state === 'ended') continue;
      if (path === undefined || t.path === path) out.push(t.proposal);
    }
    return out;
  }

  /** Keep (or undo) every pending hunk of one file, or of the whole run. */
  async resolve(resolution: 'accepted' | 'rejected', path?: string): Promise<number> {
    const list = this.pendingOf(path);
    for (const p of list) {
      await p.resolveAll(resolution);
      await p.settled();
    }
    // Saving follows the proposal's end; wait for it so callers (and tests) see the disk settled.
    for (const p of list) await waitSaved(p);
    return list.length;
  }

  async open(path: string): Promise<boolean> {
    const t = [...this.tracked.values()].find((x) => x.batch === this.latest && x.path === path);
    if (!t) return false;
    const editor = await vscode.window.showTextDocument(t.proposal.doc, { preview: false });
    const first = t.proposal.state === 'ended' ? undefined : t.proposal.lineRanges()[0];
    if (first) editor.revealRange(new vscode.Range(first.removed[0], 0, first.removed[0], 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  /**
   * The whole run in the multi-diff editor (`vscode.changes`, marked experimental); where that command
   * is missing, one `vscode.diff` per file. Left: each file before the run; right: as the agent left it.
   */
  async showChanges(): Promise<'multi' | 'per-file' | 'none'> {
    const files = [...this.tracked.values()].filter((t) => t.batch === this.latest);
    if (files.length === 0) return 'none';
    const pairs = files.map((t) => {
      const left = this.docs.newUri(`${t.path} (before ARC)`);
      this.docs.set(left, t.proposal.original);
      const right = this.docs.newUri(`${t.path} (ARC's change)`);
      this.docs.set(right, t.proposed);
      return { t, left, right };
    });
    const title = `ARC: ${files.length} file${files.length === 1 ? '' : 's'} changed by "${this.latest!.changes.label.slice(0, 60)}"`;
    try {
      if ((await vscode.commands.getCommands(true)).includes('vscode.changes')) {
        await vscode.commands.executeCommand('vscode.changes', title, pairs.map((p) => [p.t.proposal.doc.uri, p.left, p.right]));
        return 'multi';
      }
    } catch {
      // Fall through to one diff per file.
    }
    for (const p of pairs) await vscode.commands.executeCommand('vscode.diff', p.left, p.right, `${p.t.path}: before ↔ ARC's change`, { preview: false });
    return 'per-file';
  }

  /** Drops every pending agent change (a restore is about to write these files). */
  async cancelAll(paths?: readonly string[]): Promise<void> {
    for (const t of this.tracked.values()) {
      if (t.proposal.state === 'ended' || (paths && !paths.includes(t.path))) continue;
      await t.proposal.cancel('cancelled');
      await waitSaved(t.proposal);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A decided proposal saves its document right after; give that a moment to land. */
async function waitSaved(p: InlineProposal): Promise<void> {
  for (let i = 0; i < 50 && !p.doc.isClosed && p.doc.isDirty; i++) await new Promise((r) => setTimeout(r, 20));
}
