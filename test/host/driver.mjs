#!/usr/bin/env node
// Runs the extension-host tests inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3): starts
// VS Code's own server with the extension under development, opens the workbench in Chromium so that
// an extension host starts, and waits for the results file that test/host/index.ts writes.
//
//   node test/host/driver.mjs [--ext DIR] [--tests DIR] [--workspace DIR] [--timeout SECONDS]
//                             [--grep REGEXP] [--artifacts DIR] [--keep] [--allow-empty]
//
// Needs `bash scripts/editor/setup.sh` first. Exits 0 only when every test passed and at least one ran;
// 1 on a failed test, a timeout, or a crash of the server or the browser; 2 on bad arguments.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GALLERY_OFF,
  REPO,
  SERVER_MAIN,
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

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USAGE =
  'usage: node test/host/driver.mjs [--ext DIR] [--tests DIR] [--workspace DIR] [--timeout SECONDS]\n' +
  '                                 [--grep REGEXP] [--artifacts DIR] [--keep] [--allow-empty]';

function usage(msg) {
  if (msg) console.error(`driver: ${msg}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    ext: REPO,
    tests: undefined,
    workspace: path.join(HERE, 'fixtures', 'workspace'),
    timeout: Number(process.env.ARC_HOST_TIMEOUT_S) || 180,
    grep: undefined,
    artifacts: path.join(REPO, '.test-artifacts', 'host'),
    keep: false,
    allowEmpty: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--ext') opts.ext = path.resolve(value());
    else if (a === '--tests') opts.tests = path.resolve(value());
    else if (a === '--workspace') opts.workspace = path.resolve(value());
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--grep') opts.grep = value();
    else if (a === '--artifacts') opts.artifacts = path.resolve(value());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--allow-empty') opts.allowEmpty = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  opts.tests ??= path.join(opts.ext, 'out', 'test', 'host');
  if (!(opts.timeout > 0)) usage('--timeout must be a positive number of seconds');
  return opts;
}

/** Checks the inputs up front: a missing file would otherwise surface only as a 180 s timeout. */
function checkInputs(opts) {
  const pkgPath = path.join(opts.ext, 'package.json');
  if (!fs.existsSync(pkgPath)) usage(`${pkgPath} not found (--ext must be an extension folder)`);
  const main = JSON.parse(fs.readFileSync(pkgPath, 'utf8')).main || './dist/extension.js';
  const mainPath = path.resolve(opts.ext, main.endsWith('.js') ? main : `${main}.js`);
  if (!fs.existsSync(mainPath)) usage(`${mainPath} not found: build the extension first (npm run build)`);
  if (!fs.existsSync(path.join(opts.tests, 'index.js'))) {
    usage(`${opts.tests}/index.js not found: compile the host tests first (npx tsc -p tsconfig.json)`);
  }
  if (!fs.existsSync(opts.workspace)) usage(`workspace ${opts.workspace} not found`);
}

function report(results, allowEmpty) {
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL';
    console.log(`${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '       '));
  }
  // This exact line is what CI reads as the test count.
  console.log(`${results.passed} passed, ${results.failed} failed, ${results.pending} skipped`);
  if (results.failed > 0) return false;
  if (results.passed === 0 && !allowEmpty) {
    console.error('driver: no host test ran (pass --allow-empty if that is expected)');
    return false;
  }
  return true;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkInputs(opts);
  let playwright;
  try {
    playwright = requireTools({ serverMain: true });
  } catch (e) {
    usage(e.message);
  }
  const t0 = Date.now();
  const timings = {};

  fs.rmSync(opts.artifacts, { recursive: true, force: true });
  fs.mkdirSync(opts.artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-host-'));
  const serverData = path.join(tmp, 'server');
  const workspace = path.join(tmp, 'workspace');
  // A copy, so that tests may write into the workspace without touching the fixture.
  fs.cpSync(opts.workspace, workspace, { recursive: true });
  // The server keeps user data in <server-data-dir>/data, and the browser workbench reads
  // User/settings.json from there (seen: with this file no trust prompt or welcome page appears).
  writeUserSettings(path.join(serverData, 'data', 'User'));

  // The extension host inherits the server's environment (checked: the variable reaches a test), so the
  // path travels that way. index.ts falls back to a file beside the tests for hosts started otherwise;
  // clear that one so a stale file from an earlier run is never read.
  const resultsPath = path.join(tmp, 'results.json');
  const fallbackResults = path.join(opts.tests, '.arc-host-results.json');
  fs.rmSync(fallbackResults, { force: true });

  const serverLog = fs.createWriteStream(path.join(opts.artifacts, 'server.log'));
  const consoleLog = fs.createWriteStream(path.join(opts.artifacts, 'browser-console.log'));
  let server;
  let browser;
  let page;
  let failure;
  let results;
  let crashed;

  const { cleanup, interrupted } = onceCleanup(
    async () => {
      if (browser) await browser.close().catch(() => {});
      await killTree(server);
      serverLog.end();
      consoleLog.end();
      if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
      else console.log(`driver: kept ${tmp}`);
    },
    (sig) => (crashed ??= `interrupted by ${sig}`),
  );

  try {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [
        SERVER_MAIN,
        '--host', '127.0.0.1',
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--server-data-dir', serverData,
        '--disable-telemetry',
      ],
      {
        env: {
          ...process.env,
          ...GALLERY_OFF,
          ...isolatedEnv(tmp),
          ARC_HOST_RESULTS: resultsPath,
          ...(opts.grep ? { ARC_HOST_GREP: opts.grep } : {}),
        },
        detached: true, // its own process group, so killTree can end its children too
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stdout.pipe(serverLog, { end: false });
    server.stderr.pipe(serverLog, { end: false });
    server.on('exit', (code, signal) => (crashed ??= `server exited (code ${code}, signal ${signal})`));

    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/version`, server, 60_000);
    timings.serverListening = Date.now() - t0;

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(opts.ext)],
      ['extensionTestsPath', remote(opts.tests)],
    ]);
    const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;

    browser = await launchChromium(playwright, { ...process.env, ...isolatedEnv(tmp) });
    browser.on('disconnected', () => (crashed ??= 'browser disconnected'));
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack || e}\n`));
    page.on('requestfailed', (r) => consoleLog.write(`[requestfailed] ${r.url()} ${r.failure()?.errorText}\n`));
    page.on('crash', () => (crashed ??= 'browser page crashed'));
    const tPage = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    page
      .waitForSelector('.monaco-workbench', { timeout: opts.timeout * 1000 })
      .then(() => (timings.workbenchReady = Date.now() - tPage))
      .catch(() => {});

    const deadline = Date.now() + opts.timeout * 1000;
    for (;;) {
      const found = [resultsPath, fallbackResults].find((f) => fs.existsSync(f));
      if (found) {
        results = JSON.parse(fs.readFileSync(found, 'utf8'));
        fs.rmSync(fallbackResults, { force: true });
        timings.testsDone = Date.now() - tPage;
        break;
      }
      if (crashed) throw new Error(crashed);
      if (Date.now() > deadline) {
        throw new Error(`no results after ${opts.timeout} s (see ${path.relative(REPO, opts.artifacts)}/)`);
      }
      await sleep(250);
    }
  } catch (err) {
    failure = err;
  }

  // The screenshot shows the workbench after the tests (notifications, errors) or at the timeout.
  if (page && !page.isClosed() && browser.isConnected()) {
    await page
      .screenshot({ path: path.join(opts.artifacts, 'final.png'), timeout: 10_000 })
      .catch((e) => console.error(`driver: screenshot failed: ${e.message}`));
  }
  const logs = path.join(serverData, 'data', 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(opts.artifacts, 'vscode-logs'), { recursive: true });
  if (results) fs.writeFileSync(path.join(opts.artifacts, 'results.json'), JSON.stringify(results, null, 2));
  await cleanup();

  let ok = results ? report(results, opts.allowEmpty) : false;
  if (failure) {
    console.error(`driver: ${failure.message}`);
    ok = false;
  }
  const parts = Object.entries(timings).map(([k, v]) => `${k} ${fmt(v)}; `);
  console.log(`driver: ${parts.join('')}total ${fmt(Date.now() - t0)}; artifacts in ${path.relative(REPO, opts.artifacts) || '.'}/`);
  process.exit(interrupted() ? 130 : ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`driver: ${err.stack || err}`);
  process.exit(1);
});
