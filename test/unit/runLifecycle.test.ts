// One run lifecycle (DESIGN §2): inline chat's intent comes from `run.routed` (the engine settles
// `task: 'auto'` once, after routing), and the reply is a pure reduction of the run's events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnownRunEvent } from '../../src/core/run/events';
import type { RunRequest } from '../../src/core/run/request';
import { FixedModeRouter, type RouteDecision } from '../../src/core/run/seams';
import { DEFAULT_CAPABILITIES, type ChatModel, type StreamPart } from '../../src/core/model/types';
import { Engine } from '../../src/engine/engine';
import { settleTask } from '../../src/router/followUp';
import { newReply, reduceReply } from '../../src/vscode/inline/reply';

const decision = (intent: 'answer' | 'edit'): RouteDecision => ({ ...(new FixedModeRouter('instant').route() as RouteDecision), intent });
const region = { text: 'let x = 1;', fileName: 'a.ts', language: 'typescript', startLine: 3 };

test('settleTask: auto takes the routed intent; an edit works on the edit region; a short follow-up continues', () => {
  const req: RunRequest = { query: 'make it a const', effort: 1, task: 'auto', context: { selection: { text: '', fileName: 'a.ts' }, editRegion: region } };
  const edit = settleTask(req, decision('edit'));
  assert.equal(edit.request.task, 'edit');
  assert.deepEqual(edit.request.context, { selection: region });
  const answer = settleTask(req, decision('answer'));
  assert.equal(answer.request.task, 'answer');
  assert.deepEqual(answer.request.context, { selection: { text: '', fileName: 'a.ts' } });
  const follow = settleTask({ ...req, query: 'shorter', previousIntent: 'edit' }, decision('answer'));
  assert.equal(follow.request.task, 'edit', 'a short follow-up continues the edit');
  assert.equal(follow.decision.intent, 'edit', 'and run.routed says so');
  const fixed: RunRequest = { ...req, task: 'answer' };
  assert.equal(settleTask(fixed, decision('edit')).request, fixed, 'a fixed task is left alone');
});

function model(text: string): ChatModel {
  return {
    id: 'loop/m',
    model: 'm',
    capabilities: DEFAULT_CAPABILITIES,
    async *stream(): AsyncIterable<StreamPart> {
      yield { type: 'text', text };
      yield { type: 'usage', usage: { prompt: 5, completion: 5, reasoning: 0 } };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

test('the engine routes once and run.routed carries the intent the run carries out; the reply reduces its events', async () => {
  let routes = 0;
  const router = { route: () => (routes++, decision('edit')) };
  const engine = new Engine({ models: { forRole: () => model('```ts\nconst x = 1;\n```') }, router, progressIntervalMs: 0 });
  const reply = newReply();
  const pushed: string[] = [];
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run({ query: 'make it a const', effort: 1, task: 'auto', context: { editRegion: region } })) {
    events.push(e);
    const edit = reduceReply(reply, e);
    if (edit) pushed.push(edit);
  }
  assert.equal(routes, 1, 'one router call');
  const routed = events.find((e) => e.type === 'run.routed');
  assert.ok(routed?.type === 'run.routed' && routed.data.intent === 'edit');
  assert.equal(reply.intent, 'edit');
  assert.equal(reply.mode, 'instant');
  assert.equal(pushed.join(''), '```ts\nconst x = 1;\n```', 'an edit streams to the proposal, not the answer');
  assert.equal(reply.answer, '');
  assert.equal(events.at(-1)!.type, 'run.finished');
});
