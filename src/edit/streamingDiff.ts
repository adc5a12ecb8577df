// Turns a streamed replacement of a region into line hunks that settle as the stream goes, so the
// editor can show a live vertical diff that does not flicker.
//
// Stability rule: a proposed line can only be trusted to match an original line once a run of K
// (default 2) consecutive proposed lines, at least one with a letter or digit in it, matches K
// consecutive original lines. Such a run is an anchor: everything before it is diffed exactly (Myers,
// jsdiff) and committed as stable hunks that never change id or content again. Lines after the last
// anchor form provisional hunks (stable: false) recomputed on every new line; finish() diffs the rest
// and makes everything stable. Decisions are made per complete line, so how the text was chunked
// cannot change the result.
import { diffArrays } from 'diff';
import { DEFAULT_STYLE, LineAssembler, detectLineStyle, lineKey, splitLines, type LineStyle } from './lineText';

export interface Hunk {
  /** Stable hunks keep their id for ever; a provisional id may later name different content. */
  readonly id: string;
  /** 0-based index in the original region of the first line replaced (or the line inserted before). */
  readonly origStart: number;
  readonly origLines: readonly string[];
  readonly newLines: readonly string[];
  readonly stable: boolean;
}

export interface StreamingDiffOptions {
  /** Consecutive matching lines that make an anchor (default 2). */
  anchorLines?: number;
  /** Treat lines differing only in trailing whitespace as unchanged; they keep the original's bytes (default true). */
  ignoreTrailingWhitespace?: boolean;
  /** Strip a markdown code fence around the proposal (default true). */
  stripFences?: boolean;
  /** EOL for a region without line breaks, trailing-newline convention for an empty region. */
  fallbackStyle?: LineStyle;
}

interface Span {
  o: number;
  oEnd: number;
  p: number;
  pEnd: number;
}

// How far past the commit point an anchor or a provisional match may sit. Bounding it keeps look-alike
// lines far down a large region from being taken as the continuation; it grows with the proposal so
// that a large deletion is still recognised, only later.
const WINDOW_BASE = 100;
const WINDOW_PER_LINE = 3;

export class StreamingLineDiff {
  readonly style: LineStyle;
  private readonly orig: string[];
  private readonly origKeys: string[];
  private readonly positions = new Map<string, number[]>();
  private readonly prop: string[] = [];
  private readonly propKeys: string[] = [];
  private readonly settled: Hunk[] = [];
  private readonly assembler = new LineAssembler();
  private readonly fence: FenceStripper | undefined;
  private readonly k: number;
  private readonly ignoreTrailingWhitespace: boolean;
  // Commit point: original lines before `oi` and proposed lines before `pi` are final.
  private oi = 0;
  private pi = 0;
  private nextId = 1;
  private provisional: Hunk[] | undefined = [];
  private done = false;

  constructor(original: string, options: StreamingDiffOptions = {}) {
    this.k = Math.max(1, Math.floor(options.anchorLines ?? 2));
    this.ignoreTrailingWhitespace = options.ignoreTrailingWhitespace ?? true;
    this.style = detectLineStyle(original, options.fallbackStyle ?? DEFAULT_STYLE);
    this.orig = splitLines(original).lines;
    this.origKeys = this.orig.map((l) => lineKey(l, this.ignoreTrailingWhitespace));
    this.origKeys.forEach((key, i) => {
      const list = this.positions.get(key);
      if (list) list.push(i);
      else this.positions.set(key, [i]);
    });
    this.fence = options.stripFences === false ? undefined : new FenceStripper(this.orig);
  }

  get finished(): boolean {
    return this.done;
  }

  /** The reply's code fence has closed: whatever follows is commentary, so the proposal is complete. */
  get closed(): boolean {
    return this.fence?.closed ?? false;
  }

  /** The proposal's lines so far, after fence stripping, without EOLs. */
  proposalLines(): readonly string[] {
    return this.prop;
  }

  push(chunk: string): void {
    if (this.done) throw new Error('StreamingLineDiff: push after finish');
    for (const line of this.assembler.push(chunk)) this.accept(line);
  }

