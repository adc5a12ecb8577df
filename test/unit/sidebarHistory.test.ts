// Run history (ARC: Show Run History): bounded in runs and bytes, compacted, secrets scrubbed, and a
// stored run reduces back to its tree and answer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';
import { applyRaw, createRunView, treeRows } from '../../src/protocol/runTree';
import { HISTORY_KEY, MAX_HISTORY_RUNS, RunHistory } from '../../src/vscode/sidebar/history';

const ev = (seq: number, type: string, data: unknown, threadId = 'root', parentId?: string) => ({ v: 1, seq, t: seq, runId: 'r', threadId, ...(parentId ? { parentId } : {}), type, data });

function tempStore() {
  const dir = mkdtempSync(path.join(tmpdir(), 'arc-history-'));
  return { store: new JsonFileStore(dir), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('history keeps the last runs, newest last, and reopens a run\'s tree and answer', async () => {
  const { store, done } = tempStore();
  try {
    const h = new RunHistory(store);
    for (let i = 0; i < MAX_HISTORY_RUNS + 5; i++) {
      await h.add({ runId: `run-${i}`, query: `q${i}`, status: 'finished', startedAt: i, attachments: [], events: [ev(0, 'run.started', { query: `q${i}`, requestedMode: 'auto' })] });
    }
    const list = await h.list();
    assert.equal(list.length, MAX_HISTORY_RUNS);
    assert.equal(list[0]!.runId, 'run-5');
    assert.equal(list.at(-1)!.runId, `run-${MAX_HISTORY_RUNS + 4}`);

    const events = [
      ev(1, 'thread.started', { goal: 'q', role: 'reasoning', mode: 'reasoning', budget: 100 }),
      ev(2, 'thread.started', { goal: 'part', role: 'reasoning', mode: 'reasoning', budget: 50 }, 'root.1', 'root'),
      ...Array.from({ length: 200 }, (_, i) => ev(3 + i, 'thread.delta', { text: 'w ' }, 'root.1')),
      ev(300, 'thread.finished', { status: 'done', answer: 'part done', usage: { prompt: 1, completion: 2, reasoning: 0 } }, 'root.1', 'root'),
      ev(301, 'thread.delta', { text: 'The answer.' }),
      ev(302, 'run.finished', { answer: 'The answer.', partial: false, usage: { prompt: 1, completion: 2, reasoning: 0 }, cost: 0 }),
    ];
    await h.add({ runId: 'tree', query: 'q', mode: 'reasoning', status: 'finished', startedAt: 1, attachments: ['a.ts'], events });
    // A fresh instance reads what was written.
    const again = await new RunHistory(store).get('tree');
    assert.ok(again);
    assert.ok(again.events.length < events.length, 'deltas were coalesced');
    const view = createRunView(again.query);
    assert.equal(applyRaw(view, again.events), 0);
    assert.deepEqual(treeRows(view).map((r) => r.node.id), ['root', 'root.1']);
    assert.equal(view.answer, 'The answer.');
    assert.equal(view.status, 'finished');
  } finally {
    done();
  }
});

test('history never stores an API key: known keys and key-like text are scrubbed', async () => {
  const { store, done } = tempStore();
  try {
    const h = new RunHistory(store, async () => ['my-secret-key-123']);
    await h.add({
      runId: 's',
      query: 'use sk-abcdefghijklmnopqrstuvwxyz and my-secret-key-123',
      status: 'failed',
      startedAt: 1,
      attachments: [],
      events: [ev(0, 'run.failed', { error: 'Authorization: Bearer my-secret-key-123 rejected', partial: true })],
    });
    const raw = JSON.stringify(await store.get(HISTORY_KEY, (await import('zod')).z.unknown()));
    assert.doesNotMatch(raw, /my-secret-key-123/);
    assert.doesNotMatch(raw, /sk-abcdefghijklmnop/);
  } finally {
    done();
  }
});
