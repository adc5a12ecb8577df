// The shipped weights: small, loadable, reproducible from the data set by the trainer, and the
// trainer stays out of every runtime bundle.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { MODES, modelFromWeights, shippedModel, type WeightsFile } from '../../src/router/model';
import { DIM } from '../../src/router/features';
import { buildArtifacts, isHeldBack, parseDataset } from '../../src/router/train/trainer';

const ROOT = path.resolve(__dirname, '../../..');
const WEIGHTS = path.join(ROOT, 'src/router/weights.json');
const DATA = path.join(ROOT, 'data/router/queries.jsonl');
const REPORT = path.join(ROOT, 'data/router/REPORT.md');

test('weights.json is at most 300 KB and fits this build', () => {
  assert.ok(statSync(WEIGHTS).size <= 300 * 1024, `${statSync(WEIGHTS).size} bytes`);
  const w = JSON.parse(readFileSync(WEIGHTS, 'utf8')) as WeightsFile;
  const model = modelFromWeights(w);
  assert.equal(model.modeWeights.length, MODES.length * DIM);
  assert.equal(shippedModel(), shippedModel(), 'parsed once, then cached');
});

test('weights made for other features are refused', () => {
  const w = JSON.parse(readFileSync(WEIGHTS, 'utf8')) as WeightsFile;
  assert.throws(() => modelFromWeights({ ...w, featureVersion: w.featureVersion + 1 }), /retrain/);
  assert.throws(() => modelFromWeights({ ...w, signals: w.signals.slice(1) }), /retrain/);
});

test('the data set is well-formed, multilingual, and its split keeps groups together', () => {
  const examples = parseDataset(readFileSync(DATA, 'utf8'));
  assert.ok(examples.length >= 600);
  const langs = new Set(examples.map((e) => e.lang));
  for (const l of ['en', 'de', 'fr', 'es', 'pt', 'zh', 'ja', 'ru']) assert.ok(langs.has(l), l);
  for (const m of MODES) assert.ok(examples.some((e) => e.mode === m));
  const side = new Map<string, boolean>();
  for (const e of examples) {
    const h = isHeldBack(e);
    assert.equal(side.get(e.group) ?? h, h, `group ${e.group} is split`);
    side.set(e.group, h);
  }
  assert.throws(() => parseDataset('{"query":"x","mode":"fast","intent":"answer"}'), /queries\.jsonl:1: mode/);
});

test('the trainer reproduces the shipped weights and report byte for byte', () => {
  const a = buildArtifacts(readFileSync(DATA, 'utf8'));
  assert.ok(a.weightsJson === readFileSync(WEIGHTS, 'utf8'), 'src/router/weights.json is stale: run the trainer (src/router/README.md)');
  assert.ok(a.report === readFileSync(REPORT, 'utf8'), 'data/router/REPORT.md is stale: run the trainer');
  assert.ok(a.heldBack.n > 0 && a.counts.heldBack + a.counts.train === a.counts.total);
});

test('no runtime code imports the trainer', () => {
  const src = path.join(ROOT, 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
    );
  const trainDir = path.join(src, 'router/train');
  const offenders: string[] = [];
  for (const f of files(src)) {
    if (f.startsWith(trainDir + path.sep)) continue;
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      let spec: string | undefined;
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) spec = node.moduleSpecifier.text;
      else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) spec = node.arguments[0].text;
      if (spec && spec.startsWith('.') && path.resolve(path.dirname(f), spec).startsWith(trainDir)) offenders.push(path.relative(ROOT, f));
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  assert.deepEqual(offenders, []);
});
