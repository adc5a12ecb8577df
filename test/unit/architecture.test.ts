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
