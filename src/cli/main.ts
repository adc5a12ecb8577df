// `arc`: the engine from a terminal (DESIGN §6.1). Runs in plain Node; never imports vscode.
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenAIEndpoint } from '../core/model/openaiProvider';
import { JsonFileStore } from '../core/store/jsonFileStore';
import { CapabilityMemory } from '../core/model/capabilityMemory';
import { LearnedRouter } from '../router/learnedRouter';
import { RouterLearning } from '../router/learning';
import { ModeCosts, costView, type CostContext } from '../router/modeCosts';
import { parsePricesEnv } from './eval';
import { SelfRoutingRouter } from '../router/selfRoute';
import { EffortEstimates } from '../effort/estimator';
import { EffortCalibration } from '../effort/calibration';
import { LengthPredictor } from '../effort/predictor';
import { ParallelStatsLedger } from '../parallel/statsLedger';
import { runRoute } from './route';
import { collectStats, formatStats } from './stats';
import { CostOfPassLedger, RunTally } from '../core/run/costOfPass';
import { MODES, type KnownRunEvent } from '../core/run/events';
import { Engine } from '../engine/engine';
import { parseCli, USAGE, UsageError, type AskArgs, type EvalArgs, type McpArgs, type RouteArgs } from './args';
import { runEvalCli, runEvalReport } from './eval';
import { runCheckpoints, runUndo } from './undo';
import { hideKeysFromProc } from './hideKeys';
import { existsSync, statSync } from 'node:fs';
import { AutoApprover, loadProjectInstructions, NodeCommandRunner, NodeWorkspace, probeSandbox, sandboxFrom, UndoStack } from '../agent';
import { McpHub, rememberedServerApprovals } from '../agent/mcp';
import type { AgentEnvironment } from '../engine/threadRunner';
import { TerminalApprover } from './terminalApprover';
import { AdaptiveScheduler } from '../core/scheduler';
import type { Router } from '../core/run/seams';
import { HumanRenderer } from './render';
import { visible, visibleJson } from '../core/text/visible';

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
      keepKeysFromCommands(args);
      return ask(args);
    case 'eval':
      keepKeysFromCommands(args);
      return evalTask(args);
    case 'eval-report':
      try {
        await runEvalReport(args, { out: process.stdout, err: process.stderr, distDir: __dirname });
        return EXIT.ok;
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`arc: ${e.message}\n`);
        return EXIT.usage;
      }
    case 'undo':
      return runUndo(args, arcStore(), process.stdout, process.stderr);
    case 'checkpoints':
      return runCheckpoints(args, arcStore(), process.stdout, process.stderr);
    case 'route':
      return route(args);
    case 'mcp':
      return mcpList(args);
    case 'stats': {
      const stats = await collectStats(arcStore(), process.env.ARC_ROUTER_LEARNING !== 'off');
      process.stdout.write(args.json ? `${JSON.stringify(stats)}\n` : formatStats(stats));
      return EXIT.ok;
    }
  }
}

/** State under $ARC_HOME (default ~/.arc), written atomically (DESIGN §6.1). */
function arcHome(): string {
  return path.resolve(process.env.ARC_HOME || path.join(os.homedir(), '.arc'));
}

function arcStore(): JsonFileStore {
  return new JsonFileStore(arcHome(), (m) => process.stderr.write(`arc: warning: ${m}\n`));
}

/** The key was read into the arguments; no command the agent runs may find it in /proc (DESIGN §5). */
function keepKeysFromCommands(args: { apiKeyEnv: string; workspace?: string }): void {
  const r = hideKeysFromProc(['OPENAI_API_KEY', 'ARC_API_KEY', args.apiKeyEnv]);
  if (!r.verified && args.workspace) {
    process.stderr.write(`arc: warning: could not hide the API key from this process's /proc environment (${r.skipped ?? 'still readable'}); unsandboxed commands you approve could read it.\n`);
  }
}

/**
 * `ARC_ROUTER_LEARNING=off` is the CLI's form of the arc.router.learning switch. The mode costs are
 * learned whatever that switch says (they are measurements, not the user's preferences).
 * `modelId`: the one model the CLI runs every role on (undefined: costs learned over every model).
 */
async function learnedRouter(effort: number, modelId?: string): Promise<LearnedRouter> {
  const store = arcStore();
  const learning = await RouterLearning.load(store, process.env.ARC_ROUTER_LEARNING !== 'off');
  const prices = parsePricesEnv(process.env.ARC_PRICES);
  const context: CostContext = { models: modelId ? { instant: modelId, reasoning: modelId, agentic: modelId } : {}, prices };
  return new LearnedRouter(learning, () => ({ effort }), Math.random, { costs: await ModeCosts.load(store), context: () => context });
}

