// dist/extension.js in plain Node with a stub vscode: activation registers exactly the contributed
// commands and loads nothing else (the engine is in dist/runtime.js, loaded on first use).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMAND_IDS } from '../../src/vscode/commandIds';
import { createVscodeStub, installVscodeStub } from '../fixtures/vscodeStub';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('package.json contributes exactly the commands the extension registers', () => {
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(contributed, [...COMMAND_IDS].sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'ARC');
});

test('activation registers every command and does not load the runtime', () => {
  const stub = createVscodeStub();
  const uninstall = installVscodeStub(stub);
  try {
    const before = new Set(Object.keys(require.cache));
    const ext = require(path.join(ROOT, 'dist/extension.js'));
    const subscriptions: unknown[] = [];
    ext.activate({ subscriptions });
    assert.deepEqual(stub.registered.sort(), [...COMMAND_IDS].sort());
    assert.equal(subscriptions.length, COMMAND_IDS.length);
    const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
    assert.deepEqual(loaded.map((k) => path.basename(k)), ['extension.js'], 'only the small bundle loads at activation');
  } finally {
    uninstall();
  }
});

test('settings: arc.endpoints is application-scoped and restricted in untrusted workspaces', () => {
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['arc.endpoints'].scope, 'application');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('arc.endpoints'));
  for (const key of ['arc.models.instant', 'arc.models.reasoning', 'arc.models.agentic', 'arc.requestTimeoutSeconds', 'arc.prices']) {
    assert.ok(props[key], key);
  }
});
