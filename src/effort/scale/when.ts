// When reasoning mode uses SCALE (DESIGN §3.3, `--scale auto|on|off`, `arc.scale`). `on` and `off`
// are obeyed; `auto` decomposes only a request that looks multi-step, because a plan costs a call
// and a scoring call per step, and a one-step question gains nothing from them.
//
// `auto` adds up cues in the prose (fenced code is not read: a long paste with "fix this" is one
// step) and uses SCALE at SCORE_THRESHOLD or more:
//   length          ≥ 40 words +1, ≥ 100 words +2 (a CJK character counts as half a word)
//   enumeration     a list of 2 items +2, ≥ 3 items +3 (numbered, lettered, bulleted, (a)/(1) inline, ①②)
//   sequencing      distinct "then / after that / finally …" cues in several languages, and a
//                   "first … second …" ordinal pair: 1 → +1, 2 → +2, ≥ 3 → +3
//   questions       two or more question marks +1
//   quantities      ≥ 3 numbers with a math cue (operators, %, "how many", "insgesamt", "多少"…) +2,
//                   ≥ 4 such numbers +3; ≥ 3 numbers without one +1
//   router signals  `enumeration` (when no list was found here) +1; `math` counts as a math cue
// Fewer than MIN_WORDS words of prose never use SCALE.
export type ScaleSetting = 'auto' | 'on' | 'off';

/** What the router already computed, by signal name (its `firedSignals`); all optional. */
export interface ScaleFeatures {
  signals?: readonly string[];
}

export interface ScaleChoice {
  use: boolean;
  /** Why, in English, for "Why This Mode?" and the run's events. */
  reason: string;
  score: number;
  cues: string[];
}

export const SCORE_THRESHOLD = 3;
export const MIN_WORDS = 10;

const SEQUENCE_WORDS = [
  // English
  'then', 'after that', 'afterwards', 'next', 'finally', 'lastly', 'subsequently', 'first', 'secondly', 'thirdly', 'followed by',
  // German
  'dann', 'danach', 'anschliessend', 'zuerst', 'schliesslich', 'zuletzt', 'als nachstes', 'erstens', 'zweitens',
  // French
  'puis', 'ensuite', 'enfin', "d'abord", 'apres cela', 'finalement', 'premierement',
  // Spanish / Portuguese / Italian
  'luego', 'despues', 'primero', 'por ultimo', 'a continuacion', 'finalmente', 'depois', 'em seguida', 'por fim',
  'poi', 'infine', 'dopo di che', 'successivamente',
  // Russian
  'затем', 'потом', 'после этого', 'сначала', 'наконец', 'далее', 'во-первых', 'во-вторых',
];
const SEQUENCE_CJK = ['然后', '接着', '之后', '最后', '首先', '其次', '然後', '接著', '之後', '最後', '次に', 'それから', 'その後', '最後に', 'まず'];

/** "first … second" in one text (the first day, the second day) is a sequence too: stems, folded. */
const ORDINAL_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['first', 'second'], ['erste', 'zweite'], ['premier', 'deuxieme'], ['primer', 'segund'], ['primeir', 'segund'],
  ['перв', 'втор'], ['第一', '第二'], ['1つ目', '2つ目'],
];

const MATH_WORDS = [
  'how many', 'how much', 'how far', 'how long', 'in total', 'total', 'sum', 'product', 'average', 'probability', 'percent',
  'ratio', 'remainder', 'each', 'per', 'equation', 'solve', 'compute', 'calculate',
  'wie viele', 'wie viel', 'wieviel', 'insgesamt', 'pro', 'jeweils', 'berechne',
  'combien', 'chaque', 'calculer', 'cuantos', 'cuantas', 'cuanto', 'cada', 'calcula', 'quantos', 'quantas', 'quanto',
  'сколько', 'всего', 'каждый', 'вычисли',
];
const MATH_CJK = ['多少', '几个', '一共', '总共', '每', '合計', 'いくつ', '何個', '全部で'];

const SEQUENCE_FOLDED = SEQUENCE_WORDS.map((w) => [w, fold(w)] as const);
const MATH_FOLDED = MATH_WORDS.map(fold);

