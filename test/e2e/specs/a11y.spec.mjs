// The sidebar's accessibility and look (issue 22), in code-server's VS Code in Chromium:
//  - axe-core (injected into the sidebar's webview frame) finds no serious or critical violation with
//    the sidebar empty, with a spawn run in progress, and with that run finished (its tree open) while
//    an agentic edit waits for approval;
//  - the run tree and the header work from the keyboard (roving focus, arrow keys), every control has
//    a name;
//  - at the default sidebar width, in the light, dark and high-contrast themes, a finished spawn run
//    shows nothing clipped or overlapping in the header (checked in the DOM), and a screenshot of the
//    sidebar is taken for each theme — into docs/screenshots/ when ARC_DOC_SCREENSHOTS=1 (the README's
//    pictures), else into this spec's artifacts.
// The spawn run is on ARC's simulator (a simulated server, not a language model); the edit on the
// scripted loopback server.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, newChat, chooseMode, configure, lastTurn, openArc, restoreSettings, sleep, turns, until, waitForStatus } from '../lib/sidebar.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { startScriptedServer, textStream, toolCallStream } = require(path.join(root, 'out/test/fixtures/scriptedServer.js'));
const { startSimulator } = require(path.join(root, 'out/bench/sim/simulator.js'));
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The axe check needs a run still going after its tree has filled; the theme screenshots only its end.
const sim = await startSimulator({ speed: 3, seed: 7 });
const fastSim = await startSimulator({ speed: 5, seed: 7 });
const scripted = await startScriptedServer({ models: ['e2e-agent'] });
export const teardown = async () => {
  await sim.close();
  await fastSim.close();
  await scripted.close();
};

const settings = {
  'arc.endpoints': [
    { id: 'simulator', baseUrl: sim.url, simulated: true },
    { id: 'scripted', baseUrl: scripted.url },
  ],
  'arc.models.instant': 'simulator/sim-instant',
  'arc.models.reasoning': 'simulator/sim-reasoning',
  'arc.models.agentic': 'scripted/e2e-agent',
  'arc.prices': { 'sim-instant': { input: 1, output: 4 }, 'sim-reasoning': { input: 1, output: 4 }, 'e2e-agent': { input: 1, output: 4 } },
  'arc.effort': 1,
  'arc.mode': 'reasoning',
  'arc.scale': 'off',
  'arc.agent.autoApproveEdits': false,
  'arc.agent.editReview': 'ask',
};

const fastSettings = { ...settings, 'arc.endpoints': [{ id: 'simulator', baseUrl: fastSim.url, simulated: true }, settings['arc.endpoints'][1]] };

const SPAWN_QUESTION = 'Answer these:\n1. What is the complexity of heapsort?\n2. Why is merge sort stable?\n3. Compute 17 * 23 step by step.';

/** Runs axe on the sidebar's document; returns the serious and critical violations, and logs the rest. */
async function axeCheck(frame, ctx, label) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(AXE);
  const violations = await frame.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ctx.log(`axe (${label}): ${violations.length} violation kind(s)${violations.length ? `: ${violations.map((v) => `${v.id}/${v.impact}`).join(', ')}` : ''}`);
  if (bad.length) throw new Error(`axe found serious or critical violations (${label}):\n${bad.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n')}`);
  return violations;
}

