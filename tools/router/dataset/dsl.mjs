// Shorthand for writing labeled router queries by hand. The canonical data set is the generated
// data/router/queries.jsonl; these files are how it is written and reviewed.
//
// An entry is [label, ctx, query] or [label, ctx, query, group]:
//   label: I|R|A (instant | reasoning | agentic) followed by A|E (answer | edit), e.g. "RA"
//   ctx:   space-separated: p|i|s|c (palette | inline | sidebar | chat), L<n> selected lines,
//          D<n> diagnostics, and a language id (ts, py, … or a full VS Code id); "-" for nothing.
const MODES = { I: 'instant', R: 'reasoning', A: 'agentic' };
const INTENTS = { A: 'answer', E: 'edit' };
const SOURCES = { p: 'palette', i: 'inline', s: 'sidebar', c: 'chat' };
const LANGS = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', py: 'python', rs: 'rust',
  go: 'go', java: 'java', kt: 'kotlin', cs: 'csharp', cpp: 'cpp', c: 'c', rb: 'ruby', php: 'php', swift: 'swift',
  sql: 'sql', sh: 'shellscript', yaml: 'yaml', json: 'json', md: 'markdown', html: 'html', css: 'css',
  scss: 'scss', vue: 'vue', dart: 'dart', scala: 'scala', ex: 'elixir', lua: 'lua', r: 'r', hs: 'haskell',
  tf: 'terraform', docker: 'dockerfile', toml: 'toml', xml: 'xml', svelte: 'svelte', zig: 'zig', sol: 'solidity',
  ps1: 'powershell', clj: 'clojure', ml: 'ocaml', jl: 'julia', nim: 'nim', proto: 'proto', gql: 'graphql',
};

export function parseCtx(s) {
  const ctx = {};
  for (const t of s.split(/\s+/).filter((x) => x && x !== '-')) {
    if (t.length === 1 && SOURCES[t]) ctx.source = SOURCES[t];
    else if (/^L\d+$/.test(t)) ctx.selectionLines = Number(t.slice(1));
    else if (/^D\d+$/.test(t)) ctx.diagnostics = Number(t.slice(1));
    else if (/^[a-z0-9+#]+$/.test(t)) ctx.language = LANGS[t] ?? t;
    else throw new Error(`bad ctx token ${t} in "${s}"`);
  }
  return ctx;
}

export function expand(lang, entries, file) {
  return entries.map((e, i) => {
    const [label, ctx, query, group] = e;
    const mode = MODES[label?.[0]];
    const intent = INTENTS[label?.[1]];
    if (!mode || !intent || label.length !== 2) throw new Error(`${file}#${i}: bad label ${label}`);
    if (typeof query !== 'string' || !query.trim()) throw new Error(`${file}#${i}: empty query`);
    const o = { query: query.replace(/^\n/, ''), context: parseCtx(ctx), mode, intent, lang };
    if (group) o.group = group;
    return o;
  });
}

/**
 * Variants of one template. All share a group, so the held-back split keeps them together and
 * no near-duplicate can leak from training into evaluation.
 */
export function variants(group, label, ctxs, template, fills) {
  return fills.map((f, i) => {
    const vals = Array.isArray(f) ? f : [f];
    const q = template.replace(/\$(\d)/g, (_, k) => vals[Number(k) - 1]);
    return [label, ctxs[i % ctxs.length], q, group];
  });
}
