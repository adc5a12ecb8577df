// The agent's command lines, parsed like a shell would (DESIGN §5: "approvals understand arguments").
// shell-quote does word splitting and quote removal, but it reads an unquoted newline as a space,
// ignores backticks, swallows everything after a `#` (even past a newline) and drops what it cannot
// read; so a quote-aware pre-scan runs first: it finds newlines, NULs, comments, `$( )` and backtick
// bodies, variables, globs, brace expansions and `~`, and hands shell-quote a line where each of those
// is either a separator or inert. Every simple command found — at each operator, inside substitutions
// and inside `sh -c` strings (bounded depth) — is returned for the deny rules.
import { parse, type ParseEntry } from 'shell-quote';
import { innerCommands, shellStrings } from './normalize';

export interface ShellAnalysis {
  /** Every simple command found (split at operators, inside $( ), backticks and `sh -c` strings), as words after quote removal. */
  commands: string[][];
  /** Why the line is not one plain simple command ([] when it is): e.g. 'the operator ";"', 'a command substitution $( )', 'a variable $HOME', 'a glob *.ts', 'a redirection >', 'a newline', 'a comment'. */
  complexity: string[];
  /** Only when complexity is empty: the words re-joined with one space, each quoted only where it needs it (single quotes). */
  canonical?: string;
}

/** What the deny rules need beyond ShellAnalysis. */
export interface ShellFacts extends ShellAnalysis {
  /** Targets of redirections (`> /dev/sda`). */
  redirects: string[];
  /** Names of shell functions the line defines (`f(){ …; }`). */
  functions: string[];
  /** Set when substitutions or `sh -c` strings nest deeper than ARC looks. */
  tooDeep: boolean;
  /** Set when part of the line could not be read (an unterminated quote, a bad `${`). */
  unreadable?: string;
}

/** Substitutions and `sh -c` strings are followed this deep; deeper is refused, not guessed. */
export const MAX_NESTING = 4;

/** Stands in for a `$( )` or backtick body, whose commands are analysed on their own. */
const SUBST = '\uE000';

const WORD_END = /[\s;&|()<>]/;
const SAFE_WORD = /^[A-Za-z0-9_\-+=.,/:@%]+$/;

