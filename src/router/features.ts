// Router features (DESIGN §3.1): hashed words, word pairs and CJK character bigrams, plus named
// signals (code, stack traces, paths, symbols, math, question vs imperative, multilingual cues,
// length) and context (selection, diagnostics, language, source).
//
// The router runs on every turn, so extraction is one pass over the text's code units with no
// substring or token allocation: words are hashed as they are read, case and accents are folded
// through a table built once, and the output arrays and the dense scratch buffer are reused.
// Only the optional explanation (for "Why This Mode?") allocates token strings.
//
// Why this file stays whole past 500 lines: extractFeatures is that one pass — words, prefixes, pairs,
// CJK bigrams and every named signal are read in the same loop over shared state (the current word's
// hash, the dense scratch buffer). Split, it would read the text several times or pass that state
// around per code unit. Hashing and folding (./hashing.ts) and the signals' labels
// (./signalLabels.ts) live apart.
import {
  CJK_QUESTION_ENDINGS,
  CJK_QUESTION_WORDS,
  CUES,
  FILLERS,
  IMPERATIVE_STARTERS,
  POLITE_CJK,
  POLITE_WORDS,
  QUESTION_STARTERS,
  STOPWORDS,
} from './lexicon';
import { FNV_OFFSET, step, fmix, pair, NS_WORD, NS_PREFIX, NS_PAIR, NS_CODE, NS_CJK, NS_CJK_PAIR, NS_LANG, NS_SEED, CLASS, fold, isCjk, isWordChar, hashString } from './hashing';

/** Bump when the layout or the meaning of any feature changes; weights record it and refuse a mismatch. */
export const FEATURE_VERSION = 3;
export const HASH_BITS = 12;
export const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;

/** Long pastes (logs, whole files) say what they are within the first few KB; the rest only costs time. */
export const MAX_SCAN = 6000;
const MAX_HASHED = 1500;
const NAMED_VALUE = 2;

const SHAPE_SIGNALS = [
  'code_block', 'inline_code', 'stack_trace', 'error_text', 'file_path', 'many_paths', 'symbol', 'many_symbols',
  'number', 'math', 'big_o', 'question', 'imperative', 'polite', 'multi_line', 'enumeration',
  'len_1_3', 'len_4_8', 'len_9_20', 'len_21_50', 'len_51p',
] as const;
const CONTEXT_SIGNALS = [
  'sel_none', 'sel_1', 'sel_2_10', 'sel_11_50', 'sel_51_200', 'sel_201p', 'diag_any', 'diag_many',
  'src_palette', 'src_inline', 'src_sidebar', 'src_chat', 'src_other', 'lang_known',
] as const;
// A linear model cannot form "this AND no selection" by itself; these few conjunctions carry the
// labeling rule's distinctions (is everything needed given, or must the workspace be read?).
const CROSS_SIGNALS = [
  'x_deictic_nosel', 'x_trace_nosel', 'x_workspace_nosel', 'x_question_inline', 'x_code_given', 'x_why_code',
  'x_imperative_sel',
] as const;

/** Named signals in feature order; feature index = HASH_SIZE + position. */
export const SIGNALS: readonly string[] = [...SHAPE_SIGNALS, ...CUES.map((c) => c.name), ...CONTEXT_SIGNALS, ...CROSS_SIGNALS];
export const DIM = HASH_SIZE + SIGNALS.length;

export { signalLabel } from './signalLabels';

const SIG: Record<string, number> = Object.create(null);
SIGNALS.forEach((s, i) => (SIG[s] = i));
const sig = (name: string): number => {
  const i = SIG[name];
  if (i === undefined) throw new Error(`unknown signal ${name}`);
  return i;
};

