// The editor's own models (vscode.lm) behind the model seam, with fake editor objects: messages,
// streaming, stop sequences, cancellation, error mapping, usage from countTokens, and effort as a
// prompt instruction (DESIGN §4: no usage and no effort controls in vscode.lm).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelError } from '../../src/core/model/errors';
import { Engine } from '../../src/engine/engine';
import { FixedModeRouter } from '../../src/core/run/seams';
import { EffortEstimates } from '../../src/effort/estimator';
import { LmChatModel, toLmMessages, type LmRuntime } from '../../src/vscode/lm/lmChatModel';
import { collect } from './helpers';

type FakeMessage = { role: 'user' | 'assistant'; text: string };

function runtime(log: { cancelled: number }): LmRuntime {
  return {
    user: (text) => ({ role: 'user', text }) as never,
    assistant: (text) => ({ role: 'assistant', text }) as never,
    cancellation: () => {
      let cancelled = false;
      return {
        token: { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose() {} }) } as never,
        cancel: () => {
          cancelled = true;
          log.cancelled++;
        },
        dispose: () => undefined,
      };
    },
  };
}

function fakeChat(pieces: string[] | (() => AsyncIterable<string>), opts: { fail?: { code: string; message: string }; delayMs?: number } = {}) {
  const sent: FakeMessage[][] = [];
  const chat = {
    id: 'copilot-gpt',
    async sendRequest(messages: FakeMessage[]) {
      sent.push(messages);
      if (opts.fail) throw Object.assign(new Error(opts.fail.message), { code: opts.fail.code });
      const text = typeof pieces === 'function' ? pieces() : (async function* () {
        for (const p of pieces) {
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
          yield p;
        }
      })();
      return { text };
    },
    async countTokens(text: string) {
      return text.split(/\s+/).filter(Boolean).length;
    },
  };
  return { chat, sent };
}

test('vscode.lm: system text leads the first user turn; text streams; usage comes from countTokens', async () => {
  const log = { cancelled: 0 };
  const { chat, sent } = fakeChat(['Hello ', 'there, ', 'friend.']);
  const model = new LmChatModel(chat as never, runtime(log));
  assert.equal(model.id, 'vscode-lm/copilot-gpt');
  const out = await collect(model.stream({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }));
  assert.equal(out.text, 'Hello there, friend.');
  assert.deepEqual(sent[0], [{ role: 'user', text: 'Be brief.\n\nHi' }]);
  const usage = out.parts.find((p) => p.type === 'usage');
  assert.deepEqual(usage && usage.type === 'usage' ? usage.usage : undefined, { prompt: 3, completion: 3, reasoning: 0 });
});

test('vscode.lm: a stop sequence ends the stream there (the spawn tag form relies on it)', async () => {
  const log = { cancelled: 0 };
  const { chat } = fakeChat(['<spawn><thread>a</thr', 'ead></spawn> and more']);
  const out = await collect(new LmChatModel(chat as never, runtime(log)).stream({ messages: [{ role: 'user', content: 'x' }], stop: ['</spawn>'] }));
  assert.equal(out.text, '<spawn><thread>a</thread>');
  assert.equal(log.cancelled, 1);
});

test('vscode.lm: cancelling mid-stream cancels the editor request and throws a cancellation', async () => {
  const log = { cancelled: 0 };
  const { chat } = fakeChat(Array.from({ length: 50 }, (_, i) => `w${i} `), { delayMs: 5 });
  const ac = new AbortController();
  const out = await collect(new LmChatModel(chat as never, runtime(log)).stream({ messages: [{ role: 'user', content: 'x' }] }, ac.signal), (p) => {
    if (p.type === 'text' && p.text.startsWith('w3')) ac.abort();
  });
  assert.ok(out.error instanceof ModelError && out.error.kind === 'cancelled');
  assert.equal(log.cancelled, 1);
  assert.ok(out.text.length < 40);
});

test('vscode.lm: editor errors become errors a person can act on', async () => {
  for (const [code, kind] of [['NoPermissions', 'auth'], ['NotFound', 'not_found'], ['Blocked', 'rate_limited'], ['Other', 'server']] as const) {
    const { chat } = fakeChat([], { fail: { code, message: 'nope.' } });
    const out = await collect(new LmChatModel(chat as never, runtime({ cancelled: 0 })).stream({ messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(out.error?.kind, kind, code);
    assert.match(out.error!.message, /vscode-lm\/copilot-gpt/);
  }
});

test('vscode.lm: tool turns become text; a trailing system note still reaches the model', () => {
  const msgs = toLmMessages(
    [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, toolCalls: [] },
      { role: 'tool', toolCallId: 't', content: '{"results":[]}' },
      { role: 'system', content: 'late note' },
    ],
    runtime({ cancelled: 0 }),
  ) as unknown as FakeMessage[];
  assert.deepEqual(msgs, [
    { role: 'user', text: 'q' },
    { role: 'assistant', text: '' },
    { role: 'user', text: 'Tool result:\n{"results":[]}' },
    { role: 'user', text: 'late note' },
  ]);
});

test('effort on an editor model is a prompt instruction scaled by the slider', async () => {
  const instructions: string[] = [];
  for (const effort of [0.5, 2]) {
    const { chat, sent } = fakeChat(['An answer.']);
    const model = new LmChatModel(chat as never, runtime({ cancelled: 0 }));
    const engine = new Engine({ models: { forRole: () => model }, router: new FixedModeRouter('reasoning'), estimates: await EffortEstimates.load(undefined), progressIntervalMs: 0 });
    const events = [];
    for await (const e of engine.run({ query: 'Why is the sky blue?', effort, parallel: { spawn: false } })) events.push(e);
    const budget = events.find((e) => e.type === 'run.budget');
    assert.ok(budget && budget.type === 'run.budget');
    assert.equal(budget.data.enforcement, 'instruction');
    assert.equal(events.at(-1)!.type, 'run.finished');
    instructions.push(sent[0]![0]!.text);
    assert.match(sent[0]![0]!.text, new RegExp(`spend about ${budget.data.reasoning} tokens of reasoning \\(${effort}×`));
  }
  assert.match(instructions[0]!, /Keep your thinking short/);
  assert.match(instructions[1]!, /more thoroughly than usual/);
});
