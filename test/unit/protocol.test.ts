// The sidebar's shared protocol (src/protocol): message schemas both ways, the run-tree reducer, event
// coalescing and the effort hint — in plain Node, and the reducer once end to end on the real engine
// against ARC's simulator (a simulated server, not a model).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSimulator } from '../../bench/sim/simulator';
import { OpenAIEndpoint } from '../../src/core/model/openaiProvider';
import { parseRunEvent, type KnownRunEvent } from '../../src/core/run/events';
import { Engine } from '../../src/engine/engine';
import { EffortEstimates } from '../../src/effort/estimator';
import { coalesceEvents, compactForHistory } from '../../src/protocol/coalesce';
import { adoptSavedEffort, effortHint, formatEffort, tokensAtStop } from '../../src/protocol/effortHint';
import { reasoningTokensAt, sliderHint } from '../../src/effort/hint';
import { effortStops } from '../../src/core/config/effortRange';
import { parseHostMessage, parseWebviewMessage, WEBVIEW_COMMANDS } from '../../src/protocol/messages';
import { applyEvent, applyRaw, budgetShare, createRunView, overBudgetReason, historyMessages, pendingSteps, treeRows } from '../../src/protocol/runTree';

let seq = 0;
const ev = (type: string, data: unknown, threadId = 'root', parentId?: string) => ({ v: 1, seq: seq++, t: 1000 + seq, runId: 'run-1', threadId, ...(parentId ? { parentId } : {}), type, data });
const usage = { prompt: 10, completion: 20, reasoning: 5 };

test('webview → host messages: valid ones parse, anything else is rejected with a reason', () => {
  assert.equal(parseWebviewMessage({ type: 'ready' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'setEffort', effort: 1.3 }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'setMode', mode: 'agentic' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'ask', query: 'why?', effort: 0.5 }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'rerun', turnId: 't1', mode: 'reasoning' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'approve', id: 'a1', approved: false }).ok, true);
  for (const bad of [
    { type: 'setEffort', effort: 2.5 },
    { type: 'setEffort', effort: 0 },
    { type: 'setMode', mode: 'turbo' },
    { type: 'ask', query: '' },
    { type: 'rerun', turnId: 't1', mode: 'auto' },
    { type: 'command', command: 'workbench.action.terminal.sendSequence' },
    { type: 'nope' },
    'ready',
    null,
  ]) {
    const r = parseWebviewMessage(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    if (!r.ok) assert.ok(r.error.length > 0);
  }
  assert.ok(WEBVIEW_COMMANDS.every((c) => c.startsWith('arc.')), 'the webview can only run ARC commands');
});

test('host → webview messages: a snapshot and an event batch parse; a bad settings value does not', () => {
  const settings = { mode: 'auto', effort: 1, configured: false, effortEstimate: 1000, spendCap: 0, simulated: false, models: {}, setup: { endpoints: [], editorModels: [], problems: [] } };
  const snap = { type: 'snapshot', snapshot: { settings, turns: [{ id: 't1', query: 'q', attachments: [], events: [ev('run.started', { query: 'q', requestedMode: 'auto' })], startedAt: 1 }], attachments: [], approvals: [{ id: 'a', kind: 'edit', title: 'Edit x', diff: '+a' }], session: { runs: 0, prompt: 0, completion: 0, cost: null } } };
  assert.equal(parseHostMessage(snap).ok, true);
  assert.equal(parseHostMessage({ type: 'events', turnId: 't1', events: [{ anything: true }] }).ok, true, 'events are checked one by one by the RunEvent schema');
  assert.equal(parseHostMessage({ type: 'settings', settings: { ...settings, effort: 3 } }).ok, false);
  assert.equal(parseHostMessage({ type: 'approvals', approvals: [{ id: '', kind: 'edit', title: 'x' }] }).ok, false);
});

