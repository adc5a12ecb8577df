import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTerminal, parseRunEvent, eventDataSchemas } from '../../src/core/run/events';
import { RunEventEmitter } from '../../src/core/run/emitter';

const envelope = { v: 1, seq: 0, t: 1, runId: 'r', threadId: 'root' };

test('DESIGN §6.2 type names are all known', () => {
  const names = [
    'run.started', 'run.routed', 'run.budget', 'plan.created', 'thread.started', 'thread.delta', 'thread.progress',
    'tool.called', 'tool.result', 'approval.requested', 'approval.resolved', 'thread.finished', 'usage',
    'run.finished', 'run.failed', 'run.cancelled',
  ];
  for (const n of names) assert.ok(n in eventDataSchemas, n);
});

test('a valid run.finished parses; a wrong partial flag does not', () => {
  const ok = parseRunEvent({ ...envelope, type: 'run.finished', data: { answer: 'a', partial: false, usage: { prompt: 1, completion: 2, reasoning: 0 }, cost: null } });
  assert.equal(ok.ok, true);
  const bad = parseRunEvent({ ...envelope, type: 'run.finished', data: { answer: 'a', partial: true, usage: { prompt: 1, completion: 2, reasoning: 0 }, cost: 0 } });
  assert.equal(bad.ok, false);
});

test('an unknown type is kept generically, not rejected', () => {
  const r = parseRunEvent({ ...envelope, type: 'future.kind', data: { x: 1 } });
  assert.ok(r.ok);
  assert.equal((r.event as { known?: boolean }).known, false);
  assert.deepEqual(r.event.data, { x: 1 });
});

test('a bad envelope is rejected with a message', () => {
  const r = parseRunEvent({ v: 2, seq: -1, type: 'run.started' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /v|seq/);
});

test('emitter numbers events in order and stamps the envelope', () => {
  const got: unknown[] = [];
  let clock = 100;
  const e = new RunEventEmitter('run-1', (ev) => got.push(ev), () => clock++);
  e.emit('thread.progress', 't1', { tokens: 3 }, 'root');
  e.emit('run.cancelled', 'root', { partial: true });
  assert.deepEqual(got, [
    { v: 1, seq: 0, t: 100, runId: 'run-1', threadId: 't1', parentId: 'root', type: 'thread.progress', data: { tokens: 3 } },
    { v: 1, seq: 1, t: 101, runId: 'run-1', threadId: 'root', type: 'run.cancelled', data: { partial: true } },
  ]);
  for (const ev of got) assert.ok(parseRunEvent(ev).ok);
  assert.equal(isTerminal(got[1] as { type: string }), true);
  assert.equal(isTerminal(got[0] as { type: string }), false);
});
