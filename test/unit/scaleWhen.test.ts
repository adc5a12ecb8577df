// When reasoning mode decomposes with SCALE: `on`/`off` are obeyed; `auto` decomposes requests that
// look multi-step (length, listed parts, sequencing words, several quantities in a calculation) in
// several languages, and not short questions or a short instruction about pasted code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCORE_THRESHOLD, shouldUseScale } from '../../src/effort/scale/when';

const MULTI_STEP: Array<[string, string]> = [
  [
    'en word problem',
    'A train leaves the station at 3 pm at 60 km/h. A second train leaves the same station at 4 pm at 80 km/h on the same track. ' +
      'How far from the station does the second train catch up with the first, and at what time?',
  ],
  ['en numbered parts', 'Write a Node CLI tool that:\n1. reads a CSV file given as an argument\n2. groups the rows by the "region" column\n3. prints the total of "amount" per region, sorted descending'],
  ['en sequence, coding', 'First parse the nginx access log, then group the failed requests by endpoint, and finally write a summary table with counts and the slowest request of each group.'],
  ['en lettered parts inline', 'Given the function below, (a) find its time complexity, (b) rewrite it without recursion, and (c) explain which inputs make it slow in practice.'],
  ['de word problem', 'Ein Händler kauft 120 Äpfel für 0,30 € pro Stück und verkauft 85 davon für 0,50 € pro Stück. Den Rest verkauft er zum halben Preis. Wie viel Gewinn macht er insgesamt?'],
  ['es sequence', 'Primero lee el archivo de configuración, luego valida cada entrada contra el esquema y después genera un informe con los errores encontrados, ordenados por gravedad.'],
  ['fr sequence', "D'abord, calcule la moyenne des notes de chaque élève, puis classe les élèves par moyenne, et enfin donne le nom des trois meilleurs élèves de la classe."],
  ['ru word problem', 'В магазине было 240 яблок. В первый день продали 35 яблок, во второй день в 2 раза больше. Сколько яблок осталось в магазине после двух дней?'],
  ['zh sequence + quantities', '小明有 3 个苹果，小红的苹果是小明的 2 倍，小刚比小红多 5 个。首先算出小红有几个苹果，然后算出三人一共有多少个苹果？'],
  ['ja sequence', 'まず設定ファイルを読み込み、次に各項目を検証して、それからエラーの一覧を重要度の順に出力するスクリプトを書いてください。'],
];

const ONE_STEP: Array<[string, string]> = [
  ['short question', 'What is a closure in JavaScript?'],
  ['short arithmetic', 'What is 17 * 23 + 4?'],
  ['explain', 'Explain the difference between let and const in TypeScript, with a short example of each.'],
  [
    'fix this + long paste',
    'Fix this bug please\n```ts\n' + Array.from({ length: 40 }, (_, i) => `const v${i} = compute(${i}, ${i * 2}) + ${i * 3}; // then next`).join('\n') + '\n```',
  ],
  ['de short', 'Warum ist mein Build so langsam geworden?'],
  ['zh short', '什么是闭包？请简单解释一下。'],
  [
    'long but one idea',
    'I have been reading about how garbage collection works in modern JavaScript engines and I am curious about the general idea behind ' +
      'generational collection and why engines bother to separate young objects from old ones in the heap at all.',
  ],
];

test('auto: multi-step requests in several languages use SCALE', () => {
  for (const [name, query] of MULTI_STEP) {
    const c = shouldUseScale('auto', query);
    assert.equal(c.use, true, `${name}: ${c.reason} (score ${c.score})`);
    assert.ok(c.score >= SCORE_THRESHOLD);
    assert.match(c.reason, /^looks multi-step: /);
  }
});

test('auto: one-step requests do not, and a pasted code block is not read as the request', () => {
  for (const [name, query] of ONE_STEP) {
    const c = shouldUseScale('auto', query);
    assert.equal(c.use, false, `${name}: ${c.reason} (score ${c.score})`);
  }
  assert.match(shouldUseScale('auto', 'What is a closure?').reason, /short \(4 words of prose\)/);
});

test('on and off are obeyed whatever the request', () => {
  assert.equal(shouldUseScale('on', 'hi').use, true);
  assert.equal(shouldUseScale('off', MULTI_STEP[0]![1]).use, false);
  assert.match(shouldUseScale('off', 'x').reason, /off/);
});

test("the router's signals add evidence: enumeration and math", () => {
  const query = 'The warehouse holds 40 boxes of 12 items and 15 crates of 30 items; we ship out the contents of 9 boxes.';
  const plain = shouldUseScale('auto', query);
  const withMath = shouldUseScale('auto', 'Our warehouse holds 40 boxes with 12 items and 15 crates with 30 items; we ship out 9 boxes this week.', { signals: ['math'] });
  assert.ok(withMath.score >= 3, withMath.reason);
  assert.ok(plain.cues.some((c) => /quantities/.test(c)));
  const listy = 'Compare the two approaches for caching we discussed and pick the one that suits a read-heavy service better.';
  assert.equal(shouldUseScale('auto', listy, { signals: ['enumeration'] }).score, shouldUseScale('auto', listy).score + 1);
});

test('pure: the same input gives the same answer, and accents or case do not matter', () => {
  const q = MULTI_STEP[5]![1];
  assert.deepEqual(shouldUseScale('auto', q), shouldUseScale('auto', q));
  const unaccented = shouldUseScale('auto', 'PRIMERO lee el archivo, LUEGO valida cada entrada y DESPUES genera un informe con los errores');
  assert.ok(unaccented.cues.some((c) => /sequencing words/.test(c) && /despues/.test(c)), unaccented.reason);
});
