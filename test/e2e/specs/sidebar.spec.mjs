// The ARC sidebar as a person meets it, in code-server's VS Code in Chromium: opened from the activity
// bar; the slider and mode control before any model is set; the slider moved with the keyboard; a
// multi-part question on ARC's simulator (npm run demo's server: a simulated model, not a language
// model) filling a run tree with several threads; cancel; follow-up with context and thumbs (scripted
// loopback server); an agentic edit denied and approved in the sidebar; palette actions; themes.
// Every state gets a screenshot in .test-artifacts/e2e/sidebar-*/.
//
// Helpers shared with the other sidebar specs are in ../lib/sidebar.mjs.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, newChat, chooseMode, configure, contrast, lastTurn, openArc, readSettings, restoreSettings, sleep, turns, until, waitForStatus } from '../lib/sidebar.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Compiled by `tsc -p tsconfig.json` (npm run test:e2e does it first).
const { startScriptedServer, textStream, toolCallStream } = require(path.join(root, 'out/test/fixtures/scriptedServer.js'));
const { startSimulator } = require(path.join(root, 'out/bench/sim/simulator.js'));

const sim = await startSimulator({ speed: 2, seed: 7 });
const scripted = await startScriptedServer({ models: ['e2e-instant', 'e2e-agent'] });

export const teardown = async () => {
  await sim.close();
  await scripted.close();
};

const SIM_ENDPOINT = { id: 'simulator', baseUrl: sim.url, simulated: true };
const SCRIPTED_ENDPOINT = { id: 'scripted', baseUrl: scripted.url };
const simulatorSettings = {
  'arc.endpoints': [SIM_ENDPOINT, SCRIPTED_ENDPOINT],
  'arc.models.instant': 'simulator/sim-instant',
  'arc.models.reasoning': 'simulator/sim-reasoning',
  'arc.models.agentic': 'simulator/sim-agentic',
  'arc.prices': { 'sim-instant': { input: 1, output: 4 }, 'sim-reasoning': { input: 1, output: 4 }, 'sim-agentic': { input: 1, output: 4 } },
  'arc.spendCap': 0.5,
};
const scriptedSettings = {
  ...simulatorSettings,
  'arc.models.instant': 'scripted/e2e-instant',
  'arc.models.agentic': 'scripted/e2e-agent',
  'arc.models.reasoning': 'scripted/e2e-agent',
};

// ---- specs

