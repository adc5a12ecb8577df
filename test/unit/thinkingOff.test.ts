// Thinking off on every provider (DESIGN §4, issue 16): one scripted model per control of the table,
// each honouring only that control and otherwise thinking 400 tokens, plus one that honours none and
// one that rejects unknown body fields with a 400 (like OpenAI's API). These are ARC's scripted
// loopback servers, not models. Instant answers always arrive; no call streams more than ~16 reasoning
// tokens before it is cut; once the working control is learned, a fresh process sends it first and
// the model streams no reasoning at all.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CapabilityMemory } from '../../src/core/model/capabilityMemory';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { applyControl, chooseControl, reasoningTokensOf, type ThinkingOffControl } from '../../src/core/model/thinkingOff';
import type { StreamPart } from '../../src/core/model/types';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { Engine } from '../../src/engine/engine';
import { startScriptedServer, type Delta, type RecordedRequest, type Script, type ScriptedServer } from '../fixtures/scriptedServer';
import { runArc } from './cliProcess';

let server: ScriptedServer;
before(async () => {
  server = await startScriptedServer();
});
after(() => server.close());

const ANSWER = 'Paris is the capital of France.';

/** The last user turn's text. */
const lastUser = (body: any): string => [...(body.messages ?? [])].reverse().find((m: any) => m.role === 'user')?.content ?? '';

type Honours = (body: any) => boolean;
const HONOURS: Record<string, Honours> = {
  effort_none: (b) => b.reasoning_effort === 'none',
  template_kwargs: (b) => b.chat_template_kwargs?.enable_thinking === false,
  enable_thinking: (b) => b.enable_thinking === false,
  thinking_disabled: (b) => b.thinking?.type === 'disabled',
  no_think: (b) => lastUser(b).includes('/no_think'),
  configured: (b) => b.think === false,
  none: () => false,
  // OpenAI-like: unknown body fields and reasoning_effort "none" are refused; "minimal" is honoured.
  strict: (b) => b.reasoning_effort === 'minimal',
};

function rejects(kind: string, body: any): string | undefined {
  if (kind !== 'strict') return undefined;
  for (const k of ['chat_template_kwargs', 'enable_thinking', 'thinking', 'think']) if (k in body) return `Unrecognized request argument supplied: ${k}`;
  if (body.reasoning_effort === 'none') return "Invalid value for 'reasoning_effort': 'none' is not supported with this model.";
  return undefined;
}

/** A scripted model: thinks 400 tokens (50 chunks) unless its one control is in the request, then answers. */
function thinkingModel(kind: string) {
  return (req: RecordedRequest): Script => {
    const why = rejects(kind, req.body);
    if (why) return { kind: 'error', status: 400, message: why, param: why.match(/supplied: (\w+)/)?.[1] ?? 'reasoning_effort' };
    const off = HONOURS[kind]!(req.body);
    const deltas: Delta[] = [];
    if (!off) for (let i = 0; i < 50; i++) deltas.push({ reasoning_content: `Step ${i}: consider it again. ` });
    // Qwen3 under /no_think writes an empty think block: that is not reasoning.
    if (off && kind === 'no_think') deltas.push({ content: '<think>\n\n</think>\n\n' });
    deltas.push({ content: ANSWER });
    return { kind: 'stream', deltas, tokenDelayMs: off ? 0 : 3, usage: { prompt_tokens: 20, completion_tokens: off ? 8 : 408, completion_tokens_details: { reasoning_tokens: off ? 0 : 400 } } };
  };
}

function tempHome(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'arc-thinking-off-'));
}

async function instantCall(ep: OpenAIEndpoint) {
  const parts: StreamPart[] = [];
  for await (const p of ep.model('m').stream({ messages: [{ role: 'user', content: 'What is the capital of France?' }], thinking: 'off', maxOutputTokens: 256 })) parts.push(p);
  const reasoning = parts.filter((p) => p.type === 'reasoning').map((p) => (p as { text: string }).text).join('');
  const text = parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('');
  const notices = parts.filter((p) => p.type === 'notice').map((p) => `${(p as { code: string }).code}: ${(p as { message: string }).message}`);
  return { reasoning, text, notices, parts };
}

describe('the control order and bodies', () => {
  test('verified first; reasoning_effort levels only after a rejection; forced last', () => {
    assert.deepEqual(chooseControl(undefined, false), { control: 'effort_none', verified: false });
    assert.deepEqual(chooseControl(undefined, true), { control: 'configured', verified: false });
    assert.equal(chooseControl({ ineffective: ['effort_none'], rejected: [] }, false).control, 'template_kwargs', 'ignored "none": the other levels would be too');
    assert.equal(chooseControl({ ineffective: [], rejected: ['effort_none'] }, false).control, 'effort_minimal');
    assert.deepEqual(chooseControl({ working: 'no_think', ineffective: [], rejected: [] }, false), { control: 'no_think', verified: true });
    const all: ThinkingOffControl[] = ['effort_none', 'template_kwargs', 'enable_thinking', 'thinking_disabled', 'no_think'];
    assert.equal(chooseControl({ ineffective: all, rejected: [] }, false).control, 'forced');
  });

  test('each control writes its field; /no_think goes into the last user turn once', () => {
    const body = () => ({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'q' }] }) as Record<string, any>;
    const b1 = body();
    applyControl(b1, 'template_kwargs', { prefill: false });
    assert.deepEqual(b1.chat_template_kwargs, { enable_thinking: false });
    const b2 = body();
    applyControl(b2, 'no_think', { prefill: false });
    applyControl(b2, 'no_think', { prefill: false });
    assert.equal(b2.messages[2].content, 'q\n/no_think');
    const b3 = body();
    applyControl(b3, 'configured', { configured: { options: { think: false } }, prefill: false });
    assert.deepEqual(b3.options, { think: false });
    assert.equal(reasoningTokensOf('\n\n  \n'), 0, 'whitespace is not reasoning');
  });
});

