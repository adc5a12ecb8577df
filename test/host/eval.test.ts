// ARC: Run Evaluation and Open Evaluation Report in a real extension host, against the scripted
// loopback server (not a model): the command's own path from a task file to results, summary and
// the report panel — with the pickers skipped through the command's arguments.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startScriptedServer, textStream, type ScriptedServer } from '../fixtures/scriptedServer';
import { until } from './wait';

interface Summary {
  task: string;
  model: string;
  simulated: boolean;
  ran: number;
  arms: Array<{ arm: string; items: number; correct: number; accuracy: number | null; tokens: { completion: number } }>;
}

suite('ARC evaluation commands', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('arc');

  suiteSetup(async () => {
    server = await startScriptedServer({ models: ['eval-model'] });
    // The scripted server knows one answer: an evaluation must score it right and the other wrong.
    server.respond((req) => {
      const last = JSON.stringify(req.body?.messages?.at(-1)?.content ?? '');
      return textStream(/7 times 8/.test(last) ? '56' : 'Sydney', { usage: { prompt_tokens: 20, completion_tokens: 5 } });
    });
    await config().update('endpoints', [{ id: 'evalloop', baseUrl: server.url }], vscode.ConfigurationTarget.Global);
    await config().update('models.instant', 'evalloop/eval-model', vscode.ConfigurationTarget.Global);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-host-eval-'));
  });

  suiteTeardown(async () => {
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await config().update('models.instant', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  test('Run Evaluation with arguments: a task file, one arm, results on disk, the report opens', async () => {
    const task = path.join(dir, 'two.jsonl');
    fs.writeFileSync(
      task,
      [
        { id: 'times', question: 'What is 7 times 8? Reply with the number.', answer: '56', check: 'number' },
        { id: 'capital', question: 'What is the capital city of Australia?', answer: 'Canberra' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const out = path.join(dir, 'run');
    const summary = (await vscode.commands.executeCommand('arc.runEvaluation', { task, arms: 'instant', items: 2, start: true, out })) as Summary | undefined;
    assert.ok(summary, 'the command returns the summary');
    assert.strictEqual(summary.model, 'evalloop/eval-model');
    assert.strictEqual(summary.simulated, false);
    assert.strictEqual(summary.arms.length, 1);
    const arm = summary.arms[0]!;
    assert.strictEqual(arm.items, 2);
    assert.strictEqual(arm.correct, 1, JSON.stringify(arm));
    assert.strictEqual(arm.accuracy, 0.5);
    assert.ok(arm.tokens.completion >= 10, JSON.stringify(arm.tokens));
    for (const f of ['results.jsonl', 'summary.json', 'report.html']) assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.strictEqual(fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').length, 2);
    // The workbench reports the new tab a moment after the panel is created.
    await until('the report panel open', async () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'ARC Evaluation: run'), 5000);
  });

  test('Open Evaluation Report opens a folder\'s report; a missing one is an error, not a crash', async () => {
    const out = path.join(dir, 'run');
    const opened = await vscode.commands.executeCommand('arc.openEvaluationReport', out);
    assert.strictEqual(opened, path.join(out, 'report.html'));
    const missing = await vscode.commands.executeCommand('arc.openEvaluationReport', path.join(dir, 'nowhere'));
    assert.strictEqual(missing, undefined);
  });

  test('arguments it cannot use change nothing and run nothing', async () => {
    const before = server.requests.length;
    for (const bad of [{ task: '' }, { task: 'countdown', items: 0 }, { task: 'countdown', arms: 'instant+nonsense' }, { task: 'countdown', extra: 1 }]) {
      const r = await vscode.commands.executeCommand('arc.runEvaluation', bad);
      assert.strictEqual(r, undefined, JSON.stringify(bad));
    }
    assert.strictEqual(server.requests.length, before);
  });
});
