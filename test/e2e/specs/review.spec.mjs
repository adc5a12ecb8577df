// Review and rewind (issue 21) as a person meets it, in code-server's VS Code in Chromium, on the
// scripted loopback server: an agentic run edits two files; they are pending in the editor (nothing on
// disk); one hunk of A is kept and one undone with the lenses, all of B kept from the sidebar's
// changed-files list; the disk then holds exactly the expected bytes. Then three turns that each edit a
// file, a window reload, and Restore to turn 2 (files and conversation): the file as before turn 2 and
// the conversation ending at turn 1. Screenshots in .test-artifacts/e2e/review-*/.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, newChat, configure, lastTurn, openArc, sleep, turns, until, waitForStatus } from '../lib/sidebar.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { startScriptedServer, textStream, toolCallStream } = require(path.join(root, 'out/test/fixtures/scriptedServer.js'));

const scripted = await startScriptedServer({ models: ['e2e-instant', 'e2e-agent'] });
export const teardown = async () => {
  await scripted.close();
};
const scriptedSettings = {
  'arc.endpoints': [{ id: 'scripted', baseUrl: scripted.url }],
  'arc.models.instant': 'scripted/e2e-instant',
  'arc.models.agentic': 'scripted/e2e-agent',
  'arc.models.reasoning': 'scripted/e2e-agent',
  'arc.effort': 1,
  'arc.mode': 'agentic',
};

const A = 'review-a.js';
const B = 'review-b.txt';
const A0 = 'function one() {\r\n  return 1;\r\n}\r\n\r\nfunction two() {\r\n  return 2;\r\n}\r\n\r\nfunction three() {\r\n  return 3;\r\n}\r\n';
const B0 = 'alpha\nbeta\ngamma';

async function clickLens(page, text) {
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: text }).first();
  await lens.waitFor({ state: 'visible', timeout: 15_000 });
  await lens.click();
}