test('the reducer builds the tree: root, SCALE steps matched to their plan, spawned children, tools, approvals', () => {
  const view = createRunView('q');
  const events = [
    ev('run.started', { query: 'q', requestedMode: 'auto', source: 'sidebar' }),
    ev('run.routed', { mode: 'reasoning', intent: 'answer', confidence: 0.8, probabilities: { instant: 0.1, reasoning: 0.8, agentic: 0.1 }, reason: 'multi-step' }),
    ev('run.budget', { effort: 1, estimate: 1000, reasoning: 1000, answer: 1024, total: 2024, enforcement: 'forcing', bucket: 'b', policy: 'scale' }),
    ev('thread.started', { goal: 'q', role: 'reasoning', mode: 'reasoning', budget: 2024, model: 'e/m' }),
    ev('plan.created', { steps: [{ index: 0, title: 'first', difficulty: 0.2, system: 1, budget: null, dependsOn: [] }, { index: 1, title: 'second', difficulty: 0.8, system: 2, budget: 900, dependsOn: [0] }], tau: 0.5 }),
    ev('thread.started', { goal: 'first', role: 'instant', mode: 'instant', budget: null }, 'root.s1', 'root'),
    ev('thread.progress', { tokens: 40 }, 'root.s1'),
    ev('thread.finished', { status: 'done', answer: 'one', usage }, 'root.s1', 'root'),
    ev('thread.started', { goal: 'child goal [part:x:0]', role: 'reasoning', mode: 'reasoning', budget: 400 }, 'root.1', 'root'),
    ev('thread.progress', { tokens: 100 }, 'root.1'),
    ev('tool.called', { callId: 'c1', name: 'read_file', arguments: { path: 'a.ts' }, readOnly: true }, 'root'),
    ev('tool.result', { callId: 'c1', name: 'read_file', ok: true, content: 'text', ms: 3 }, 'root'),
    ev('approval.requested', { id: 'approval-1', kind: 'edit', path: 'a.ts', diff: '+x' }, 'root'),
    ev('approval.resolved', { id: 'approval-1', kind: 'edit', approved: false, reason: 'no' }, 'root'),
    ev('thread.delta', { text: 'Hello ', reasoning: 'think' }),
    ev('thread.delta', { text: 'world' }),
    ev('thread.delta', { text: 'child text' }, 'root.1'),
    ev('usage', { model: 'e/m', usage, cost: 0.5 }),
    ev('something.new', { x: 1 }),
  ];
  assert.equal(applyRaw(view, events), 0);
  assert.equal(view.routed?.mode, 'reasoning');
  assert.equal(view.budget?.policy, 'scale');
  assert.equal(view.answer, 'Hello world', 'only the root thread writes the answer');
  assert.equal(view.reasoning, 'think');
  const rows = treeRows(view);
  assert.deepEqual(rows.map((r) => [r.node.id, r.depth]), [['root', 0], ['root.s1', 1], ['root.1', 1]]);
  assert.equal(view.threads.get('root.s1')!.step?.title, 'first');
  assert.equal(view.threads.get('root.s1')!.status, 'done');
  assert.equal(view.threads.get('root.1')!.status, 'running');
  assert.equal(budgetShare(view.threads.get('root.1')!), 0.25);
  assert.equal(budgetShare(view.threads.get('root.s1')!), undefined, 'no budget: no share');
  assert.deepEqual(pendingSteps(view).map((s) => s.title), ['second']);
  const tool = view.threads.get('root')!.tools[0]!;
  assert.equal(tool.status, 'ok');
  assert.equal(tool.ms, 3);
  assert.deepEqual(view.approvals.map((a) => [a.kind, a.summary, a.approved]), [['edit', 'a.ts', false]]);
  assert.equal(view.other.length, 1, 'an unknown kind is kept and shown generically');
  assert.equal(view.other[0]!.type, 'something.new');
  assert.equal(view.cost, 0.5);

  applyRaw(view, [ev('run.cancelled', { partial: true })]);
  assert.equal(view.status, 'cancelled');
  assert.equal(view.partial, true, 'an answer cut short is marked partial');
  assert.equal(view.threads.get('root.1')!.status, 'cancelled', 'open threads take the run\'s outcome');
});

