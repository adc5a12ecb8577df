#!/usr/bin/env node
// `npm start`: builds and packages ARC, then opens it in a real VS Code with a sample workspace —
// desktop VS Code when `code` is on PATH, otherwise code-server in the browser at a printed URL.
// `npm run demo` (--demo) does the same with ARC's simulator running and ARC pointed at it, so every
// surface can be seen without a model; answers and the status bar say the model is simulated.
//
//   node scripts/start.mjs [--demo] [--browser] [--port P] [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CODE_SERVER_ENTRY,
  GALLERY_OFF,
  REPO,
  TOOLS,
  USER_SETTINGS,
  freePort,
  isolatedEnv,
  killTree,
  waitForHttp,
} from './editor/lib.mjs';

const args = process.argv.slice(2);
const demo = args.includes('--demo');
const forceBrowser = args.includes('--browser');
const build = !args.includes('--no-build');
const portArg = args.indexOf('--port') >= 0 ? Number(args[args.indexOf('--port') + 1]) : undefined;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const vsix = path.join(REPO, `${pkg.name}-${pkg.version}.vsix`);
const say = (s) => console.log(`start: ${s}`);

function run(cmd, cmdArgs, what) {
  const r = spawnSync(cmd, cmdArgs, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${what} failed (exit ${r.status}).`);
    process.exit(1);
  }
}

function onPath(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0;
}

/**
 * The simulator's arguments for the demo: its brisk pace (bench/sim/model.ts DEMO_PACE), so a first
 * question answers within seconds; the benchmarks keep DESIGN §8's 50 tokens/s.
 */
export const DEMO_SIMULATOR_ARGS = ['--demo'];

/** Starts the simulator and resolves with its URL (the first line it prints). */
function startSimulator() {
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'simulator.js'), ...DEMO_SIMULATOR_ARGS], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (url) => resolve({ child, url: url.trim() }));
    child.once('exit', (code) => reject(new Error(`the simulator exited (code ${code}) before it was ready`)));
  });
}

function demoSettings(url) {
  return {
    'arc.endpoints': [{ id: 'simulator', baseUrl: url, simulated: true }],
    'arc.models.instant': 'simulator/sim-instant',
    'arc.models.reasoning': 'simulator/sim-reasoning',
    'arc.models.agentic': 'simulator/sim-agentic',
    // DESIGN §8's prices, so usage shows a cost.
    'arc.prices': { 'sim-instant': { input: 1, output: 4 }, 'sim-reasoning': { input: 1, output: 4 }, 'sim-agentic': { input: 1, output: 4 } },
  };
}

/** Keeps the user's own settings in that profile; ours win for the keys we set. */
function writeSettings(userDir, extra) {
  fs.mkdirSync(userDir, { recursive: true });
  const file = path.join(userDir, 'settings.json');
  let existing = {};
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // absent or edited into something that is not plain JSON: start from ours
  }
  fs.writeFileSync(file, JSON.stringify({ ...existing, ...USER_SETTINGS, ...extra }, null, 2));
}

async function main() {
  if (build) {
    say('building and packaging ARC…');
    run('npm', ['run', '--silent', 'package'], 'npm run package');
  }
  const profile = path.join(TOOLS, 'start', demo ? 'demo' : 'plain');
  const workspace = path.join(profile, 'workspace');
  if (!fs.existsSync(workspace)) fs.cpSync(path.join(REPO, 'test', 'host', 'fixtures', 'workspace'), workspace, { recursive: true });

  const children = [];
  let settings = {};
  if (demo) {
    const sim = await startSimulator();
    children.push(sim.child);
    settings = demoSettings(sim.url);
    say(`simulator (a simulated model, not a language model) at ${sim.url}`);
  }
  const stopAll = async () => {
    for (const c of children) await killTree(c).catch(() => c.kill('SIGKILL'));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => void stopAll().then(() => process.exit(0)));

  if (!forceBrowser && onPath('code')) {
    const userData = path.join(profile, 'desktop-user-data');
    writeSettings(path.join(userData, 'User'), settings);
    say('opening desktop VS Code with ARC under development (close the window to stop)…');
    const code = spawn('code', ['--wait', '--user-data-dir', userData, `--extensionDevelopmentPath=${REPO}`, workspace], { stdio: 'inherit' });
    code.on('exit', () => void stopAll().then(() => process.exit(0)));
    return;
  }

  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    say('no desktop VS Code on PATH; installing code-server (VS Code in the browser) first…');
    run('bash', [path.join(REPO, 'scripts', 'editor', 'setup.sh')], 'scripts/editor/setup.sh');
  }
  const userData = path.join(profile, 'user-data');
  const extensions = path.join(profile, 'extensions');
  writeSettings(path.join(userData, 'User'), settings);
  const env = { ...process.env, ...GALLERY_OFF, ...isolatedEnv(path.join(profile, 'home')) };
  const install = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--install-extension', vsix, '--force', '--extensions-dir', extensions, '--user-data-dir', userData], { env, encoding: 'utf8' });
  if (install.status !== 0) {
    console.error(`start: installing ${path.basename(vsix)} into code-server failed:\n${install.stderr || install.stdout}`);
    process.exit(1);
  }
  const port = portArg || (await freePort());
  const server = spawn(
    process.execPath,
    [CODE_SERVER_ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', workspace],
    { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(server);
  server.on('exit', (code) => {
    console.error(`start: code-server exited (code ${code}).`);
    void stopAll().then(() => process.exit(code ?? 1));
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  say(`ARC is running in VS Code (code-server ${demo ? 'with the simulator' : 'with no model configured'}).`);
  say(`open ${url}`);
  say(demo ? 'F1 → "ARC: Ask…" to try it. Ctrl+C stops everything.' : 'ARC tells you how to configure a model (status bar "ARC: set up"). Ctrl+C stops everything.');
}

// Run as a script (npm start / npm run demo); imported (the unit tests read DEMO_SIMULATOR_ARGS), nothing starts.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`start: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
