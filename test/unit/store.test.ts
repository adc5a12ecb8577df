import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { JsonFileStore } from '../../src/core/store/jsonFileStore';

const schema = z.object({ n: z.number() });

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'arc-store-'));
}

test('round trip, overwrite and delete', async () => {
  const dir = await tempDir();
  const s = new JsonFileStore(path.join(dir, 'nested'));
  assert.equal(await s.get('k', schema), undefined);
  await s.set('k', { n: 1 });
  assert.deepEqual(await s.get('k', schema), { n: 1 });
  await s.set('k', { n: 2 });
  assert.deepEqual(await s.get('k', schema), { n: 2 });
  await s.delete('k');
  assert.equal(await s.get('k', schema), undefined);
});

test('concurrent writes to one key end with the last one and leave no temp files', async () => {
  const dir = await tempDir();
  const s = new JsonFileStore(dir);
  await Promise.all(Array.from({ length: 50 }, (_, i) => s.set('k', { n: i })));
  assert.deepEqual(await s.get('k', schema), { n: 49 });
  assert.deepEqual(await fs.readdir(dir), ['k.json']);
});

test('a corrupt file is moved aside with a warning, not a crash', async () => {
  const dir = await tempDir();
  const warnings: string[] = [];
  const s = new JsonFileStore(dir, (m) => warnings.push(m));
  await fs.writeFile(path.join(dir, 'k.json'), '{"n": 1', 'utf8');
  assert.equal(await s.get('k', schema), undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /not valid JSON/);
  const files = await fs.readdir(dir);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^k\.json\.corrupt-/);
  assert.equal(await fs.readFile(path.join(dir, files[0]!), 'utf8'), '{"n": 1', 'the bad bytes are kept for the user');
});

test('a file of the wrong shape is moved aside too', async () => {
  const dir = await tempDir();
  const warnings: string[] = [];
  const s = new JsonFileStore(dir, (m) => warnings.push(m));
  await fs.writeFile(path.join(dir, 'k.json'), '{"n": "one"}', 'utf8');
  assert.equal(await s.get('k', schema), undefined);
  assert.match(warnings[0]!, /expected shape/);
});

test('keys cannot escape the directory', async () => {
  const s = new JsonFileStore(await tempDir());
  await assert.rejects(() => s.set('../x', 1), /Invalid store key/);
  await assert.rejects(() => s.get('a/b', schema), /Invalid store key/);
});

test('update: two stores on one folder (two processes) both keep what they add', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arc-store-lock-'));
  const a = new JsonFileStore(dir);
  const b = new JsonFileStore(dir);
  const counter = z.object({ n: z.number(), by: z.array(z.string()) });
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).update('counter', counter, (cur) => ({ n: (cur?.n ?? 0) + 1, by: [...(cur?.by ?? []), i % 2 ? 'a' : 'b'] })),
    ),
  );
  const final = await a.get('counter', counter);
  assert.equal(final?.n, 40, 'no increment was lost to a concurrent write');
  assert.equal(final?.by.filter((x) => x === 'a').length, 20);
  const leftovers = (await fs.readdir(dir)).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
});

test('update: a stale lock left by a dead process is broken; a live one makes the caller wait', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arc-store-stale-'));
  const store = new JsonFileStore(dir);
  const lock = path.join(dir, 'k.json.lock');
  await fs.writeFile(lock, '99999\n');
  const old = new Date(Date.now() - 60_000);
  await fs.utimes(lock, old, old);
  const v = await store.update('k', z.number(), (cur) => (cur ?? 0) + 1);
  assert.equal(v, 1);
  await fs.writeFile(lock, `${process.pid}\n`);
  let done = false;
  const pending = store.update('k', z.number(), (cur) => (cur ?? 0) + 1).then((x) => {
    done = true;
    return x;
  });
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(done, false, 'waits while another process holds the lock');
  await fs.rm(lock);
  assert.equal(await pending, 2);
});

test('learned state from two processes adds up (estimates, router learning, cost of pass)', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arc-store-merge-'));
  const { EffortEstimates } = await import('../../src/effort/estimator');
  const { CostOfPassLedger } = await import('../../src/core/run/costOfPass');
  const e1 = await EffortEstimates.load(new JsonFileStore(dir));
  const e2 = await EffortEstimates.load(new JsonFileStore(dir));
  await e1.record('b', 1000, 400, false);
  await e2.record('b', 1000, 600, false);
  const merged = (await EffortEstimates.load(new JsonFileStore(dir))).get('b', 1000);
  assert.equal(merged.n, 3, 'the prior and both observations');
  const c1 = await CostOfPassLedger.load(new JsonFileStore(dir));
  const c2 = await CostOfPassLedger.load(new JsonFileStore(dir));
  await c1.recordRun('r1', 'instant', 0.01);
  await c2.recordRun('r2', 'instant', 0.02);
  assert.equal(await c1.recordOutcome('r2', true), true, 'a run recorded by the other process can be rated');
  const summary = (await CostOfPassLedger.load(new JsonFileStore(dir))).summary().find((m) => m.mode === 'instant')!;
  assert.equal(summary.runs, 2);
  assert.equal(summary.successes, 1);
});
