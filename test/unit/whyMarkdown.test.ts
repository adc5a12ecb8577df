import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWhyMarkdown } from '../../src/vscode/whyMarkdown';

const decision = (mode: 'instant' | 'reasoning' | 'agentic') => ({
  mode,
  intent: 'answer' as const,
  confidence: 0.8,
  probabilities: { instant: 0.1, reasoning: 0.8, agentic: 0.1 },
  reason: 'a reason.',
});

test('explains the decision with probabilities, scores, signals and what was learned', () => {
  const md = renderWhyMarkdown({
    query: 'why is it slow?\nmore',
    decision: decision('reasoning'),
    modelOnly: decision('instant'),
    scores: { instant: 0.5, reasoning: 0.71234, agentic: 0.2 },
    signals: ["'why' question", 'numbers'],
    learned: { instant: -1, reasoning: 2, agentic: -1 },
  });
  assert.match(md, /^# Why reasoning\?\n\n> why is it slow\?\n/);
  assert.match(md, /\| \*\*reasoning\*\* \| 80% \| 0\.712 \|/);
  assert.match(md, /Strongest signals: 'why' question, numbers\./);
  assert.match(md, /instant -1\.0, reasoning \+2\.0, agentic -1\.0 \(log-odds\)\. The model alone would pick instant\./);
  const fresh = renderWhyMarkdown({ query: 'q', decision: decision('instant'), modelOnly: decision('instant'), scores: { instant: 1, reasoning: 0, agentic: 0 }, signals: [], forced: 'instant' });
  assert.match(fresh, /Nothing learned yet/);
  assert.match(fresh, /You chose instant for this run/);
});
