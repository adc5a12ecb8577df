// What the host and e2e drivers share: where setup.sh put the tools, how Chromium must be started on
// these machines, the settings a test editor needs, and process handling.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS = process.env.ARC_TOOLS_DIR || path.join(REPO, '.tools');
export const CODE_SERVER = path.join(TOOLS, 'code-server', 'node_modules', 'code-server');
/** code-server's CLI (what its bin points at); run with `node` so no shebang or PATH is involved. */
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER, 'out', 'node', 'entry.js');
/** VS Code's own server inside code-server: unlike code-server's CLI it takes extensionDevelopmentPath. */
export const SERVER_MAIN = path.join(CODE_SERVER, 'lib', 'vscode', 'out', 'server-main.js');
export const CHROMIUM = process.env.ARC_CHROMIUM || '/usr/bin/chromium';

// Without the networking flags Chromium keeps dialling Google's hosts, which this machine refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--disable-sync',
  '--no-first-run',
];

// Trust off: otherwise a modal trust dialog blocks every click. No startup editor: the welcome page
// takes focus. The rest keeps the editor from reaching for the network in the background.
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // Sample workspaces live inside this repository: no prompt to open the parent git repository.
  'git.openRepositoryInParentFolders': 'never',
};

// code-server's default gallery is open-vsx.org, which this machine cannot reach (and tests must not
// depend on): an empty gallery turns the marketplace off instead of failing look-ups in the background.
export const GALLERY_OFF = { EXTENSIONS_GALLERY: '{}' };

/**
 * A run's own home folders, inside its temp dir, for the server (and so the extension host) and
 * Chromium: code-server writes its config.yaml and logs under XDG, VS Code its device id, and the
 * extension host and git extension leave IPC sockets in TMPDIR (dozens of them after a day of runs).
 */
export function isolatedEnv(tmp) {
  const dirs = {
    XDG_CONFIG_HOME: path.join(tmp, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg', 'cache'),
    TMPDIR: path.join(tmp, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

export function writeUserSettings(userDir, extra = {}) {
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2));
}

/** Fails with what to do, rather than a bare MODULE_NOT_FOUND. */
export function requireTools({ serverMain = false, codeServer = false } = {}) {
  const missing = [];
  if (serverMain && !fs.existsSync(SERVER_MAIN)) missing.push(SERVER_MAIN);
  if (codeServer && !fs.existsSync(CODE_SERVER_ENTRY)) missing.push(CODE_SERVER_ENTRY);
  if (!fs.existsSync(CHROMIUM)) missing.push(CHROMIUM);
  let playwright;
  try {
    playwright = createRequire(path.join(TOOLS, 'playwright', 'package.json'))('playwright-core');
  } catch {
    missing.push(path.join(TOOLS, 'playwright', 'node_modules', 'playwright-core'));
  }
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}: run bash scripts/editor/setup.sh`);
  }
  return playwright;
}

/** `env` (with isolatedEnv of the run) keeps Chromium's crash reports and profile sockets in the run too. */
export async function launchChromium(playwright, env = process.env) {
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: CHROMIUM_ARGS,
    headless: true,
    // Playwright's own handlers exit the process before the driver has ended the server it started.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const running = (proc) => proc.exitCode === null && proc.signalCode === null;

/** Resolves once `url` answers at all; rejects if `proc` exits first or `ms` runs out. */
export async function waitForHttp(url, proc, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!running(proc)) {
      throw new Error(`server exited (code ${proc.exitCode}, signal ${proc.signalCode}) before listening`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`server did not answer at ${url} within ${ms / 1000} s`);
}

/**
 * The server forks an extension host, a pty host and a file watcher: end the whole process group
 * (spawn it with detached: true), even when the leader is already gone, since a crashed server can
 * leave its children running.
 */
export async function killTree(proc, graceMs = 3000) {
  if (!proc?.pid) return;
  const signalGroup = (sig) => {
    try {
      process.kill(-proc.pid, sig);
      return true;
    } catch {
      return false; // ESRCH: nothing left in the group
    }
  };
  const exited = running(proc) ? new Promise((r) => proc.once('exit', r)) : Promise.resolve();
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, sleep(graceMs)]);
  while (Date.now() < deadline && signalGroup(0)) await sleep(100);
  if (signalGroup(0)) signalGroup('SIGKILL');
}

/**
 * Runs `cleanup` once, whether the driver ends normally or by a signal; a signal exits with 130.
 * Returns the memoised cleanup and a getter for the signal that interrupted, if any.
 */
export function onceCleanup(cleanup, onSignal) {
  let cleaning;
  let interrupted;
  const run = () => (cleaning ??= Promise.resolve().then(cleanup));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      console.error(`driver: ${sig}, cleaning up`);
      interrupted = sig;
      onSignal?.(sig);
      run().finally(() => process.exit(130));
    });
  }
  return { cleanup: run, interrupted: () => interrupted };
}
