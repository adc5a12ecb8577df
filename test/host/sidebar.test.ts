// The sidebar in a real extension host (code-server's VS Code), against the scripted loopback server
// (not a model): the webview loads under its CSP and says ready, runs stream into turns, follow-ups
// carry the conversation, attachments and the selection reach the prompt, cancel, approvals in the
// sidebar (deny and approve), thumbs, history, Select Model and Set Up Model Provider.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startScriptedServer, textStream, toolCallStream, type ScriptedServer } from '../fixtures/scriptedServer';
import { until } from './wait';

interface TurnState {
  id: string;
  query: string;
  status: string;
  mode?: string;
  answer: string;
  partial: boolean;
  threads: number;
  rated?: string;
  attachments: string[];
  error?: string;
  fromHistory: boolean;
}
interface SidebarState {
  visible: boolean;
  ready: boolean;
  history?: string;
  turns: TurnState[];
  approvals: Array<{ id: string; kind: string; title: string; diff?: string }>;
  session: { runs: number };
  unpriced: string[];
}
interface TurnResult {
  turnId: string;
  runId?: string;
  status: string;
  answer: string;
  mode?: string;
  error?: string;
}

const state = async () => (await vscode.commands.executeCommand('arc.sidebar.state')) as SidebarState;

const userTexts = (server: ScriptedServer) =>
  (server.requests.at(-1)?.body?.messages ?? []).map((m: { role: string; content: string | null }) => `${m.role}: ${m.content ?? ''}`).join('\n');

