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

function activateWith(settings: Record<string, unknown>) {
  const stub = createVscodeStub(settings);
  const uninstall = installVscodeStub(stub);
  try {
    const file = path.join(ROOT, 'dist/extension.js');
    delete require.cache[file];
    const before = new Set(Object.keys(require.cache));
    const ext = require(file);
    const subscriptions: unknown[] = [];
    ext.activate({ subscriptions });
    const loaded = Object.keys(require.cache).filter((k) => !before.has(k)).map((k) => path.basename(k));
    return { stub, subscriptions, loaded };
  } finally {
    uninstall();
  }
}

test('activation registers every command, the status bar and the sidebar view, and does not load the runtime', () => {
  const { stub, subscriptions, loaded } = activateWith({});
  assert.deepEqual(stub.registered.sort(), [...COMMAND_IDS].sort());
  assert.deepEqual(stub.views, ['arc.sidebar']);
  // Commands, the status bar, the sidebar and the code action; @arc only where the host has a chat API (the stub has none).
  assert.equal(subscriptions.length, COMMAND_IDS.length + 3, 'every registration is owned by the context');
  assert.deepEqual(loaded, ['extension.js'], 'only the small bundle loads at activation');
  assert.equal(stub.statusItems.length, 1);
  assert.match(stub.statusItems[0]!.text, /ARC: set up/);
});

test('the status bar says when the model is simulated, and only then', () => {
  const sim = activateWith({
    'arc.endpoints': [{ id: 'simulator', baseUrl: 'http://127.0.0.1:1/v1', simulated: true }],
    'arc.models.instant': 'simulator/sim-instant',
  });
  assert.match(sim.stub.statusItems[0]!.text, /ARC: Auto · 1\.0× · simulated model/);
  assert.equal(sim.stub.statusItems[0]!.visible, true);
  const real = activateWith({
    'arc.endpoints': [{ id: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' }],
    'arc.models.instant': 'ollama/qwen3',
    'arc.mode': 'reasoning',
    'arc.effort': 0.5,
  });
  assert.equal(real.stub.statusItems[0]!.text, '$(sparkle) ARC: Reasoning · 0.5×');
});

test('settings: arc.endpoints is application-scoped and restricted in untrusted workspaces', () => {
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['arc.endpoints'].scope, 'application');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('arc.endpoints'));
  for (const key of ['arc.models.instant', 'arc.models.reasoning', 'arc.models.agentic', 'arc.requestTimeoutSeconds', 'arc.prices']) {
    assert.ok(props[key], key);
  }
});
