// Router feature hashing (DESIGN §3.1), split out of features.ts: FNV-1a over folded UTF-16 code
// units while reading, then a murmur finalizer per namespace so that a word, its prefix and a pair
// land in unrelated buckets; case and accent folding and character classes from tables built once.
//
// Hashing. FNV-1a over folded UTF-16 code units while reading, then a murmur finalizer per
// namespace so that a word, its prefix and a pair land in unrelated buckets.

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
export const step = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME);
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
export const pair = (a: number, b: number): number => fmix(Math.imul(a, 0x9e3779b1) ^ b) | 0;

export const NS_WORD = 1, NS_PREFIX = 2, NS_PAIR = 3, NS_CODE = 4, NS_CJK = 5, NS_CJK_PAIR = 6, NS_LANG = 7;
export const NS_SEED = [0, 0x27d4eb2f, 0x165667b1, 0x61c88647, 0x7feb352d, 0x846ca68b, 0x3243f6a9, 0x0b4f5a6d];

// Case and accent folding for the first 0x500 code points (Latin, Greek, Cyrillic); built once.
export const FOLD = new Uint16Array(0x500);
// 1 = word character, 2 = lowercase letter, 4 = uppercase letter, 8 = digit
export const CLASS = new Uint8Array(0x500);
const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
for (let c = 0; c < 0x500; c++) {
  const ch = String.fromCharCode(c);
  const lower = ch.toLowerCase();
  const base = lower.normalize('NFD');
  FOLD[c] = base.length > 0 ? base.charCodeAt(0) : c;
  if (c >= 0x30 && c <= 0x39) CLASS[c] = 1 | 8;
  else if (c === 0x5f) CLASS[c] = 1;
  else if (LETTER.test(ch)) CLASS[c] = 1 | (lower !== ch ? 4 : ch.toUpperCase() !== ch ? 2 : 0);
  else if (MARK.test(ch)) CLASS[c] = 1;
}

export function fold(c: number): number {
  if (c < 0x500) return FOLD[c]!;
  if (c === 0x2019) return 0x27; // ’ -> '
  return c;
}
export function isCjk(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x31f0 && c <= 0x31ff);
}
/** Letters of scripts written with spaces (Hebrew, Arabic, Indic, Thai, Hangul, Vietnamese…) count as word characters. */
export function isWordChar(c: number): boolean {
  if (c < 0x500) return (CLASS[c]! & 1) !== 0;
  return (c < 0x2000) || (c >= 0xac00 && c <= 0xd7af);
}

export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = step(h, fold(s.charCodeAt(i)));
  return h;
}
