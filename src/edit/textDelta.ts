// The smallest whole-line replacement that turns one text into another: what inline chat sends to the
// editor when the shown proposal changes, so that a new streamed line or a resolved hunk touches only
// the lines that changed (no flicker, cursors and decorations elsewhere stay put).

/** Replace `[start, end)` of the old text (UTF-16 offsets, both at line starts or the text's end) with `text`. */
export interface TextDelta {
  start: number;
  end: number;
  text: string;
}

const NL = 10;

/**
 * Common prefix and suffix, each cut back to a line boundary in both texts, so that the replaced span
 * is whole lines. Undefined when the texts are equal. Applying the delta to `before` gives `after`.
 */
export function lineDelta(before: string, after: string): TextDelta | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  // Back to the start of the line the first difference is on (the same offset in both texts).
  p = p === 0 ? 0 : before.lastIndexOf('\n', p - 1) + 1;
  let s = 0;
  const room = max - p;
  while (s < room && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  // The suffix must start a line in both texts; moving past the suffix's first newline does that,
  // because from there on the two texts are the same characters.
  if (s > 0 && !(atLineStart(before, before.length - s, p) && atLineStart(after, after.length - s, p))) {
    const from = before.length - s;
    const nl = before.indexOf('\n', from);
    s = nl < 0 ? 0 : before.length - (nl + 1);
  }
  return { start: p, end: before.length - s, text: after.slice(p, after.length - s) };
}

function atLineStart(text: string, i: number, floor: number): boolean {
  return i === floor || i === 0 || text.charCodeAt(i - 1) === NL;
}

/** Applies a delta (for tests and for the benchmark's baseline). */
export function applyDelta(text: string, delta: TextDelta | undefined): string {
  return delta ? text.slice(0, delta.start) + delta.text + text.slice(delta.end) : text;
}

/** One change as an editor reports it: offsets in the text before the change. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * Where the span `[start, end)` lies after a set of non-overlapping changes (offsets in the text before
 * them, in any order). A change that touches the inside (an insertion at `start` counts: typing at the
 * start of the span's first line edits that line) widens the span to hold it, and `inside` says so;
 * an insertion at `end` belongs to what follows.
 */
export function mapSpan(start: number, end: number, changes: readonly TextChange[]): { start: number; end: number; inside: boolean } {
  let lo = start;
  let hi = end;
  let inside = false;
  const isInside = (c: TextChange): boolean => {
    const cEnd = c.rangeOffset + c.rangeLength;
    if (c.rangeLength === 0) return c.rangeOffset >= start && c.rangeOffset < end;
    return c.rangeOffset < end && cEnd > start;
  };
  for (const c of changes) {
    if (!isInside(c)) continue;
    inside = true;
    lo = Math.min(lo, c.rangeOffset);
    hi = Math.max(hi, c.rangeOffset + c.rangeLength);
  }
  let shift = 0;
  let grow = 0;
  for (const c of changes) {
    const delta = c.text.length - c.rangeLength;
    if (isInside(c)) grow += delta;
    else if (c.rangeOffset + c.rangeLength <= lo) shift += delta;
  }
  return { start: lo + shift, end: hi + shift + grow, inside };
}