async function route(args: RouteArgs): Promise<number> {
  let router: LearnedRouter;
  try {
    router = await learnedRouter(args.effort, args.model !== undefined ? cliModelId(args.model) : undefined);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`arc: ${e.message}\n`);
    return EXIT.usage;
  }
  return runRoute(
    args,
    (query, context) => {
      const costs = costView(router.explain(query, context));
      return { ...router.routeQuery(query, context), ...(costs ? { costs } : {}) };
    },
    process.stdout,
    process.stderr,
  );
}

/** The id `arc ask` gives its model (the endpoint is always "cli"): where its costs are learned. */
function cliModelId(model: string): string {
  return `cli/${model}`;
}

/** The engine for one endpoint and model, as `ask` and `eval` use it. */
async function cliEngine(args: Omit<AskArgs, 'command' | 'query'>, store: JsonFileStore, routerFor: (model: ReturnType<OpenAIEndpoint['model']>) => Promise<Router>, session: CliSession = {}): Promise<Engine> {
  const endpoint = new OpenAIEndpoint({
    id: 'cli',
    baseUrl: args.baseUrl,
    apiKey: args.apiKey,
    timeoutSeconds: args.timeoutSeconds,
    memory: await CapabilityMemory.load(store),
  });
  const model = endpoint.model(args.model);
  return new Engine({
    models: { forRole: () => model },
    prices: parsePricesEnv(process.env.ARC_PRICES),
    router: await routerFor(model),
    estimates: await EffortEstimates.load(store),
    predictor: await LengthPredictor.load(store),
    scheduler: new AdaptiveScheduler({ maxParallel: args.maxParallel }),
    maxDepth: args.maxDepth,
    calibration: await EffortCalibration.load(store),
    ...(args.workspace ? { agent: agentEnvironment(args, store, session) } : {}),
    ...(args.workspace && process.env.ARC_INSTRUCTIONS !== 'off' ? { instructions: cliInstructions(args.workspace) } : {}),
    onRunStats: async (stats) => (await ParallelStatsLedger.load(store)).record(stats),
  });
}

/** What one CLI run started and must stop before it exits (MCP servers). */
interface CliSession {
  hub?: McpHub;
}

/** A terminal to ask on: stdin and stderr both interactive. */
const interactiveTerminal = () => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** The project's instructions in --workspace DIR (ARC_INSTRUCTIONS=off is the CLI's arc.instructions.enabled). */
function cliInstructions(dir: string) {
  const workspace = new NodeWorkspace({ roots: [path.resolve(dir)] });
  return (req: { context?: { selection?: { fileName?: string } } }) => loadProjectInstructions(workspace, { filesInPlay: req.context?.selection?.fileName ? [req.context.selection.fileName] : [] });
}

/**
 * MCP servers for a CLI run (DESIGN §6.7): $ARC_HOME/mcp.json as configured, and DIR/.vscode/mcp.json
 * only on a terminal, after the person approves the exact command line (remembered), in the sandbox
 * where there is one.
 */
async function cliMcpHub(opts: { workspace?: string; terminal?: TerminalApprover; allowTools?: readonly string[]; sandbox?: AskArgs['sandbox']; network?: boolean }): Promise<McpHub> {
  const dir = opts.workspace ? path.resolve(opts.workspace) : undefined;
  const terminal = opts.terminal;
  return McpHub.load(
    { userFile: path.join(arcHome(), 'mcp.json'), folders: dir ? [dir] : [] },
    {
      trusted: true,
      ...(terminal ? { approveServer: rememberedServerApprovals(arcStore(), (req) => terminal.approveServer(req)) } : {}),
      sandbox: async () => {
        if (!dir || opts.sandbox === 'off') return undefined;
        const sandbox = sandboxFrom(probeSandbox(), [arcHome()]);
        if (!sandbox) return undefined;
        return { sandbox, paths: await new NodeWorkspace({ roots: [dir] }).sandboxPaths(), network: Boolean(opts.network) };
      },
    },
    { allowTools: opts.allowTools ?? [] },
  );
}

async function mcpList(args: McpArgs): Promise<number> {
  if (args.workspace && (!existsSync(args.workspace) || !statSync(args.workspace).isDirectory())) {
    process.stderr.write(`arc: --workspace ${args.workspace} is not a folder.\n`);
    return EXIT.usage;
  }
  const terminal = interactiveTerminal() ? new TerminalApprover({ input: process.stdin, output: process.stderr }, { yes: false, allowCommands: [] }) : undefined;
  const hub = await cliMcpHub({ ...(args.workspace ? { workspace: args.workspace } : {}), ...(terminal ? { terminal } : {}) });
  try {
    const listed = await hub.list();
    for (const p of hub.config.problems) process.stderr.write(`arc: ${p}\n`);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(listed)}\n`);
    } else if (listed.servers.length === 0) {
      process.stdout.write(`No MCP servers are configured (${path.join(arcHome(), 'mcp.json')}${args.workspace ? `, ${path.join(args.workspace, '.vscode', 'mcp.json')}` : ''}).\n`);
    } else {
      for (const s of listed.servers) {
        process.stdout.write(`${visible(s.name, { oneLine: true })} (${s.source}): ${s.status}${s.error ? ` — ${visible(s.error, { oneLine: true })}` : ''}\n`);
        for (const t of s.tools) process.stdout.write(`  ${visible(t.name, { oneLine: true })}${t.readOnly ? ' (read-only)' : ''}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    await hub.close();
  }
}

