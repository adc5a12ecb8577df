// Command-line parsing for `arc` (DESIGN §6.1). Usage problems become UsageError (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { baseUrlSchema } from '../core/config/settings';
import { MAX_EFFORT, MIN_EFFORT } from '../core/config/effortRange';

export class UsageError extends Error {}

export const USAGE = `Usage:
  arc ask [options] "<query>"     ask ARC; the answer on stdout, progress on stderr
  arc route [--json] [--effort R] "<query>"
                                  which mode ARC would choose, and why (no model is called)
  arc route --json --file F       one decision per JSON line of F ({"query", "context"?}); F may be -
  arc stats [--json]              router outcomes, cost of pass per mode, what the router learned
  arc bench                       run every benchmark in bench/ (prints a table, writes JSON)
  arc help                        this text

Options for ask:
  --base-url URL        an OpenAI-compatible endpoint (env ARC_BASE_URL)
  --model M             the model for every role (env ARC_MODEL)
  --api-key-env VAR     read the API key from VAR (default OPENAI_API_KEY; none is sent if unset)
  --mode MODE           auto (the router decides) | instant | reasoning | agentic (env ARC_MODE)
  --effort R            thinking relative to what such a query usually takes, 0.1 to 2 (env ARC_EFFORT; default 1)
  --timeout SECONDS     wait this long for the server, and between two chunks (default 120)
  --json                one RunEvent per line on stdout
Exit codes: 0 answered, 1 model or server error, 2 bad usage, 130 interrupted.`;

export interface AskArgs {
  command: 'ask';
  query: string;
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  apiKeyEnv: string;
  mode: 'auto' | 'instant' | 'reasoning' | 'agentic';
  /** --mode is a choice for this query; ARC_MODE is a standing setting. */
  modeChosenBy: 'user' | 'setting';
  timeoutSeconds: number;
  json: boolean;
  effort: number;
}

export interface RouteArgs {
  command: 'route';
  json: boolean;
  effort: number;
  query?: string;
  file?: string;
}

export type CliArgs =
  | AskArgs
  | RouteArgs
  | { command: 'stats'; json: boolean }
  | { command: 'bench'; rest: string[] }
  | { command: 'help' }
  | { command: 'version' };

const NOT_YET = new Set(['eval']);
const MODES = ['auto', 'instant', 'reasoning', 'agentic'] as const;

function parseEffort(raw: string | undefined, name: string): number {
  if (raw === undefined) return 1;
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
  });
  const effort = parseEffort(values.effort ?? env.ARC_EFFORT, values.effort !== undefined ? '--effort' : 'ARC_EFFORT');
  const query = positionals.join(' ').trim();
  if (values.file !== undefined) {
    if (query) throw new UsageError('arc route takes either a query or --file, not both.');
    if (!values.json) throw new UsageError('arc route --file prints JSON lines: add --json.');
    return { command: 'route', json: true, effort, file: values.file };
  }
  if (!query) throw new UsageError('arc route needs a query, e.g. arc route "why does this test fail?"');
  return { command: 'route', json: values.json, effort, query };
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'bench') return { command: 'bench', rest };
  if (command === 'route') return parseRoute(rest, env);
  if (command === 'stats') {
    if (rest.some((a) => a !== '--json')) throw new UsageError(`arc stats takes only --json, not ${rest.filter((a) => a !== '--json').join(' ')}.`);
    return { command: 'stats', json: rest.includes('--json') };
  }
  if (NOT_YET.has(command)) throw new UsageError(`"arc ${command}" is not available in this build of ARC yet.`);
  if (command !== 'ask') throw new UsageError(`Unknown command "${command}".`);
  const { values, positionals } = strictArgs(rest, {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    mode: { type: 'string' },
    timeout: { type: 'string' },
    effort: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const effort = parseEffort(values.effort ?? env.ARC_EFFORT, values.effort !== undefined ? '--effort' : 'ARC_EFFORT');
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('arc ask needs a query, e.g. arc ask "what does git rebase do?"');
  const baseUrl = values['base-url'] ?? env.ARC_BASE_URL;
  if (!baseUrl) throw new UsageError('No endpoint: pass --base-url URL or set ARC_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama).');
  // Never echo the URL back: it may hold a password, which must not reach the terminal's history.
  if (!z.url({ protocol: /^https?$/ }).safeParse(baseUrl).success) throw new UsageError('--base-url is not an http(s) URL.');
  if (!baseUrlSchema.safeParse(baseUrl).success) throw new UsageError('--base-url must not contain a user name or password; pass the key with OPENAI_API_KEY or --api-key-env.');
  const model = values.model ?? env.ARC_MODEL;
  if (!model) throw new UsageError('No model: pass --model M or set ARC_MODEL.');
  const mode = values.mode ?? env.ARC_MODE ?? 'auto';
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, not "${mode}".`);
  const timeout = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) throw new UsageError('--timeout takes whole seconds from 1 to 3600.');
  const apiKeyEnv = values['api-key-env'] ?? 'OPENAI_API_KEY';
  if (values['api-key-env'] !== undefined && !env[apiKeyEnv]) throw new UsageError(`--api-key-env names ${apiKeyEnv}, which is not set.`);
  return { command: 'ask', query, baseUrl, model, apiKey: env[apiKeyEnv] || undefined, apiKeyEnv, mode: mode as AskArgs['mode'], modeChosenBy: values.mode !== undefined ? 'user' : 'setting', timeoutSeconds: timeout, json: values.json, effort };
}
