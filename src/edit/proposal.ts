// One inline edit proposal as data: the original region, the streamed replacement diffed into hunks,
// and what the user decided per hunk. The editor shows `view().text` in place of the region; every
// action (a streamed line, accept, reject) changes the view, and the editor applies the difference.
// Pure, so the whole accept / reject contract is unit-tested without an editor.
import { applyHunks, layout, type HunkRanges, type Layout, type Resolution } from './applyHunks';
import { DEFAULT_STYLE, type LineStyle } from './lineText';
import { LeadingProseFilter } from './replyFilter';
import { StreamingLineDiff, type Hunk, type StreamingDiffOptions } from './streamingDiff';

export interface ProposalOptions extends StreamingDiffOptions {
  /** The document's EOL and trailing-newline convention, for a region that does not show them. */
  fallbackStyle?: LineStyle;
  /** Drop a sentence the model writes before its code fence (default true). */
  dropLeadingProse?: boolean;
}

export interface ProposalCounts {
  hunks: number;
  pending: number;
  accepted: number;
  rejected: number;
  /** Lines the pending and accepted hunks add and remove. */
  added: number;
  removed: number;
}

export class ProposalModel {
  private diff: StreamingLineDiff;
  private readonly resolved = new Map<string, Resolution>();
  private readonly filter: LeadingProseFilter | undefined;
  private readonly style: LineStyle;
  private cache: { hunks: Hunk[]; view: Layout } | undefined;
  /** Everything pushed so far, as received. */
  private received = '';

  constructor(
    readonly original: string,
    private readonly options: ProposalOptions = {},
  ) {
    this.style = options.fallbackStyle ?? DEFAULT_STYLE;
    this.diff = new StreamingLineDiff(original, { ...options, fallbackStyle: this.style });
    this.filter = options.dropLeadingProse === false ? undefined : new LeadingProseFilter(original);
  }

  /**
   * A complete proposal for a whole text — an agent's edit of a file: nothing to strip (no fences, no
   * prose) and every line's bytes count, trailing whitespace included. Diffed at once, all hunks stable.
   */
  static whole(original: string, proposed: string, fallbackStyle?: LineStyle): ProposalModel {
    const m = new ProposalModel(original, { ...(fallbackStyle ? { fallbackStyle } : {}), stripFences: false, dropLeadingProse: false, ignoreTrailingWhitespace: false });
    m.push(proposed);
    m.finish();
    return m;
  }

  get streaming(): boolean {
    return !this.diff.finished;
  }

  /** The reply as it arrived (before fence and prose stripping). */
  get reply(): string {
    return this.received;
  }

  /**
   * Adds streamed text. Once the reply's code block has closed the proposal is complete — the diff is
   * finished there, so the final diff can be shown before the run itself ends (its usage, its last
   * event); what follows is commentary and only kept as part of the reply.
   */
  push(chunk: string): void {
    if (!chunk) return;
    this.received += chunk;
    if (this.diff.finished) return;
    const text = this.filter ? this.filter.push(chunk) : chunk;
    if (text) this.diff.push(text);
    this.cache = undefined;
    if (this.diff.closed) this.finish();
  }

  finish(): void {
    if (!this.streaming) return;
    const rest = this.filter?.end();
    if (rest) this.diff.push(rest);
    this.diff.finish();
    this.cache = undefined;
  }

  /**
   * Starts over from a complete reply (the run's final answer said something other than what streamed):
   * the hunks are recomputed and earlier decisions dropped, since they were about other hunks.
   */
  replaceReply(reply: string): void {
    this.diff = new StreamingLineDiff(this.original, { ...this.options, fallbackStyle: this.style });
    this.resolved.clear();
    const filter = this.options.dropLeadingProse === false ? undefined : new LeadingProseFilter(this.original);
    this.received = reply;
    const text = filter ? filter.push(reply) + filter.end() : reply;
    this.diff.push(text);
    this.diff.finish();
    this.cache = undefined;
  }

  hunks(): readonly Hunk[] {
    return this.current().hunks;
  }

  /** The region as shown: original lines, with each pending hunk's proposed lines after the lines it replaces. */
  view(): Layout {
    return this.current().view;
  }

  /** Where each pending hunk sits in the view (region-relative lines). */
  ranges(): readonly HunkRanges[] {
    return this.view().ranges;
  }

  hunk(id: string): Hunk | undefined {
    return this.hunks().find((h) => h.id === id);
  }

  pending(): Hunk[] {
    return this.hunks().filter((h) => !this.resolved.has(h.id));
  }

  resolution(id: string): Resolution | undefined {
    return this.resolved.get(id);
  }

  /** A hunk can be decided once it is stable (it will never change again) and while it is pending. */
  canResolve(id: string): boolean {
    const h = this.hunk(id);
    return !!h && h.stable && !this.resolved.has(id);
  }

  resolve(id: string, resolution: Resolution): boolean {
    if (!this.canResolve(id)) return false;
    this.resolved.set(id, resolution);
    this.cache = undefined;
    return true;
  }

  /** Decides every pending stable hunk; returns how many. */
  resolveAll(resolution: Resolution): number {
    let n = 0;
    for (const h of this.pending()) if (this.resolve(h.id, resolution)) n++;
    return n;
  }

  /** Finished streaming and nothing left to decide. */
  get done(): boolean {
    return !this.streaming && this.pending().length === 0;
  }

  /** The region once resolved: accepted hunks applied; pending ones as `pendingAs` says (default: kept out). */
  finalText(pendingAs: Resolution = 'rejected'): string {
    const accepted = new Set<string>();
    for (const h of this.hunks()) {
      const r = this.resolved.get(h.id) ?? (h.stable ? pendingAs : 'rejected');
      if (r === 'accepted') accepted.add(h.id);
    }
    return applyHunks(this.original, this.hunks(), accepted, this.style);
  }

  /** The decisions so far, to restore later (an undo in the editor brings an earlier view back). */
  decisions(): ReadonlyMap<string, Resolution> {
    return new Map(this.resolved);
  }

  restoreDecisions(decisions: ReadonlyMap<string, Resolution>): void {
    this.resolved.clear();
    for (const [id, r] of decisions) if (this.hunk(id)) this.resolved.set(id, r);
    this.cache = undefined;
  }

  counts(): ProposalCounts {
    const c: ProposalCounts = { hunks: 0, pending: 0, accepted: 0, rejected: 0, added: 0, removed: 0 };
    for (const h of this.hunks()) {
      c.hunks++;
      const r = this.resolved.get(h.id);
      if (r === 'accepted') c.accepted++;
      else if (r === 'rejected') c.rejected++;
      else c.pending++;
      if (r !== 'rejected') {
        c.added += h.newLines.length;
        c.removed += h.origLines.length;
      }
    }
    return c;
  }

  /**
   * The pending hunk a cursor on region line `line` means: the one whose shown lines hold it, else the
   * next one below, else the last one above.
   */
  hunkAtLine(line: number): string | undefined {
    const ranges = this.ranges().filter((r) => this.hunk(r.id)?.stable);
    if (ranges.length === 0) return undefined;
    const within = ranges.find((r) => line >= r.removed.start && line < Math.max(r.added.end, r.removed.end, r.removed.start + 1));
    if (within) return within.id;
    const below = ranges.find((r) => r.removed.start > line);
    return (below ?? ranges[ranges.length - 1]!).id;
  }

  private current(): { hunks: Hunk[]; view: Layout } {
    if (!this.cache) {
      const hunks = this.diff.hunks();
      this.cache = { hunks, view: layout(this.original, hunks, this.resolved, this.style) };
    }
    return this.cache;
  }
}
