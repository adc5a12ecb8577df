// ARC's commands in a real extension host, against the scripted loopback server (not a model).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startScriptedServer, textStream, toolCallStream, type ScriptedServer } from '../fixtures/scriptedServer';

const ANSWER = 'Host-test answer: rebase moves commits onto a new base.';

/**
 * The answer document's content provider fires a change; the editor then asks for the new content
 * and syncs it back to this extension host, so the text arrives a moment after the command returns.
 */
async function documentText(uri: string, done: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  let text = '';
  while (Date.now() < deadline) {
    text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText() ?? '';
    if (done(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  return text;
}

suite('ARC commands', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  const config = () => vscode.workspace.getConfiguration('arc');

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['host-model', 'other-model'] });
    await config().update('endpoints', [{ id: 'loopback', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'loopback/host-model', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await config().update('models.instant', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  test('settings read with their defaults', () => {
    const fresh = vscode.workspace.getConfiguration('arc');
    assert.strictEqual(fresh.inspect('requestTimeoutSeconds')?.defaultValue, 120);
    assert.deepStrictEqual(fresh.inspect('endpoints')?.defaultValue, []);
    assert.deepStrictEqual(fresh.inspect('prices')?.defaultValue, {});
    for (const role of ['instant', 'reasoning', 'agentic']) assert.strictEqual(fresh.inspect(`models.${role}`)?.defaultValue, '');
  });

  test('Test Connection lists the loopback server\'s models', async () => {
    const result = (await vscode.commands.executeCommand('arc.testConnection', 'loopback')) as { models?: string[]; error?: string };
    assert.deepStrictEqual(result.models, ['host-model', 'other-model'], result.error);
  });

  test('SecretStorage round trip: a key set is sent, a key cleared is not', async () => {
    server.requireKey('sk-host-test-0123456789');
    try {
      const without = (await vscode.commands.executeCommand('arc.testConnection', 'loopback')) as { error?: string };
      assert.match(without.error ?? '', /rejected the API key/);
      assert.strictEqual(await vscode.commands.executeCommand('arc.setApiKey', 'loopback', 'sk-host-test-0123456789'), true);
      const withKey = (await vscode.commands.executeCommand('arc.testConnection', 'loopback')) as { models?: string[]; error?: string };
      assert.deepStrictEqual(withKey.models, ['host-model', 'other-model'], withKey.error);
      const last = server.requests.at(-1)!;
      assert.strictEqual(last.headers.authorization, 'Bearer sk-host-test-0123456789');
      assert.strictEqual(await vscode.commands.executeCommand('arc.clearApiKey', 'loopback'), true);
      const cleared = (await vscode.commands.executeCommand('arc.testConnection', 'loopback')) as { error?: string };
      assert.match(cleared.error ?? '', /rejected the API key/);
    } finally {
      server.requireKey(undefined);
    }
  });

  test('ARC: Ask… streams the answer into a Markdown document', async () => {
    server.enqueue(textStream(ANSWER, { pieces: 5, tokenDelayMs: 20, usage: { prompt_tokens: 30, completion_tokens: 12 } }));
    const result = (await vscode.commands.executeCommand('arc.ask', 'What does git rebase do?')) as {
      status: string;
      answer: string;
      uri: string;
      error?: string;
    };
    assert.strictEqual(result.status, 'finished', result.error);
    assert.strictEqual(result.answer, ANSWER);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri);
    assert.ok(doc, 'the answer document is open');
    assert.strictEqual(doc.languageId, 'markdown');
    const text = await documentText(result.uri, (t) => t.includes('completion tokens'));
    assert.match(text, /^# What does git rebase do\?/);
    assert.ok(text.includes(ANSWER), text);
    assert.match(text, /30 prompt \+ 12 completion tokens/);
    const visible = vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === result.uri);
    assert.ok(visible, 'shown beside the editor');
  });

  test('a server error ends the run with the error in the document, not a crash', async () => {
    server.enqueue({ kind: 'error', status: 404, message: 'no such model' });
    const result = (await vscode.commands.executeCommand('arc.ask', 'Anything?')) as { status: string; error?: string; uri: string };
    assert.strictEqual(result.status, 'failed');
    assert.match(result.error ?? '', /Model "host-model" was not found/);
    const text = await documentText(result.uri, (t) => t.includes('Error:'));
    assert.match(text, /\*\*Error:\*\* Model "host-model" was not found/);
  });

  test('Cancel Run stops a run in flight', async () => {
    server.enqueue({ ...textStream('slow words keep coming one by one', { pieces: 8 }), tokenDelayMs: 400 });
    const pending = vscode.commands.executeCommand('arc.ask', 'Slow question') as Thenable<{ status: string; answer: string }>;
    await new Promise((r) => setTimeout(r, 900));
    const cancelled = await vscode.commands.executeCommand('arc.cancel');
    assert.strictEqual(cancelled, 1);
    const result = await pending;
    assert.strictEqual(result.status, 'cancelled');
  });
});

suite('ARC routing commands', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  const config = () => vscode.workspace.getConfiguration('arc');

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['fast', 'deep'] });
    await config().update('endpoints', [{ id: 'loopback', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'loopback/fast', vscode.ConfigurationTarget.Global);
    await config().update('models.reasoning', 'loopback/deep', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('arc.resetRouterLearning', true);
  });

  suiteTeardown(async () => {
    for (const key of ['endpoints', 'models.instant', 'models.reasoning']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  test('routing settings have their defaults', () => {
    const c = vscode.workspace.getConfiguration('arc');
    assert.strictEqual(c.inspect('mode')?.defaultValue, 'auto');
    assert.strictEqual(c.inspect('router.learning')?.defaultValue, true);
    assert.deepStrictEqual(c.inspect('router.enabledModes')?.defaultValue, ['instant', 'reasoning', 'agentic']);
    assert.strictEqual(c.inspect('router.selfRoute')?.defaultValue, false);
  });

  test('Ask… routes for real: a simple question goes to instant with the instant model', async () => {
    server.enqueue(textStream('Rebase replays commits.'));
    const result = (await vscode.commands.executeCommand('arc.ask', 'what does git rebase do?')) as { status: string; uri: string };
    assert.strictEqual(result.status, 'finished');
    assert.strictEqual(server.requests.at(-1)!.body.model, 'fast');
    const text = await documentText(result.uri, (t) => t.includes('Why this mode'));
    assert.match(text, /_instant mode · model `loopback\/fast`_/);
    assert.match(text, /> Why this mode: .*instant/);
  });

  test('Ask with Mode… forces reasoning, with the reasoning model, and Why This Mode? explains it', async () => {
    server.enqueue(textStream('Thought it through.'));
    const result = (await vscode.commands.executeCommand('arc.askWithMode', 'what does git rebase do?', 'reasoning')) as { status: string };
    assert.strictEqual(result.status, 'finished');
    const body = server.requests.at(-1)!.body;
    assert.strictEqual(body.model, 'deep');
    assert.match(body.messages[0].content, /Think the problem through/);
    const why = (await vscode.commands.executeCommand('arc.whyThisMode')) as { decision: { mode: string }; markdown: string };
    assert.strictEqual(why.decision.mode, 'reasoning');
    assert.match(why.markdown, /^# Why reasoning\?/);
    assert.match(why.markdown, /You chose reasoning for this run/);
    assert.match(why.markdown, /the router would pick instant/);
  });

  test('arc.router.enabledModes rules a mode out of automatic choice', async () => {
    await config().update('router.enabledModes', ['reasoning', 'agentic'], vscode.ConfigurationTarget.Global);
    try {
      const why = (await vscode.commands.executeCommand('arc.whyThisMode', 'what does git rebase do?')) as { decision: { mode: string } };
      assert.notStrictEqual(why.decision.mode, 'instant');
    } finally {
      await config().update('router.enabledModes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('rating an answer 👎 teaches the router for that kind of query', async () => {
    await vscode.commands.executeCommand('arc.resetRouterLearning', true);
    server.enqueue(textStream('An answer.'));
    const result = (await vscode.commands.executeCommand('arc.ask', 'what is a monad?', 'instant')) as { status: string; uri: string };
    assert.strictEqual(result.status, 'finished');
    assert.strictEqual(await vscode.commands.executeCommand('arc.rateAnswer', result.uri, false), true);
    const why = (await vscode.commands.executeCommand('arc.whyThisMode', 'what is a monad?')) as { markdown: string };
    assert.match(why.markdown, /Learned from your earlier choices for this kind of query: instant -0\.5/);
    assert.strictEqual(await vscode.commands.executeCommand('arc.rateAnswer', 'arc-answer:/not-a-run.md', true), false);
  });

  test('Reset Router Learning forgets overrides', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('arc.resetRouterLearning', true), true);
    const why = (await vscode.commands.executeCommand('arc.whyThisMode', 'what does git rebase do?')) as { markdown: string };
    assert.match(why.markdown, /Nothing learned yet for this kind of query/);
  });
});

suite('ARC agentic mode', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  const config = () => vscode.workspace.getConfiguration('arc');
  const file = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'sample.js');

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['agent'] });
    await config().update('endpoints', [{ id: 'loopback', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'loopback/agent', vscode.ConfigurationTarget.Global);
    await config().update('agent.autoApproveEdits', true, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['endpoints', 'models.instant', 'agent.autoApproveEdits']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  test('an agentic run reads and edits a workspace file (auto-approved), and Undo Last Run restores it byte for byte', async () => {
    const before = await vscode.workspace.fs.readFile(file());
    // A scripted stand-in for a model: read the file, change it, answer.
    server.respond((req) => {
      const results = req.body.messages.filter((m: { role: string }) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'r', name: 'read_file', arguments: JSON.stringify({ path: 'sample.js', startLine: null, endLine: null }) }]);
      if (results === 1) return toolCallStream([{ id: 'e', name: 'edit_file', arguments: JSON.stringify({ path: 'sample.js', edits: [{ search: 'return a + b;', replace: 'return a + b; // checked by ARC' }] }) }]);
      return textStream('Added a note to add().');
    });
    try {
      const result = (await vscode.commands.executeCommand('arc.askWithMode', 'Add a comment to add in sample.js', 'agentic')) as { status: string; answer: string; error?: string };
      assert.strictEqual(result.status, 'finished', result.error);
      assert.match(result.answer, /Added a note/);
      assert.match(result.answer, /sample\.js/);
      const after = Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8');
      assert.match(after, /return a \+ b; \/\/ checked by ARC/);
      const tools = (server.requests[0]!.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name);
      assert.ok(tools.includes('edit_file') && tools.includes('run_command'), tools.join(','));
      const undone = (await vscode.commands.executeCommand('arc.undoLastRun')) as { restored: string[] };
      assert.deepStrictEqual(undone.restored, ['sample.js']);
      assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(file())), Buffer.from(before));
    } finally {
      server.respond(undefined);
    }
  });
});
