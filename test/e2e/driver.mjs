#!/usr/bin/env node
// End-to-end tests of a packaged extension as a person meets it: installs the VSIX into a fresh
// code-server (VS Code 1.100.3), opens the workbench in Chromium and runs each spec against it.
//
//   node test/e2e/driver.mjs --vsix FILE.vsix [--workspace DIR] [--timeout SECONDS]
//                            [--artifacts DIR] [--settle MS] [--keep] SPEC.mjs [SPEC.mjs ...]
//
// A spec module's default export is either a spec, `async (page, ctx) => {}`, named after the file,
// or an object of them, `{ 'title': async (page, ctx) => {} }`. Each spec gets a fresh browser
// context on the same server (the server's user data and the workspace are shared; open a new
// driver run for a spec that needs a pristine profile). ctx is described at makeContext below.
// Exits 0 when every spec passed, 1 otherwise, 2 on bad arguments.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CODE_SERVER_ENTRY,
  GALLERY_OFF,
  REPO,
  fmt,
  freePort,
  killTree,
  launchChromium,
  onceCleanup,
  requireTools,
  sleep,
  waitForHttp,
  writeUserSettings,
  isolatedEnv,
} from '../../scripts/editor/lib.mjs';

const USAGE =
  'usage: node test/e2e/driver.mjs --vsix FILE.vsix [--workspace DIR] [--timeout SECONDS]\n' +
  '                                [--artifacts DIR] [--settle MS] [--keep] SPEC.mjs [SPEC.mjs ...]';

// DESIGN §7's waits: the workbench's DOM is there before its keybindings and extensions are, and the
// quick input can lose keys typed the moment it opens. (With the F1 retry below a settle of 0 also
// passed here; 4 s stays the default for a loaded CI machine. --settle / ARC_E2E_SETTLE_MS change it.)
const SETTLE_MS = 4000;
const QUICK_INPUT_OPEN_MS = 500;
const QUICK_INPUT_FILTER_MS = 500;

function usage(msg) {
  if (msg) console.error(`driver: ${msg}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    vsix: undefined,
    workspace: path.join(REPO, 'test', 'host', 'fixtures', 'workspace'),
    timeout: Number(process.env.ARC_E2E_TIMEOUT_S) || 120,
    artifacts: path.join(REPO, '.test-artifacts', 'e2e'),
    settle: process.env.ARC_E2E_SETTLE_MS ? Number(process.env.ARC_E2E_SETTLE_MS) : SETTLE_MS,
    keep: false,
    specs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--vsix') opts.vsix = path.resolve(value());
    else if (a === '--workspace') opts.workspace = path.resolve(value());
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--artifacts') opts.artifacts = path.resolve(value());
    else if (a === '--settle') opts.settle = Number(value());
    else if (a === '--keep') opts.keep = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown argument ${a}`);
    else opts.specs.push(path.resolve(a));
  }
  if (!opts.vsix) usage('--vsix is required');
  if (!fs.existsSync(opts.vsix)) usage(`${opts.vsix} not found (npm run package makes one)`);
  if (!opts.specs.length) usage('name at least one spec module');
  for (const s of opts.specs) if (!fs.existsSync(s)) usage(`spec ${s} not found`);
  if (!fs.existsSync(opts.workspace)) usage(`workspace ${opts.workspace} not found`);
  if (!(opts.timeout > 0)) usage('--timeout must be a positive number of seconds');
  return opts;
}

/**
 * Spec modules may also export `userSettings` (merged into the editor's user settings before it
 * starts, e.g. an endpoint pointing at a loopback server the module started) and `teardown()`.
 */
const moduleSettings = {};
const teardowns = [];

