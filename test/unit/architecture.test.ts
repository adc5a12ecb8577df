// DESIGN §2: only src/vscode/ and src/extension.ts may import `vscode` at runtime, and no module may
// use the vscode API at load time. The TypeScript compiler API reads the imports, so comments and
// strings cannot fool the check.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
}

/** Runtime imports of `vscode`: import declarations that are not type-only, `import x = require`, and require() calls. */
export function runtimeVscodeImports(source: string): number {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'vscode') {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly || (clause?.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly) && !clause.name);
      if (!typeOnly) count++;
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e) && e.text === 'vscode' && !node.isTypeOnly) count++;
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const [arg] = node.arguments;
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && arg && ts.isStringLiteral(arg) && arg.text === 'vscode') count++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return count;
}

test('the checker itself sees runtime imports and ignores type-only ones', () => {
  assert.equal(runtimeVscodeImports("import * as vscode from 'vscode';"), 1);
  assert.equal(runtimeVscodeImports("import { window } from 'vscode';"), 1);
  assert.equal(runtimeVscodeImports("const v = require('vscode');"), 1);
  assert.equal(runtimeVscodeImports("const v = await import('vscode');"), 1);
  assert.equal(runtimeVscodeImports("import type * as vscode from 'vscode';"), 0);
  assert.equal(runtimeVscodeImports("import { type Uri } from 'vscode';"), 0);
  assert.equal(runtimeVscodeImports("// import * as vscode from 'vscode'\nconst s = \"require('vscode')\";"), 0);
});

test('only src/vscode/** and src/extension.ts import vscode at runtime', () => {
  const offenders = files(SRC)
    .filter((f) => {
      const rel = path.relative(SRC, f).split(path.sep).join('/');
      return !(rel === 'extension.ts' || rel.startsWith('vscode/'));
    })
    .filter((f) => runtimeVscodeImports(readFileSync(f, 'utf8')) > 0)
    .map((f) => path.relative(SRC, f));
  assert.deepEqual(offenders, []);
});

test('the CLI bundle does not contain a require of vscode', () => {
  const cli = readFileSync(path.resolve(SRC, '../dist/cli.js'), 'utf8');
  assert.doesNotMatch(cli, /require\(["']vscode["']\)/);
});

// ---- DESIGN §2 layer table ------------------------------------------------------------------------
// Every relative import (static, `export … from`, `import type`, `import('…')` types, require and
// dynamic import) is an edge; an edge between two folders must be listed in the table below, and the
// graph over src/ must have no cycle.

const ROOT = path.resolve(SRC, '..');

/** DESIGN §2: what each folder may import (besides itself). `extension` is src/extension.ts. */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  router: ['core'],
  effort: ['core'],
  parallel: ['core'],
  edit: ['core'],
  agent: ['core', 'edit'],
  engine: ['core', 'router', 'effort', 'parallel', 'agent'],
  eval: ['core', 'router', 'effort', 'parallel', 'agent', 'edit', 'engine'],
  protocol: ['core'],
  cli: ['core', 'router', 'effort', 'parallel', 'agent', 'edit', 'engine', 'eval', 'protocol'],
  vscode: ['core', 'router', 'effort', 'parallel', 'agent', 'edit', 'engine', 'eval', 'protocol', 'cli'],
  // activate() registers commands and views and loads the rest lazily through vscode/runtime.
  extension: ['vscode', 'core'],
  // A browser bundle: protocol, and core for types only (checked below).
  webview: ['protocol', 'core'],
};

export interface ImportEdge {
  /** Resolved target, relative to the repository root, without extension (as written). */
  target: string;
  typeOnly: boolean;
}

/** Relative imports of one source text, resolved against `fromFile` (a path relative to the repo root). */
export function relativeImports(source: string, fromFile: string): ImportEdge[] {
  const sf = ts.createSourceFile(fromFile, source, ts.ScriptTarget.ES2022, true);
  const out: ImportEdge[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    if (spec.startsWith('.')) out.push({ target: path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec)), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const [arg] = node.arguments;
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if ((isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) && arg && ts.isStringLiteral(arg)) add(arg.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The layer a repo-relative path belongs to: `src/<folder>/…` → folder, `src/extension.ts` → extension, `webview/…` → webview. */
export function layerOf(rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts[0] === 'webview') return 'webview';
  if (parts[0] !== 'src') return undefined;
  if (parts.length === 2) return parts[1]!.replace(/\.ts$/, '');
  return parts[1];
}

/** Edges that break the layer table, as "from -> to" lines. */
export function layerViolations(sources: ReadonlyMap<string, string>): string[] {
  const bad: string[] = [];
  for (const [file, text] of sources) {
    const from = layerOf(file);
    if (!from) continue;
    for (const { target, typeOnly } of relativeImports(text, file)) {
      const to = layerOf(target);
      if (to === from) continue;
      const allowed = LAYERS[from] ?? [];
      const ok = to !== undefined && allowed.includes(to) && !(from === 'webview' && to === 'core' && !typeOnly);
      if (!ok) bad.push(`${file} -> ${target}${typeOnly ? ' (type-only)' : ''}`);
    }
  }
  return bad.sort();
}

/** Import cycles among the given files (strongly connected components of more than one file, or a self-import). */
export function importCycles(sources: ReadonlyMap<string, string>): string[][] {
  const resolve = (target: string): string | undefined =>
    [`${target}`, `${target}.ts`, `${target}/index.ts`].find((c) => sources.has(c));
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    graph.set(file, relativeImports(text, file).map((e) => resolve(e.target)).filter((t): t is string => t !== undefined));
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return cycles;
}

function readTree(dir: string): Map<string, string> {
  const abs = path.join(ROOT, dir);
  const all = files(abs);
  return new Map(all.map((f) => [path.relative(ROOT, f).split(path.sep).join('/'), readFileSync(f, 'utf8')]));
}

test('the layer checker sees wrong-way imports, type-only ones included, and cycles', () => {
  const tree = new Map([
    ['src/router/a.ts', "import type { RunRequest } from '../engine/x';"],
    ['src/engine/x.ts', "import { decide } from '../router/a';\nexport type { Y } from './y';"],
    ['src/engine/y.ts', "import { X } from './x';"],
    ['webview/main.ts', "import type { Mode } from '../src/core/run/events';\nimport { clamp } from '../src/core/config/c';"],
  ]);
  assert.deepEqual(layerViolations(tree), [
    'src/router/a.ts -> src/engine/x (type-only)',
    'webview/main.ts -> src/core/config/c',
  ]);
  assert.deepEqual(importCycles(tree), [['src/engine/x.ts', 'src/engine/y.ts', 'src/router/a.ts']]);
});

test('every import follows the layer table of DESIGN §2 (type-only imports included)', () => {
  const tree = new Map([...readTree('src'), ...readTree('webview')]);
  assert.deepEqual(layerViolations(tree), []);
});

test('there is no import cycle anywhere in src/', () => {
  assert.deepEqual(importCycles(readTree('src')), []);
});

test('no source file in src/ or webview/ is over 600 lines (DESIGN §2: split by concern)', () => {
  const long = [...readTree('src'), ...readTree('webview')]
    .map(([file, text]) => ({ file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }))
    .filter((f) => f.lines > 600);
  assert.deepEqual(long, []);
});
