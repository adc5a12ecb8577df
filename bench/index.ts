// `arc bench` (DESIGN §6.1): runs every benchmark, prints a table of ARC beside its baseline, and
// writes the full results (every sample, the configuration, the machine) to .bench-results/latest.json.
// Benchmarks load lazily, so a child process started for one benchmark parses this bundle but runs
// none of the others' module code.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchContext, BenchOutcome, Benchmark, ResultRow } from './types';

const REGISTRY: Array<{ name: string; load: () => Promise<Benchmark> }> = [
  { name: 'ttft', load: async () => (await import('./ttft')).ttft },
  { name: 'extension-load', load: async () => (await import('./extensionLoad')).extensionLoad },
  { name: 'router-latency', load: async () => (await import('./router')).routerLatency },
  { name: 'routing-sim', load: async () => (await import('./routingSim')).routingSim },
  { name: 'effort-sim', load: async () => (await import('./effortSim')).effortSim },
  { name: 'parallel', load: async () => (await import('./parallel')).parallelBench },
  { name: 'scale-sim', load: async () => (await import('./scaleSim')).scaleSim },
  { name: 'agent-tools', load: async () => (await import('./agentTools')).agentTools },
  { name: 'webview-fps', load: async () => (await import('./webviewFps')).webviewFps },
  { name: 'inline-diff', load: async () => (await import('./inlineDiff')).inlineDiff },
];

const USAGE = `Usage: arc bench [--quick] [--only NAME]
  --quick       fewer runs: a smoke run, not numbers to quote
  --only NAME   run one benchmark (${REGISTRY.map((b) => b.name).join(', ')})
Exit codes: 0 every benchmark ran, 1 a benchmark failed, 2 bad usage.`;

interface Options {
  quick: boolean;
  only?: string;
}

function parse(args: string[]): Options | string | 'help' {
  const opts: Options = { quick: false };
  if (args.includes('--help') || args.includes('-h')) return 'help';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--quick') opts.quick = true;
    else if (a === '--only') {
      const name = args[++i];
      if (!name) return '--only needs a benchmark name';
      opts.only = name;
    } else if (a.startsWith('--only=')) opts.only = a.slice('--only='.length);
    else return `unknown option "${a}"`;
  }
  if (opts.only !== undefined && !REGISTRY.some((b) => b.name === opts.only)) return `no benchmark named "${opts.only}"`;
  return opts;
}

/** The directory with ARC's package.json, found from this file whether it runs as dist/bench.js or compiled by tsc. */
function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'adaptive-reasoning-copilot') return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find ARC's package.json above ${__dirname}`);
}

function machine() {
  const cpus = os.cpus();
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    // Not a git checkout, or no commit yet: the results are still valid, just not tied to a commit.
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
  };
}

interface Ran {
  name: string;
  summary: string;
  ok: boolean;
  error?: string;
  durationMs: number;
  outcome?: BenchOutcome;
}

const fmtMs = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (r: ResultRow) => (r.baseline > 0 ? r.arc / r.baseline : Number.NaN);

function table(ran: Ran[]): string {
  const header = ['benchmark', 'metric', 'ARC', 'baseline', 'ratio', 'note'];
  const lines: string[][] = [];
  for (const b of ran) {
    if (!b.outcome) {
      lines.push([b.name, 'FAILED', '', '', '', b.error ?? '']);
      continue;
    }
    for (const r of b.outcome.rows) {
      const diff = r.arc - r.baseline;
      const note = [`${diff >= 0 ? '+' : '-'}${fmtMs(Math.abs(diff))} ms`, r.note].filter(Boolean).join(', ');
      lines.push([b.name, `${r.metric} (${r.unit})`, fmtMs(r.arc), fmtMs(r.baseline), `${ratio(r).toFixed(2)}x`, note]);
    }
  }
  const rows = [header, ...lines];
  const width = header.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const numeric = new Set([2, 3, 4]);
  const fmt = (row: string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(width[c]!) : cell.padEnd(width[c]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), width.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

function footer(ran: Ran[]): string {
  const out: string[] = [];
  for (const b of ran) {
    for (const g of b.outcome?.goals ?? []) {
      out.push(`goal (${b.name}): ${g.description}: ${fmtMs(g.value)} ms vs ${g.threshold} ms, ${g.met ? 'MET' : 'NOT MET'}`);
    }
  }
  for (const b of ran) {
    if (!b.outcome?.notes.length) continue;
    out.push('', `${b.name}:`, ...b.outcome.notes.map((n) => `  - ${n}`));
  }
  out.push('', 'ratio = ARC / baseline (below 1 is faster than the baseline); note starts with ARC - baseline. Baselines run interleaved with ARC in the same run.');
  return out.join('\n');
}

export async function runAll(args: string[]): Promise<number> {
  const parsed = parse(args);
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof parsed === 'string') {
    process.stderr.write(`arc bench: ${parsed}\n\n${USAGE}\n`);
    return 2;
  }
  const root = findRoot();
  const ctx: BenchContext = {
    quick: parsed.quick,
    root,
    distDir: path.join(root, 'dist'),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  const started = new Date();
  const ran: Ran[] = [];
  for (const entry of REGISTRY) {
    if (parsed.only !== undefined && entry.name !== parsed.only) continue;
    const t0 = performance.now();
    let bench: Benchmark | undefined;
    try {
      bench = await entry.load();
      ctx.log(`${bench.name}: ${bench.summary}${parsed.quick ? ' (quick)' : ''}`);
      const outcome = await bench.run(ctx);
      ran.push({ name: entry.name, summary: bench.summary, ok: true, durationMs: performance.now() - t0, outcome });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      ctx.log(`${entry.name} FAILED: ${e instanceof Error ? (e.stack ?? error) : error}`);
      ran.push({ name: entry.name, summary: bench?.summary ?? '', ok: false, error, durationMs: performance.now() - t0 });
    }
  }

  const heading = `ARC benchmarks${parsed.quick ? ' (--quick: smoke run, too few samples to quote)' : ''} · node ${process.version} · ${os.cpus().length} CPUs · load ${os.loadavg()[0]!.toFixed(2)} · ${started.toISOString()}`;
  process.stdout.write(`${heading}\n\n${table(ran)}\n${footer(ran)}\n`);

  const dir = path.join(root, '.bench-results');
  const file = path.join(dir, 'latest.json');
  const report = {
    version: 1,
    date: started.toISOString(),
    options: parsed,
    machine: machine(),
    benchmarks: ran.map((b) => ({
      name: b.name,
      summary: b.summary,
      ok: b.ok,
      ...(b.error ? { error: b.error } : {}),
      durationMs: Math.round(b.durationMs),
      ...(b.outcome
        ? {
            rows: b.outcome.rows.map((r) => ({ ...r, ratio: ratio(r), difference: r.arc - r.baseline })),
            goals: b.outcome.goals ?? [],
            notes: b.outcome.notes,
            config: b.outcome.config,
            samples: b.outcome.samples,
          }
        : {}),
    })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nresults: ${path.relative(process.cwd(), file) || file}\n`);
  return ran.every((b) => b.ok) ? 0 : 1;
}

// `node dist/bench.js --child NAME …`: the body of a measurement that must run in a fresh process.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename && process.argv[2] === '--child') {
  const [name, ...rest] = process.argv.slice(3);
  const child = async () => {
    if (name === 'extension-load') return (await import('./extensionLoad')).childMain(rest);
    throw new Error(`no child named "${name}"`);
  };
  child().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
