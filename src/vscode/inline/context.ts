// What an inline request sends besides the prompt: the region (whole lines), a window of lines around
// it (never the whole of a large file), and the diagnostics in range. Pure: the editor side passes in
// a line reader, so the windowing is unit-tested in plain Node.

/** Lines before and after the region sent as context, each side. */
export const SURROUNDING_LINES = 30;
/** ...and at most this many characters each side (minified code has long lines). */
export const SURROUNDING_CHARS = 6_000;
/** Diagnostics sent at most. */
export const MAX_DIAGNOSTICS = 20;

/** A region of whole lines: `[startLine, endLine)`, 0-based. */
export interface LineRegion {
  startLine: number;
  endLine: number;
}

/**
 * The whole lines a selection covers. A selection ending at column 0 of a later line does not take
 * that line (selecting lines with the mouse or Shift+Down ends there); an empty selection is its line.
 */
export function regionOf(sel: { startLine: number; startCharacter: number; endLine: number; endCharacter: number }, lineCount: number): LineRegion {
  const startLine = Math.max(0, Math.min(sel.startLine, lineCount - 1));
  let endLine = sel.endLine;
  if (sel.endCharacter === 0 && endLine > startLine) endLine -= 1;
  endLine = Math.max(startLine, Math.min(endLine, lineCount - 1));
  return { startLine, endLine: endLine + 1 };
}

/**
 * The line a region's comment widget goes below. The editor puts a thread's widget under its line, so
 * the line above the region puts it above the selected code, like the editor's own inline chat. A
 * region that starts the file has no line above: its widget goes below the line after it (below the
 * region's last line at the end of the file), so it never sits between selected lines — nor between
 * the removed and added lines of the diff shown in their place, which only grows before that line.
 */
export function anchorLine(region: LineRegion, lineCount: number): number {
  if (region.startLine > 0) return region.startLine - 1;
  return Math.max(0, Math.min(region.endLine, lineCount - 1));
}

export interface Surrounding {
  before: string;
  after: string;
}

/** Up to `lines` lines each side of the region, joined with `\n`, cut to `chars` characters nearest the region. */
export function surroundingLines(
  lineAt: (i: number) => string,
  lineCount: number,
  region: LineRegion,
  lines = SURROUNDING_LINES,
  chars = SURROUNDING_CHARS,
): Surrounding {
  const before: string[] = [];
  let used = 0;
  for (let i = region.startLine - 1; i >= Math.max(0, region.startLine - lines); i--) {
    const l = lineAt(i);
    if (used + l.length + 1 > chars) break;
    used += l.length + 1;
    before.unshift(l);
  }
  const after: string[] = [];
  used = 0;
  for (let i = region.endLine; i < Math.min(lineCount, region.endLine + lines); i++) {
    const l = lineAt(i);
    if (used + l.length + 1 > chars) break;
    used += l.length + 1;
    after.push(l);
  }
  return { before: before.join('\n'), after: after.join('\n') };
}

export interface DiagnosticLike {
  /** 0-based. */
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string | number;
}

/** "line 12: error: 'x' is not defined (eslint no-undef)", 1-based lines, errors first, at most MAX_DIAGNOSTICS. */
export function formatDiagnostics(diags: readonly DiagnosticLike[]): string[] {
  const rank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
  return [...diags]
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line)
    .slice(0, MAX_DIAGNOSTICS)
    .map((d) => {
      const origin = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
      const message = d.message.replace(/\s+/g, ' ').trim();
      return `line ${d.line + 1}: ${d.severity}: ${message}${origin ? ` (${origin})` : ''}`;
    });
}