suite('ARC sidebar', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  const config = () => vscode.workspace.getConfiguration('arc');
  const file = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'sample.js');

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['host-model', 'other-model'] });
    await config().update('endpoints', [{ id: 'loopback', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'loopback/host-model', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['endpoints', 'models.instant', 'models.reasoning', 'agent.autoApproveEdits', 'agent.editReview', 'effort', 'mode']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    server.respond(undefined);
    await server?.close();
  });

  test('the view opens from the ARC container, loads its page under the CSP and says ready', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.arc');
    await vscode.commands.executeCommand('arc.sidebar.focus');
    const s = await until('the webview to say ready', async () => {
      const st = await state();
      return st.ready && st.visible ? st : undefined;
    }, 30_000);
    assert.strictEqual(s.turns.length, 0);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['arc.selectModel', 'arc.showHistory', 'arc.explainSelection', 'arc.newChat', 'arc.setUpProvider']) assert.ok(commands.includes(id), id);
  });

  test('a question asked in the sidebar streams into a turn, with its mode, usage and the run recorded', async () => {
    await vscode.commands.executeCommand('arc.newChat');
    server.enqueue(textStream('Rebase replays your commits onto another base.', { pieces: 5, tokenDelayMs: 20, usage: { prompt_tokens: 30, completion_tokens: 12 } }));
    const result = (await vscode.commands.executeCommand('arc.sidebar.ask', 'What does git rebase do?', { mode: 'instant' })) as TurnResult;
    assert.strictEqual(result.status, 'finished', result.error);
    assert.strictEqual(result.answer, 'Rebase replays your commits onto another base.');
    assert.strictEqual(result.mode, 'instant');
    const s = await state();
    assert.strictEqual(s.turns.length, 1);
    assert.strictEqual(s.turns[0]!.status, 'finished');
    assert.strictEqual(s.turns[0]!.threads, 1);
    assert.ok(s.session.runs >= 1);
    const body = server.requests.at(-1)!.body;
    assert.strictEqual(body.model, 'host-model');
    // No price is set for the loopback model: the page is told so, and shows "cost unknown" from the start.
    assert.deepStrictEqual(s.unpriced, ['loopback/host-model']);
    await config().update('prices', { 'host-model': { input: 1, output: 2 } }, vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual((await state()).unpriced, []);
    } finally {
      await config().update('prices', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a follow-up carries the earlier question and answer to the model', async () => {
    server.enqueue(textStream('With --onto you pick the new base.'));
    const result = (await vscode.commands.executeCommand('arc.sidebar.ask', 'And what does --onto change?', { mode: 'instant' })) as TurnResult;
    assert.strictEqual(result.status, 'finished', result.error);
    const sent = userTexts(server);
    assert.match(sent, /user: What does git rebase do\?/);
    assert.match(sent, /assistant: Rebase replays your commits onto another base\./);
    assert.match(sent, /user: And what does --onto change\?/);
    assert.strictEqual((await state()).turns.length, 2);
  });

  test('thumbs up in the sidebar rates the run (the palette\'s rating path)', async () => {
    const s = await state();
    const turn = s.turns.at(-1)!;
    assert.strictEqual(await vscode.commands.executeCommand('arc.sidebar.rate', turn.id, true), true);
    assert.strictEqual((await state()).turns.at(-1)!.rated, 'up');
  });

  test('attached files reach the prompt, bounded, and New Chat starts over without the old turns', async () => {
    await vscode.commands.executeCommand('arc.newChat');
    server.enqueue(textStream('It adds two numbers.'));
    const result = (await vscode.commands.executeCommand('arc.sidebar.ask', 'What does add do?', { mode: 'instant', attachFiles: ['sample.js'] })) as TurnResult;
    assert.strictEqual(result.status, 'finished', result.error);
    const sent = userTexts(server);
    assert.match(sent, /function add\(a, b\)/);
    assert.doesNotMatch(sent, /git rebase/, 'a new chat has no history');
    const s = await state();
    assert.strictEqual(s.turns.length, 1);
    assert.deepStrictEqual(s.turns[0]!.attachments, ['sample.js']);
  });

  test('cancel stops a sidebar run and keeps the partial answer, marked', async () => {
    server.enqueue({ ...textStream('slow words keep coming one by one', { pieces: 8 }), tokenDelayMs: 400 });
    const pending = vscode.commands.executeCommand('arc.sidebar.ask', 'Slow question', { mode: 'instant' }) as Thenable<TurnResult>;
    // This run's turn, not the one before it (turns are kept, and a new one may appear a moment later).
    await until('some of the answer', async () => {
      const turn = (await state()).turns.at(-1);
      return turn?.query === 'Slow question' && (turn.answer.length ?? 0) > 0;
    });
    assert.strictEqual(await vscode.commands.executeCommand('arc.sidebar.cancel'), 1);
    const result = await pending;
    assert.strictEqual(result.status, 'cancelled');
    const turn = (await state()).turns.at(-1)!;
    assert.strictEqual(turn.status, 'cancelled');
    assert.strictEqual(turn.partial, true);
  });

  test('an agentic edit waits in the sidebar: denied, the file stays; approved, it changes (and Undo restores it)', async () => {
    await config().update('agent.autoApproveEdits', false, vscode.ConfigurationTarget.Global);
    // Asked first (arc.agent.editReview: ask), rather than proposed in the editor (review.test.ts).
    await config().update('agent.editReview', 'ask', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('arc.sidebar.focus');
    await until('the sidebar to be visible', async () => (await state()).visible);
    const before = Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8');
    server.respond((req) => {
      const results = req.body.messages.filter((m: { role: string }) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'r', name: 'read_file', arguments: JSON.stringify({ path: 'sample.js', startLine: null, endLine: null }) }]);
      if (results === 1) return toolCallStream([{ id: 'e', name: 'edit_file', arguments: JSON.stringify({ path: 'sample.js', edits: [{ search: 'return a + b;', replace: 'return a + b; // checked by ARC' }] }) }]);
      const last = String(req.body.messages.at(-1)?.content ?? '');
      return textStream(/declined|denied|not applied/i.test(last) ? 'The edit was declined; nothing changed.' : 'Added a note to add().');
    });
    try {
      // Deny.
      const denied = vscode.commands.executeCommand('arc.sidebar.ask', 'Add a comment to add in sample.js', { mode: 'agentic' }) as Thenable<TurnResult>;
      const a1 = await until('an approval in the sidebar', async () => (await state()).approvals[0]);
      assert.strictEqual(a1.kind, 'edit');
      assert.match(a1.title, /sample\.js/);
      assert.match(a1.diff ?? '', /\+\s*return a \+ b; \/\/ checked by ARC/);
      assert.strictEqual(await vscode.commands.executeCommand('arc.sidebar.approve', a1.id, false), true);
      const r1 = await denied;
      assert.strictEqual(r1.status, 'finished', r1.error);
      assert.strictEqual(Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8'), before, 'a denied edit changes nothing');
      assert.strictEqual((await state()).approvals.length, 0);
      // Approve.
      const approved = vscode.commands.executeCommand('arc.sidebar.ask', 'Add a comment to add in sample.js', { mode: 'agentic' }) as Thenable<TurnResult>;
      const a2 = await until('a second approval', async () => (await state()).approvals[0]);
      assert.strictEqual(await vscode.commands.executeCommand('arc.sidebar.approve', a2.id, true), true);
      const r2 = await approved;
      assert.strictEqual(r2.status, 'finished', r2.error);
      assert.match(Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8'), /return a \+ b; \/\/ checked by ARC/);
      const undone = (await vscode.commands.executeCommand('arc.undoLastRun')) as { restored: string[] };
      assert.deepStrictEqual(undone.restored, ['sample.js']);
      assert.strictEqual(Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8'), before);
    } finally {
      server.respond(undefined);
    }
  });

  test('Show Run History reopens a past run\'s tree and answer in the sidebar', async () => {
    server.enqueue(textStream('History answer.'));
    const result = (await vscode.commands.executeCommand('arc.sidebar.ask', 'Remember this one', { mode: 'instant' })) as TurnResult;
    assert.ok(result.runId);
    const shown = (await vscode.commands.executeCommand('arc.showHistory', result.runId)) as { runId: string; events: number };
    assert.strictEqual(shown.runId, result.runId);
    assert.ok(shown.events > 0);
    const s = await state();
    assert.ok(s.history, 'the sidebar shows a history entry');
    assert.strictEqual(s.turns.length, 1);
    assert.strictEqual(s.turns[0]!.fromHistory, true);
    assert.strictEqual(s.turns[0]!.answer, 'History answer.');
    assert.strictEqual(s.turns[0]!.status, 'finished');
    await vscode.commands.executeCommand('arc.newChat');
  });

  test('Explain Selection asks in the sidebar with the selection attached', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 0, 4, 1);
    server.enqueue(textStream('add returns the sum of a and b.'));
    const result = (await vscode.commands.executeCommand('arc.explainSelection')) as TurnResult;
    assert.strictEqual(result.status, 'finished', result.error);
    assert.match(userTexts(server), /function add\(a, b\) \{/);
    const turn = (await state()).turns.at(-1)!;
    assert.match(turn.query, /Explain/);
  });

  test('Select Model lists each endpoint\'s models and writes the role', async () => {
    const listed = (await vscode.commands.executeCommand('arc.selectModel', 'reasoning', true)) as { choices: Array<{ ref: string }>; errors: unknown[] };
    const refs = listed.choices.map((c) => c.ref);
    assert.ok(refs.includes('loopback/host-model') && refs.includes('loopback/other-model'), refs.join(', '));
    assert.deepStrictEqual(await vscode.commands.executeCommand('arc.selectModel', 'reasoning', 'loopback/other-model'), { role: 'reasoning', ref: 'loopback/other-model' });
    assert.strictEqual(config().get('models.reasoning'), 'loopback/other-model');
  });

  test('Set Up Model Provider adds an endpoint (Ollama\'s address by default)', async () => {
    const before = config().get<unknown[]>('endpoints') ?? [];
    try {
      const added = (await vscode.commands.executeCommand('arc.setUpProvider', 'ollama', 'http://127.0.0.1:11434/v1', 'ollama-host-test')) as { id: string };
      assert.strictEqual(added.id, 'ollama-host-test');
      const after = config().get<Array<{ id: string; baseUrl: string }>>('endpoints') ?? [];
      assert.deepStrictEqual(after.find((e) => e.id === 'ollama-host-test'), { id: 'ollama-host-test', baseUrl: 'http://127.0.0.1:11434/v1' });
      assert.ok(after.some((e) => e.id === 'loopback'), 'other endpoints stay');
    } finally {
      await config().update('endpoints', before, vscode.ConfigurationTarget.Global);
    }
  });
});