test('the reducer counts bad events and ignores them; a finished run replaces the streamed answer', () => {
  const view = createRunView();
  assert.equal(applyRaw(view, [{ type: 'run.finished' }, ev('thread.progress', { tokens: -1 })]), 2);
  applyRaw(view, [ev('thread.started', { goal: 'g', role: 'instant', mode: 'instant', budget: null }), ev('thread.delta', { text: 'draft' })]);
  applyRaw(view, [ev('run.finished', { answer: 'final', partial: false, usage, cost: null })]);
  assert.equal(view.answer, 'final');
  assert.equal(view.partial, false);
  assert.equal(view.cost, null);
  assert.equal(view.threads.get('root')!.status, 'done');
});

test('version counters move only with changes (so the webview redraws only what changed)', () => {
  const view = createRunView();
  applyRaw(view, [ev('thread.started', { goal: 'g', role: 'r', mode: 'reasoning', budget: 10 }), ev('thread.started', { goal: 'c', role: 'r', mode: 'reasoning', budget: 10 }, 'root.1', 'root')]);
  const root = view.threads.get('root')!;
  const child = view.threads.get('root.1')!;
  const [rv, cv, shape] = [root.version, child.version, view.shapeVersion];
  applyRaw(view, [ev('thread.progress', { tokens: 5 }, 'root.1')]);
  assert.equal(root.version, rv);
  assert.equal(child.version, cv + 1);
  assert.equal(view.shapeVersion, shape);
  applyRaw(view, [ev('thread.progress', { tokens: 5 }, 'root.1')]);
  assert.equal(child.version, cv + 1, 'the same count again changes nothing');
});

test('coalescing merges a thread\'s consecutive deltas and keeps its latest progress, and nothing else', () => {
  const events = [
    ev('thread.delta', { text: 'a' }),
    ev('thread.delta', { text: 'b', reasoning: 'r' }),
    ev('thread.progress', { tokens: 1 }, 'root.1'),
    ev('thread.delta', { text: 'c' }),
    ev('thread.progress', { tokens: 2 }, 'root.1'),
    ev('tool.called', { callId: 'x', name: 't' }),
    ev('thread.delta', { text: 'd' }),
  ];
  const out = coalesceEvents(events) as Array<{ type: string; threadId: string; data: Record<string, unknown> }>;
  assert.deepEqual(out.map((e) => [e.type, e.threadId, e.data]), [
    ['thread.delta', 'root', { text: 'abc', reasoning: 'r' }],
    ['thread.progress', 'root.1', { tokens: 2 }],
    ['tool.called', 'root', { callId: 'x', name: 't' }],
    ['thread.delta', 'root', { text: 'd' }],
  ]);
  // The same view either way.
  const a = createRunView();
  const b = createRunView();
  applyRaw(a, events);
  applyRaw(b, out);
  assert.equal(a.answer, b.answer);
  assert.equal(a.threads.get('root.1')!.tokens, b.threads.get('root.1')!.tokens);
});

test('history compaction bounds thread text and the number of events, keeping the terminal event', () => {
  const many = [ev('thread.started', { goal: 'g', role: 'r', mode: 'reasoning', budget: 1 }, 'root.1', 'root')];
  for (let i = 0; i < 50; i++) many.push(ev('thread.delta', { text: 'x'.repeat(200), reasoning: 'y'.repeat(100) }, 'root.1'));
  for (let i = 0; i < 20; i++) many.push(ev('tool.called', { callId: `c${i}`, name: 't' }));
  many.push(ev('run.finished', { answer: 'A', partial: false, usage, cost: 0 }));
  const out = compactForHistory(many, { maxEvents: 10 }) as Array<{ type: string; data: { text?: string; reasoning?: string } }>;
  assert.equal(out.length, 10);
  assert.equal(out.at(-1)!.type, 'run.finished');
  const delta = out.find((e) => e.type === 'thread.delta')!;
  assert.ok(delta.data.text!.length <= 2000);
  assert.equal(delta.data.reasoning, undefined, 'children\'s reasoning is not kept');
});

