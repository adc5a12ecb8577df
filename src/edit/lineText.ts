// Line geometry shared by the streaming diff, applyHunks and layout. Everything works on JS strings,
// so offsets are UTF-16 code units — the same unit as VS Code's `document.positionAt`.

export type Eol = '\n' | '\r\n';

/** How a region ends its lines: the EOL new lines get, and whether its last line has one. */
export interface LineStyle {
  eol: Eol;
  finalNewline: boolean;
}

/** Lines without their terminators; `eols[i]` is what followed `lines[i]` ('' only for a last line without one). */
export interface SplitText {
  lines: string[];
  eols: string[];
}

/** 0-based, end-exclusive line range. */
export interface LineRange {
  start: number;
  end: number;
}

// An empty region is an insertion point at the start of a line: what is inserted there must end
// with a newline or it would join the line after it.
export const DEFAULT_STYLE: LineStyle = { eol: '\n', finalNewline: true };

export function splitLines(text: string): SplitText {
  const lines: string[] = [];
  const eols: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push(text.slice(start));
      eols.push('');
      break;
    }
    const crlf = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push(text.slice(start, crlf ? nl - 1 : nl));
    eols.push(crlf ? '\r\n' : '\n');
    start = nl + 1;
  }
  return { lines, eols };
}

/**
 * The dominant EOL (ties go to the first one seen) and the trailing-newline convention. `fallback`
 * supplies the EOL when the text has no line break and the convention when the text is empty —
 * the editor knows the document's EOL, this text alone may not.
 */
export function detectLineStyle(text: string, fallback: LineStyle = DEFAULT_STYLE): LineStyle {
  let crlf = 0;
  let lf = 0;
  let first: Eol | undefined;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    const eol: Eol = i > 0 && text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
    if (eol === '\r\n') crlf++;
    else lf++;
    first ??= eol;
  }
  const eol: Eol = crlf > lf ? '\r\n' : lf > crlf ? '\n' : (first ?? fallback.eol);
  return { eol, finalNewline: text === '' ? fallback.finalNewline : text.endsWith('\n') };
}

/**
 * The comparison key of a line. A stray `\r` is always an EOL artefact; other trailing whitespace is
 * invisible in the editor and models drop it freely, so by default it does not make a line "changed".
 */
export function lineKey(line: string, ignoreTrailingWhitespace: boolean): string {
  return ignoreTrailingWhitespace ? line.replace(/\s+$/, '') : line.replace(/\r+$/, '');
}

/** Assembles streamed chunks into complete lines; a partial last line waits for its newline or `end()`. */
export class LineAssembler {
  private partial = '';

  push(chunk: string): string[] {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.partial += chunk;
      return [];
    }
    const out: string[] = [];
    let start = 0;
    while (nl >= 0) {
      out.push(stripCr(this.partial + chunk.slice(start, nl)));
      this.partial = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    this.partial = chunk.slice(start);
    return out;
  }

  end(): string[] {
    const last = this.partial;
    this.partial = '';
    return last === '' ? [] : [stripCr(last)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Offset where line `k` starts; `text.length` for k at or past the line count. */
export function lineStartOffset(text: string, k: number): number {
  let offset = 0;
  for (let i = 0; i < k; i++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset;
}

/**
 * The character span to delete so that the lines in `range` disappear from `text`. When the range
 * runs to the end of a text that has no final newline, the EOL before it goes too; otherwise the
 * text would end with a newline it never had.
 */
export function lineRangeOffsets(text: string, range: LineRange): { start: number; end: number } {
  const from = lineStartOffset(text, range.start);
  if (range.end <= range.start) return { start: from, end: from };
  const to = lineStartOffset(text, range.end);
  if (to === text.length && !text.endsWith('\n') && from > 0) {
    const eolLength = from >= 2 && text.charCodeAt(from - 2) === 13 ? 2 : 1;
    return { start: from - eolLength, end: to };
  }
  return { start: from, end: to };
}