/** Nothing in the header sticks out of its box, and its buttons and dropdown stay on one line. */
async function headerFits(frame) {
  return frame.evaluate(() => {
    const problems = [];
    const header = document.querySelector('.controls .header');
    if (header.scrollWidth > header.clientWidth + 1) problems.push(`header overflows: ${header.scrollWidth} > ${header.clientWidth}`);
    const box = header.getBoundingClientRect();
    const items = [...header.querySelectorAll('button, select, label')];
    for (const e of items) {
      const r = e.getBoundingClientRect();
      if (r.right > box.right + 1 || r.left < box.left - 1) problems.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} ${e.getAttribute('aria-label') ?? e.textContent} sticks out (${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)})`);
      if (r.height > 30) problems.push(`${e.tagName.toLowerCase()} ${e.getAttribute('aria-label') ?? e.textContent} wraps (${Math.round(r.height)} px tall)`);
    }
    // No two header controls overlap.
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].getBoundingClientRect();
        const b = items[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) problems.push(`${items[i].getAttribute('aria-label') ?? items[i].textContent} overlaps ${items[j].getAttribute('aria-label') ?? items[j].textContent}`);
      }
    }
    const effort = document.querySelector('.effort');
    if (effort.scrollWidth > effort.clientWidth + 1) problems.push('the effort row overflows');
    return { width: Math.round(box.width), problems };
  });
}

/** Runs the spawn question to the end; returns the thread rows. */
async function spawnRun(page, frame, onRunning) {
  await newChat(page, frame);
  await chooseMode(frame, 'reasoning');
  await ask(frame, SPAWN_QUESTION);
  await until('several threads in the tree', async () => (await lastTurn(frame).locator('.node[data-thread]').count()) >= 4, 30_000);
  if (onRunning) await onRunning();
  await waitForStatus(frame, 'finished', 120_000);
  await sleep(400);
  return lastTurn(frame).locator('.node[data-thread]').evaluateAll((els) => els.map((e) => ({ id: e.dataset.thread, status: e.dataset.status })));
}

export default {
  'axe finds no serious or critical violation on the sidebar empty and with a spawn run in progress': async (page, ctx) => {
    await configure(page, ctx, settings);
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    await newChat(page, frame);
    await until('the empty state', async () => frame.locator('.empty').isVisible(), 10_000);
    const tries = await frame.locator('.empty button.try').count();
    if (tries < 2) throw new Error(`the empty state offers ${tries} things to try`);
    await axeCheck(frame, ctx, 'empty');
    await ctx.screenshot('empty state');

    await chooseMode(frame, 'reasoning');
    await ask(frame, SPAWN_QUESTION);
    await until('several threads in the tree', async () => (await lastTurn(frame).locator('.node[data-thread]').count()) >= 4, 30_000);
    const status = await lastTurn(frame).getAttribute('data-status');
    if (status !== 'running') throw new Error(`the run was ${status} before the axe check of a running run`);
    await axeCheck(frame, ctx, 'running');
    await ctx.screenshot('spawn run in progress');
    // The running thread's cancel is a named button.
    if (!(await lastTurn(frame).getByRole('button', { name: 'Cancel the run' }).count())) throw new Error('no named cancel button on the running thread');
    await frame.locator('vscode-button.cancel').click();
    await waitForStatus(frame, 'cancelled', 20_000);
  },

  'axe finds no serious or critical violation with a finished spawn tree and an edit waiting for approval; the tree works from the keyboard': async (page, ctx) => {
    await configure(page, ctx, fastSettings);
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    const rows = await spawnRun(page, frame);
    if (rows.length < 4 || !rows.every((r) => r.status === 'done')) throw new Error(`the spawn run did not finish every thread: ${JSON.stringify(rows)}`);

    // The tree from the keyboard: one tab stop, arrows move between rows, Home/End jump.
    const tree = lastTurn(frame).locator('[role="tree"]');
    const stops = await tree.locator('[role="treeitem"][tabindex="0"]').count();
    if (stops !== 1) throw new Error(`the run tree has ${stops} tab stops, not 1`);
    await tree.locator('[role="treeitem"][tabindex="0"]').focus();
    const focused = () => frame.evaluate(() => document.activeElement?.getAttribute('data-thread') ?? document.activeElement?.className);
    const first = await focused();
    await page.keyboard.press('ArrowDown');
    const second = await focused();
    if (second === first) throw new Error('ArrowDown did not move to the next row');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    if ((await focused()) !== first) throw new Error('Home did not go back to the first row');
    // Its name for a screen reader: the parts aria-labelledby points at, in order.
    const label = await frame.evaluate(() => (document.activeElement?.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    if (!/^done Answer · simulator\/sim-reasoning [\d.]+ s reasoning [\d,]+ \/ [\d,]+ tokens/.test(label)) throw new Error(`the focused row is not named for a screen reader: "${label}"`);
    // Run notices are one folded details line, never conversation text.
    const notes = lastTurn(frame).locator('details.run-notes');
    if ((await notes.count()) > 1) throw new Error('more than one details line for one run');
    if (await lastTurn(frame).locator('.notice.hint').count()) throw new Error('a notice is shown as conversation text');

    // An agentic edit waiting for approval below the finished tree.
    scripted.respond((req) => {
      const results = req.body.messages.filter((m) => m.role === 'tool').length;
      if (results === 0) return toolCallStream([{ id: 'r', name: 'read_file', arguments: JSON.stringify({ path: 'sample.js', startLine: null, endLine: null }) }]);
      if (results === 1) return toolCallStream([{ id: 'e', name: 'edit_file', arguments: JSON.stringify({ path: 'sample.js', edits: [{ search: 'return a + b;', replace: 'return a + b; // checked by ARC' }] }) }]);
      return textStream('Done.');
    });
    try {
      await chooseMode(frame, 'agentic');
      await ask(frame, 'Add a comment to add in sample.js');
      const card = frame.locator('.approval').first();
      await card.waitFor({ state: 'visible', timeout: 30_000 });
      await ctx.screenshot('finished tree and a pending approval');
      await axeCheck(frame, ctx, 'finished with a tree and an approval pending');
      // The approval's buttons are reachable and named.
      for (const name of ['Apply edit', 'Deny']) if (!(await card.getByRole('button', { name }).count())) throw new Error(`the approval has no "${name}" button by role and name`);
      await card.getByRole('button', { name: 'Deny' }).click();
      await waitForStatus(frame, 'finished', 30_000);
    } finally {
      scripted.respond(undefined);
    }
  },

  ...Object.fromEntries(
    [
      ['Default Light Modern', 'sidebar-light.png'],
      ['Default Dark Modern', 'sidebar-dark.png'],
      ['Default High Contrast', 'sidebar-high-contrast.png'],
    ].map(([theme, file]) => [`at the default width, in ${theme}, a finished spawn run fits: nothing clipped or overlapping (screenshot ${file})`, (page, ctx) => themeShot(page, ctx, theme, file)]),
  ),
};

async function themeShot(page, ctx, theme, file) {
  const out = process.env.ARC_DOC_SCREENSHOTS === '1' ? path.join(root, 'docs', 'screenshots') : ctx.artifacts;
  fs.mkdirSync(out, { recursive: true });
  try {
    await configure(page, ctx, fastSettings, { 'workbench.colorTheme': theme });
    const frame = await openArc(page, ctx);
    await until('the configured state', async () => !(await frame.locator('#setup h2').count()));
    const fit = await headerFits(frame);
    ctx.log(`${theme}: header ${fit.width} px wide${fit.problems.length ? `; ${fit.problems.join('; ')}` : ', nothing clipped'}`);
    if (fit.problems.length) throw new Error(`${theme}: ${fit.problems.join('; ')}`);
    await spawnRun(page, frame);
    // The turn's top just below the sticky controls, as a person scrolling up to the tree would see it.
    await frame.evaluate(() => {
      const turn = [...document.querySelectorAll('article.turn')].at(-1);
      const controls = document.querySelector('.controls');
      (document.scrollingElement ?? document.documentElement).scrollTop = turn.getBoundingClientRect().top + window.scrollY - controls.offsetHeight - 4;
    });
    await sleep(300);
    const after = await headerFits(frame);
    if (after.problems.length) throw new Error(`${theme} after the run: ${after.problems.join('; ')}`);
    const overflowing = await lastTurn(frame).evaluate((turn) => [...turn.querySelectorAll('.node .line, .routed, .footer, .budget')].filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.className));
    if (overflowing.length) throw new Error(`${theme}: ${overflowing.join(', ')} overflow their width`);
    const target = path.join(out, file);
    await page.locator('.part.sidebar').screenshot({ path: target });
    ctx.log(`${theme}: ${path.relative(root, target)}`);
  } finally {
    restoreSettings(ctx);
  }
}
