// Router features (DESIGN §3.1): each named signal, CJK bigrams, multilingual cues, context, and
// the reuse of buffers that keeps extraction allocation-light.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DIM,
  HASH_SIZE,
  SIGNALS,
  createFeatureVector,
  extractFeatures,
  firedSignals,
  signalLabel,
  type FeatureExplanation,
  type RouteContext,
} from '../../src/router/features';

const fired = (q: string, ctx: RouteContext = {}): Set<string> => new Set(firedSignals(extractFeatures(q, ctx)));
const has = (q: string, signal: string, ctx: RouteContext = {}): boolean => fired(q, ctx).has(signal);

test('every named signal has an English label and a slot after the hash space', () => {
  assert.equal(DIM, HASH_SIZE + SIGNALS.length);
  assert.equal(new Set(SIGNALS).size, SIGNALS.length);
  for (const s of SIGNALS) assert.match(signalLabel(s), /^[\x20-\x7e…]+$/, s);
});

test('code blocks: fenced, or several lines of braces and semicolons', () => {
  assert.ok(has('why?\n```js\nconst a = 1;\n```', 'code_block'));
  assert.ok(has('fix:\nif (x) {\n  y = 2;\n}\n', 'code_block'));
  assert.ok(!has('what is a closure', 'code_block'));
  assert.ok(has('what does `Array.from` do', 'inline_code'));
});

test('stack traces in several runtimes', () => {
  const traces = [
    "TypeError: x is undefined\n    at getUser (src/services/user.ts:42:17)\n    at async handler (src/routes/p.ts:1:2)",
    'Traceback (most recent call last):\n  File "app.py", line 9, in <module>\nZeroDivisionError: division by zero',
    'Exception in thread "main" java.lang.NullPointerException\n\tat com.acme.App.main(App.java:12)',
    'panic: runtime error\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:23 +0x85',
    "thread 'main' panicked at src/main.rs:4:5",
  ];
  for (const t of traces) assert.ok(has(t, 'stack_trace'), t.slice(0, 30));
  assert.ok(!has('at least do it at noon', 'stack_trace'));
  assert.ok(has('TypeError: Cannot read properties of undefined', 'error_text'));
  assert.ok(has('npm ERR! code ERESOLVE', 'error_text'));
});

test('file paths, one or several', () => {
  assert.ok(has('what does src/core/scheduler.ts do', 'file_path'));
  assert.ok(has('open ./scripts/deploy.sh', 'file_path'));
  assert.ok(has('check package.json', 'file_path'));
  assert.ok(has('diff config/prod.yaml and config/staging.yaml', 'many_paths'));
  assert.ok(!has('input/output and true/false', 'file_path'));
});

test('symbol names: camelCase, snake_case, backticks, calls', () => {
  for (const q of ['rename getUser please', 'what is max_retries for', 'rename `tmp`', 'who calls parse() here']) {
    assert.ok(has(q, 'symbol'), q);
  }
  assert.ok(has('rename fooBar, bazQux and snake_case_name', 'many_symbols'));
  assert.ok(!has('rename the variable please', 'symbol'));
});

test('numbers, math and complexity notation', () => {
  assert.ok(has('retry 3 times', 'number'));
  assert.ok(has('what is 2^16', 'math'));
  assert.ok(has('compute 17 * 23', 'math'));
  assert.ok(has('is this O(n log n)?', 'big_o'));
  assert.ok(!has('make it faster', 'math'));
});

test('question vs imperative across languages', () => {
  for (const q of ['why is it slow', 'is this safe?', 'Warum schlagen die Tests fehl', 'pourquoi ça plante ?', '¿qué hace esto?', 'o que essa função faz?', 'почему падают тесты', '这个函数是做什么的吗', 'このエラーはどういう意味ですか']) {
    assert.ok(has(q, 'question'), q);
  }
  for (const q of ['fix the typo', 'please add a null check', 'Füge einen Docstring hinzu', 'ajoute une docstring', 'añade un docstring', 'исправь это', '请修复这个函数', 'これを直して']) {
    assert.ok(has(q, 'imperative'), q);
  }
  assert.ok(!has('fix the typo', 'question'));
  assert.ok(has('could you add a null check?', 'polite'));
  assert.ok(has('bitte alle console.log entfernen', 'polite'));
});

test('multilingual cues fire for the same idea in different languages', () => {
  for (const q of ['why does it fail', 'warum', 'pourquoi', 'por qué falla', 'por que falha', 'почему', '为什么会这样', 'なぜ失敗する']) {
    assert.ok(has(q, 'cue_why'), q);
  }
  for (const q of ['where is the config in this project', 'in welchem Projekt', 'dans le projet', 'en el proyecto', 'no projeto', 'в проекте', '这个项目里', 'このプロジェクトで']) {
    assert.ok(has(q, 'cue_workspace'), q);
  }
  assert.ok(has('rename it everywhere', 'cue_scope_all'));
  assert.ok(has('run the tests', 'cue_run'));
  assert.ok(has('what changed in the last commit', 'cue_git'));
  assert.ok(has('prove it step by step', 'cue_reasoning'));
});

