// Builds the bundles: the extension (tiny, loaded at activation), its lazily loaded runtime
// (engine + editor side, loaded on first command), the CLI and the benchmarks (never in the VSIX).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  external: ['vscode'],
  define: { ARC_VERSION: JSON.stringify(pkg.version) },
};

// zod's namespace re-exports every locale (~250 KB minified); the webview only ever shows English
// messages, so its bundle gets the English one in their place.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]/.test(a.importer) ? { path: path.resolve(path.dirname(a.importer), '../locales/en.js') } : undefined,
    );
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts', runtime: 'src/vscode/runtime.ts' }, outdir: 'dist' },
  {
    ...common,
    // evalSimulator: the §8 simulator as a module, loaded by `arc eval --simulator` (kept out of cli.js).
    entryPoints: { cli: 'src/cli/main.ts', bench: 'bench/index.ts', simulator: 'bench/sim/serve.ts', evalSimulator: 'bench/sim/simulator.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The sidebar's page: a browser bundle the webview loads under a strict CSP (no Node, no vscode);
    // evalReport: the evaluation report's charts (Observable Plot), inlined into report.html.
    entryPoints: { webview: 'webview/main.ts', evalReport: 'webview/evalReport.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: true,
    sourcemap: false,
    logLevel: 'info',
    legalComments: 'none',
    plugins: [zodEnglishOnly],
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
