// Trains the router from data/router/queries.jsonl and writes src/router/weights.json and
// data/router/REPORT.md. Run from the repository root:
//   npx tsc -p tsconfig.json && node out/src/router/train/main.js          (write)
//   npx tsc -p tsconfig.json && node out/src/router/train/main.js --check  (compare, exit 1 if different)
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MODES } from '../model';
import { buildArtifacts, confusionTable } from './trainer';

export const DATASET = 'data/router/queries.jsonl';
export const WEIGHTS = 'src/router/weights.json';
export const REPORT = 'data/router/REPORT.md';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const rootArg = argv.indexOf('--root');
  const root = path.resolve(rootArg >= 0 && argv[rootArg + 1] ? argv[rootArg + 1]! : process.cwd());
  const started = process.hrtime.bigint();
  const a = buildArtifacts(readFileSync(path.join(root, DATASET), 'utf8'));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const hb = a.heldBack;
  const out = process.stdout;
  out.write(`examples: ${a.counts.total} (train ${a.counts.train}, held back ${a.counts.heldBack})\n`);
  out.write(`held-back routed accuracy: ${(hb.routed.correct / hb.n).toFixed(3)}  argmax: ${(hb.argmax.correct / hb.n).toFixed(3)}  intent: ${(hb.intentCorrect / hb.n).toFixed(3)}\n`);
  out.write(`routed confusion (rows = label ${MODES.join('/')}):\n${confusionTable(hb.routed)}\n`);
  out.write(`5-fold grouped CV routed: ${a.cv.routedAccuracy.toFixed(3)}  argmax: ${a.cv.accuracy.toFixed(3)}  intent: ${a.cv.intentAccuracy.toFixed(3)}\n`);
  out.write(`weights: ${Buffer.byteLength(a.weightsJson)} bytes; trained in ${ms.toFixed(0)} ms\n`);
  const targets: Array<[string, string]> = [[WEIGHTS, a.weightsJson], [REPORT, a.report]];
  if (check) {
    const stale = targets.filter(([f, text]) => {
      try {
        return readFileSync(path.join(root, f), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    for (const [f] of stale) process.stderr.write(`${f} differs from what the trainer produces\n`);
    return stale.length ? 1 : 0;
  }
  for (const [f, text] of targets) writeFileSync(path.join(root, f), text);
  out.write(`wrote ${targets.map(([f]) => f).join(', ')}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