export default {
  'opens from the activity bar; with no model the slider and mode control render beside the set-up prompt': async (page, ctx) => {
    await configure(page, ctx, { 'arc.endpoints': [], 'arc.models.instant': '', 'arc.models.reasoning': '', 'arc.models.agentic': '' });
    const frame = await openArc(page, ctx);
    await until('the set-up prompt', async () => (await frame.locator('#setup').isVisible()) && /Set up a model/.test(await frame.locator('#setup').innerText()));
    for (const sel of ['#effort', '#effort-value', '#effort-hint', 'select#mode']) {
      if (!(await frame.locator(sel).isVisible())) throw new Error(`${sel} is not visible without a model`);
    }
    const hint = await frame.locator('#effort-hint').innerText();
    if (!/≈ 1,000 reasoning tokens/.test(hint)) throw new Error(`unexpected hint: ${hint}`);
    const setupText = await frame.locator('#setup').innerText();
    for (const want of ['Ollama', 'LM Studio', 'API key', 'Walkthrough']) if (!setupText.includes(want)) throw new Error(`set-up prompt lacks ${want}: ${setupText}`);
    await ctx.screenshot('no model: set-up prompt with slider and mode');
    // The newcomer's walkthrough opens from the set-up prompt.
    await frame.locator('#setup vscode-button', { hasText: 'Walkthrough' }).click();
    await until('the walkthrough', async () => /Get started with ARC/.test(await page.locator('.part.editor').innerText()), 15_000);
    const walkthrough = await page.locator('.part.editor').innerText();
    for (const step of ['Choose where your model runs', 'Test the connection', 'Pick a model for each role', 'Ask a first question']) {
      if (!walkthrough.includes(step)) throw new Error(`the walkthrough lacks "${step}"`);
    }
    await ctx.screenshot('walkthrough');
  },

  'the slider moves with the keyboard: value, budget and arc.effort follow': async (page, ctx) => {
    await configure(page, ctx, { ...simulatorSettings, 'arc.effort': 1, 'arc.mode': 'auto' });
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    await until('the simulator model in the hint', async () => /simulator\/sim-reasoning/.test(await frame.locator('#effort-hint').innerText()));
    const slider = frame.locator('#effort');
    await slider.focus();
    for (let i = 0; i < 3; i++) await slider.press('ArrowRight');
    await until('1.3×', async () => (await frame.locator('#effort-value').innerText()) === '1.3×');
    const hint = await frame.locator('#effort-hint').innerText();
    if (!/≈ 1,300 reasoning tokens/.test(hint)) throw new Error(`the budget did not follow the slider: ${hint}`);
    await ctx.screenshot('slider at 1.3x');
    await until('arc.effort = 1.3 in settings.json', async () => readSettings(ctx)['arc.effort'] === 1.3, 10_000);
    for (let i = 0; i < 6; i++) await slider.press('ArrowLeft');
    await until('0.7×', async () => (await frame.locator('#effort-value').innerText()) === '0.7×');
    await until('arc.effort = 0.7 in settings.json', async () => readSettings(ctx)['arc.effort'] === 0.7, 10_000);
    if (!/≈ 700 reasoning tokens/.test(await frame.locator('#effort-hint').innerText())) throw new Error('hint did not follow to 0.7');
    await until('the status bar to follow', async () => /ARC: Auto · 0\.7×/.test(await page.locator('.statusbar').innerText()));
    await ctx.screenshot('slider at 0.7x, status bar follows');
  },

  'a multi-part question on the simulator fills a run tree with several threads, which finish': async (page, ctx) => {
    await configure(page, ctx, { ...simulatorSettings, 'arc.effort': 1, 'arc.mode': 'auto', 'arc.scale': 'off' });
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    await newChat(page, frame);
    await chooseMode(frame, 'reasoning');
    await until('arc.mode = reasoning in settings.json', async () => readSettings(ctx)['arc.mode'] === 'reasoning', 10_000);
    await ask(frame, 'Answer these:\n1. What is the complexity of heapsort?\n2. Why is merge sort stable?\n3. Compute 17 * 23 step by step.');
    await until('several threads in the tree', async () => (await lastTurn(frame).locator('.node[data-thread]').count()) >= 4, 30_000);
    await until('the status bar spinner while the run is active', async () => (await page.locator('.statusbar .codicon-loading').count()) > 0, 5_000);
    await ctx.screenshot('run tree filling');
    await waitForStatus(frame, 'finished', 120_000);
    await until('the spinner to stop', async () => (await page.locator('.statusbar .codicon-loading').count()) === 0, 5_000);
    const rows = await lastTurn(frame).locator('.node[data-thread]').evaluateAll((els) => els.map((e) => ({ id: e.dataset.thread, status: e.dataset.status, label: e.querySelector('.label')?.textContent })));
    ctx.log(`tree: ${rows.map((r) => `${r.id}:${r.status}`).join(' ')}`);
    if (rows.length < 4) throw new Error(`expected a root and 3 threads, got ${JSON.stringify(rows)}`);
    if (!rows.every((r) => r.status === 'done')) throw new Error(`not every thread finished: ${JSON.stringify(rows)}`);
    const text = await lastTurn(frame).innerText();
    for (const want of ['reasoning', 'Simulated answer', 'Rerun as']) if (!text.includes(want)) throw new Error(`the turn lacks "${want}"`);
    if (!/\$\d+\.\d{2,4}/.test(await lastTurn(frame).locator('.usage').innerText())) throw new Error('no cost shown for the run');
    await ctx.screenshot('run tree finished');
  },

  'cancel stops a long run': async (page, ctx) => {
    await configure(page, ctx, { ...simulatorSettings, 'arc.effort': 2, 'arc.mode': 'reasoning', 'arc.scale': 'off', 'arc.spawn': false });
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    await ask(frame, 'Prove that the optimal distributed consensus under concurrency needs a quorum, and derive the complexity of the invariant checks.');
    await until('tokens streaming', async () => /\d+ \/ [\d,]+/.test(await lastTurn(frame).locator('.node[data-thread="root"] .tokens').innerText()), 30_000);
    await sleep(1500);
    await ctx.screenshot('long run streaming');
    await frame.locator('vscode-button.cancel').click();
    await waitForStatus(frame, 'cancelled', 20_000);
    const root = await lastTurn(frame).locator('.node[data-thread="root"]').getAttribute('data-status');
    if (root !== 'cancelled') throw new Error(`root thread is ${root}`);
    await ctx.screenshot('run cancelled');
  },

  'a follow-up keeps the conversation, and thumbs up records the rating': async (page, ctx) => {
    await configure(page, ctx, { ...scriptedSettings, 'arc.effort': 1, 'arc.mode': 'instant' });
    scripted.respond((req) => {
      const n = req.body.messages.filter((m) => m.role === 'user').length;
      return textStream(n === 1 ? 'Rebase replays your commits onto a new base.' : 'With --onto you choose that base explicitly.', { pieces: 4, tokenDelayMs: 30, usage: { prompt_tokens: 20, completion_tokens: 10 } });
    });
    try {
      const frame = await openArc(page, ctx);
      await until('the scripted models', async () => /scripted\/e2e-agent/.test(await frame.locator('#effort-hint').innerText()));
      await newChat(page, frame);
      await ask(frame, 'What does git rebase do?');
      await waitForStatus(frame, 'finished', 20_000);
      await ask(frame, 'And what does --onto change?');
      await until('two turns', async () => (await turns(frame).count()) === 2);
      await waitForStatus(frame, 'finished', 20_000);
      const body = scripted.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1).body;
      const sent = body.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
      if (!/user: What does git rebase do\?/.test(sent) || !/assistant: Rebase replays your commits/.test(sent)) throw new Error(`the follow-up lacked the earlier turn: ${sent}`);
      await ctx.screenshot('follow-up answered with context');
      await lastTurn(frame).locator('vscode-button.thumb-up').click();
      await until('the rating shown', async () => /Rated helpful/.test(await lastTurn(frame).locator('.rating').innerText()), 10_000);
      await ctx.screenshot('rated helpful');
      // One click reruns the question in another mode.
      await lastTurn(frame).locator('vscode-button.rerun-reasoning').click();
      await until('a third turn', async () => (await turns(frame).count()) === 3);
      await waitForStatus(frame, 'finished', 20_000);
      const badge = await lastTurn(frame).locator('.routed vscode-badge').innerText();
      if (badge.trim() !== 'reasoning') throw new Error(`the rerun ran in ${badge}`);
      await ctx.screenshot('rerun as reasoning');
    } finally {
      scripted.respond(undefined);
    }
  },

  'an agentic edit waits in the sidebar: deny leaves the file, approve changes it (Undo Last Run restores it)': async (page, ctx) => {
    await configure(page, ctx, { ...scriptedSettings, 'arc.effort': 1, 'arc.mode': 'agentic', 'arc.agent.autoApproveEdits': false, 'arc.agent.editReview': 'ask' });
    const file = path.join(ctx.workspace, 'sample.js');
    const before = fs.readFileSync(file, 'utf8');
    scripted.respond((req) => {
      const results = req.body.messages.filter((m) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'r', name: 'read_file', arguments: JSON.stringify({ path: 'sample.js', startLine: null, endLine: null }) }]);
      if (results === 1) return toolCallStream([{ id: 'e', name: 'edit_file', arguments: JSON.stringify({ path: 'sample.js', edits: [{ search: 'return a + b;', replace: 'return a + b; // checked by ARC' }] }) }]);
      return textStream('Done with the edit request.');
    });
    try {
      const frame = await openArc(page, ctx);
      await until('agentic mode selected', async () => (await frame.locator('select#mode').inputValue()) === 'agentic');
      await newChat(page, frame);
      await ask(frame, 'Add a comment to add in sample.js');
      const card = frame.locator('.approval').first();
      await card.waitFor({ state: 'visible', timeout: 30_000 });
      const diff = await card.locator('pre.diff').innerText();
      if (!/checked by ARC/.test(diff)) throw new Error(`the diff lacks the change: ${diff}`);
      await ctx.screenshot('pending edit with its diff');
      await card.locator('vscode-button.deny').click();
      await waitForStatus(frame, 'finished', 30_000);
      if (fs.readFileSync(file, 'utf8') !== before) throw new Error('a denied edit changed the file');
      const notes = await lastTurn(frame).locator('.notices').innerText();
      if (!/denied/.test(notes)) throw new Error(`the tree does not show the denial: ${notes}`);
      await ctx.screenshot('edit denied');

      await ask(frame, 'Add a comment to add in sample.js');
      const again = frame.locator('.approval').first();
      await again.waitFor({ state: 'visible', timeout: 30_000 });
      await again.locator('vscode-button.approve').click();
      await waitForStatus(frame, 'finished', 30_000);
      await until('the edit on disk', async () => fs.readFileSync(file, 'utf8').includes('// checked by ARC'), 10_000);
      await ctx.screenshot('edit approved and applied');
      await ctx.runCommand('ARC: Undo Last Run');
      await until('the file restored', async () => fs.readFileSync(file, 'utf8') === before, 10_000);
    } finally {
      scripted.respond(undefined);
    }
  },

  'palette actions: Explain Selection, Show Run History, New Chat, Select Model': async (page, ctx) => {
    await configure(page, ctx, { ...scriptedSettings, 'arc.effort': 1, 'arc.mode': 'instant' });
    scripted.respond(() => textStream('add returns a + b. Call it like this:\n\n```js\nconst sum = add(2, 3);\n```\n', { pieces: 3, tokenDelayMs: 20 }));
    try {
      const frame = await openArc(page, ctx);
      // Open sample.js and select all of it.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
      await sleep(500);
      await page.keyboard.type('sample.js', { delay: 10 });
      await sleep(700);
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
      await sleep(500);
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+A');
      await sleep(300);
      await ctx.runCommand('ARC: Explain Selection');
      await until('an Explain turn', async () => /Explain what the selected code does/.test(await lastTurn(frame).innerText()), 20_000);
      await waitForStatus(frame, 'finished', 20_000);
      const chips = await lastTurn(frame).locator('.question .chip').innerText();
      if (!/selection in sample\.js/.test(chips)) throw new Error(`no selection chip: ${chips}`);
      const sent = scripted.requests.at(-1).body.messages.map((m) => m.content).join('\n');
      if (!sent.includes('function add(a, b)')) throw new Error('the selection did not reach the model');
      await ctx.screenshot('explain selection answered');
      // The code block is coloured by highlight.js in the theme's token colours.
      const hl = await lastTurn(frame).locator('.answer pre code').first().evaluate((c) => {
        const kw = c.querySelector('.hljs-keyword');
        return { hljs: c.classList.contains('hljs'), kw: kw?.textContent, kwColor: kw ? getComputedStyle(kw).color : '', color: getComputedStyle(c).color };
      });
      ctx.log(`code block: ${JSON.stringify(hl)}`);
      if (!hl.hljs || hl.kw !== 'const' || !hl.kwColor || hl.kwColor === hl.color) throw new Error(`the code block is not highlighted in a theme colour: ${JSON.stringify(hl)}`);
      // A code block's Insert at cursor puts it into the editor (replacing the selection).
      await lastTurn(frame).locator('.code-actions button', { hasText: 'Insert at cursor' }).click();
      await until('the code in the editor', async () => (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ').includes('const sum = add(2, 3);'), 10_000);
      await ctx.screenshot('code inserted at the cursor');
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Z');

      await ctx.runCommand('ARC: Show Run History');
      const items = await until('history entries', async () => {
        const labels = await ctx.quickInputItems();
        return labels.length ? labels : undefined;
      });
      ctx.log(`history: ${items.length} entries; first: ${items[0]}`);
      await page.keyboard.press('Enter');
      await until('the history banner', async () => frame.locator('.history-banner').isVisible(), 10_000);
      await ctx.screenshot('a past run reopened from history');

      await ctx.runCommand('ARC: New Chat');
      await until('an empty conversation', async () => (await turns(frame).count()) === 0, 10_000);

      await ctx.runCommand('ARC: Select Model');
      await until('the role picker', async () => (await ctx.quickInputItems()).some((l) => /Instant/.test(l)));
      await page.keyboard.press('Enter');
      const models = await until('the model list', async () => {
        const labels = await ctx.quickInputItems();
        return labels.some((l) => l.includes('simulator/sim-instant')) ? labels : undefined;
      }, 20_000);
      ctx.log(`models offered: ${models.filter((l) => l.includes('/')).join(', ')}`);
      await ctx.screenshot('select model lists endpoint models');
      await page.keyboard.press('Escape');
    } finally {
      scripted.respond(undefined);
    }
  },

  'light, dark and high-contrast themes stay readable': async (page, ctx) => {
    const themes = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast', 'Default High Contrast Light'];
    try {
      for (const theme of themes) {
        await configure(page, ctx, { ...simulatorSettings, 'arc.effort': 1, 'arc.mode': 'auto' }, { 'workbench.colorTheme': theme });
        const frame = await openArc(page, ctx);
        const colors = await frame.evaluate(() => {
          const body = getComputedStyle(document.body);
          const hint = getComputedStyle(document.getElementById('effort-value'));
          return { bg: body.backgroundColor, fg: body.color, value: hint.color, cls: document.body.className };
        });
        ctx.log(`${theme}: ${JSON.stringify(colors)}`);
        const ratio = contrast(colors.fg, colors.bg);
        ctx.log(`${theme}: contrast ${ratio.toFixed(1)}:1`);
        if (ratio < 4.5) throw new Error(`${theme}: text contrast ${ratio.toFixed(2)}:1 is below 4.5:1`);
        await ctx.screenshot(`theme ${theme}`);
      }
    } finally {
      restoreSettings(ctx);
    }
  },
};
