import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThinkSplitter, type SplitPart } from '../../src/core/model/thinkSplitter';

function run(chunks: string[]): { reasoning: string; text: string; saw: boolean } {
  const s = new ThinkSplitter();
  const parts: SplitPart[] = [];
  for (const c of chunks) parts.push(...s.push(c));
  parts.push(...s.flush());
  const join = (t: SplitPart['type']) => parts.filter((p) => p.type === t).map((p) => p.text).join('');
  return { reasoning: join('reasoning'), text: join('text'), saw: s.sawThinkTag };
}

test('splits reasoning out of a single chunk', () => {
  assert.deepEqual(run(['<think>a b</think>\n\nanswer']), { reasoning: 'a b', text: 'answer', saw: true });
});

test('handles tags cut at every possible position', () => {
  const full = '<think>step one, step two</think>The answer is 42.';
  for (let i = 1; i < full.length; i++) {
    for (let j = i + 1; j < full.length; j += 3) {
      const r = run([full.slice(0, i), full.slice(i, j), full.slice(j)]);
      assert.equal(r.reasoning, 'step one, step two', `cut at ${i},${j}`);
      assert.equal(r.text, 'The answer is 42.', `cut at ${i},${j}`);
    }
  }
});

test('one character at a time', () => {
  const r = run([...'  <think>x < y</think>ok']);
  assert.equal(r.reasoning, 'x < y');
  assert.equal(r.text, 'ok');
});

test('text that merely starts like the tag is text', () => {
  assert.deepEqual(run(['<thin', 'g>']), { reasoning: '', text: '<thing>', saw: false });
  assert.deepEqual(run(['<']), { reasoning: '', text: '<', saw: false });
});

test('a tag after the answer started is left in the answer', () => {
  const r = run(['Use ', '<think>', ' tags']);
  assert.equal(r.text, 'Use <think> tags');
  assert.equal(r.reasoning, '');
});

test('an unclosed think block at the end is reasoning, including a held-back partial close tag', () => {
  assert.deepEqual(run(['<think>still going </thi']), { reasoning: 'still going </thi', text: '', saw: true });
});