describe('one scripted model per control', () => {
  for (const kind of Object.keys(HONOURS)) {
    test(`${kind}: every answer arrives, no call streams past ~16 reasoning tokens, and the working control is learned and kept`, async () => {
      const home = tempHome();
      server.respond(thinkingModel(kind));
      try {
        const capabilities = kind === 'configured' ? { thinkingOff: { think: false } } : undefined;
        const endpoint = async () => new OpenAIEndpoint({ id: 'ep', baseUrl: server.url, timeoutSeconds: 10, maxRetries: 0, memory: await CapabilityMemory.load(new JsonFileStore(home)), ...(capabilities ? { capabilities } : {}) });
        const ep = await endpoint();
        for (let run = 0; run < 9; run++) {
          const r = await instantCall(ep);
          assert.equal(r.text, ANSWER, `run ${run}: the answer arrived (${r.notices.join(' | ')})`);
          assert.ok(reasoningTokensOf(r.reasoning) <= 16 + 8, `run ${run}: ${reasoningTokensOf(r.reasoning)} reasoning tokens shown`);
        }
        const learned = ep.model('m').capabilities.thinkingOffMemory;
        if (kind === 'none') {
          assert.equal(learned?.working, undefined);
          assert.equal(chooseControl(learned, false).control, 'forced', 'after every control was ignored, budget forcing at zero');
          return;
        }
        const expected = kind === 'strict' ? 'effort_minimal' : kind;
        assert.equal(learned?.working, expected);
        // A fresh endpoint on the same store (the next process) sends it on its first request; no reasoning flows.
        await new Promise((r) => setTimeout(r, 100));
        const before = server.requests.length;
        const fresh = await endpoint();
        const r = await instantCall(fresh);
        assert.equal(reasoningTokensOf(r.reasoning), 0, 'no reasoning (an empty think block is whitespace)');
        assert.equal(r.text, ANSWER);
        assert.equal(server.requests.length - before, 1, 'one request: nothing to cut, nothing rejected');
        assert.ok(HONOURS[kind]!(server.requests.at(-1)!.body), 'the first request carries the working control');
        assert.match(r.notices.join('\n'), /thinking_control: Thinking off on ep\/m with/);
      } finally {
        server.respond(undefined);
      }
    });
  }
});

test('a 400 on reasoning_effort "none" marks only that value: budgets still use reasoning_effort levels', async () => {
  const home = tempHome();
  server.respond(thinkingModel('strict'));
  try {
    const ep = new OpenAIEndpoint({ id: 'ep', baseUrl: server.url, timeoutSeconds: 10, maxRetries: 0, capabilities: { reasoningEffort: true }, memory: await CapabilityMemory.load(new JsonFileStore(home)) });
    const r = await instantCall(ep);
    assert.equal(r.text, ANSWER);
    const caps = ep.model('m').capabilities;
    assert.deepEqual(caps.thinkingOffMemory?.rejected, ['effort_none']);
    assert.equal(caps.reasoningEffort, true, 'the parameter itself is still used for budgets');
  } finally {
    server.respond(undefined);
  }
});

test('instant mode through the engine sends thinking off; a fresh CLI process sends the learned control first', async () => {
  const home = tempHome();
  server.respond(thinkingModel('template_kwargs'));
  try {
    const ep = new OpenAIEndpoint({ id: 'cli', baseUrl: server.url, timeoutSeconds: 10, maxRetries: 0, memory: await CapabilityMemory.load(new JsonFileStore(home)) });
    const engine = new Engine({ models: { forRole: () => ep.model('m') }, progressIntervalMs: 0 });
    for (let i = 0; i < 3; i++) {
      let answer = '';
      for await (const e of engine.run({ query: 'What is the capital of France?', mode: 'instant', effort: 1 })) if (e.type === 'run.finished') answer = e.data.answer;
      assert.equal(answer, ANSWER);
    }
    await new Promise((r) => setTimeout(r, 100));
    const before = server.requests.length;
    const out = await runArc(['ask', '--mode', 'instant', '--base-url', server.url, '--model', 'm', 'What is the capital of France?'], { inheritEnv: true, env: { ARC_HOME: home } });
    assert.equal(out.code, 0);
    assert.match(out.stdout, /Paris/);
    assert.equal(server.requests.length - before, 1);
    assert.deepEqual(server.requests.at(-1)!.body.chat_template_kwargs, { enable_thinking: false });
  } finally {
    server.respond(undefined);
  }
});
