// Text from an original region plus hunks: the final text once hunks are resolved, and the buffer
// layout while a proposal is shown. Original lines are copied with their own EOLs so that anything not
// accepted stays byte-exact; proposed lines take the region's dominant EOL.
import { DEFAULT_STYLE, detectLineStyle, splitLines, type LineRange, type LineStyle } from './lineText';
import type { Hunk } from './streamingDiff';

export type Resolution = 'accepted' | 'rejected';

/** Where a pending hunk sits in the shown text: its removed (original) lines, then its added lines. */
export interface HunkRanges {
  id: string;
  removed: LineRange;
  added: LineRange;
}

export interface Layout {
  /** The region's text as shown in the buffer. */
  text: string;
  /** One entry per pending hunk, in order. Accepting deletes `removed`; rejecting deletes `added`. */
  ranges: HunkRanges[];
}

/** Accepted hunks take the proposal; all others keep the original bytes. */
export function applyHunks(
  original: string,
  hunks: readonly Hunk[],
  acceptedIds: ReadonlySet<string>,
  fallback: LineStyle = DEFAULT_STYLE,
): string {
  return build(original, hunks, (h) => (acceptedIds.has(h.id) ? 'accepted' : 'rejected'), fallback).text;
}

/**
 * The vertical diff: a pending hunk shows its original lines followed by its proposed lines. Deleting
 * one of its ranges (see `lineRangeOffsets`) gives exactly the layout with that hunk resolved.
 */
export function layout(
  original: string,
  hunks: readonly Hunk[],
  resolved: ReadonlyMap<string, Resolution>,
  fallback: LineStyle = DEFAULT_STYLE,
): Layout {
  return build(original, hunks, (h) => resolved.get(h.id) ?? 'pending', fallback);
}

interface Item {
  text: string;
  // null: a proposed line, which takes the region's EOL.
  eol: string | null;
}

function build(
  original: string,
  hunks: readonly Hunk[],
  fate: (h: Hunk) => Resolution | 'pending',
  fallback: LineStyle,
): Layout {
  const style = detectLineStyle(original, fallback);
  const { lines, eols } = splitLines(original);
  const items: Item[] = [];
  const ranges: HunkRanges[] = [];
  const copy = (from: number, to: number): void => {
    for (let i = from; i < to; i++) items.push({ text: lines[i]!, eol: eols[i]! });
  };
  const propose = (newLines: readonly string[]): void => {
    for (const text of newLines) items.push({ text, eol: null });
  };
  let pos = 0;
  for (const h of ordered(hunks, lines)) {
    copy(pos, h.origStart);
    const end = h.origStart + h.origLines.length;
    const f = fate(h);
    if (f === 'accepted') {
      propose(h.newLines);
    } else {
      const removedStart = items.length;
      copy(h.origStart, end);
      if (f === 'pending') {
        const addedStart = items.length;
        propose(h.newLines);
        ranges.push({
          id: h.id,
          removed: { start: removedStart, end: addedStart },
          added: { start: addedStart, end: items.length },
        });
      }
    }
    pos = end;
  }
  copy(pos, lines.length);
  return { text: join(items, style), ranges };
}

// Every line but the last needs an EOL (an original last line that now has lines after it gains one);
// the last line follows the region's trailing-newline convention.
function join(items: readonly Item[], style: LineStyle): string {
  const parts: string[] = [];
  items.forEach((item, i) => {
    parts.push(item.text);
    if (i < items.length - 1 || style.finalNewline) parts.push(item.eol || style.eol);
  });
  return parts.join('');
}

// Hunks made for another text would silently corrupt the result, so they are refused instead.
function ordered(hunks: readonly Hunk[], lines: readonly string[]): Hunk[] {
  const sorted = [...hunks].sort((a, b) => a.origStart - b.origStart);
  let pos = 0;
  for (const h of sorted) {
    const end = h.origStart + h.origLines.length;
    if (h.origStart < pos || end > lines.length) {
      throw new Error(`hunk ${h.id} overlaps another or lies outside the original`);
    }
    h.origLines.forEach((line, i) => {
      if (lines[h.origStart + i] !== line) throw new Error(`hunk ${h.id} does not match the original at line ${h.origStart + i}`);
    });
    pos = end;
  }
  return sorted;
}