const S_BIG_O = sig('big_o');
const S_CODE_BLOCK = sig('code_block');
const S_CUE_DEICTIC = sig('cue_deictic');
const S_CUE_WHY = sig('cue_why');
const S_CUE_WORKSPACE = sig('cue_workspace');
const S_DIAG_ANY = sig('diag_any');
const S_DIAG_MANY = sig('diag_many');
const S_ENUMERATION = sig('enumeration');
const S_ERROR_TEXT = sig('error_text');
const S_FILE_PATH = sig('file_path');
const S_IMPERATIVE = sig('imperative');
const S_INLINE_CODE = sig('inline_code');
const S_LANG_KNOWN = sig('lang_known');
const S_MANY_PATHS = sig('many_paths');
const S_MANY_SYMBOLS = sig('many_symbols');
const S_MATH = sig('math');
const S_MULTI_LINE = sig('multi_line');
const S_NUMBER = sig('number');
const S_POLITE = sig('polite');
const S_QUESTION = sig('question');
const S_STACK_TRACE = sig('stack_trace');
const S_SYMBOL = sig('symbol');
const S_X_CODE_GIVEN = sig('x_code_given');
const S_X_DEICTIC_NOSEL = sig('x_deictic_nosel');
const S_X_IMPERATIVE_SEL = sig('x_imperative_sel');
const S_X_QUESTION_INLINE = sig('x_question_inline');
const S_X_TRACE_NOSEL = sig('x_trace_nosel');
const S_X_WHY_CODE = sig('x_why_code');
const S_X_WORKSPACE_NOSEL = sig('x_workspace_nosel');

export type RouteSource = 'palette' | 'inline' | 'sidebar' | 'chat';

/** What the router knows besides the query text (DESIGN §6.1 `context`). */
export interface RouteContext {
  /** Lines in the editor selection; 0 or absent when nothing is selected. */
  selectionLines?: number;
  source?: RouteSource | 'cli' | string;
  /** The editor's language id (`typescript`, `python`, …). */
  language?: string;
  /** A count of diagnostics on the selection or file, or the diagnostics themselves (only counted). */
  diagnostics?: number | readonly unknown[];
}

/** A sparse feature vector whose arrays are reused across calls (pass it back in). */
export interface FeatureVector {
  readonly index: Int32Array;
  readonly value: Float32Array;
  length: number;
  /** 1 where the named signal fired, by SIGNALS position. */
  readonly signals: Uint8Array;
}

export type TokenKind = 'word' | 'prefix' | 'pair' | 'code' | 'cjk' | 'cjk-pair' | 'language';

export interface HashedToken {
  text: string;
  kind: TokenKind;
  /** Bucket in [0, HASH_SIZE). */
  index: number;
  sign: 1 | -1;
}

/** Filled only when asked for: which tokens went into which bucket, for explanations and tests. */
export interface FeatureExplanation {
  tokens: HashedToken[];
}

export function createFeatureVector(): FeatureVector {
  return {
    index: new Int32Array(MAX_HASHED + SIGNALS.length),
    value: new Float32Array(MAX_HASHED + SIGNALS.length),
    length: 0,
    signals: new Uint8Array(SIGNALS.length),
  };
}

