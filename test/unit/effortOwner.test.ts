// Effort has one owner (DESIGN §2, §3.2): core/config/effortRange holds the range, default and display;
// the editor's edges (inline `/effort`, the webview's `ask`) clamp and default it once into the
// request, and the router, the budget and what is learned all read the request — never the setting.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_EFFORT, EFFORT_STEP, MAX_EFFORT, MIN_EFFORT, clampEffort, effortStops, formatEffort } from '../../src/core/config/effortRange';
import { parseSettings } from '../../src/core/config/settings';
import { DEFAULT_CAPABILITIES, type ChatModel, type StreamPart } from '../../src/core/model/types';
import type { KnownRunEvent } from '../../src/core/run/events';
import type { RunRequest } from '../../src/core/run/request';
import { EffortCalibration } from '../../src/effort/calibration';
import { EffortEstimates } from '../../src/effort/estimator';
import { Engine } from '../../src/engine/engine';
import { parseWebviewMessage } from '../../src/protocol/messages';
import { decide } from '../../src/router/decide';
import { RouterLearning } from '../../src/router/learning';
import { routeContextOf } from '../../src/router/router';
import { parsePrompt } from '../../src/vscode/inline/prompt';
import { editorRouter } from '../../src/vscode/routing';
import { runRequestFor } from '../../src/vscode/runRequest';

test("package.json's arc.effort has the range and default of core/config/effortRange", () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number; default?: number }> } | Array<{ properties: Record<string, { minimum?: number; maximum?: number; default?: number }> }> };
  };
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const effort = sections.map((s) => s.properties['arc.effort']).find(Boolean);
  assert.ok(effort, 'arc.effort is contributed');
  assert.equal(effort.minimum, MIN_EFFORT);
  assert.equal(effort.maximum, MAX_EFFORT);
  assert.equal(effort.default, DEFAULT_EFFORT);
  assert.deepEqual([effortStops()[0], effortStops().at(-1), effortStops().length], [MIN_EFFORT, MAX_EFFORT, Math.round((MAX_EFFORT - MIN_EFFORT) / EFFORT_STEP) + 1]);
  assert.equal(clampEffort(undefined), DEFAULT_EFFORT);
  assert.equal(clampEffort(9), MAX_EFFORT);
  assert.equal(formatEffort(2), '2.0×');
});

/** A model that thinks `reasoning` tokens (one word each) and then answers; every call is recorded. */
function thinkingModel(reasoning: number): ChatModel & { calls: number } {
  const m = {
    id: 'loop/m',
    model: 'm',
    capabilities: { ...DEFAULT_CAPABILITIES, thinkingBudgetParam: 'thinking.budget_tokens' },
    calls: 0,
    async *stream(): AsyncIterable<StreamPart> {
      m.calls++;
      yield { type: 'reasoning', text: Array.from({ length: reasoning }, () => 'w').join(' ') };
      yield { type: 'text', text: 'It is linear.' };
      yield { type: 'usage', usage: { prompt: 20, completion: reasoning + 4, reasoning } };
      yield { type: 'finish', reason: 'stop' };
    },
  };
  return m;
}

async function runAsTheEditorDoes(request: RunRequest, settingEffort: number) {
  const { settings } = parseSettings({ effort: settingEffort, models: { instant: 'loop/m' }, endpoints: [{ id: 'loop', baseUrl: 'http://127.0.0.1:1/v1' }] });
  assert.equal(settings.effort, settingEffort);
  const learning = await RouterLearning.load(undefined, true);
  const learnedAt: number[] = [];
  const noteRun = learning.noteRun.bind(learning);
  learning.noteRun = (query, bucket, mode, effort, ...rest) => {
    learnedAt.push(effort);
    return noteRun(query, bucket, mode, effort, ...rest);
  };
  const calibration = await EffortCalibration.load(undefined);
  const calibratedAt: number[] = [];
  const record = calibration.record.bind(calibration);
  calibration.record = (bucket, effort, ...rest) => {
    calibratedAt.push(effort);
    return record(bucket, effort, ...rest);
  };
  const model = thinkingModel(300);
  // The editor's router, built from the settings exactly as runFactory builds it (no self-routing).
  const { router } = editorRouter(learning, settings);
  const engine = new Engine({ models: { forRole: () => model }, router, estimates: await EffortEstimates.load(undefined), calibration, progressIntervalMs: 0 });
  const events: KnownRunEvent[] = [];
  for await (const e of engine.run(request)) events.push(e);
  const routed = events.find((e) => e.type === 'run.routed');
  const budget = events.find((e) => e.type === 'run.budget');
  assert.ok(routed?.type === 'run.routed' && budget?.type === 'run.budget', 'routed and budgeted');
  assert.equal(events.at(-1)!.type, 'run.finished');
  return { settings, routed: routed.data, budget: budget.data as { effort: number }, learnedAt, calibratedAt };
}

test('an inline /effort 2 and a sidebar Ask right after a slider move are routed, budgeted and learned at the request’s effort', async () => {
  const SETTING = 0.1; // arc.effort as saved: the inline prompt overrides it, the slider's debounced write has not landed
  const QUERY = 'Why is the output off by one?';
  const selection = { text: 'for (let i = 0; i <= a.length; i++) total += a[i];', language: 'typescript' };

  // Inline chat: the prompt box's `/effort 2` becomes the thread's effort, and the run's.
  const parsed = parsePrompt(`/effort 2 ${QUERY}`);
  assert.equal(parsed.effort, 2);
  const { settings } = parseSettings({ effort: SETTING });
  const inline = runRequestFor({ query: parsed.query, source: 'inline', context: { selection }, effort: parsed.effort }, settings);

  // Sidebar: the slider moved to 2; the Ask carries the slider's value (validated by the message schema).
  const ask = parseWebviewMessage({ type: 'ask', query: QUERY, effort: 2 });
  assert.ok(ask.ok && ask.message.type === 'ask');
  const sidebar = runRequestFor({ query: ask.message.query, source: 'sidebar', effort: ask.message.effort }, settings);

  for (const request of [inline, sidebar]) {
    assert.equal(request.effort, 2, `${request.source}: the request carries the effort asked for`);
    const ctx = routeContextOf(request);
    const atRequest = decide(request.query, ctx, { effort: 2, enabledModes: settings.enabledModes, toolCalling: true }).mode;
    const atSetting = decide(request.query, ctx, { effort: SETTING, enabledModes: settings.enabledModes, toolCalling: true }).mode;
    assert.notEqual(atRequest, atSetting, 'the query is one whose mode depends on effort');
    const run = await runAsTheEditorDoes(request, SETTING);
    assert.equal(run.routed.mode, atRequest, `${request.source}: routed at the request's effort, not the setting's`);
    assert.equal(run.budget.effort, 2, `${request.source}: budgeted at the request's effort`);
    assert.deepEqual(run.learnedAt, [2], `${request.source}: the router learns the run under the request's effort`);
    assert.ok(run.calibratedAt.every((e) => e === 2), `${request.source}: calibration too`);
  }
});
