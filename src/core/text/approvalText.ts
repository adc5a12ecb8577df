// How an approval shows a command and a diff (DESIGN §5 "Prompts show the truth"), shared by the
// terminal, the sidebar cards and the modal: the whole command (escapes visible, long runs of blanks
// counted so they cannot push the rest out of sight, its length stated) and the whole diff, or exactly
// how much of it is not shown. These are display forms only; what runs and what is written are the
// originals.
import { groupDigits, visible, visibleCollapsed } from './visible';

/** Runs of at least this many blanks in a command are shown as a count (`⟨10,000 spaces⟩`). */
export const COMMAND_BLANK_RUN = 8;
/** In a diff line, runs this long (beyond any sane indentation) are shown as a count. */
export const DIFF_BLANK_RUN = 64;
/** A command longer than this (characters) has its length stated. */
export const COMMAND_LONG = 120;

export interface CommandDisplay {
  /** The display form, one line; at most `maxChars` characters plus a marker saying how many more. */
  text: string;
  /** Characters (UTF-16 units, as JavaScript counts) of the command that runs. */
  length: number;
  /** Whether the display form differs from the command (escapes, counted blanks); a cut is `more`. */
  transformed: boolean;
  /** Characters of the display form left out (0: `text` is the whole display form). */
  more: number;
}

/** A command, shown whole on one line: see the file comment. */
export function commandDisplay(command: string, maxChars = Infinity): CommandDisplay {
  const full = visibleCollapsed(command, COMMAND_BLANK_RUN, { oneLine: true, exact: true });
  const { text, more } = clipDisplay(full, maxChars);
  return { text, length: command.length, transformed: full !== command, more };
}

/** "12,345 characters" (and what the display did to it), or '' for a short plain command. */
export function commandLengthNote(d: CommandDisplay): string {
  if (d.length <= COMMAND_LONG && !d.transformed) return '';
  const what = d.transformed ? '; shown with control characters escaped and long runs of blanks counted' : '';
  return `${groupDigits(d.length)} characters${what}`;
}

/** A path or a tool name, on one line, look-alikes escaped. */
export function nameDisplay(s: string): string {
  return visible(s, { oneLine: true, exact: true });
}

export interface DiffDisplayLimits {
  /** Lines shown at most. */
  maxLines: number;
  /** Characters shown at most (whole lines; at least one line is shown). */
  maxChars: number;
  /** A longer line is shortened, with a marker saying by how much. */
  maxLineChars: number;
}

export interface DiffDisplay {
  /** The lines shown, joined by `\n` (no trailing newline). */
  text: string;
  /** Lines in the whole diff. */
  totalLines: number;
  shownLines: number;
  /** Lines of the diff not in `text`. */
  moreLines: number;
  /** Lines in `text` that were shortened (each ends in a marker saying how much more it has). */
  shortenedLines: number;
}