test('the effort hint is r × the learned estimate, as the engine budgets it', () => {
  assert.equal(formatEffort(1), '1.0×');
  assert.equal(formatEffort(1.3), '1.3×');
  assert.equal(formatEffort(0.3), '0.3×');
  assert.equal(formatEffort(0.25), '0.25×', 'an inline /effort 0.25 is shown as given');
  assert.equal(reasoningTokensAt(1000, 1), 1000);
  assert.equal(reasoningTokensAt(1000, 1.3), 1300);
  assert.equal(reasoningTokensAt(1000, 0.01), 100, 'clamped to 0.1×');
  assert.equal(effortHint(1200, 'ollama/qwen3'), '≈ 1,200 reasoning tokens for a reasoning query on ollama/qwen3');
  assert.match(effortHint(500), /≈ 500 reasoning tokens.*default until a model is set/);
  // The host sends one figure per slider stop (effort/hint.ts); the webview only looks them up.
  const hint = sliderHint(undefined, undefined);
  assert.equal(hint.estimate, 1000);
  assert.equal(hint.tokens.length, effortStops().length);
  assert.equal(tokensAtStop(hint.tokens, 0.5), 500);
  assert.equal(tokensAtStop(hint.tokens, 1.3), 1300);
  assert.equal(tokensAtStop(hint.tokens, 2), 2000);
  assert.equal(tokensAtStop(hint.tokens, 0.01), 100, 'clamped to 0.1×');
});

test('history messages: question and answer pairs, newest kept within the bound, unanswered turns left out', () => {
  const h = historyMessages([
    { query: 'q1', answer: 'a1' },
    { query: 'q2', answer: '' },
    { query: 'q3', answer: 'a3' },
  ]);
  assert.deepEqual(h, [
    { role: 'user', content: 'q1' },
    { role: 'assistant', content: 'a1' },
    { role: 'user', content: 'q3' },
    { role: 'assistant', content: 'a3' },
  ]);
  const bounded = historyMessages([{ query: 'old', answer: 'x'.repeat(100) }, { query: 'new', answer: 'y' }], 50);
  assert.deepEqual(bounded.map((m) => m.content), ['new', 'y']);
});

test('end to end: a multi-part reasoning run on the simulator reduces to a root with its spawned threads, all done', async () => {
  const sim = await startSimulator({ speed: 40, seed: 5 });
  try {
    const ep = new OpenAIEndpoint({ id: 'sim', baseUrl: sim.url, timeoutSeconds: 10, maxRetries: 0 });
    const engine = new Engine({ models: { forRole: () => ep.model('sim-reasoning') }, progressIntervalMs: 0, estimates: await EffortEstimates.load(undefined) });
    const view = createRunView();
    const raw: KnownRunEvent[] = [];
    for await (const e of engine.run({ effort: 1, query: 'Answer these:\n1. What is a heap?\n2. Why is quicksort fast?\n3. Compute 12 * 12.', mode: 'reasoning', scale: 'off', source: 'sidebar' })) {
      raw.push(e);
      applyEvent(view, e);
    }
    assert.equal(view.status, 'finished', view.error);
    const rows = treeRows(view);
    assert.equal(rows[0]!.node.id, 'root');
    const children = rows.filter((r) => r.depth === 1);
    assert.equal(children.length, 3, `children: ${rows.map((r) => r.node.id).join(', ')}`);
    assert.ok(rows.every((r) => r.node.status === 'done'), rows.map((r) => `${r.node.id}:${r.node.status}`).join(' '));
    assert.ok(children.every((r) => r.node.budget !== null && r.node.tokens > 0), children.map((r) => `${r.node.tokens}/${r.node.budget}`).join(' '));
    assert.match(view.answer, /Simulated answer/);
    // The same tree from the coalesced, JSON-round-tripped events (what the webview and history get).
    const again = createRunView();
    const wire = JSON.parse(JSON.stringify(coalesceEvents(raw))) as unknown[];
    assert.equal(applyRaw(again, wire), 0);
    assert.deepEqual(treeRows(again).map((r) => [r.node.id, r.node.status, r.node.tokens]), rows.map((r) => [r.node.id, r.node.status, r.node.tokens]));
    assert.equal(again.answer, view.answer);
    for (const e of wire) assert.ok(parseRunEvent(e).ok);
  } finally {
    await sim.close();
  }
});

