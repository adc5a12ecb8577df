// Command-line parsing for `arc` (DESIGN §6.1). Usage problems become UsageError (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { REQUESTED_MODES, type RequestedMode } from '../core/run/events';
import { baseUrlSchema } from '../core/config/settings';
import { DEFAULT_EFFORT, MAX_EFFORT, MIN_EFFORT } from '../core/config/effortRange';
import { ArmSpecError, DEFAULT_ARMS, parseArms, type ArmSpec } from '../eval/arms';

export class UsageError extends Error {}

export const USAGE = `Usage:
  arc ask [options] "<query>"     ask ARC; the answer on stdout, progress on stderr
  arc route [--json] [--effort R] [--model M] "<query>"   M (or ARC_MODEL): whose learned costs and price to show
                                  which mode ARC would choose, and why (no model is called)
  arc route --json --file F       one decision per JSON line of F ({"query", "context"?}); F may be -
  arc stats [--json]              router outcomes, cost of pass per mode, what the router learned
  arc undo [--to N] [--workspace DIR] [--json]
                                  undo the newest agentic run on DIR (default: the current folder) byte
                                  for byte; again for the one before; --to N undoes runs N and later
  arc checkpoints [--workspace DIR] [--json]
                                  the agentic runs on DIR that can be undone, numbered, newest last
  arc mcp list [--json] [--workspace DIR]
                                  the MCP servers ($ARC_HOME/mcp.json, DIR/.vscode/mcp.json), their
                                  status and tools
  arc eval --task T [--arms SPEC] [--n N] [options]
                                  measure ARC's policies against their baselines on your model: every
                                  arm on the same verified items; DIR/results.jsonl, summary.json and
                                  report.html
  arc eval --report DIR           re-render DIR/summary.json and DIR/report.html from DIR/results.jsonl
  arc bench                       run every benchmark in bench/ (prints a table, writes JSON)
  arc help                        this text

Options for ask:
  --base-url URL        an OpenAI-compatible endpoint (env ARC_BASE_URL)
  --model M             the model for every role (env ARC_MODEL)
  --api-key-env VAR     read the API key from VAR (default OPENAI_API_KEY; none is sent if unset)
  --mode MODE           auto (the router decides) | instant | reasoning | agentic (env ARC_MODE)
  --effort R            thinking relative to what such a query usually takes, ${MIN_EFFORT} to ${MAX_EFFORT} (env ARC_EFFORT; default ${DEFAULT_EFFORT})
  --spawn on|off        let reasoning spawn parallel threads (default on)
  --max-parallel N      threads in flight per endpoint, 1 to 64 (env ARC_MAX_PARALLEL; default 4; halves on 429s)
  --max-children N      threads per spawn, 1 to 64 (default 8)
  --max-depth N         1: only the answer's own thread spawns; 2: its threads may too (default 1)
  --scale auto|on|off   SCALE: split a multi-step problem and think hardest on the hard steps (default auto)
  --scale-system1 same-model|instant-role
                        SCALE's easy steps: the reasoning model with thinking off (default) or the
                        instant role (env ARC_SCALE_SYSTEM1)
  --workspace DIR       agentic mode works on DIR (without it agentic runs as reasoning)
  --yes                 apply the agent's edits without asking (each file is snapshotted first)
  --allow-command RE    run commands matching RE (from the start of the parsed command line) without
                        asking — only one plain command (no operators, substitutions, redirections),
                        no option that runs code, and only inside the sandbox; repeatable. Without a
                        terminal to ask, only --yes (edits, never protected files) and
                        --allow-command approve anything.
  --deny-command RE     never run commands matching RE (besides the built-in rules); repeatable
  --allow-tool GLOB     call the MCP tools whose full name matches GLOB without asking, e.g.
                        'mcp__memory__*'; repeatable. Other tool calls ask on the terminal (without
                        one they are refused)
  --sandbox MODE        auto (sandbox commands where the OS can) | required (refuse without one) | off
                        (env ARC_SANDBOX; default auto)
  --command-network     let sandboxed commands reach the network (env ARC_COMMAND_NETWORK=on)
  --timeout SECONDS     wait this long for the server, and between two chunks (default 120)
  --json                one RunEvent per line on stdout
Options for eval: the endpoint options above (their --mode, --effort, --scale, --spawn are what an
arm does not set), and
  --task T              countdown (generated, verified) | countdown:FILE ({"nums", "target"} lines) |
                        gsm8k (downloaded once, checked, cached in $ARC_HOME; MIT) | FILE.jsonl
                        ({"id"?, "question", "answer", "check"?: exact|number|regex|choice|contains|
                        command, "command"?, "workspace"?} lines)
  --arms SPEC           comma list of arms: auto, instant, reasoning, agentic, effort:R, scale:on|off,
                        spawn:on|off, joined with + (reasoning+effort:0.5); effort:0.25,0.5,1 is
                        three arms (default ${DEFAULT_ARMS})
  --n N                 how many items (default 20; a file's first N)
  --seed S              the countdown generator's seed (default 1)
  --concurrency N       runs in flight at once (default 2; 8 with --simulator)
  --max-cost USD        start no run that would take the spend past USD (needs a price: ARC_PRICES)
  --out DIR             where results go (default ./arc-eval)
  --resume              continue the eval in --out DIR without re-running what finished
  --simulator           run ARC's simulator in-process (no model needed; every figure is marked simulated)
  --learn               verified outcomes teach the router and cost of pass (arc stats)
Prices: ARC_PRICES, the JSON of arc.prices ({"model": {"input": USD/1M, "output": USD/1M}}) or a file.
Exit codes: 0 answered, 1 model or server error, 2 bad usage, 130 interrupted.`;