/** The diff's lines (a trailing newline does not make an extra line). */
export function diffLines(diff: string): string[] {
  if (diff === '') return [];
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff for display: every line sanitised, as much as the limits allow, the rest counted. */
export function diffDisplay(diff: string, limits: DiffDisplayLimits): DiffDisplay {
  const lines = diffLines(diff);
  const out: string[] = [];
  let chars = 0;
  let shortened = 0;
  for (const line of lines) {
    if (out.length >= limits.maxLines) break;
    let shown = visibleCollapsed(line, DIFF_BLANK_RUN);
    if (shown.length > limits.maxLineChars) {
      const c = clipDisplay(shown, limits.maxLineChars, 'on this line');
      shown = c.text;
      shortened++;
    }
    if (out.length > 0 && chars + shown.length + 1 > limits.maxChars) break;
    out.push(shown);
    chars += shown.length + 1;
  }
  return { text: out.join('\n'), totalLines: lines.length, shownLines: out.length, moreLines: lines.length - out.length, shortenedLines: shortened };
}

/** "N more lines of the diff are not shown" and friends; '' when the diff is shown whole. */
export function diffMoreNote(d: DiffDisplay): string {
  const parts: string[] = [];
  if (d.moreLines > 0) parts.push(`${groupDigits(d.moreLines)} more line${d.moreLines === 1 ? '' : 's'} of ${groupDigits(d.totalLines)} not shown`);
  if (d.shortenedLines > 0) parts.push(`${groupDigits(d.shortenedLines)} long line${d.shortenedLines === 1 ? '' : 's'} shortened`);
  return parts.join('; ');
}

/** `s` cut to `max` characters (never inside an escape or a pair) with `⟨… N more characters⟩`. */
export function clipDisplay(s: string, max: number, where = ''): { text: string; more: number } {
  if (s.length <= max) return { text: s, more: 0 };
  let cut = Math.max(0, Math.floor(max));
  // Do not split a surrogate pair, a `⟨…⟩` count, or a `\x1b`-style escape.
  if (cut > 0 && /[\ud800-\udbff]/.test(s[cut - 1]!)) cut--;
  const open = s.lastIndexOf('⟨', cut - 1);
  if (open >= 0 && s.indexOf('⟩', open) >= cut) cut = open;
  const esc = s.slice(Math.max(0, cut - 9), cut).match(/\\(x[0-9a-f]?|u[0-9a-f]{0,3}|u\{[0-9a-f]*)?$/);
  if (esc) cut -= esc[0].length;
  const more = s.length - cut;
  return { text: `${s.slice(0, cut)}⟨… ${groupDigits(more)} more character${more === 1 ? '' : 's'}${where ? ` ${where}` : ''}⟩`, more };
}

/** Where a command will run: in the sandbox (with or without network) or unsandboxed, as the user. */
export function sandboxNote(req: { sandboxed: boolean; network?: boolean }): string {
  if (!req.sandboxed) return 'runs UNSANDBOXED, as you';
  return req.network ? 'runs in the sandbox (with network access)' : 'runs in the sandbox (no network)';
}

/** "protected: .git/hooks decide what git runs" (sanitised), or ''. */
export function protectedNote(reason: string | undefined): string {
  return reason ? `protected: ${visible(reason, { oneLine: true })}` : '';
}

/** A Markdown code fence longer than any run of backticks in `text`. */
function fence(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The whole diff as a Markdown document for the editor ("open the full diff"): the raw diff in a code
 * fence (the editor shows control and invisible characters itself), with what it is about on top.
 */
export function fullDiffDocument(req: { path: string; kind: 'edit' | 'create'; diff: string; protectedReason?: string }): string {
  const f = fence(req.diff);
  const lines = diffLines(req.diff).length;
  const head = [`${req.kind === 'create' ? 'New file' : 'Edit to'} ${nameDisplay(req.path)}, proposed by ARC's agent (${groupDigits(lines)} diff line${lines === 1 ? '' : 's'}).`];
  if (req.protectedReason) head.push('', `${protectedNote(req.protectedReason)}: this edit always asks.`);
  return `${head.join('\n')}\n\n${f}diff\n${req.diff}${req.diff.endsWith('\n') ? '' : '\n'}${f}\n`;
}

/** The whole command as a Markdown document ("show the full command"): display form and exact text. */
export function fullCommandDocument(req: { command: string; reason: string; cwd: string; sandboxed: boolean; network?: boolean }): string {
  const d = commandDisplay(req.command);
  const f = fence(`${req.command}${d.text}`);
  return [
    `A command ARC's agent wants to run (${groupDigits(d.length)} characters).`,
    '',
    `- Folder: ${nameDisplay(req.cwd)}`,
    `- Where: ${sandboxNote(req)}`,
    `- Why it asks: ${visible(req.reason, { oneLine: true })}`,
    '',
    'As the approval shows it (control characters escaped, long runs of blanks counted):',
    '',
    `${f}text`,
    d.text,
    f,
    '',
    'Exactly as it would run:',
    '',
    `${f}sh`,
    req.command,
    f,
    '',
  ].join('\n');
}

/** The modal dialog's text for a command: never cut silently; `offerFull` adds "Show Full Command". */
export function commandModalText(req: { command: string; reason: string; cwd: string; sandboxed: boolean; network?: boolean }, maxChars: number): { message: string; detail: string; offerFull: boolean } {
  const d = commandDisplay(req.command, maxChars);
  const notes = [`${groupDigits(d.length)} characters`];
  if (d.transformed) notes.push('control characters escaped, long runs of blanks counted ⟨…⟩');
  if (d.more > 0) notes.push(`${groupDigits(d.more)} more characters not shown here — Show Full Command`);
  return {
    message: `ARC wants to run a command in ${clipDisplay(nameDisplay(req.cwd), 500).text}:`,
    detail: [d.text, '', `(${notes.join('; ')})`, '', `It ${sandboxNote(req)}.`, `Why it asks: ${clipDisplay(visible(req.reason), 1000).text}`].join('\n'),
    offerFull: d.more > 0 || d.length > COMMAND_LONG || d.transformed,
  };
}