  /** Ends the proposal. It is the whole replacement, so original lines it never matched are deleted. */
  finish(): void {
    if (this.done) return;
    for (const line of this.assembler.end()) this.accept(line);
    for (const line of this.fence?.end() ?? []) this.addLine(line);
    this.commit(this.orig.length, this.prop.length);
    this.oi = this.orig.length;
    this.pi = this.prop.length;
    this.provisional = [];
    this.done = true;
  }

  /** Stable hunks first, then provisional ones, ordered by position. */
  hunks(): Hunk[] {
    this.provisional ??= this.computeProvisional();
    return [...this.settled, ...this.provisional];
  }

  private accept(line: string): void {
    const lines = this.fence ? this.fence.accept(line) : [line];
    for (const l of lines) this.addLine(l);
  }

  private addLine(line: string): void {
    this.prop.push(line);
    this.propKeys.push(lineKey(line, this.ignoreTrailingWhitespace));
    this.provisional = undefined;
    this.tryAnchor();
  }

  private windowEnd(): number {
    return Math.min(this.orig.length, this.oi + WINDOW_BASE + WINDOW_PER_LINE * (this.prop.length - this.pi));
  }

  /** Looks for the nearest place the last K proposed lines match the original, and commits up to it. */
  private tryAnchor(): void {
    const k = this.k;
    const m = this.prop.length;
    if (m - this.pi < k) return;
    const run = this.propKeys.slice(m - k);
    // Searching by a significant line skips the long position lists of blank lines and braces.
    const s = run.findIndex(isSignificant);
    if (s < 0) return;
    const list = this.positions.get(run[s]!);
    if (!list) return;
    const limit = this.windowEnd();
    for (let i = lowerBound(list, this.oi + s); i < list.length; i++) {
      const a = list[i]! - s;
      if (a + k > limit) return;
      if (run.every((key, j) => this.origKeys[a + j] === key)) {
        this.commit(a, m - k);
        this.oi = a + k;
        this.pi = m;
        return;
      }
    }
  }

  /** Diffs the uncommitted original up to `oEnd` against the proposal up to `pEnd`; the result is final. */
  private commit(oEnd: number, pEnd: number): void {
    const spans = changedSpans(this.origKeys.slice(this.oi, oEnd), this.propKeys.slice(this.pi, pEnd));
    for (const sp of spans) {
      this.settled.push(this.toHunk(`h${this.nextId++}`, sp, this.oi, this.pi, true));
    }
  }

  /**
   * Display only, recomputed from the commit point: each proposed line is matched greedily to the
   * nearest following original line (blank lines and braces only to the very next one). Original
   * lines skipped by a match show as removed; unmatched proposed lines as added. Original lines past
   * the last match are not reached yet, so the tail is a pure insertion.
   */
  private computeProvisional(): Hunk[] {
    const limit = this.windowEnd();
    const spans: Span[] = [];
    let o = this.oi;
    let open: Span | undefined;
    for (let p = this.pi; p < this.prop.length; p++) {
      const key = this.propKeys[p]!;
      const j = this.nearest(key, o, isSignificant(key) ? limit : Math.min(limit, o + 1));
      if (j < 0) {
        open ??= { o, oEnd: o, p, pEnd: p };
        open.pEnd = p + 1;
        continue;
      }
      if (j > o) {
        open ??= { o, oEnd: o, p, pEnd: p };
        open.oEnd = j;
      }
      if (open) spans.push(open);
      open = undefined;
      o = j + 1;
    }
    if (open) spans.push(open);
    return spans.map((sp, i) => this.toHunk(`h${this.nextId + i}`, sp, 0, 0, false));
  }

  private nearest(key: string, from: number, limit: number): number {
    const list = this.positions.get(key);
    if (!list) return -1;
    const i = lowerBound(list, from);
    return i < list.length && list[i]! < limit ? list[i]! : -1;
  }

  private toHunk(id: string, sp: Span, oBase: number, pBase: number, stable: boolean): Hunk {
    const hunk: Hunk = {
      id,
      origStart: oBase + sp.o,
      origLines: Object.freeze(this.orig.slice(oBase + sp.o, oBase + sp.oEnd)),
      newLines: Object.freeze(this.prop.slice(pBase + sp.p, pBase + sp.pEnd)),
      stable,
    };
    return stable ? Object.freeze(hunk) : hunk;
  }
}