/** Agentic mode on `--workspace DIR`, asking on the terminal when there is one, else only what the flags allow. */
function agentEnvironment(args: Omit<AskArgs, 'command' | 'query'>, store: JsonFileStore, session: CliSession = {}): () => AgentEnvironment {
  const dir = path.resolve(args.workspace!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--workspace ${args.workspace} is not a folder.`);
  const interactive = interactiveTerminal();
  const runner = new NodeCommandRunner({ stripEnv: [args.apiKeyEnv], sandbox: args.sandbox, network: args.commandNetwork, maskAlso: [arcHome()] });
  process.stderr.write(`arc: commands are ${runner.isolation.description}${runner.isolation.hint ? ` (${runner.isolation.hint})` : ''}.\n`);
  if (!interactive && !args.yes) {
    process.stderr.write('arc: not interactive: agent edits will not be applied (pass --yes), and only sandboxed commands matching --allow-command will run.\n');
  }
  const undo = new UndoStack(store, [dir]);
  const terminal = interactive ? new TerminalApprover({ input: process.stdin, output: process.stderr }, { yes: args.yes, allowCommands: args.allowCommands }) : undefined;
  let hub: Promise<McpHub> | undefined;
  const env: AgentEnvironment = {
    workspace: new NodeWorkspace({ roots: [dir] }),
    approver: terminal ?? new AutoApprover({ edits: args.yes, commandRegexes: args.allowCommands }),
    // MCP servers start with the first agentic run that needs tools, and stop when arc exits.
    extraTools: async (req) => {
      hub ??= cliMcpHub({ workspace: dir, ...(terminal ? { terminal } : {}), allowTools: args.allowTools, sandbox: args.sandbox, network: args.commandNetwork }).then((h) => (session.hub = h));
      return (await hub).agentTools(req);
    },
    runner,
    trusted: true,
    commandPolicy: { allowedCommands: args.allowCommands, deniedCommands: args.denyCommands },
    onChanges: (run) => undo.push(run),
  };
  return () => env;
}

/** Ctrl+C (or SIGTERM) cancels the run; a second one quits at once. */
function interruptible(): { signal: AbortSignal; dispose(): void } {
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
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}

async function evalTask(args: EvalArgs): Promise<number> {
  const interrupt = interruptible();
  try {
    const outcome = await runEvalCli(args, {
      arcHome: arcHome(),
      store: arcStore(),
      signal: interrupt.signal,
      out: process.stdout,
      err: process.stderr,
      distDir: __dirname,
      ...(process.env.ARC_PRICES !== undefined ? { pricesEnv: process.env.ARC_PRICES } : {}),
      routerLearning: process.env.ARC_ROUTER_LEARNING !== 'off',
    });
    return outcome === 'cancelled' ? EXIT.interrupted : outcome === 'failed' ? EXIT.error : EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`arc: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    interrupt.dispose();
  }
}

async function ask(args: AskArgs): Promise<number> {
  try {
    return await askOnce(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`arc: ${e.message}\n`);
    return EXIT.usage;
  }
}

async function askOnce(args: AskArgs): Promise<number> {
  const store = arcStore();
  // ARC_ROUTER_SELF_ROUTE=on is the CLI's form of arc.router.selfRoute.
  const session: CliSession = {};
  const engine = await cliEngine(
    args,
    store,
    async (model) =>
      new SelfRoutingRouter(await learnedRouter(args.effort, model.id), {
        enabled: () => process.env.ARC_ROUTER_SELF_ROUTE === 'on',
        model: () => model,
        allowed: () => [...MODES],
      }),
    session,
  );
  const interrupt = interruptible();
  const human = args.json ? undefined : new HumanRenderer(process.stdout, process.stderr);
  let last: KnownRunEvent | undefined;
  const tally = new RunTally();
  try {
    const request = { query: args.query, mode: args.mode, modeChosenBy: args.modeChosenBy, effort: args.effort, source: 'cli' as const, parallel: { spawn: args.spawn, maxChildren: args.maxChildren }, scale: args.scale, scaleSystem1: args.scaleSystem1 };
    for await (const event of engine.run(request, interrupt.signal)) {
      last = event;
      tally.observe(event);
      if (args.json) process.stdout.write(`${visibleJson(event)}\n`);
      else human!.render(event);
    }
  } finally {
    interrupt.dispose();
    await session.hub?.close();
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
