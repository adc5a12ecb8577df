// `@arc` in the Chat view: the request → RunRequest mapping, in plain Node (the host here has no chat
// provider, so the participant itself is not verified in a live Chat view).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatRequestToSpec, PARTICIPANT_COMMANDS } from '../../src/vscode/participant/mapping';

test('slash commands pick the mode; no command leaves it to arc.mode and the router', () => {
  assert.deepEqual(PARTICIPANT_COMMANDS, { instant: 'instant', reason: 'reasoning', agent: 'agentic' });
  assert.equal(chatRequestToSpec({ prompt: 'hi', command: 'instant' }).modeOverride, 'instant');
  assert.equal(chatRequestToSpec({ prompt: 'prove it', command: 'reason' }).modeOverride, 'reasoning');
  assert.equal(chatRequestToSpec({ prompt: 'fix the build', command: 'agent' }).modeOverride, 'agentic');
  assert.equal(chatRequestToSpec({ prompt: 'hi' }).modeOverride, undefined);
  assert.equal(chatRequestToSpec({ prompt: 'hi', command: 'unknown' }).modeOverride, undefined);
  const spec = chatRequestToSpec({ prompt: '  what is a monad?  ' });
  assert.equal(spec.query, 'what is a monad?');
  assert.equal(spec.source, 'chat');
  assert.equal(spec.history, undefined);
  assert.equal(spec.context, undefined);
});

test('earlier turns become history (question and answer); references become attachments', () => {
  const spec = chatRequestToSpec(
    { prompt: 'and in Rust?', references: [{ name: 'src/a.ts', text: 'const a = 1;', language: 'typescript' }] },
    [
      { kind: 'request', prompt: 'how do I read a file in TypeScript?' },
      { kind: 'response', text: 'Use fs.readFile.' },
      { kind: 'request', prompt: 'this one got no answer' },
    ],
  );
  assert.deepEqual(spec.history, [
    { role: 'user', content: 'how do I read a file in TypeScript?' },
    { role: 'assistant', content: 'Use fs.readFile.' },
  ]);
  assert.deepEqual(spec.context, { attachments: [{ name: 'src/a.ts', text: 'const a = 1;', language: 'typescript' }] });
});