test('length buckets and enumerations', () => {
  assert.ok(has('regex ipv4', 'len_1_3'));
  assert.ok(has('how do I reverse a list', 'len_4_8'));
  assert.ok(has('design a schema: books, members, loans, holds', 'enumeration'));
});

test('CJK text is hashed as character bigrams, Latin text as words and pairs', () => {
  const ex: FeatureExplanation = { tokens: [] };
  extractFeatures('为什么测试失败', {}, createFeatureVector(), ex);
  const pairs = ex.tokens.filter((t) => t.kind === 'cjk-pair').map((t) => t.text);
  assert.deepEqual(pairs, ['为什', '什么', '么测', '测试', '试失', '失败']);
  const ex2: FeatureExplanation = { tokens: [] };
  extractFeatures('Rename the Variable', {}, createFeatureVector(), ex2);
  const words = ex2.tokens.filter((t) => t.kind === 'word').map((t) => t.text);
  const pairs2 = ex2.tokens.filter((t) => t.kind === 'pair').map((t) => t.text);
  assert.deepEqual(words, ['rename', 'variable'], 'lowercased, stopwords not hashed alone');
  assert.deepEqual(pairs2, ['rename the', 'the variable']);
  for (const t of [...ex.tokens, ...ex2.tokens]) assert.ok(t.index >= 0 && t.index < HASH_SIZE);
});

test('case and accents fold: the same words land in the same buckets', () => {
  const a = extractFeatures('Qué hace ESTO', {}, createFeatureVector());
  const b = extractFeatures('que hace esto', {}, createFeatureVector());
  assert.deepEqual([...a.index.subarray(0, a.length)].sort(), [...b.index.subarray(0, b.length)].sort());
});

test('context: selection buckets, diagnostics, source, language', () => {
  assert.ok(has('x', 'sel_none'));
  assert.ok(has('x', 'sel_1', { selectionLines: 1 }));
  assert.ok(has('x', 'sel_2_10', { selectionLines: 7 }));
  assert.ok(has('x', 'sel_11_50', { selectionLines: 30 }));
  assert.ok(has('x', 'sel_51_200', { selectionLines: 120 }));
  assert.ok(has('x', 'sel_201p', { selectionLines: 900 }));
  assert.ok(has('x', 'diag_any', { diagnostics: 1 }));
  assert.ok(has('x', 'diag_many', { diagnostics: ['a', 'b', 'c'] }));
  assert.ok(has('x', 'src_inline', { source: 'inline' }));
  assert.ok(has('x', 'src_other', { source: 'cli' }));
  assert.ok(has('x', 'lang_known', { language: 'typescriptreact' }));
  const ex1: FeatureExplanation = { tokens: [] };
  const ex2: FeatureExplanation = { tokens: [] };
  extractFeatures('x', { language: 'typescriptreact' }, createFeatureVector(), ex1);
  extractFeatures('x', { language: 'typescript' }, createFeatureVector(), ex2);
  const lang = (e: FeatureExplanation) => e.tokens.find((t) => t.kind === 'language')!.index;
  assert.equal(lang(ex1), lang(ex2), 'language aliases share a bucket');
  assert.ok(has('why is this wrong', 'x_deictic_nosel', { source: 'sidebar' }));
  assert.ok(!has('why is this wrong', 'x_deictic_nosel', { source: 'inline' }), 'inline "this" is the cursor');
});

test('allocation-light: the output vector and its arrays are reused, and scratch never leaks between calls', () => {
  const fv = createFeatureVector();
  const { index, value, signals } = fv;
  const first = extractFeatures('why does the build fail in src/a.ts?', { source: 'sidebar' }, fv);
  assert.equal(first, fv);
  const snapshot = [Array.from(fv.index.subarray(0, fv.length)), Array.from(fv.value.subarray(0, fv.length)), Array.from(fv.signals)];
  extractFeatures('```\n' + 'x = 1;\n'.repeat(500) + '```', { selectionLines: 40 }, fv);
  extractFeatures('为什么测试失败', {}, fv);
  extractFeatures('why does the build fail in src/a.ts?', { source: 'sidebar' }, fv);
  assert.equal(fv.index, index);
  assert.equal(fv.value, value);
  assert.equal(fv.signals, signals);
  assert.deepEqual([Array.from(fv.index.subarray(0, fv.length)), Array.from(fv.value.subarray(0, fv.length)), Array.from(fv.signals)], snapshot);
});

test('very long input is capped and stays bounded', () => {
  const fv = extractFeatures('word '.repeat(50_000), {}, createFeatureVector());
  assert.ok(fv.length <= fv.index.length);
  assert.ok(fired('word '.repeat(50_000)).has('len_51p'));
});
