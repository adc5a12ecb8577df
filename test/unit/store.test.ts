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