export interface AskArgs {
  command: 'ask';
  query: string;
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  apiKeyEnv: string;
  mode: RequestedMode;
  /** --mode is a choice for this query; ARC_MODE is a standing setting. */
  modeChosenBy: 'user' | 'setting';
  timeoutSeconds: number;
  json: boolean;
  effort: number;
  spawn: boolean;
  maxParallel: number;
  maxChildren: number;
  maxDepth: number;
  scale: 'auto' | 'on' | 'off';
  scaleSystem1: 'same-model' | 'instant-role';
  workspace?: string;
  yes: boolean;
  allowCommands: string[];
  denyCommands: string[];
  /** --allow-tool globs: MCP tools that run without asking. */
  allowTools: string[];
  sandbox: 'auto' | 'required' | 'off';
  commandNetwork: boolean;
}

export interface EvalArgs extends Omit<AskArgs, 'command' | 'query'> {
  command: 'eval';
  task: string;
  n: number;
  seed: number;
  concurrency: number;
  arms: ArmSpec[];
  maxCost?: number;
  out: string;
  resume: boolean;
  simulator: boolean;
  learn: boolean;
}

export interface EvalReportArgs {
  command: 'eval-report';
  dir: string;
  json: boolean;
}

export interface McpArgs {
  command: 'mcp';
  sub: 'list';
  json: boolean;
  workspace?: string;
}

export interface RouteArgs {
  command: 'route';
  json: boolean;
  effort: number;
  query?: string;
  file?: string;
  /** The model `arc ask` would use (`--model`, ARC_MODEL): its learned mode costs and price. */
  model?: string;
}

export type CliArgs =
  | AskArgs
  | EvalArgs
  | EvalReportArgs
  | RouteArgs
  | { command: 'stats'; json: boolean }
  | { command: 'undo'; json: boolean; to?: number; workspace?: string }
  | { command: 'checkpoints'; json: boolean; workspace?: string }
  | McpArgs
  | { command: 'bench'; rest: string[] }
  | { command: 'help' }
  | { command: 'version' };

const MODES = REQUESTED_MODES;

