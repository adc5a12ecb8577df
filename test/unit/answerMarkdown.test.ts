import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderAnswerMarkdown } from '../../src/vscode/answerMarkdown';

test('a finished answer shows mode, model, reasoning, answer and usage', () => {
  const md = renderAnswerMarkdown({
    query: 'Why?', answer: 'Because.', reasoning: 'thinking', status: 'finished', mode: 'instant', model: 'loop/m',
    usage: { prompt: 3, completion: 2, reasoning: 1 }, cost: null,
  });
  assert.match(md, /^# Why\?\n/);
  assert.match(md, /_instant mode · model `loop\/m`_/);
  assert.match(md, /<details><summary>Reasoning<\/summary>\n\nthinking/);
  assert.match(md, /Because\./);
  assert.match(md, /3 prompt \+ 2 completion tokens \(1 reasoning\) · cost unknown/);
});

test('a failed run marks the partial answer and shows the error', () => {
  const md = renderAnswerMarkdown({ query: 'q', answer: 'half', reasoning: '', status: 'failed', error: 'cut' });
  assert.match(md, /half[\s\S]*\*\*Partial answer — Error:\*\* cut/);
  const none = renderAnswerMarkdown({ query: 'q', answer: '', reasoning: '', status: 'cancelled' });
  assert.match(none, /\*\*Cancelled\.\*\*/);
});

test('a long multi-line query becomes a one-line title', () => {
  const md = renderAnswerMarkdown({ query: `${'x'.repeat(200)}\nsecond`, answer: '', reasoning: '', status: 'running' });
  const title = md.split('\n')[0]!;
  assert.ok(title.length <= 122);
  assert.match(md, /Waiting for the answer/);
});

test('answers from the simulator say so', () => {
  const md = renderAnswerMarkdown({ query: 'q', answer: 'a', reasoning: '', status: 'finished', simulated: true });
  assert.match(md, /\*\*Simulated model\*\* — these answers come from ARC's simulator, not a language model/);
  assert.doesNotMatch(renderAnswerMarkdown({ query: 'q', answer: 'a', reasoning: '', status: 'finished' }), /Simulated/);
});
