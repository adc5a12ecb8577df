// `arc`: the engine from a terminal (DESIGN §6.1). Runs in plain Node; never imports vscode.
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenAIEndpoint } from '../core/model/openaiProvider';
import { JsonFileStore } from '../core/store/jsonFileStore';
import { CapabilityMemory } from '../core/model/capabilityMemory';
import { LearnedRouter } from '../router/learnedRouter';
import { RouterLearning } from '../router/learning';
import { SelfRoutingRouter } from '../router/selfRoute';
import { EffortEstimates } from '../effort/estimator';
import { runRoute } from './route';
import { collectStats, formatStats } from './stats';
import { CostOfPassLedger, RunTally } from '../core/run/costOfPass';
import type { KnownRunEvent } from '../core/run/events';
import { Engine } from '../engine/engine';
import { parseCli, USAGE, UsageError, type AskArgs, type RouteArgs } from './args';
import { HumanRenderer } from './render';

export const EXIT = { ok: 0, error: 1, usage: 2, interrupted: 130 } as const;

declare const ARC_VERSION: string | undefined;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv, process.env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`arc: ${e.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${typeof ARC_VERSION === 'string' ? ARC_VERSION : 'dev'}\n`);
      return EXIT.ok;
    case 'bench':
      return runBench(args.rest);
    case 'ask':
      return ask(args);
    case 'route':
      return route(args);
    case 'stats': {
      const stats = await collectStats(arcStore(), process.env.ARC_ROUTER_LEARNING !== 'off');
      process.stdout.write(args.json ? `${JSON.stringify(stats)}\n` : formatStats(stats));
      return EXIT.ok;
    }
  }
}

/** State under $ARC_HOME (default ~/.arc), written atomically (DESIGN §6.1). */
function arcStore(): JsonFileStore {
  const home = process.env.ARC_HOME || path.join(os.homedir(), '.arc');
  return new JsonFileStore(home, (m) => process.stderr.write(`arc: warning: ${m}\n`));
}

/** `ARC_ROUTER_LEARNING=off` is the CLI's form of the arc.router.learning switch. */
async function learnedRouter(effort: number): Promise<LearnedRouter> {
  const learning = await RouterLearning.load(arcStore(), process.env.ARC_ROUTER_LEARNING !== 'off');
  return new LearnedRouter(learning, () => ({ effort }));
}

async function route(args: RouteArgs): Promise<number> {
  const router = await learnedRouter(args.effort);
  return runRoute(args, (query, context) => router.routeQuery(query, context), process.stdout, process.stderr);
}

async function ask(args: AskArgs): Promise<number> {
  const store = arcStore();
  const endpoint = new OpenAIEndpoint({
    id: 'cli',
    baseUrl: args.baseUrl,
    apiKey: args.apiKey,
    timeoutSeconds: args.timeoutSeconds,
    memory: await CapabilityMemory.load(store),
  });
  const model = endpoint.model(args.model);
  const models = { forRole: () => model };
  // ARC_ROUTER_SELF_ROUTE=on is the CLI's form of arc.router.selfRoute.
  const router = new SelfRoutingRouter(await learnedRouter(args.effort), {
    enabled: () => process.env.ARC_ROUTER_SELF_ROUTE === 'on',
    model: () => model,
    allowed: () => ['instant', 'reasoning', 'agentic'],
  });
  const engine = new Engine({ models, router, estimates: await EffortEstimates.load(store) });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\narc: cancelling (Ctrl+C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const human = args.json ? undefined : new HumanRenderer(process.stdout, process.stderr);
  let last: KnownRunEvent | undefined;
  const tally = new RunTally();
  try {
    for await (const event of engine.run({ query: args.query, mode: args.mode, modeChosenBy: args.modeChosenBy, effort: args.effort, source: 'cli' }, controller.signal)) {
      last = event;
      tally.observe(event);
      if (args.json) process.stdout.write(`${JSON.stringify(event)}\n`);
      else human!.render(event);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (last && tally.mode) await (await CostOfPassLedger.load(store)).recordRun(last.runId, tally.mode, tally.cost).catch(() => undefined);
  if (last?.type === 'run.finished') return EXIT.ok;
  if (last?.type === 'run.cancelled') return EXIT.interrupted;
  return EXIT.error;
}

async function runBench(rest: string[]): Promise<number> {
  const file = path.join(__dirname, 'bench.js');
  let bench: { runAll(args: string[]): Promise<number> };
  try {
    // A separate bundle: the benchmarks and their loopback servers stay out of the CLI itself.
    bench = require(file);
  } catch (e) {
    process.stderr.write(`arc: cannot load the benchmarks from ${file} (${(e as Error).message}); run "npm run build" first.\n`);
    return EXIT.error;
  }
  return bench.runAll(rest);
}

// An EPIPE on stdout (arc ask … | head) is the reader leaving, not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`arc: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.error;
  },
);
