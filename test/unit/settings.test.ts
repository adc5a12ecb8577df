import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSettings } from '../../src/core/config/settings';

test('valid settings parse, roles split at the first slash', () => {
  const { settings, problems } = parseSettings({
    endpoints: [{ id: 'or', baseUrl: 'https://openrouter.ai/api/v1' }],
    models: { instant: 'or/anthropic/claude-x' },
    requestTimeoutSeconds: 30,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.models.instant, { endpointId: 'or', model: 'anthropic/claude-x' });
  assert.equal(settings.requestTimeoutSeconds, 30);
});

test('defaults when nothing is set', () => {
  const { settings, problems } = parseSettings({ models: { instant: '' } });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    endpoints: [], models: {}, prices: {}, requestTimeoutSeconds: 120,
    mode: 'auto', routerLearning: true, enabledModes: ['instant', 'reasoning', 'agentic'], selfRoute: false, effort: 1,
    scale: 'auto', scaleSystem1: 'same-model', spawn: true, maxParallel: 4, maxChildren: 8, maxDepth: 1,
    agent: { allowedCommands: [], deniedCommands: [], autoApproveEdits: false, editReview: 'editor', sandbox: 'auto', commandNetwork: false }, spendCap: 0,
    mcp: { servers: {}, autoApproveReadOnly: false }, instructions: true,
  });
  assert.equal(parseSettings({ agentAllowedCommands: ['npm test', '(unclosed'] }).problems.length, 1, 'a regex that does not compile is named');
  assert.equal(parseSettings({ agentSandbox: 'sometimes' }).problems.length, 1, 'arc.agent.sandbox is auto, required or off');
  const bad = parseSettings({ mode: 'turbo', enabledModes: [], routerLearning: 'yes', scale: 'always', maxParallel: 0, maxDepth: 3, spawn: 'on' });
  assert.equal(bad.problems.length, 7);
  for (const name of ['arc.scale', 'arc.maxParallel', 'arc.maxDepth', 'arc.spawn']) assert.ok(bad.problems.some((p) => p.includes(name)), name);
  assert.equal(bad.settings.maxParallel, 4);
  assert.equal(bad.settings.mode, 'auto');
});

test('bad values are named and replaced by defaults', () => {
  const { settings, problems } = parseSettings({
    endpoints: [{ id: 'a', baseUrl: 'ftp://x' }],
    models: { instant: 'nomodel' },
    prices: { m: { input: -1, output: 1 } },
    requestTimeoutSeconds: 'soon',
  });
  assert.equal(settings.endpoints.length, 0);
  assert.equal(problems.length, 4);
  for (const name of ['arc.endpoints', 'arc.models.instant', 'arc.prices', 'arc.requestTimeoutSeconds']) {
    assert.ok(problems.some((p) => p.includes(name)), name);
  }
});

test('duplicate endpoint ids and roles naming missing endpoints are reported', () => {
  const dup = parseSettings({ endpoints: [{ id: 'a', baseUrl: 'http://x/v1' }, { id: 'a', baseUrl: 'http://y/v1' }] });
  assert.match(dup.problems.join(), /duplicate endpoint id "a"/);
  const missing = parseSettings({ endpoints: [{ id: 'a', baseUrl: 'http://x/v1' }], models: { instant: 'b/m' } });
  assert.match(missing.problems.join(), /names endpoint "b"/);
});

test('a base URL with a user or password is refused (keys belong in SecretStorage)', () => {
  const { settings, problems } = parseSettings({ endpoints: [{ id: 'a', baseUrl: 'http://bob:hunter2@127.0.0.1/v1' }] });
  assert.equal(settings.endpoints.length, 0);
  assert.match(problems.join(), /must not contain a user name or password/);
  assert.doesNotMatch(problems.join(), /hunter2/);
});
