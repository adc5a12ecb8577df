// Text from the model or the workspace, made safe to show (DESIGN §5 "Prompts show the truth"). A
// terminal interprets control characters and escape sequences (ESC[2K erases the line an approval is
// on, OSC 52 writes the clipboard, ESC[2J clears the screen, a lone CR returns to the start of the line
// and the rest overwrites it), and Unicode has characters that reorder or hide text (a right-to-left
// override turns `txt.exe` into `exe.txt` on screen). `visible()` shows every such character as an
// escape — `\x1b`, `\r`, `\u202e` — so what is on screen is what the text is. It is one pass over the
// code points with no state, so a stream may be sanitised chunk by chunk.
//
// Shown as escapes:
//  - every C0 control except `\n` and `\t` (so `\r`, ESC, BEL, backspace, NUL …), DEL, and every C1
//    control U+0080–U+009F (U+009B is an 8-bit CSI, U+009D an 8-bit OSC);
//  - `\n` and `\t` too with `oneLine` (a command, a tool name, a path on one line);
//  - the bidi controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
//  - invisible format characters that can hide or disguise text: U+00AD soft hyphen, U+034F, U+115F,
//    U+1160, U+17B4, U+17B5, U+180E, U+200B, U+2028, U+2029, U+2060–U+2064, U+206A–U+206F, U+3164,
//    U+FEFF, U+FFA0, U+FFF9–U+FFFB, U+1D173–U+1D17A, the tag characters U+E0000–U+E007F (invisible
//    ASCII: "ASCII smuggling"; England/Scotland/Wales flags show their tags escaped, a price we pay),
//    and lone surrogates;
//  - variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) when they do not follow a visible character
//    or come two or more in a row (one after a character is emoji/glyph presentation, ❤️; a run of
//    them after one emoji is a known way to smuggle hidden bytes);
//  - the zero-width (non-)joiners U+200C/U+200D unless both neighbours are visible non-ASCII
//    characters: there they join emoji (👩‍💻) and shape Indic and Arabic-script text, while next to
//    ASCII, spaces, or at an edge they only disguise (`np‍m` looks like `npm`);
//  - with `exact` (commands and paths, where a look-alike changes what runs): every U+200C/U+200D and
//    the non-ASCII spaces (U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000), which look like a
//    space but are not one to a shell.
// Backslashes are left as they are (Windows paths and regexes stay readable); a literal `\x1b` in the
// text therefore looks like an escaped ESC, which can only make text look more suspicious, not less.

export interface VisibleOptions {
  /** One-line contexts (a command in a prompt, a tool name): `\n` and `\t` are shown as escapes too. */
  oneLine?: boolean;
  /** Commands and paths: non-ASCII spaces and every zero-width (non-)joiner are shown as escapes too. */
  exact?: boolean;
}

/** A quick test for "nothing to do": every character that may need escaping (astral ones come as surrogates). */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff]/;

function alwaysHidden(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e ||
    cp === 0x200b ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x206f) ||
    cp === 0x3164 ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

function isJoiner(cp: number): boolean {
  return cp === 0x200c || cp === 0x200d;
}

