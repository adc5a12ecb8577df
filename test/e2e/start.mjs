#!/usr/bin/env node
// `npm start` and `npm run demo` as a newcomer uses them: each is started as a process, its printed
// URL is opened in Chromium, and what ARC shows there is checked — with no model, a status bar that
// asks to set up and an Ask that explains how; with the demo, a simulated model that answers and says so.
// Run after `npm run package` (start.mjs is given --no-build). Prints "N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { REPO, freePort, killTree, launchChromium, requireTools, sleep } from '../../scripts/editor/lib.mjs';

const artifacts = path.join(REPO, '.test-artifacts', 'start');
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });
const playwright = requireTools({ codeServer: true });

/** Starts scripts/start.mjs and resolves with the URL it prints. */
async function startArc(flags) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(REPO, 'scripts', 'start.mjs'), '--browser', '--no-build', '--port', String(port), ...flags], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(artifacts, `start${flags.join('')}.log`));
  child.stderr.pipe(log);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('start.mjs printed no URL within 90 s')), 90_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      const m = /^start: open (http\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`start.mjs exited (code ${code}) before printing a URL`)));
  });
  return { child, url };
}

async function openWorkbench(browser, url, name) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await sleep(4000);
  const shot = (step) => page.screenshot({ path: path.join(artifacts, `${name}-${step}.png`) });
  return { page, shot };
}

async function statusText(page, pattern) {
  const deadline = Date.now() + 20_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await page.locator('.statusbar').textContent()) ?? '';
    if (pattern.test(text)) return text;
    await sleep(250);
  }
  throw new Error(`status bar never matched ${pattern}: "${text}"`);
}

async function ask(page, question) {
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await sleep(500);
  await input.fill('>ARC: Ask');
  await sleep(700);
  // "ARC: Ask…" and "ARC: Ask with Mode…" both match: click the exact one.
  const labels = await widget.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent ?? '').trim()));
  const index = labels.indexOf('ARC: Ask…');
  if (index < 0) throw new Error(`"ARC: Ask…" not in the palette: ${JSON.stringify(labels)}`);
  await widget.locator('.monaco-list-row').nth(index).click();
  await sleep(800);
  await input.pressSequentially(question, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function editorText(page, needle, ms) {
  const deadline = Date.now() + ms;
  let text = '';
  while (Date.now() < deadline) {
    text = (await page.locator('.monaco-editor .view-lines').evaluateAll((els) => els.map((e) => e.textContent ?? '').join('\n'))).replace(/\u00a0/g, ' ');
    if (text.includes(needle)) return text;
    await sleep(250);
  }
  throw new Error(`"${needle}" never appeared; editor text: ${text.slice(0, 400)}`);
}

const checks = {
  'npm start: no model configured, ARC says how to set one up': async (browser) => {
    const arc = await startArc([]);
    try {
      const { page, shot } = await openWorkbench(browser, arc.url, 'start');
      await statusText(page, /ARC: set up/);
      await ask(page, 'hello');
      const deadline = Date.now() + 15_000;
      let toasts = '';
      while (Date.now() < deadline && !/arc\.endpoints/.test(toasts)) {
        toasts = (await page.locator('.notifications-toasts').allTextContents()).join(' ');
        await sleep(250);
      }
      await shot('setup-message');
      if (!/ARC has no model for instant answers.*arc\.endpoints/.test(toasts)) throw new Error(`no set-up message; toasts: ${toasts}`);
    } finally {
      await killTree(arc.child);
    }
  },
  'npm run demo: the simulator answers, marked as simulated': async (browser) => {
    const arc = await startArc(['--demo']);
    try {
      const { page, shot } = await openWorkbench(browser, arc.url, 'demo');
      await statusText(page, /ARC: Auto · 1\.0× · simulated model/);
      await shot('status-bar');
      await ask(page, 'What does a linked list cost to index?');
      await editorText(page, 'Simulated model', 20_000);
      await editorText(page, "[Simulated answer — ARC's simulator, not a language model]", 30_000);
      await editorText(page, 'completion tokens', 30_000);
      await shot('answer');
    } finally {
      await killTree(arc.child);
    }
  },
};

const browser = await launchChromium(playwright);
let passed = 0;
let failed = 0;
for (const [title, fn] of Object.entries(checks)) {
  const t0 = Date.now();
  try {
    await fn(browser);
    passed++;
    console.log(`ok   ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${title}\n       ${e instanceof Error ? e.message : e}`);
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