const FENCED = /```[\s\S]*?(?:```|$)/g;
const CJK_TEST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const LIST_LINE = /^[ \t]*(?:\d{1,2}[.)]|\(\d{1,2}\)|[a-hA-H][.)]|\([a-h]\)|[-*•]|[①-⑩]|[（(][一二三四五六七八九十\d]+[）)])[ \t]*\S/gmu;
const INLINE_PARTS = /(?:^|[\s:;,])(?:\((?:[1-9]|[a-h]|i{1,3}|iv)\)|(?:[1-9]|[a-h])\))\s/gu;
const CIRCLED = /[①-⑩]/gu;
const NUMBER = /(?<![\p{L}_])\d+(?:[.,]\d+)?/gu;
const OPERATOR = /\d\s*(?:[+*/^×÷=<>]|-(?=\s*\d))\s*\d|%/u;

export function shouldUseScale(setting: ScaleSetting, query: string, features: ScaleFeatures = {}): ScaleChoice {
  if (setting === 'on') return { use: true, reason: 'SCALE is on (arc.scale / --scale on)', score: 0, cues: [] };
  if (setting === 'off') return { use: false, reason: 'SCALE is off (arc.scale / --scale off)', score: 0, cues: [] };
  const prose = query.replace(FENCED, ' ');
  const folded = fold(prose);
  const cjk = prose.match(CJK_CHAR)?.length ?? 0;
  const words = (prose.replace(CJK_CHAR, ' ').match(WORD)?.length ?? 0) + Math.round(cjk / 2);
  if (words < MIN_WORDS) return { use: false, reason: `one step: the request is short (${words} words of prose)`, score: 0, cues: [] };

  const signals = new Set(features.signals ?? []);
  const cues: string[] = [];
  let score = 0;
  const add = (points: number, cue: string) => {
    if (points <= 0) return;
    score += points;
    cues.push(cue);
  };

  add(words >= 100 ? 2 : words >= 40 ? 1 : 0, `${words} words`);

  const listItems = Math.max(prose.match(LIST_LINE)?.length ?? 0, prose.match(INLINE_PARTS)?.length ?? 0, prose.match(CIRCLED)?.length ?? 0);
  if (listItems >= 2) add(listItems >= 3 ? 3 : 2, `lists ${listItems} parts`);
  else if (signals.has('enumeration')) add(1, 'lists its givens');

  const sequence = new Set<string>();
  for (const [w, f] of SEQUENCE_FOLDED) if (hasPhrase(folded, f)) sequence.add(w);
  for (const w of SEQUENCE_CJK) if (prose.includes(w)) sequence.add(w);
  for (const [a, b] of ORDINAL_PAIRS) {
    if (startsWord(folded, a) && startsWord(folded, b)) {
      sequence.add(`${a}… ${b}…`);
      break;
    }
  }
  add(Math.min(3, sequence.size), `sequencing words (${[...sequence].slice(0, 3).join(', ')})`);

  const questions = prose.match(/[?？]/g)?.length ?? 0;
  add(questions >= 2 ? 1 : 0, `${questions} questions`);

  const numbers = new Set(prose.match(NUMBER) ?? []).size;
  const mathCue = signals.has('math') || OPERATOR.test(prose) || MATH_FOLDED.some((w) => hasPhrase(folded, w)) || MATH_CJK.some((w) => prose.includes(w));
  if (numbers >= 3) add(mathCue ? (numbers >= 4 ? 3 : 2) : 1, `${numbers} quantities${mathCue ? ' in a calculation' : ''}`);

  const use = score >= SCORE_THRESHOLD;
  const why = cues.length ? cues.join(', ') : 'no multi-step cues';
  return { use, reason: use ? `looks multi-step: ${why}` : `one step is enough: ${why}`, score, cues };
}

/** Lower case, Latin accents folded (ä → a, ß → ss), so `después` matches `despues`. */
function fold(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/’/g, "'");
}

/** A whole-word (or whole-phrase) match; letters in any script count as word characters. */
function hasPhrase(folded: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = folded.indexOf(phrase, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : folded[at - 1]!;
    const after = folded[at + phrase.length] ?? '';
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

/** A word in `folded` starts with `stem` (CJK stems match anywhere). */
function startsWord(folded: string, stem: string): boolean {
  if (CJK_TEST.test(stem)) return folded.includes(stem);
  let at = folded.indexOf(stem);
  while (at >= 0) {
    if (at === 0 || !isWordChar(folded[at - 1]!)) return true;
    at = folded.indexOf(stem, at + 1);
  }
  return false;
}

function isWordChar(c: string): boolean {
  return c !== '' && /[\p{L}\p{N}_]/u.test(c);
}