async function loadSpecs(files) {
  const specs = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(file).href);
    if (mod.userSettings) Object.assign(moduleSettings, mod.userSettings);
    if (typeof mod.teardown === 'function') teardowns.push(mod.teardown);
    const base = path.basename(file).replace(/\.(spec\.)?m?js$/, '');
    const exp = mod.default;
    if (typeof exp === 'function') specs.push({ title: base, fn: exp });
    else if (exp && typeof exp === 'object') {
      for (const [title, fn] of Object.entries(exp)) {
        if (typeof fn !== 'function') throw new Error(`${file}: '${title}' is not a function`);
        specs.push({ title: `${base}: ${title}`, fn });
      }
    } else throw new Error(`${file}: default export must be a spec function or an object of them`);
  }
  return specs;
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

/**
 * What a spec gets besides the page:
 *   runCommand(title)        F1, type, pick the entry whose label is exactly `title` ("Category: Title")
 *   quickInputItems(filter?) labels listed in the quick input; with `filter`, opens the command
 *                            palette and types it first (the palette stays open: press Escape)
 *   notifications()          [{ message, source, severity }] of the toasts and the notification centre
 *   waitForNotification(m)   the first notification whose message includes m (or matches a RegExp)
 *   screenshot(name)         a numbered PNG in this spec's artifact folder
 *   manifest, extensionId    the installed VSIX's package.json and `publisher.name`
 *   openCommandPalette()     F1 (if the quick input is not open) and '>' in its box
 *   skip(reason)             ends the spec as skipped
 *   workspace, baseUrl, artifacts, log(...), sleep(ms)
 * The helpers take screenshots at each step too, so a failure can be read from the pictures.
 */
function makeContext(page, { dir, manifest, workspace, baseUrl }) {
  let n = 0;
  const screenshot = async (name) => {
    const file = path.join(dir, `${String(++n).padStart(2, '0')}-${slug(name)}.png`);
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  };
  const log = (...args) => console.log('   ', ...args);
  const widget = page.locator('.quick-input-widget');

  async function openCommandPalette() {
    // F1 pressed before the workbench has bound its keys is dropped, not queued: press it again.
    for (let attempt = 1; !(await widget.isVisible()); attempt++) {
      await page.keyboard.press('F1');
      try {
        await widget.waitFor({ state: 'visible', timeout: 2000 });
      } catch {
        if (attempt >= 5) throw new Error(`F1 did not open the command palette after ${attempt} tries`);
        continue;
      }
      await sleep(QUICK_INPUT_OPEN_MS);
    }
    // F1 opens it with '>' typed; keep that prefix so it lists commands.
    const input = widget.locator('.quick-input-box input');
    await input.fill('>');
    return input;
  }

  async function quickInputItems(filter) {
    if (filter !== undefined) {
      const input = await openCommandPalette();
      await input.pressSequentially(filter, { delay: 10 });
      await sleep(QUICK_INPUT_FILTER_MS);
      await screenshot(`quick-input ${filter}`);
    }
    // The list is virtualised: only rows in view are in the DOM, so filter to keep the answer whole.
    return widget.locator('.monaco-list-row').evaluateAll((rows) =>
      rows
        // label-name is "Category: Title" without the keybinding or a "recently used" separator.
        .map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim())
        .filter(Boolean),
    );
  }

  async function runCommand(title) {
    const labels = await quickInputItems(title);
    const index = labels.indexOf(title);
    if (index < 0) {
      await page.keyboard.press('Escape');
      throw new Error(`command '${title}' not in the palette; it lists: ${JSON.stringify(labels)}`);
    }
    // Same order as quickInputItems read them: both walk the rows in DOM order.
    await widget.locator('.monaco-list-row').nth(index).click();
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await sleep(QUICK_INPUT_FILTER_MS);
    await screenshot(`ran ${title}`);
  }

  async function notifications() {
    return page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')
      .evaluateAll((items) =>
        items.map((el) => {
          const icon = el.querySelector('.notification-list-item-icon')?.className ?? '';
          return {
            message: el.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
            source: el.querySelector('.notification-list-item-source')?.textContent?.trim() ?? '',
            severity: /error/.test(icon) ? 'error' : /warning/.test(icon) ? 'warning' : 'info',
          };
        }),
      );
  }

  async function waitForNotification(match, ms = 10_000) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    const deadline = Date.now() + ms;
    for (;;) {
      const found = (await notifications()).find((n) => test(n.message));
      if (found) return found;
      if (Date.now() > deadline) {
        await screenshot(`no notification ${match}`);
        throw new Error(`no notification matching ${match} within ${ms / 1000} s; shown: ${JSON.stringify(await notifications())}`);
      }
      await sleep(250);
    }
  }

  return {
    runCommand,
    waitForNotification,
    quickInputItems,
    notifications,
    screenshot,
    openCommandPalette,
    manifest,
    extensionId: `${manifest.publisher}.${manifest.name}`.toLowerCase(),
    workspace,
    baseUrl,
    artifacts: dir,
    log,
    sleep,
    skip: (reason) => {
      throw new SkipSpec(reason);
    },
  };
}