export default {
  'an agentic run edits two files: hunks kept and undone in the editor, a file kept from the changed-files list, the disk exact': async (page, ctx) => {
    const fa = path.join(ctx.workspace, A);
    const fb = path.join(ctx.workspace, B);
    fs.writeFileSync(fa, A0);
    fs.writeFileSync(fb, B0);
    // VS Code for the Web (code-server) auto-saves after a delay by default; desktop VS Code does not.
    // Auto save would write the buffer with the pending change shown (README: Reviewing the agent's changes).
    await configure(page, ctx, { ...scriptedSettings, 'arc.agent.autoApproveEdits': false, 'arc.agent.editReview': 'editor' }, { 'files.autoSave': 'off' });
    scripted.respond((req) => {
      const results = req.body.messages.filter((m) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'a', name: 'edit_file', arguments: JSON.stringify({ path: A, edits: [{ search: 'return 1;', replace: 'return 10;' }, { search: 'return 3;', replace: 'return 30;' }] }) }]);
      if (results === 1) return toolCallStream([{ id: 'b', name: 'edit_file', arguments: JSON.stringify({ path: B, edits: [{ search: 'beta', replace: 'BETA' }] }) }]);
      return textStream('Proposed both edits.');
    });
    try {
      const frame = await openArc(page, ctx);
      await newChat(page, frame);
      await ask(frame, 'Change the numbers in review-a.js and beta in review-b.txt');
      await waitForStatus(frame, 'finished', 60_000);
      const list = frame.locator('#review');
      await list.waitFor({ state: 'visible', timeout: 15_000 });
      await until('both files listed', async () => (await list.locator('.review-file').count()) === 2);
      if (fs.readFileSync(fa, 'utf8') !== A0 || fs.readFileSync(fb, 'utf8') !== B0) throw new Error(`a pending change reached the disk: A ${JSON.stringify(fs.readFileSync(fa, 'utf8'))}, B ${JSON.stringify(fs.readFileSync(fb, 'utf8'))}`);
      await ctx.screenshot('changed files listed, nothing on disk yet');
      await list.locator(`.review-file[data-path="${A}"] a.review-open`).click();
      await sleep(1000);
      await ctx.screenshot('file A with its pending hunks');
      await clickLens(page, 'Keep (');
      await sleep(700);
      await ctx.screenshot('first hunk of A kept');
      await clickLens(page, 'Undo (');
      await until('A saved with the kept hunk only', async () => fs.readFileSync(fa, 'utf8') === A0.replace('return 1;', 'return 10;'), 15_000);
      await ctx.screenshot('second hunk of A undone, A saved');
      await list.locator(`.review-file[data-path="${B}"] vscode-button.keep-file`).click();
      await until('B saved', async () => fs.readFileSync(fb, 'utf8') === 'alpha\nBETA\ngamma', 15_000);
      await sleep(500);
      await ctx.screenshot('B kept from the list');
      if (!fs.readFileSync(fa).equals(Buffer.from(A0.replace('return 1;', 'return 10;')))) throw new Error('A is not byte-exact');
      if (!fs.readFileSync(fb).equals(Buffer.from('alpha\nBETA\ngamma'))) throw new Error('B is not byte-exact');
    } finally {
      scripted.respond(undefined);
      fs.rmSync(fa, { force: true });
      fs.rmSync(fb, { force: true });
    }
  },

  'three turns each edit a file; after a reload, Restore to turn 2 (files and conversation)': async (page, ctx) => {
    const C = 'review-c.txt';
    const fc = path.join(ctx.workspace, C);
    const C0 = 'one\r\ntwo\r\nthree';
    fs.writeFileSync(fc, C0);
    await configure(page, ctx, { ...scriptedSettings, 'arc.agent.autoApproveEdits': true });
    let turn = 0;
    scripted.respond((req) => {
      const results = req.body.messages.filter((m) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: `e${turn}`, name: 'edit_file', arguments: JSON.stringify({ path: C, edits: [{ search: ['one', 'two', 'three'][turn - 1], replace: `T${turn}` }] }) }]);
      return textStream(`Edited for turn ${turn}.`);
    });
    try {
      let frame = await openArc(page, ctx);
      await newChat(page, frame);
      for (turn = 1; turn <= 3; turn++) {
        await ask(frame, `Turn ${turn}: edit review-c.txt`);
        await until(`turn ${turn} finished`, async () => (await turns(frame).count()) === turn && (await lastTurn(frame).getAttribute('data-status')) === 'finished', 60_000);
      }
      if (fs.readFileSync(fc, 'utf8') !== 'T1\r\nT2\r\nT3') throw new Error(`unexpected file after three turns: ${JSON.stringify(fs.readFileSync(fc, 'utf8'))}`);
      await ctx.screenshot('three turns');
      // A window reload: the conversation and its checkpoints come back from the extension's storage.
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await sleep(4000);
      frame = await openArc(page, ctx);
      await until('three turns after the reload', async () => (await turns(frame).count()) === 3, 30_000);
      await ctx.screenshot('after the reload');
      const second = turns(frame).nth(1);
      await second.hover();
      // The sticky controls may cover the turn's top: click the button itself.
      await second.locator('.restore-open').evaluate((b) => b.click());
      const panel = second.locator('.restore-panel');
      await panel.waitFor({ state: 'visible' });
      const preview = await panel.innerText();
      if (!preview.includes(C)) throw new Error(`the preview does not name the file: ${preview}`);
      await ctx.screenshot('restore preview');
      await panel.locator('vscode-button.restore-both').evaluate((b) => b.click());
      await until('the file as before turn 2', async () => fs.readFileSync(fc).equals(Buffer.from('T1\r\ntwo\r\nthree')), 15_000);
      await until('the conversation ends at turn 1', async () => (await turns(frame).count()) === 1, 15_000);
      await ctx.screenshot('restored to turn 2');
    } finally {
      scripted.respond(undefined);
      fs.rmSync(fc, { force: true });
    }
  },
};