/** Non-ASCII characters that look like a space. */
export function isLookalikeSpace(cp: number): boolean {
  return cp === 0x00a0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** A visible non-ASCII character: what a joiner may legitimately sit between. */
function joinable(cp: number | undefined): boolean {
  if (cp === undefined || cp < 0x80) return false;
  return !alwaysHidden(cp) && !isLookalikeSpace(cp) && !isJoiner(cp);
}

/** `\x1b`, `\u202e`, `\u{e0041}`; `\n`, `\t`, `\r` by their names. */
export function escapeCodePoint(cp: number): string {
  if (cp === 0x0a) return '\\n';
  if (cp === 0x09) return '\\t';
  if (cp === 0x0d) return '\\r';
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/** Whether `visible()` shows this code point (in its context) as an escape. */
function hidden(cps: readonly number[], i: number, opts: VisibleOptions): boolean {
  const cp = cps[i]!;
  if (cp === 0x0a || cp === 0x09) return opts.oneLine === true;
  if (alwaysHidden(cp)) return true;
  if (isLookalikeSpace(cp)) return opts.exact === true;
  if (isJoiner(cp)) return opts.exact === true || !(joinable(cps[i - 1]) && joinable(cps[i + 1]));
  if (isVariationSelector(cp)) {
    const prev = cps[i - 1];
    const next = cps[i + 1];
    const afterVisible = prev !== undefined && !isVariationSelector(prev) && !alwaysHidden(prev) && !(prev < 0x21) && !isJoiner(prev);
    return !afterVisible || (next !== undefined && isVariationSelector(next));
  }
  return false;
}

/** Code points, with lone surrogates kept as their own (escapable) units. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** `s` with every control, bidi and invisible formatting character shown as an escape (see above). */
export function visible(s: string, opts: VisibleOptions = {}): string {
  if (!SUSPECT.test(s)) return s;
  const cps = codePoints(s);
  let out = '';
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    out += hidden(cps, i, opts) ? escapeCodePoint(cp) : String.fromCodePoint(cp);
  }
  return out;
}

/** Whether `visible(s, opts)` changes anything. */
export function hasHidden(s: string, opts: VisibleOptions = {}): boolean {
  return visible(s, opts) !== s;
}

/** 10,000 — thousands separated by commas, the same everywhere (no locale). */
export function groupDigits(n: number): string {
  const r = Math.round(n);
  const s = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
}

/**
 * `visible(s, opts)`, and every run of at least `minRun` blank or escaped characters (spaces, tabs,
 * look-alike spaces, controls …) replaced by a count: `⟨10,000 spaces⟩`, `⟨300 × \t⟩`, or for a mixed
 * run `⟨1,200 blank or control characters: 1,000 spaces, 200 × \t⟩`. For display only — never for
 * what runs: the point is that a run of blanks cannot push the rest of a command out of sight.
 */
export function visibleCollapsed(s: string, minRun: number, opts: VisibleOptions = {}): string {
  const cps = codePoints(s);
  const blank = (i: number) => cps[i] === 0x20 || cps[i] === 0x09 || hidden(cps, i, opts);
  let out = '';
  let i = 0;
  while (i < cps.length) {
    if (!blank(i)) {
      out += String.fromCodePoint(cps[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < cps.length && blank(j)) j++;
    out += j - i >= minRun ? collapseRun(cps.slice(i, j), minRun, cps, i, opts) : render(cps, i, j, opts);
    i = j;
  }
  return out;
}

function render(cps: readonly number[], from: number, to: number, opts: VisibleOptions): string {
  let out = '';
  for (let k = from; k < to; k++) out += hidden(cps, k, opts) ? escapeCodePoint(cps[k]!) : String.fromCodePoint(cps[k]!);
  return out;
}

function runName(cp: number, n: number): string {
  if (cp === 0x20) return `${groupDigits(n)} space${n === 1 ? '' : 's'}`;
  return `${groupDigits(n)} × ${escapeCodePoint(cp)}`;
}

function collapseRun(run: readonly number[], minRun: number, all: readonly number[], start: number, opts: VisibleOptions): string {
  // Sub-runs of one character each.
  const parts: Array<{ cp: number; n: number; at: number }> = [];
  for (let k = 0; k < run.length; k++) {
    const last = parts[parts.length - 1];
    if (last && last.cp === run[k]) last.n++;
    else parts.push({ cp: run[k]!, n: 1, at: start + k });
  }
  if (parts.length === 1) return `⟨${runName(parts[0]!.cp, parts[0]!.n)}⟩`;
  // A short mixed run: each long sub-run counted, the rest shown one by one.
  if (run.length < minRun * 8) {
    return parts.map((p) => (p.n >= minRun ? `⟨${runName(p.cp, p.n)}⟩` : render(all, p.at, p.at + p.n, opts))).join('');
  }
  const totals = new Map<number, number>();
  for (const p of parts) totals.set(p.cp, (totals.get(p.cp) ?? 0) + p.n);
  const kinds = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const listed = kinds.slice(0, 4).map(([cp, n]) => runName(cp, n));
  const rest = kinds.length > 4 ? `, ${kinds.length - 4} more kinds` : '';
  return `⟨${groupDigits(run.length)} blank or control characters: ${listed.join(', ')}${rest}⟩`;
}

// JSON.stringify escapes C0 controls but leaves C1 controls (U+009B is an 8-bit CSI to some terminals),
// DEL, bidi controls and invisible formatting characters as they are. These can only stand inside a
// JSON string, where `\uXXXX` means the same character: the output is the same JSON value, safe to print.
// eslint-disable-next-line no-control-regex
const JSON_HIDDEN = /[\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f\udd00-\uddef]/g;

/** `JSON.stringify(value)` with every terminal-unsafe character inside a string written as `\uXXXX`. */
export function visibleJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  return json.replace(JSON_HIDDEN, (m) => {
    let out = '';
    for (let i = 0; i < m.length; i++) out += `\\u${m.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