/** Convenience for a proposal that is already complete. */
export function diffProposal(original: string, proposal: string, options?: StreamingDiffOptions): Hunk[] {
  const diff = new StreamingLineDiff(original, options);
  diff.push(proposal);
  diff.finish();
  return diff.hunks();
}

/** Maximal runs of non-common lines; adjacent removals and additions form one hunk. */
function changedSpans(a: string[], b: string[]): Span[] {
  const spans: Span[] = [];
  let o = 0;
  let p = 0;
  let open: Span | undefined;
  for (const change of diffArrays(a, b)) {
    if (!change.added && !change.removed) {
      if (open) spans.push(open);
      open = undefined;
      o += change.count;
      p += change.count;
      continue;
    }
    open ??= { o, oEnd: o, p, pEnd: p };
    if (change.removed) open.oEnd = o += change.count;
    else open.pEnd = p += change.count;
  }
  if (open) spans.push(open);
  return spans;
}

// A line with a letter or digit is specific enough to align on; blank lines, braces and other
// punctuation recur everywhere in code and would anchor at the wrong place.
function isSignificant(key: string): boolean {
  return /[\p{L}\p{N}]/u.test(key);
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Fence {
  char: string;
  length: number;
}

function openingFence(line: string): Fence | undefined {
  const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const marks = m[1]!;
  if (marks[0] === '`' && m[2]!.includes('`')) return undefined;
  return { char: marks[0]!, length: marks.length };
}

function isBareFence(line: string, fence?: Fence): boolean {
  const m = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  if (!m) return false;
  return !fence || (m[1]![0] === fence.char && m[1]!.length >= fence.length);
}

const isBlank = (line: string): boolean => line.trim() === '';

/**
 * Removes a markdown fence wrapped around the proposal. Works on complete lines, so a fence split
 * across chunks is seen whole. Fence-looking lines the original itself has are treated as content.
 */
class FenceStripper {
  private state: 'start' | 'fenced' | 'plain' | 'closed' = 'start';
  private fence: Fence | undefined;
  // Blank lines before the first content line: dropped if an opening fence follows.
  private leading: string[] = [];
  // A bare fence line and the blank lines after it: dropped if nothing else follows.
  private held: string[] = [];
  private holdFences = true;
  private closesAtFence = false;
  private readonly firstLine: string | undefined;

  constructor(private readonly original: readonly string[]) {
    this.firstLine = original.find((l) => !isBlank(l))?.trim();
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  accept(line: string): string[] {
    switch (this.state) {
      case 'closed':
        return [];
      case 'fenced':
        if (this.closesAtFence && isBareFence(line, this.fence)) {
          // Whatever the model says after its closing fence is commentary, not code.
          this.state = 'closed';
          this.held = [];
          return [];
        }
        return this.pass(line);
      case 'plain':
        return this.pass(line);
      case 'start': {
        if (isBlank(line)) {
          this.leading.push(line);
          return [];
        }
        const fence = openingFence(line);
        if (fence && line.trim() !== this.firstLine) {
          this.state = 'fenced';
          this.fence = fence;
          this.leading = [];
          // A region that contains such closing fences (markdown) cannot tell its own from the
          // wrapper's while streaming; only a trailing one is stripped, at the end.
          this.closesAtFence = !this.original.some((l) => isBareFence(l, fence));
          return [];
        }
        this.state = 'plain';
        const lastLine = [...this.original].reverse().find((l) => !isBlank(l));
        this.holdFences = !(lastLine !== undefined && isBareFence(lastLine));
        const out = this.leading;
        this.leading = [];
        return [...out, ...this.pass(line)];
      }
    }
  }

  end(): string[] {
    const out = this.leading;
    this.leading = [];
    this.held = [];
    return out;
  }

  private pass(line: string): string[] {
    if (!this.holdFences) return [line];
    if (this.held.length > 0 && isBlank(line)) {
      this.held.push(line);
      return [];
    }
    const out = this.held;
    this.held = [];
    if (isBareFence(line, this.fence)) {
      this.held = [line];
      return out;
    }
    return [...out, line];
  }
}