/** One word as the shell would need it: bare when safe, otherwise in single quotes. */
export function quoteWord(w: string): string {
  if (SAFE_WORD.test(w) && !w.startsWith('=')) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

interface Scan {
  cleaned: string;
  complexity: string[];
  substitutions: string[];
  unreadable?: string;
}

/** Index of the `)` closing a `$(` whose body starts at `i`, or -1. */
function closeParen(s: string, i: number): number {
  let depth = 1;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') i++;
    else if (c === "'") {
      const e = s.indexOf("'", i + 1);
      if (e < 0) return -1;
      i = e;
    } else if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the backtick closing one opened before `i`, or -1. */
function closeBacktick(s: string, i: number): number {
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '`') return i;
  }
  return -1;
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function preScan(line: string): Scan {
  const out: string[] = [];
  const complexity: string[] = [];
  const substitutions: string[] = [];
  const note = (c: string) => complexity.includes(c) || complexity.push(c);
  let unreadable: string | undefined;
  let quote: '' | '"' = '';
  const atWordStart = () => {
    const prev = out.length ? out[out.length - 1]! : ' ';
    return prev === '' || WORD_END.test(prev[prev.length - 1]!);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1];
    if (c === '\\') {
      if (next === '\n') {
        i++; // a line continuation joins the lines
        continue;
      }
      out.push(next === undefined ? '' : c + next);
      i++;
      continue;
    }
    if (c === '$' && next === '(') {
      const end = closeParen(line, i + 2);
      if (end < 0) {
        unreadable = 'an unterminated $(';
        break;
      }
      note(line[i + 2] === '(' ? 'an arithmetic expansion $(( ))' : 'a command substitution $( )');
      substitutions.push(line.slice(i + 2, end));
      out.push(SUBST);
      i = end;
      continue;
    }
    if (c === '`') {
      const end = closeBacktick(line, i + 1);
      if (end < 0) {
        unreadable = 'an unterminated backtick';
        break;
      }
      note('a command substitution `…`');
      substitutions.push(line.slice(i + 1, end).replace(/\\([`$\\])/g, '$1'));
      out.push(SUBST);
      i = end;
      continue;
    }
    if (c === '$') {
      const m = /^\$(\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(line.slice(i, i + 200));
      if (m) note(`a variable ${short(m[0])}`);
      else if (next === '"' && !quote) note('a locale string $"…"');
      else if (next === "'" && !quote) {
        // ANSI-C quoting: shell-quote decodes it; only its extent matters here.
        let j = i + 2;
        for (; j < line.length && line[j] !== "'"; j++) if (line[j] === '\\') j++;
        if (j >= line.length) {
          unreadable = "an unterminated $'";
          break;
        }
        out.push(line.slice(i, j + 1));
        i = j;
        continue;
      }
      out.push(c);
      continue;
    }
    if (quote) {
      if (c === '"') quote = '';
      if (c === '\0') note('a NUL character');
      out.push(c);
      continue;
    }
    switch (c) {
      case '"':
        quote = '"';
        out.push(c);
        break;
      case "'": {
        const end = line.indexOf("'", i + 1);
        if (end < 0) {
          unreadable = 'an unterminated quote';
          i = line.length;
          break;
        }
        out.push(line.slice(i, end + 1));
        i = end;
        break;
      }
      case '\n':
      case '\r':
      case '\0':
        note(c === '\n' ? 'a newline' : c === '\r' ? 'a carriage return' : 'a NUL character');
        out.push(' ; ');
        break;
      case '#':
        if (atWordStart()) {
          note('a comment');
          while (i + 1 < line.length && line[i + 1] !== '\n' && line[i + 1] !== '\r') i++;
        } else out.push('\\#');
        break;
      case '~':
        if (atWordStart()) note('the home directory ~');
        out.push(c);
        break;
      case '[': {
        const word = /^[^\s;&|()<>]*/.exec(line.slice(i + 1, i + 200))![0];
        if (word.includes(']')) note(`a glob ${short(`[${word}`)}`);
        out.push(c);
        break;
      }
      case '{': {
        const word = /^[^\s;&|()<>]*/.exec(line.slice(i + 1, i + 200))![0];
        const close = word.indexOf('}');
        if (close > 0 && /,|\.\./.test(word.slice(0, close))) note(`a brace expansion {${short(word.slice(0, close + 1))}`);
        out.push(c);
        break;
      }
      default:
        out.push(c);
    }
  }
  if (quote && !unreadable) unreadable = 'an unterminated quote';
  return { cleaned: out.join(''), complexity, substitutions, unreadable };
}

const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '&>', '&>>', '>|', '<>', '<<', '<<-', '<<<']);
/** Words that begin a shell construct; the command proper follows them. */
const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'while', 'until', 'do', 'done', 'esac', 'coproc', '[[', ']]']);
/** Constructs whose words are not a command at all (`for x in a b`). */
const NOT_A_COMMAND = new Set(['for', 'select', 'case', 'in']);

type Entry = ParseEntry;

/** Bash brace expansion of one word, bounded; each alternative becomes its own word, as in bash. */
function expandBraces(word: string, budget = 64): string[] {
  const m = /^(.*?)\{([^{}]*)\}(.*)$/s.exec(word);
  if (!m) return [word];
  const [, pre, body, post] = m as unknown as [string, string, string, string];
  let parts: string[];
  const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])$/.exec(body);
  if (range) {
    const a = range[1]!, b = range[2]!;
    const num = /\d/.test(a);
    const from = num ? Number(a) : a.charCodeAt(0), to = num ? Number(b) : b.charCodeAt(0);
    parts = [];
    for (let v = from; parts.length < budget && (from <= to ? v <= to : v >= to); v += from <= to ? 1 : -1) parts.push(num ? String(v) : String.fromCharCode(v));
  } else if (body.includes(',')) parts = body.split(',');
  else return [word];
  const out: string[] = [];
  for (const p of parts) {
    if (out.length >= budget) break;
    for (const w of expandBraces(pre + p + post, budget)) {
      if (out.length >= budget) return out;
      out.push(w);
    }
  }
  return out;
}

function analyze(line: string, depth: number, facts: ShellFacts, top: boolean): number {
  if (depth > MAX_NESTING) {
    facts.tooDeep = true;
    return 0;
  }
  const scan = preScan(line);
  if (scan.unreadable) facts.unreadable ??= scan.unreadable;
  const note = (c: string) => {
    if (top && !facts.complexity.includes(c)) facts.complexity.push(c);
  };
  for (const c of scan.complexity) note(c);
  if (scan.unreadable) note(scan.unreadable);
  for (const body of scan.substitutions) analyze(body, depth + 1, facts, false);

  let entries: Entry[];
  try {
    // Variables stay visible as `$NAME` text (the pre-scan has already noted them).
    entries = parse(scan.cleaned, (k: string) => `$${k}`) as ParseEntry[];
  } catch (e) {
    facts.unreadable ??= e instanceof Error ? e.message : String(e);
    note(`a part the parser cannot read (${facts.unreadable})`);
    return 0;
  }
  const braces = scan.complexity.some((c) => c.startsWith('a brace expansion'));
  const segments: string[][] = [];
  let words: string[] = [];
  const end = () => {
    if (words.length) segments.push(words);
    words = [];
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (typeof e === 'string') {
      const w = e.split(SUBST).join('$(…)');
      words.push(...(braces ? expandBraces(w) : [w]));
    } else if ('comment' in e) {
      note('a comment');
      break;
    } else if (e.op === 'glob') {
      note(`a glob ${short((e as { pattern: string }).pattern)}`);
      words.push((e as { pattern: string }).pattern);
    } else if (REDIRECTS.has(e.op)) {
      note(`a redirection ${e.op}`);
      const target = entries[i + 1];
      if (typeof target === 'string') {
        facts.redirects.push(target);
        i++;
      } else if (target && typeof target === 'object' && 'pattern' in target) {
        facts.redirects.push(String(target.pattern));
        i++;
      }
    } else if (e.op === '(' && words.length === 1 && (entries[i + 1] as { op?: string } | undefined)?.op === ')') {
      note(`a function definition ${short(words[0]!)}()`);
      facts.functions.push(words[0]!);
      words = [];
      i++;
    } else {
      note(e.op === '(' || e.op === ')' ? 'a subshell ( )' : e.op === '<(' || e.op === '>(' ? `a process substitution ${e.op} )` : `the operator "${e.op}"`);
      end();
    }
  }
  end();

  let simple = 0;
  for (let seg of segments) {
    while (seg.length && KEYWORDS.has(seg[0]!)) {
      note(`the keyword ${seg[0]}`);
      seg = seg.slice(1);
    }
    if (seg[0] === 'function' && seg.length >= 2) {
      note(`a function definition ${short(seg[1]!)}`);
      facts.functions.push(seg[1]!);
      seg = seg.slice(2).filter((w) => w !== '{');
    }
    if (seg.length && NOT_A_COMMAND.has(seg[0]!)) {
      note(`the keyword ${seg[0]}`);
      continue;
    }
    if (!seg.length) continue;
    simple++;
    facts.commands.push(seg);
    // `bash -c "…"`, `env -S …`, `xargs sh -c …`, `git -c alias.x='!…'`: what they run is parsed too.
    for (const cmd of innerCommands(seg)) {
      for (const s of shellStrings(cmd)) analyze(s, depth + 1, facts, false);
    }
  }
  if (top && simple !== 1 && facts.complexity.length === 0) note(simple === 0 ? 'no command' : 'more than one command');
  return simple;
}

/** The line's commands and everything the deny rules look at. */
export function analyzeShell(line: string): ShellFacts {
  const facts: ShellFacts = { commands: [], complexity: [], redirects: [], functions: [], tooDeep: false };
  analyze(line, 0, facts, true);
  if (facts.complexity.length === 0 && facts.commands.length) facts.canonical = facts.commands[0]!.map(quoteWord).join(' ');
  return facts;
}

export function analyzeCommand(line: string): ShellAnalysis {
  const { commands, complexity, canonical } = analyzeShell(line);
  return canonical === undefined ? { commands, complexity } : { commands, complexity, canonical };
}
