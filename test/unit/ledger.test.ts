import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costOf, priceFor, UsageLedger } from '../../src/core/run/ledger';

test('prices: configured by full id, then by model name, then defaults', () => {
  const prices = { 'local/m': { input: 1, output: 2 }, m2: { input: 3, output: 4 } };
  assert.deepEqual(priceFor('local/m', prices), { input: 1, output: 2 });
  assert.deepEqual(priceFor('other/m2', prices), { input: 3, output: 4 });
  assert.deepEqual(priceFor('openai/gpt-4o-mini', {}), { input: 0.15, output: 0.6 });
  assert.equal(priceFor('x/unknown', prices), undefined);
  assert.equal(priceFor('x/toString', {}), undefined, 'no prototype keys');
});

test('cost counts prompt as input and completion (reasoning included) as output', () => {
  assert.equal(costOf('m', { prompt: 1_000_000, completion: 500_000, reasoning: 400_000 }, { m: { input: 1, output: 4 } }), 3);
});

test('ledger sums per model; an unpriced model with usage makes the total unknown', () => {
  const l = new UsageLedger({ a: { input: 1, output: 1 } });
  assert.equal(l.add('e/a', { prompt: 10, completion: 5, reasoning: 2 }), 15 / 1e6);
  l.add('e/a', { prompt: 1, completion: 1, reasoning: 0 });
  assert.deepEqual(l.total(), { prompt: 11, completion: 6, reasoning: 2 });
  assert.equal(l.cost(), 17 / 1e6);
  l.add('e/b', { prompt: 0, completion: 0, reasoning: 0 });
  assert.equal(l.cost(), 17 / 1e6, 'an unpriced model that used nothing costs nothing');
  l.add('e/b', { prompt: 3, completion: 0, reasoning: 0 });
  assert.equal(l.cost(), null);
});
