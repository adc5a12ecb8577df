// Builds the bundles: the extension (tiny, loaded at activation), its lazily loaded runtime
// (engine + editor side, loaded on first command), the CLI and the benchmarks (never in the VSIX).
import { readFileSync } from 'node:fs';
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

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts', runtime: 'src/vscode/runtime.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts', bench: 'bench/index.ts', simulator: 'bench/sim/serve.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
