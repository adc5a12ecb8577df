// find_symbol outside the editor: a regex heuristic over common languages. It finds the usual
// definition forms (function/class/def/fn/func/const …, methods written `name(…) {`) and can miss
// unusual ones or report a look-alike; the editor side uses the language servers instead.

export interface SymbolMatch {
  path: string;
  /** 1-based. */
  line: number;
  kind: string;
  text: string;
}

export const SYMBOL_FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte',
  'py', 'pyi', 'go', 'rs', 'java', 'kt', 'kts', 'scala', 'cs', 'fs',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'm', 'mm', 'swift',
  'rb', 'php', 'lua', 'ex', 'exs', 'dart', 'sh', 'bash', 'zsh', 'pl', 'r', 'jl',
]);

const KEYWORD_KIND: Record<string, string> = {
  function: 'function', 'function*': 'function', def: 'function', defp: 'function', fn: 'function',
  func: 'function', fun: 'function', sub: 'function', class: 'class', interface: 'interface',
  type: 'type', enum: 'enum', struct: 'struct', trait: 'trait', protocol: 'protocol',
  namespace: 'namespace', module: 'module', mod: 'module', record: 'class', object: 'class',
  union: 'type', impl: 'impl', const: 'variable', let: 'variable', var: 'variable', val: 'variable',
};

/** Line matchers for definitions of `name`; each returns a kind or undefined. */
export function symbolMatchers(name: string): Array<(line: string) => string | undefined> {
  // `Class.method` looks for the method.
  const last = name.split(/\.|::|#/).filter(Boolean).pop() ?? name;
  const n = last.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const keyword = new RegExp(
    `\\b(function\\*?|def|defp|fn|func|fun|sub|class|interface|type|enum|struct|trait|protocol|namespace|module|mod|record|object|union|impl)\\s+${n}(?![\\w$])`,
  );
  const variable = new RegExp(`\\b(const|let|var|val)\\s+${n}(?![\\w$])\\s*(?::[^=]*)?=`);
  const goMethod = new RegExp(`\\bfunc\\s*\\([^)]*\\)\\s*${n}\\s*[(\\[]`);
  const assigned = new RegExp(`(?:^|[\\s.,{])${n}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]*)?=>|[\\w$]+\\s*=>)`);
  const method = new RegExp(
    `^\\s*(?:(?:public|private|protected|internal|static|async|override|readonly|abstract|get|set|final|virtual|export|default|synchronized)\\s+)*\\*?${n}\\s*(?:<[^>]*>)?\\s*\\([^;]*\\)\\s*(?::[^={;]*)?(?:throws [\\w., ]+)?\\{`,
  );
  const typed = new RegExp(`^\\s*(?!return\\b|new\\b|else\\b|await\\b|throw\\b|case\\b|yield\\b|delete\\b|typeof\\b)(?:[\\w$<>\\[\\],*&:?]+\\s+)+[*&]*${n}\\s*\\([^;]*$`);
  return [
    (l) => {
      const m = keyword.exec(l);
      return m ? (KEYWORD_KIND[m[1]!] ?? 'definition') : undefined;
    },
    (l) => (goMethod.test(l) ? 'method' : undefined),
    (l) => {
      const m = variable.exec(l);
      return m ? (assigned.test(l) ? 'function' : 'variable') : undefined;
    },
    (l) => (assigned.test(l) ? 'function' : undefined),
    (l) => (method.test(l) && !/^\s*(if|for|while|switch|catch|with|function)\b/.test(l) ? 'method' : undefined),
    (l) => (typed.test(l) ? 'function' : undefined),
  ];
}

/** Definitions of `name` in one file's text. */
export function findSymbolsInText(text: string, name: string, filePath: string): SymbolMatch[] {
  if (!text.includes(name.split(/\.|::|#/).filter(Boolean).pop() ?? name)) return [];
  const matchers = symbolMatchers(name);
  const out: SymbolMatch[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    for (const m of matchers) {
      const kind = m(line);
      if (kind) {
        out.push({ path: filePath, line: i + 1, kind, text: line.trim().slice(0, 300) });
        break;
      }
    }
  }
  return out;
}

export function hasSymbolExtension(p: string): boolean {
  const dot = p.lastIndexOf('.');
  return dot >= 0 && SYMBOL_FILE_EXTENSIONS.has(p.slice(dot + 1).toLowerCase());
}