function parseEffort(raw: string | undefined, name: string): number {
  if (raw === undefined) return DEFAULT_EFFORT;
  const r = Number(raw);
  if (!Number.isFinite(r) || r < MIN_EFFORT || r > MAX_EFFORT) throw new UsageError(`${name} takes a number from ${MIN_EFFORT} to ${MAX_EFFORT}, not "${raw}".`);
  return r;
}

/** parseArgs with positionals, where anything it rejects is a usage error (exit 2). */
function strictArgs<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseRoute(rest: string[], env: NodeJS.ProcessEnv): RouteArgs {
  const { values, positionals } = strictArgs(rest, {
    json: { type: 'boolean', default: false },
    file: { type: 'string' },
    effort: { type: 'string' },
    model: { type: 'string' },
  });
  const effort = parseEffort(values.effort ?? env.ARC_EFFORT, values.effort !== undefined ? '--effort' : 'ARC_EFFORT');
  const query = positionals.join(' ').trim();
  const modelArg = values.model ?? env.ARC_MODEL;
  const model = modelArg ? { model: modelArg } : {};
  if (values.file !== undefined) {
    if (query) throw new UsageError('arc route takes either a query or --file, not both.');
    if (!values.json) throw new UsageError('arc route --file prints JSON lines: add --json.');
    return { command: 'route', json: true, effort, file: values.file, ...model };
  }
  if (!query) throw new UsageError('arc route needs a query, e.g. arc route "why does this test fail?"');
  return { command: 'route', json: values.json, effort, query, ...model };
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'bench') return { command: 'bench', rest };
  if (command === 'route') return parseRoute(rest, env);
  if (command === 'undo' || command === 'checkpoints') {
    const { values, positionals } = strictArgs(rest, {
      json: { type: 'boolean', default: false },
      workspace: { type: 'string' },
      ...(command === 'undo' ? { to: { type: 'string' } } : {}),
    });
    if (positionals.length) throw new UsageError(`arc ${command} takes no ${positionals.length === 1 ? 'argument' : 'arguments'} "${positionals.join(' ')}".`);
    const workspace = values.workspace === undefined ? {} : { workspace: values.workspace };
    if (command === 'checkpoints') return { command, json: Boolean(values.json), ...workspace };
    const to = (values as { to?: string }).to;
    return { command, json: Boolean(values.json), ...workspace, ...(to !== undefined ? { to: wholeNumber(to, '--to', 1, 1_000_000, 1) } : {}) };
  }
  if (command === 'mcp') {
    const [sub, ...more] = rest;
    if (sub !== 'list') throw new UsageError(`arc mcp takes "list", not ${sub === undefined ? 'nothing' : `"${sub}"`}.`);
    const { values, positionals } = strictArgs(more, { json: { type: 'boolean', default: false }, workspace: { type: 'string' } });
    if (positionals.length) throw new UsageError(`arc mcp list takes no argument "${positionals.join(' ')}".`);
    return { command: 'mcp', sub: 'list', json: Boolean(values.json), ...(values.workspace !== undefined ? { workspace: values.workspace } : {}) };
  }
  if (command === 'stats') {
    if (rest.some((a) => a !== '--json')) throw new UsageError(`arc stats takes only --json, not ${rest.filter((a) => a !== '--json').join(' ')}.`);
    return { command: 'stats', json: rest.includes('--json') };
  }
  if (command !== 'ask' && command !== 'eval') throw new UsageError(`Unknown command "${command}".`);
  const { values, positionals } = strictArgs(rest, {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    mode: { type: 'string' },
    timeout: { type: 'string' },
    effort: { type: 'string' },
    spawn: { type: 'string' },
    'max-parallel': { type: 'string' },
    'max-children': { type: 'string' },
    'max-depth': { type: 'string' },
    scale: { type: 'string' },
    'scale-system1': { type: 'string' },
    workspace: { type: 'string' },
    yes: { type: 'boolean', default: false },
    'allow-command': { type: 'string', multiple: true },
    'deny-command': { type: 'string', multiple: true },
    'allow-tool': { type: 'string', multiple: true },
    sandbox: { type: 'string' },
    'command-network': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...(command === 'eval'
      ? {
          task: { type: 'string' },
          n: { type: 'string' },
          seed: { type: 'string' },
          concurrency: { type: 'string' },
          arms: { type: 'string' },
          'max-cost': { type: 'string' },
          out: { type: 'string' },
          resume: { type: 'boolean', default: false },
          simulator: { type: 'boolean', default: false },
          learn: { type: 'boolean', default: false },
          report: { type: 'string' },
        }
      : {}),
  } as const);
  const ev = values as unknown as Record<string, string | boolean | undefined>;
  if (command === 'eval' && typeof ev.report === 'string') {
    const others = ['task', 'arms', 'resume', 'simulator', 'learn', 'max-cost'].filter((k) => ev[k] !== undefined && ev[k] !== false);
    if (others.length) throw new UsageError(`arc eval --report DIR re-renders a finished eval; it takes no --${others[0]}.`);
    return { command: 'eval-report', dir: ev.report, json: Boolean(values.json) };
  }
  const simulator = command === 'eval' && ev.simulator === true;
  const effort = parseEffort(values.effort ?? env.ARC_EFFORT, values.effort !== undefined ? '--effort' : 'ARC_EFFORT');
  const query = positionals.join(' ').trim();
  if (command === 'ask' && !query) throw new UsageError('arc ask needs a query, e.g. arc ask "what does git rebase do?"');
  if (command === 'eval' && query) throw new UsageError(`arc eval takes no query ("${query.slice(0, 40)}"): it asks its task's questions.`);
  const baseUrl = values['base-url'] ?? (simulator ? 'http://127.0.0.1/v1' : env.ARC_BASE_URL);
  if (simulator && values['base-url'] !== undefined) throw new UsageError('--simulator runs its own endpoint: drop --base-url.');
  if (!baseUrl) throw new UsageError('No endpoint: pass --base-url URL or set ARC_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama).');
  // Never echo the URL back: it may hold a password, which must not reach the terminal's history.
  if (!z.url({ protocol: /^https?$/ }).safeParse(baseUrl).success) throw new UsageError('--base-url is not an http(s) URL.');
  if (!baseUrlSchema.safeParse(baseUrl).success) throw new UsageError('--base-url must not contain a user name or password; pass the key with OPENAI_API_KEY or --api-key-env.');
  const model = values.model ?? (simulator ? 'sim' : env.ARC_MODEL);
  if (!model) throw new UsageError('No model: pass --model M or set ARC_MODEL.');
  const mode = values.mode ?? env.ARC_MODE ?? 'auto';
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, not "${mode}".`);
  const timeout = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) throw new UsageError('--timeout takes whole seconds from 1 to 3600.');
  const apiKeyEnv = values['api-key-env'] ?? 'OPENAI_API_KEY';
  if (values['api-key-env'] !== undefined && !env[apiKeyEnv]) throw new UsageError(`--api-key-env names ${apiKeyEnv}, which is not set.`);
  const spawn = values.spawn ?? 'on';
  if (spawn !== 'on' && spawn !== 'off') throw new UsageError(`--spawn takes on or off, not "${spawn}".`);
  const scaleSystem1 = values['scale-system1'] ?? env.ARC_SCALE_SYSTEM1 ?? 'same-model';
  if (scaleSystem1 !== 'same-model' && scaleSystem1 !== 'instant-role') throw new UsageError(`--scale-system1 takes same-model or instant-role, not "${scaleSystem1}".`);
  const scale = values.scale ?? 'auto';
  if (scale !== 'auto' && scale !== 'on' && scale !== 'off') throw new UsageError(`--scale takes auto, on or off, not "${scale}".`);
  const sandbox = values.sandbox ?? env.ARC_SANDBOX ?? 'auto';
  if (sandbox !== 'auto' && sandbox !== 'required' && sandbox !== 'off') throw new UsageError(`--sandbox takes auto, required or off, not "${sandbox}".`);
  const common = {
    baseUrl,
    model,
    apiKey: env[apiKeyEnv] || undefined,
    apiKeyEnv,
    mode: mode as AskArgs['mode'],
    modeChosenBy: values.mode !== undefined ? ('user' as const) : ('setting' as const),
    timeoutSeconds: timeout,
    json: Boolean(values.json),
    effort,
    spawn: spawn === 'on',
    maxParallel: wholeNumber(values['max-parallel'] ?? env.ARC_MAX_PARALLEL, values['max-parallel'] !== undefined ? '--max-parallel' : 'ARC_MAX_PARALLEL', 1, 64, 4),
    maxChildren: wholeNumber(values['max-children'], '--max-children', 1, 64, 8),
    maxDepth: wholeNumber(values['max-depth'], '--max-depth', 1, 2, 1),
    scale: scale as AskArgs['scale'],
    scaleSystem1: scaleSystem1 as AskArgs['scaleSystem1'],
    ...(values.workspace !== undefined ? { workspace: values.workspace } : {}),
    yes: Boolean(values.yes),
    allowCommands: regexList(values['allow-command'], '--allow-command'),
    denyCommands: regexList(values['deny-command'], '--deny-command'),
    allowTools: toolGlobs(values['allow-tool']),
    sandbox: sandbox as AskArgs['sandbox'],
    commandNetwork: Boolean(values['command-network']) || env.ARC_COMMAND_NETWORK === 'on',
  };
  if (command === 'ask') return { command: 'ask', query, ...common };
  const v = values as unknown as Record<string, string | boolean | undefined>;
  const task = typeof v.task === 'string' ? v.task : undefined;
  if (!task && !simulator) throw new UsageError('arc eval needs --task countdown, countdown:FILE, gsm8k or FILE.jsonl (or --simulator for a first look).');
  let arms: ArmSpec[];
  try {
    arms = parseArms(typeof v.arms === 'string' ? v.arms : DEFAULT_ARMS);
  } catch (e) {
    if (e instanceof ArmSpecError) throw new UsageError(e.message);
    throw e;
  }
  let maxCost: number | undefined;
  if (typeof v['max-cost'] === 'string') {
    maxCost = Number(v['max-cost']);
    if (!Number.isFinite(maxCost) || maxCost <= 0) throw new UsageError(`--max-cost takes a positive number of US dollars, not "${v['max-cost']}".`);
  }
  return {
    command: 'eval',
    ...common,
    task: task ?? 'countdown',
    n: wholeNumber(v.n as string | undefined, '--n', 1, 10_000, 20),
    seed: wholeNumber(v.seed as string | undefined, '--seed', 0, 2 ** 31 - 1, 1),
    concurrency: wholeNumber(v.concurrency as string | undefined, '--concurrency', 1, 64, simulator ? 8 : 2),
    arms,
    ...(maxCost !== undefined ? { maxCost } : {}),
    out: typeof v.out === 'string' ? v.out : 'arc-eval',
    resume: v.resume === true,
    simulator,
    learn: v.learn === true,
  };
}

function regexList(raw: string[] | undefined, name: string): string[] {
  for (const re of raw ?? []) {
    try {
      new RegExp(re);
    } catch (e) {
      throw new UsageError(`${name} "${re}" is not a valid regular expression (${(e as Error).message}).`);
    }
  }
  return [...(raw ?? [])];
}

function toolGlobs(raw: string[] | undefined): string[] {
  for (const g of raw ?? []) {
    if (!/^[A-Za-z0-9_*?-]+$/.test(g)) throw new UsageError(`--allow-tool "${g}" is not a tool-name glob (letters, digits, _, -, * and ? only; e.g. 'mcp__memory__*').`);
  }
  return [...(raw ?? [])];
}

function wholeNumber(raw: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} takes a whole number from ${min} to ${max}, not "${raw}".`);
  return n;
}
