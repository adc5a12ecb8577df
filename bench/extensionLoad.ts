// How long VS Code waits on ARC at activation: require dist/extension.js and call activate(), in a
// fresh Node process each time (a second require in one process would only hit the module cache).
// The baseline is an extension that does nothing, loaded the same way, so the difference is ARC's own.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createVscodeStub, installVscodeStub } from '../test/fixtures/vscodeStub';
import { childEnv, describeFailure, runProcess } from './proc';
import { median, p90, round3 } from './stats';
import type { Benchmark } from './types';

const GOAL_MS = 50;

interface ChildReport {
  ms: number;
  registered: number;
  subscriptions: number;
  /** Files that entered require.cache during the measurement. */
  loaded: string[];
}

/**
 * Runs inside the child (`node dist/bench.js --child extension-load FILE`). The stub is installed
 * before the clock starts: VS Code's own `vscode` module costs the extension nothing to provide.
 */
export function childMain(args: string[]): void {
  const file = args[0];
  if (!file) throw new Error('extension-load child: no module to load');
  const stub = createVscodeStub();
  installVscodeStub(stub);
  const before = new Set(Object.keys(require.cache));
  const subscriptions: unknown[] = [];
  const t0 = process.hrtime.bigint();
  const ext = require(file) as { activate(context: { subscriptions: unknown[] }): unknown };
  ext.activate({ subscriptions });
  const t1 = process.hrtime.bigint();
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k)).map((k) => path.basename(k));
  const report: ChildReport = { ms: Number(t1 - t0) / 1e6, registered: stub.registered.length, subscriptions: subscriptions.length, loaded };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** A do-nothing extension: a CommonJS module with activate/deactivate, like the bundle ARC ships. */
const EMPTY_EXTENSION = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.activate = activate;
exports.deactivate = deactivate;
function activate(context) {}
function deactivate() {}
`;

export const extensionLoad: Benchmark = {
  name: 'extension-load',
  summary: 'require dist/extension.js and activate() with a stub vscode, fresh process each run, vs an empty extension',
  async run(ctx) {
    const runs = ctx.quick ? 8 : 30;
    const warmup = ctx.quick ? 1 : 2;
    const arcFile = path.join(ctx.distDir, 'extension.js');
    if (!existsSync(arcFile)) throw new Error(`${arcFile} is missing; run "npm run build" first`);
    // Next to the results rather than in /tmp, so both modules are read from the same file system.
    const fixtures = path.join(ctx.root, '.bench-results', 'fixtures');
    mkdirSync(fixtures, { recursive: true });
    const emptyFile = path.join(fixtures, 'empty-extension.js');
    writeFileSync(emptyFile, EMPTY_EXTENSION);
    const benchJs = path.join(ctx.distDir, 'bench.js');
    const env = childEnv({});

    const once = async (file: string): Promise<ChildReport> => {
      const r = await runProcess(process.execPath, [benchJs, '--child', 'extension-load', file], { cwd: ctx.root, env, timeoutMs: 20_000 });
      if (r.code !== 0) throw describeFailure(`loading ${path.basename(file)}`, r);
      return JSON.parse(r.stdout) as ChildReport;
    };
    const arc: ChildReport[] = [];
    const base: ChildReport[] = [];
    for (let i = 0; i < warmup; i++) {
      await once(arcFile);
      await once(emptyFile);
    }
    ctx.log(`extension-load: ${runs} fresh processes each, interleaved`);
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        arc.push(await once(arcFile));
        base.push(await once(emptyFile));
      } else {
        base.push(await once(emptyFile));
        arc.push(await once(arcFile));
      }
    }
    // A load that registered nothing or pulled in the runtime would be measuring the wrong thing.
    // Every command is a subscription, and so is the status bar entry.
    const first = arc[0]!;
    // Besides the commands: the status bar, the sidebar's view and the "Fix with ARC" code action
    // (@arc is registered only where the host has a chat API, which the stub has not).
    if (first.registered === 0 || first.subscriptions !== first.registered + 3) {
      throw new Error(`activation registered ${first.registered} commands and ${first.subscriptions} subscriptions (expected commands + 3: status bar, sidebar view, code action)`);
    }
    if (arc.some((r) => r.loaded.join() !== 'extension.js')) {
      throw new Error(`activation loaded more than extension.js: ${arc.find((r) => r.loaded.join() !== 'extension.js')!.loaded.join(', ')}`);
    }

    const a = arc.map((r) => r.ms);
    const b = base.map((r) => r.ms);
    const med = median(a);
    return {
      rows: [
        { metric: 'require + activate median', unit: 'ms', arc: med, baseline: median(b) },
        { metric: 'require + activate p90', unit: 'ms', arc: p90(a), baseline: p90(b) },
      ],
      goals: [{ description: `loads in plain Node with a stub vscode in under ${GOAL_MS} ms (median)`, value: med, threshold: GOAL_MS, met: med < GOAL_MS }],
      notes: [
        `Each sample is one fresh process timing require() + activate() with process.hrtime; the stub vscode is installed before the clock starts. ARC registers ${first.registered} commands and loads only extension.js (checked on every run); the engine stays in dist/runtime.js until a command runs.`,
        'The baseline is a do-nothing CommonJS extension loaded the same way; the difference is what ARC adds. Node start-up is outside the measurement.',
      ],
      config: { runs, warmup, order: 'interleaved, alternating which side goes first', goalMs: GOAL_MS, arcFile: 'dist/extension.js', baselineFile: '.bench-results/fixtures/empty-extension.js' },
      samples: { arc: round3(a), baseline: round3(b) },
    };
  },
};