class SkipSpec extends Error {}

function installVsix(opts, env, userData, extensions, logFile) {
  const res = spawnSync(
    process.execPath,
    [CODE_SERVER_ENTRY, '--install-extension', opts.vsix, '--force', '--extensions-dir', extensions, '--user-data-dir', userData],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  fs.writeFileSync(logFile, `${res.stdout ?? ''}${res.stderr ?? ''}`);
  // Check the folder too: an install that exits 0 without installing would otherwise surface only later,
  // as commands missing from the palette.
  const installed = fs.existsSync(extensions)
    ? fs.readdirSync(extensions).filter((d) => fs.existsSync(path.join(extensions, d, 'package.json')))
    : [];
  if (res.status !== 0 || !installed.length) {
    const why = `${res.stderr ?? ''}${res.stdout ?? ''}`.split('\n').find((l) => /error|fail/i.test(l)) ?? res.error?.message;
    throw new Error(`installing ${opts.vsix} failed (exit ${res.status}): ${why ?? 'no message'}; see ${path.relative(REPO, logFile)}`);
  }
  return JSON.parse(fs.readFileSync(path.join(extensions, installed[0], 'package.json'), 'utf8'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let playwright;
  try {
    playwright = requireTools({ codeServer: true });
  } catch (e) {
    usage(e.message);
  }
  let specs;
  try {
    specs = await loadSpecs(opts.specs);
  } catch (e) {
    usage(e.message);
  }
  const t0 = Date.now();
  const timings = {};

  fs.rmSync(opts.artifacts, { recursive: true, force: true });
  fs.mkdirSync(opts.artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-e2e-'));
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(opts.workspace, workspace, { recursive: true });
  writeUserSettings(path.join(userData, 'User'), moduleSettings);
  const env = { ...process.env, ...GALLERY_OFF, ...isolatedEnv(tmp) };

  const serverLog = fs.createWriteStream(path.join(opts.artifacts, 'server.log'));
  const consoleLog = fs.createWriteStream(path.join(opts.artifacts, 'browser-console.log'));
  let server;
  let browser;
  let crashed;
  let failure;
  const results = [];

  const { cleanup, interrupted } = onceCleanup(
    async () => {
      if (browser) await browser.close().catch(() => {});
      await killTree(server);
      for (const t of teardowns) await Promise.resolve(t()).catch(() => {});
      serverLog.end();
      consoleLog.end();
      if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
      else console.log(`driver: kept ${tmp}`);
    },
    (sig) => (crashed ??= `interrupted by ${sig}`),
  );

  try {
    const manifest = installVsix(opts, env, userData, extensions, path.join(opts.artifacts, 'install.log'));
    timings.install = Date.now() - t0;

    const port = await freePort();
    const tServer = Date.now();
    server = spawn(
      process.execPath,
      [
        CODE_SERVER_ENTRY,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--user-data-dir', userData,
        '--extensions-dir', extensions,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        workspace,
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout.pipe(serverLog, { end: false });
    server.stderr.pipe(serverLog, { end: false });
    server.on('exit', (code, signal) => (crashed ??= `code-server exited (code ${code}, signal ${signal})`));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/healthz`, server, 60_000);
    timings.serverListening = Date.now() - tServer;

    browser = await launchChromium(playwright, { ...process.env, ...isolatedEnv(tmp) });
    browser.on('disconnected', () => (crashed ??= 'browser disconnected'));

    for (const spec of specs) {
      if (crashed) break;
      const dir = path.join(opts.artifacts, slug(spec.title));
      fs.mkdirSync(dir, { recursive: true });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => consoleLog.write(`[${spec.title}] [${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => consoleLog.write(`[${spec.title}] [pageerror] ${e.stack || e}\n`));
      page.on('requestfailed', (r) =>
        consoleLog.write(`[${spec.title}] [requestfailed] ${r.url()} ${r.failure()?.errorText}\n`),
      );
      const ctx = makeContext(page, { dir, manifest, workspace, baseUrl });
      const started = Date.now();
      let error;
      console.log(`-- ${spec.title}`);
      try {
        await withTimeout(
          (async () => {
            // Naming the folder in the URL pins each spec's window to this run's workspace, whatever
            // code-server would otherwise restore from the spec before.
            await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
            await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
            timings[`workbench (${spec.title})`] = Date.now() - started;
            await sleep(opts.settle);
            await ctx.screenshot('workbench ready');
            await spec.fn(page, ctx);
          })(),
          opts.timeout * 1000,
          () => crashed,
        );
      } catch (err) {
        error = err;
      }
      const skipped = error instanceof SkipSpec;
      if (skipped) error = undefined;
      if (!crashed) {
        await ctx.screenshot(error ? 'failed' : 'end').catch(() => {});
      }
      await context.close().catch(() => {});
      const ms = Date.now() - started;
      const state = error ? 'failed' : skipped ? 'skipped' : 'passed';
      results.push({ title: spec.title, state, durationMs: ms, error: error?.stack || error?.message });
      console.log(`${{ failed: 'FAIL', skipped: 'skip', passed: 'ok  ' }[state]} ${spec.title} (${fmt(ms)})`);
      if (error) console.log(String(error.stack || error).replace(/^/gm, '       '));
    }
    if (crashed) throw new Error(crashed);
  } catch (err) {
    failure = err;
  }

  const logs = path.join(userData, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(opts.artifacts, 'vscode-logs'), { recursive: true });
  await cleanup();

  const passed = results.filter((r) => r.state === 'passed').length;
  const skipped = results.filter((r) => r.state === 'skipped').length;
  // Specs that never ran because the server or browser died count as failed.
  const failed = results.length - passed - skipped + (failure ? specs.length - results.length : 0);
  fs.writeFileSync(
    path.join(opts.artifacts, 'results.json'),
    JSON.stringify({ passed, failed, skipped, tests: results }, null, 2),
  );
  // This exact line is what CI reads as the test count.
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failure) console.error(`driver: ${failure.message}`);
  const parts = Object.entries(timings).map(([k, v]) => `${k} ${fmt(v)}; `);
  console.log(`driver: ${parts.join('')}total ${fmt(Date.now() - t0)}; artifacts in ${path.relative(REPO, opts.artifacts) || '.'}/`);
  process.exit(interrupted() ? 130 : failure || failed ? 1 : 0);
}

/** Rejects after `ms`, or as soon as `crashed()` names a crash, whichever comes first. */
async function withTimeout(promise, ms, crashed) {
  let timer;
  const watchdog = new Promise((_, reject) => {
    const deadline = Date.now() + ms;
    const tick = () => {
      const why = crashed();
      if (why) return reject(new Error(why));
      if (Date.now() > deadline) return reject(new Error(`spec timed out after ${ms / 1000} s`));
      timer = setTimeout(tick, 250);
    };
    tick();
  });
  try {
    return await Promise.race([promise, watchdog]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => {});
  }
}

main().catch((err) => {
  console.error(`driver: ${err.stack || err}`);
  process.exit(1);
});