/** Names of the signals that fired, in feature order. */
export function firedSignals(fv: FeatureVector): string[] {
  const out: string[] = [];
  for (let i = 0; i < SIGNALS.length; i++) if (fv.signals[i]) out.push(SIGNALS[i]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lexicon tables, built once at load: exact words, stems (matched on a word's prefix while it is
// read) and adjacent pairs, each mapping to a bitmask of cues.

const CUE_BASE = SHAPE_SIGNALS.length;
const EXACT = new Map<number, number>();
const PREFIX = new Map<number, number>();
const PAIR = new Map<number, number>();
let PREFIX_LENGTHS = 0; // bit k set when some stem has k code units
const CJK_CUES: Array<[string, number]> = [];

function addEntry(map: Map<number, number>, key: number, mask: number): void {
  map.set(key, (map.get(key) ?? 0) | mask);
}
function addWords(words: readonly string[], mask: number, exact: Map<number, number>, pairs: Map<number, number>, prefix?: Map<number, number>): void {
  for (const raw of words) {
    const w = raw.trim();
    const sp = w.indexOf(' ');
    if (sp > 0) addEntry(pairs, pair(hashString(w.slice(0, sp)), hashString(w.slice(sp + 1))), mask);
    else if (w.endsWith('*') && prefix) {
      const stem = w.slice(0, -1);
      addEntry(prefix, hashString(stem), mask);
      if (stem.length < 31) PREFIX_LENGTHS |= 1 << stem.length;
    } else addEntry(exact, hashString(w), mask);
  }
}
CUES.forEach((cue, k) => {
  addWords(cue.words, 1 << k, EXACT, PAIR, PREFIX);
  for (const s of cue.cjk ?? []) CJK_CUES.push([s, 1 << k]);
});

const QSTART = new Set(QUESTION_STARTERS.map(hashString));
const IMPERATIVE = new Set(IMPERATIVE_STARTERS.map(hashString));
const FILLER = new Set(FILLERS.map(hashString));
const STOP = new Set(STOPWORDS.map(hashString));
const POLITE_EXACT = new Map<number, number>();
const POLITE_PAIR = new Map<number, number>();
addWords(POLITE_WORDS, 1, POLITE_EXACT, POLITE_PAIR);

const CJK_IMPERATIVE_STARTS = ['请', '請', '帮我', '幫我', '把', '给', '修复', '添加', '重命名', '删除', '写', '实现', '优化', '重构', '运行', '解释', '找', '改', '将'];
const JA_IMPERATIVE_ENDINGS = ['して', 'してください', 'ください', 'て', 'せよ', 'しろ', 'ってください', 'てください', 'にして', 'を直して'];

const EXTENSIONS = new Set(
  ('ts tsx js jsx mjs cjs py pyi rs go java kt kts cs cpp cc cxx c h hpp hh rb php swift scala sql json jsonc yaml yml toml ' +
    'ini md mdx html htm css scss sass less sh bash zsh ps1 bat lock gradle xml vue svelte dart ex exs erl lua r pl tf ' +
    'proto graphql gql env cfg conf txt csv ipynb sol zig nim ml mli hs clj elm vim cmake mk dockerfile')
    .split(' ')
    .map(hashString),
);

const NUM_TOKEN = hashString('<num>');
const SYM_TOKEN = hashString('<sym>');
const FILE_TOKEN = hashString('<file>');

const LANG_ALIASES: Record<string, string> = {
  typescriptreact: 'typescript', ts: 'typescript', tsx: 'typescript', javascriptreact: 'javascript', js: 'javascript',
  jsx: 'javascript', py: 'python', 'c++': 'cpp', cc: 'cpp', 'c#': 'csharp', cs: 'csharp', golang: 'go', rs: 'rust',
  sh: 'shell', bash: 'shell', shellscript: 'shell', zsh: 'shell', yml: 'yaml', kt: 'kotlin', rb: 'ruby',
};
const LANG_HASH = new Map<number, number>();
for (const [alias, canonical] of Object.entries(LANG_ALIASES)) LANG_HASH.set(hashString(alias), hashString(canonical));

// Patterns compiled once. They run over the capped text; each is anchored or short so that a long
// paste costs linear time.
const STACK_RE = new RegExp(
  [
    String.raw`^\s*at\s+\S[^\n]*?[\w\])]:\d+(?::\d+)?\)?\s*$`, // JS / Java / C# frames
    String.raw`Traceback \(most recent call last\)`,
    String.raw`^\s*File "[^"\n]+", line \d+`,
    String.raw`panicked at`,
    String.raw`^goroutine \d+ \[`,
    String.raw`Exception in thread`,
    String.raw`^\s*#\d+\s+0x[0-9a-fA-F]+`,
    String.raw`^\s*at [^\n]+ in [^\n]+:line \d+`,
    String.raw`^\s*Caused by: `,
    String.raw`^\s*from [^\s:]+:\d+:in `,
    String.raw`\.go:\d+ \+0x[0-9a-f]+`,
    String.raw`^\s*\d+: +(?:0x[0-9a-f]+ - )?[\w:<>]+::`,
  ].join('|'),
  'm',
);
const ERROR_RE = new RegExp(
  [
    String.raw`\b[A-Z][A-Za-z]*(?:Error|Exception)\b`,
    String.raw`\b(?:error|Error|ERROR)(?:\[E\d+\])?:`,
    String.raw`\bERR!`,
    String.raw`\bTS\d{4}\b`,
    String.raw`\bE(?:NOENT|ACCES|CONNREFUSED|ADDRINUSE|PERM|TIMEDOUT|CONNRESET)\b`,
    String.raw`[Ss]egmentation fault|core dumped|undefined reference to|is not defined|is not a function`,
    String.raw`[Cc]annot (?:find|read|resolve)|[Nn]o such file|[Pp]ermission denied|exit(?:ed with)? code [1-9]`,
    String.raw`\bFAILED\b|\bFAIL\b|AssertionError|expected .+ (?:to|but) `,
  ].join('|'),
);
const PATH_RE = new RegExp(
  [
    // bounded repeats: a pasted blob of slashes and dots must not make this quadratic
    String.raw`(?:^|[\s\x60'"(\[<=])(?:\.{1,2}|~)?\/?(?:[\w@-][\w@.-]{0,80}\/){1,24}[\w@-][\w@.-]{0,80}\.[A-Za-z0-9]{1,6}\b`,
    String.raw`(?:^|[\s\x60'"(\[<=])(?:\.{1,2}|~)\/[\w@.\/-]+`,
    String.raw`(?:^|[\s\x60'"(\[<=])(?:src|lib|app|test|tests|spec|packages|config|scripts|docs|bin|cmd|internal|pkg|components|pages|api|server|client)\/[\w@.\/-]*`,
    String.raw`\b[A-Za-z]:\\[\w\\. -]+`,
  ].join('|'),
  'g',
);
const MATH_RE = new RegExp(
  [
    String.raw`\d\s*[-+*/^%×÷=<>]\s*\d`,
    String.raw`[∑∏√∫≤≥≠≈∞πθλ²³]`,
    String.raw`\b(?:mod|modulo|log|sqrt|factorial|integral|derivative|matrix|primes?|fibonacci|gcd|lcm|probability|expected value|equation|sum of)\b`,
  ].join('|'),
  'i',
);
const BIGO_RE = /\b[OΘΩ]\(\s*(?:1|n|log|m|k|v|e|2\s*\^|n\s*[\^*!]|n\s*log)/;

// ---------------------------------------------------------------------------------------------
// Extraction state: module-level and reused. Extraction is synchronous, so one set suffices.

const dense = new Float32Array(HASH_SIZE);
const touchedMark = new Uint8Array(HASH_SIZE);
const touched = new Int32Array(MAX_HASHED);
let nTouched = 0;
let explainInto: HashedToken[] | undefined;

function emit(h: number, ns: number, kind: TokenKind, text?: () => string): void {
  const x = fmix(h ^ NS_SEED[ns]!);
  const bucket = x & HASH_MASK;
  const sign = x < 0 ? -1 : 1;
  if (!touchedMark[bucket]) {
    if (nTouched >= MAX_HASHED) return;
    touchedMark[bucket] = 1;
    touched[nTouched++] = bucket;
  }
  dense[bucket] = dense[bucket]! + sign;
  if (explainInto && text) explainInto.push({ text: text(), kind, index: bucket, sign });
}

const BACKTICK = 96;

/**
 * Extracts the features of one query. Reuses `out` (and module scratch); pass `explain` to also
 * learn which tokens were hashed into which bucket.
 */
export function extractFeatures(
  query: string,
  context: RouteContext = {},
  out: FeatureVector = createFeatureVector(),
  explain?: FeatureExplanation,
): FeatureVector {
  const text = query.length > MAX_SCAN ? query.slice(0, MAX_SCAN) : query;
  const n = text.length;
  const s = out.signals;
  s.fill(0);
  nTouched = 0;
  explainInto = explain?.tokens;

  let inFence = false, inTick = false, fenceSeen = false, tickSpans = 0;
  let qmark = false, lines = 1, codeChars = 0, sentences = 0, commas = 0;
  let proseWords = 0, cjkChars = 0, numbers = 0, symbols = 0, fileWords = 0;
  let cueMask = 0, polite = false, questionStart = false, imperativeStart = false;
  let firstDone = false, fillers = 0;
  let prevWord = 0, prevLex = 0, prevCjk = -1;
  // the word being read
  let wStart = -1, wLen = 0, wHash = FNV_OFFSET, wH5 = 0, wExt = FNV_OFFSET, wPrefixMask = 0;
  let wLowerSeen = false, wCamel = false, wUpper = 0, wDigits = 0, wLetters = 0, wSnake = false, wDot = false, wLastUnderscore = false;

  let lastWordText = '';
  const flush = (next: number): void => {
    const len = wLen;
    wLen = 0;
    if (len === 0) return;
    const start = wStart;
    const code = inFence || inTick;
    const isNumber = wLetters === 0 && wDigits > 0;
    if (code) {
      if (!isNumber) emit(wHash, NS_CODE, 'code', explain && (() => text.slice(start, start + len).toLowerCase()));
      if (inTick && !inFence) symbols++;
      prevWord = 0;
      prevLex = 0;
      return;
    }
    const snake = wSnake && !wLastUnderscore;
    const isFile = wDot && EXTENSIONS.has(wExt);
    const isSymbol = wLetters > 0 && (wCamel || snake || (wUpper > 1 && wLowerSeen) || next === 40 /* ( */ || (wDot && !isFile && len > 3));
    const token = isNumber ? NUM_TOKEN : wHash;
    const wordText = explain && (() => (isNumber ? '<num>' : text.slice(start, start + len).toLowerCase()));
    if (!STOP.has(wHash)) emit(token, NS_WORD, 'word', wordText);
    if (isNumber) numbers++;
    if (isSymbol) {
      symbols++;
      emit(SYM_TOKEN, NS_WORD, 'word', explain && (() => '<sym>'));
    }
    if (isFile) {
      fileWords++;
      emit(FILE_TOKEN, NS_WORD, 'word', explain && (() => '<file>'));
    }
    if (len >= 7 && !isNumber) emit(wH5, NS_PREFIX, 'prefix', explain && (() => text.slice(start, start + 5).toLowerCase() + '…'));
    if (prevWord !== 0) {
      const pw = prevWord;
      emit(pair(pw, token), NS_PAIR, 'pair', explain && (() => `${lastWordText} ${wordText!()}`));
    }
    let m = wPrefixMask | (EXACT.get(wHash) ?? 0);
    if (prevLex !== 0) {
      const pk = pair(prevLex, wHash);
      m |= PAIR.get(pk) ?? 0;
      if (POLITE_PAIR.has(pk)) polite = true;
    }
    if (POLITE_EXACT.has(wHash)) polite = true;
    cueMask |= m;
    if (!firstDone) {
      if (fillers < 3 && FILLER.has(wHash)) fillers++;
      else {
        firstDone = true;
        if (QSTART.has(wHash)) questionStart = true;
        if (IMPERATIVE.has(wHash)) imperativeStart = true;
      }
    }
    proseWords++;
    prevWord = token;
    prevLex = wHash;
    if (explain) lastWordText = wordText!();
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKTICK) {
      flush(c);
      if (text.charCodeAt(i + 1) === BACKTICK && text.charCodeAt(i + 2) === BACKTICK) {
        inFence = !inFence;
        fenceSeen = true;
        inTick = false;
        i += 2;
      } else if (!inFence) {
        inTick = !inTick;
        if (inTick) tickSpans++;
      }
      prevWord = prevLex = 0;
      prevCjk = -1;
      continue;
    }
    let word = isWordChar(c);
    // Joiners keep "thread-safe", "doesn't", "package.json" and "os.path" one word.
    if (!word && wLen > 0 && (c === 0x2d || c === 0x27 || c === 0x2019 || c === 0x2e) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
      word = true;
    }
    if (word) {
      if (wLen === 0) {
        wStart = i;
        wHash = FNV_OFFSET;
        wH5 = 0;
        wExt = FNV_OFFSET;
        wPrefixMask = 0;
        wLowerSeen = wCamel = wSnake = wDot = wLastUnderscore = false;
        wUpper = wDigits = wLetters = 0;
      }
      const f = fold(c);
      wHash = step(wHash, f);
      wLen++;
      if (wLen === 5) wH5 = wHash;
      if (c === 0x2e) {
        wDot = true;
        wExt = FNV_OFFSET;
      } else wExt = step(wExt, f);
      if (wLen < 31 && (PREFIX_LENGTHS >>> wLen) & 1 && !inFence && !inTick) wPrefixMask |= PREFIX.get(wHash) ?? 0;
      const cls = c < 0x500 ? CLASS[c]! : 0;
      if (cls & 8) wDigits++;
      else if (c >= 0x500 || cls & 6) wLetters++;
      if (cls & 2) wLowerSeen = true;
      else if (cls & 4) {
        if (wLowerSeen) wCamel = true;
        wUpper++;
      }
      if (c === 0x5f) {
        if (wLen > 1) wSnake = true;
        wLastUnderscore = true;
      } else wLastUnderscore = false;
      continue;
    }
    flush(c);
    if (isCjk(c)) {
      cjkChars++;
      if (!inFence && !inTick) {
        emit(c, NS_CJK, 'cjk', explain && (() => String.fromCharCode(c)));
        if (prevCjk >= 0) {
          const p = prevCjk;
          emit(pair(p, c), NS_CJK_PAIR, 'cjk-pair', explain && (() => String.fromCharCode(p, c)));
        }
      }
      prevCjk = c;
      continue;
    }
    prevCjk = -1;
    if (inFence) {
      if (c === 10) lines++;
      continue;
    }
    switch (c) {
      case 10:
        lines++;
        prevWord = prevLex = 0;
        break;
      case 0x3f: // ?
      case 0xff1f: // ？
        if (!inTick) qmark = true;
        sentences++;
        prevWord = prevLex = 0;
        break;
      case 0x2e: case 0x21: case 0x3002: case 0xff01: case 0x3b: case 0x3a:
        sentences++;
        prevWord = prevLex = 0;
        if (c === 0x3b) codeChars++;
        break;
      case 0x7b: case 0x7d: case 0x3d:
        codeChars++;
        break;
      case 0x2c: case 0x3001: case 0xff0c:
        commas++;
        break;
    }
  }
  flush(0);

  // CJK cues are substrings: there are no spaces to split on.
  let cjkQuestion = false, cjkImperative = false;
  if (cjkChars > 0) {
    for (let k = 0; k < CJK_CUES.length; k++) {
      const cue = CJK_CUES[k]!;
      if (text.indexOf(cue[0]) >= 0) cueMask |= cue[1];
    }
    for (const p of POLITE_CJK) if (text.indexOf(p) >= 0) polite = true;
    for (const w of CJK_QUESTION_WORDS) if (text.indexOf(w) >= 0) cjkQuestion = true;
    let end = n;
    while (end > 0 && isTrailingPunct(text.charCodeAt(end - 1))) end--;
    for (const e of CJK_QUESTION_ENDINGS) if (endsAt(text, e, end)) cjkQuestion = true;
    for (const e of JA_IMPERATIVE_ENDINGS) if (endsAt(text, e, end)) cjkImperative = true;
    let begin = 0;
    while (begin < n && text.charCodeAt(begin) <= 32) begin++;
    for (const st of CJK_IMPERATIVE_STARTS) if (text.startsWith(st, begin)) cjkImperative = true;
  }

  // ---- named signals
  const codeBlock = fenceSeen || (lines >= 3 && codeChars >= 3);
  const stack = STACK_RE.test(text);
  if (codeBlock) s[S_CODE_BLOCK] = 1;
  if (tickSpans > 0) s[S_INLINE_CODE] = 1;
  if (stack) s[S_STACK_TRACE] = 1;
  if (ERROR_RE.test(text)) s[S_ERROR_TEXT] = 1;
  let paths = fileWords;
  PATH_RE.lastIndex = 0;
  while (paths < 2 && PATH_RE.exec(text) !== null) paths++;
  PATH_RE.lastIndex = 0;
  if (paths > 0) s[S_FILE_PATH] = 1;
  if (paths > 1) s[S_MANY_PATHS] = 1;
  if (symbols > 0) s[S_SYMBOL] = 1;
  if (symbols > 2) s[S_MANY_SYMBOLS] = 1;
  if (numbers > 0) s[S_NUMBER] = 1;
  if (MATH_RE.test(text)) s[S_MATH] = 1;
  if (BIGO_RE.test(text)) s[S_BIG_O] = 1;
  const question = qmark || questionStart || cjkQuestion;
  if (question) s[S_QUESTION] = 1;
  if (imperativeStart || cjkImperative) s[S_IMPERATIVE] = 1;
  if (polite) s[S_POLITE] = 1;
  if (lines > 1 || sentences > 2) s[S_MULTI_LINE] = 1;
  if (commas >= 3) s[S_ENUMERATION] = 1;
  const words = proseWords + (cjkChars + 1) / 2;
  s[sig(words <= 3 ? 'len_1_3' : words <= 8 ? 'len_4_8' : words <= 20 ? 'len_9_20' : words <= 50 ? 'len_21_50' : 'len_51p')] = 1;
  for (let k = 0; k < CUES.length; k++) if (cueMask & (1 << k)) s[CUE_BASE + k] = 1;

  const sel = context.selectionLines ?? 0;
  s[sig(sel <= 0 ? 'sel_none' : sel === 1 ? 'sel_1' : sel <= 10 ? 'sel_2_10' : sel <= 50 ? 'sel_11_50' : sel <= 200 ? 'sel_51_200' : 'sel_201p')] = 1;
  const d = context.diagnostics;
  const diagnostics = typeof d === 'number' ? d : Array.isArray(d) ? d.length : 0;
  if (diagnostics > 0) s[S_DIAG_ANY] = 1;
  if (diagnostics > 2) s[S_DIAG_MANY] = 1;
  const src = context.source;
  s[sig(src === 'palette' ? 'src_palette' : src === 'inline' ? 'src_inline' : src === 'sidebar' ? 'src_sidebar' : src === 'chat' ? 'src_chat' : 'src_other')] = 1;
  if (context.language) {
    s[S_LANG_KNOWN] = 1;
    const lh = hashString(context.language);
    const lang = LANG_HASH.get(lh) ?? lh;
    emit(lang, NS_LANG, 'language', explain && (() => `lang:${context.language!.toLowerCase()}`));
  }

  const deictic = s[S_CUE_DEICTIC] === 1;
  const codeGiven = codeBlock || sel >= 2;
  // In inline chat with nothing selected, "this"/"here" is the cursor, not something elsewhere.
  if (deictic && sel <= 0 && !codeBlock && src !== 'inline') s[S_X_DEICTIC_NOSEL] = 1;
  if (stack && sel <= 0 && !codeBlock) s[S_X_TRACE_NOSEL] = 1;
  if (s[S_CUE_WORKSPACE] && sel <= 0) s[S_X_WORKSPACE_NOSEL] = 1;
  if (question && src === 'inline') s[S_X_QUESTION_INLINE] = 1;
  if (codeGiven) s[S_X_CODE_GIVEN] = 1;
  if (codeGiven && s[S_CUE_WHY]) s[S_X_WHY_CODE] = 1;
  if ((imperativeStart || cjkImperative) && sel > 0) s[S_X_IMPERATIVE_SEL] = 1;

  // ---- compact into the sparse output and clear the scratch for the next call
  let len = 0;
  const idx = out.index, val = out.value;
  for (let k = 0; k < nTouched; k++) {
    const b = touched[k]!;
    const v = dense[b]!;
    dense[b] = 0;
    touchedMark[b] = 0;
    if (v !== 0) {
      idx[len] = b;
      // Repeats saturate: a word said three times is not three times the evidence.
      val[len++] = v > 2 ? 2 : v < -2 ? -2 : v;
    }
  }
  // Named signals enter at 2 rather than 1: under one L2 penalty that lets the few general signals
  // outweigh the many word buckets, which is what carries across languages (grouped CV: +1 point).
  for (let k = 0; k < SIGNALS.length; k++) {
    if (s[k]) {
      idx[len] = HASH_SIZE + k;
      val[len++] = NAMED_VALUE;
    }
  }
  out.length = len;
  explainInto = undefined;
  return out;
}

function isTrailingPunct(c: number): boolean {
  return c <= 32 || c === 0x3f || c === 0xff1f || c === 0x3002 || c === 0x2e || c === 0x21 || c === 0xff01 || c === 0x7e || c === 0x2026 || c === 0xff5e;
}
function endsAt(text: string, suffix: string, end: number): boolean {
  return end >= suffix.length && text.startsWith(suffix, end - suffix.length);
}