test('approval cards: the display fields parse, the webview may ask to open an approval\'s whole text, a bad sandbox value does not parse', () => {
  assert.equal(parseWebviewMessage({ type: 'openApprovalText', id: 'approval-1' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'openApprovalText', id: '' }).ok, false);
  const card = { id: 'a', kind: 'command', title: 'Run a command in /w', detail: 'an operator', command: 'npm test⟨10,000 spaces⟩; curl x | sh', commandLength: 10_020, commandTransformed: true, sandbox: 'unsandboxed', openable: true };
  assert.equal(parseHostMessage({ type: 'approvals', approvals: [card] }).ok, true);
  const edit = { id: 'b', kind: 'edit', title: 'Edit .git/hooks/pre-commit', diff: '+x', diffLines: 5000, diffMoreLines: 2000, diffShortenedLines: 1, protectedReason: '.git/hooks decide what git runs', openable: true };
  assert.equal(parseHostMessage({ type: 'approvals', approvals: [edit] }).ok, true);
  assert.equal(parseHostMessage({ type: 'approvals', approvals: [{ ...card, sandbox: 'maybe' }] }).ok, false);
  assert.equal(parseHostMessage({ type: 'approvals', approvals: [{ ...edit, diffMoreLines: -1 }] }).ok, false);
});

test('the run tree shows control characters in tool names, arguments and approval summaries visibly', () => {
  const view = createRunView('q');
  applyRaw(view, [
    ev('run.started', { query: 'q', requestedMode: 'agentic' }),
    ev('thread.started', { goal: 'q', budget: null }),
    ev('tool.called', { callId: 'c1', name: 'read_file\x1b]52;c;QQ==\x07', arguments: { path: 'a\u202eb' } }),
    ev('approval.requested', { id: 'approval-1', kind: 'command', command: 'npm test\x1b[2K\x1b[G\u009b2J' }),
  ]);
  const tool = view.threads.get('root')!.tools[0]!;
  assert.equal(tool.name, 'read_file\\x1b]52;c;QQ==\\x07');
  assert.match(tool.args, /a\\u202eb/);
  assert.equal(view.approvals[0]!.summary, 'npm test\\x1b[2K\\x1b[G\\x9b2J');
});

test('the slider moves at once and follows the host only once its last move is saved (no time window)', () => {
  // The page sent move 3; settings still carrying seq 2 (a run finished, a config echo) do not move it back.
  assert.equal(adoptSavedEffort(2, 3, false), false);
  // The echo of move 3 arrives: the slider shows what was saved.
  assert.equal(adoptSavedEffort(3, 3, false), true);
  // A move still in its debounce is never overwritten.
  assert.equal(adoptSavedEffort(3, 3, true), false);
  // A change made elsewhere (settings.json) once every move is saved: followed.
  assert.equal(adoptSavedEffort(3, 3, false), true);
  // A fresh page (sent 0) adopts the host's seq.
  assert.equal(adoptSavedEffort(5, 0, false), true);
});

test('a thread over its budget says why; within it, nothing', () => {
  assert.equal(overBudgetReason({ tokens: 900, budget: 1000 }), undefined);
  assert.match(overBudgetReason({ tokens: 1992, budget: 1500, noticeCodes: ['budget_reached'] })!, /answer, asked for separately, has its own allowance/);
  assert.match(overBudgetReason({ tokens: 2100, budget: 2024, noticeCodes: ['reasoning_extended'] })!, /extended/);
  assert.match(overBudgetReason({ tokens: 2100, budget: 2024 })!, /did not stop at the output cap/);
  const view = createRunView('q');
  applyRaw(view, [ev('run.started', { query: 'q', requestedMode: 'reasoning' }), ev('thread.started', { goal: 'q', role: 'reasoning', mode: 'reasoning', budget: 100 }), ev('thread.notice', { code: 'budget_reached', message: 'cut' })]);
  assert.deepEqual(view.threads.get('root')!.noticeCodes, ['budget_reached']);
});
