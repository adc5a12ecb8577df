// Builds data/router/queries.jsonl from the hand-written files in tools/router/dataset/.
//   node tools/router/build-dataset.mjs
// Items of a `parallel` file are translations of one shared list; the Nth item of every parallel
// file gets the group xl-N, so translations of one query fall on the same side of the split.
import { writeFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expand } from './dataset/dsl.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dir = path.join(here, 'dataset');
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'dsl.mjs').sort();
const all = [];
for (const f of files) {
  const mod = await import(path.join(dir, f));
  const rows = expand(mod.lang, mod.entries, f);
  rows.forEach((r, i) => {
    if (mod.parallel && !r.group && i < 40) r.group = `xl-${i}`;
  });
  all.push(...rows);
}
const seen = new Map();
for (const r of all) {
  const key = r.query.trim().toLowerCase();
  if (seen.has(key)) throw new Error(`duplicate query: ${r.query}`);
  seen.set(key, r);
}
const lines = all.map((r) => {
  const o = { query: r.query, context: r.context, mode: r.mode, intent: r.intent, lang: r.lang === 'multi' ? r.group.split('-')[0] : r.lang };
  if (r.group) o.group = r.group;
  return JSON.stringify(o);
});
writeFileSync(path.join(root, 'data/router/queries.jsonl'), lines.join('\n') + '\n');
const out = lines.map((l) => JSON.parse(l));
const tally = (k) => Object.entries(out.reduce((a, r) => ((a[r[k]] = (a[r[k]] ?? 0) + 1), a), {})).map(([a, b]) => `${a} ${b}`).join(', ');
console.log(`${all.length} queries: ${tally('mode')}; ${tally('intent')}; ${tally('lang')}`);
