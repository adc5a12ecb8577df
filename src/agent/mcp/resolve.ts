// Turns a configured server into what is started (DESIGN §6.7): `${env:NAME}`, `${workspaceFolder}`,
// `${userHome}` and `${input:id}` substituted, `envFile` read (dotenv lines) under the explicit `env`.
// An `${input:…}` is asked for through `ask` (the editor's input box); without one (the CLI) the
// server does not start and the error names the server and the input.
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { McpInput, McpServerEntry } from './config';

export interface ResolvedStdio {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface ResolvedRemote {
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type ResolvedServer = ResolvedStdio | ResolvedRemote;

/** Asks the person for an input's value; undefined when they dismissed it. */
export type InputAsker = (input: McpInput, server: string) => Promise<string | undefined>;

export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

const VAR = /\$\{([^}]+)\}/g;

/** Every `${input:id}` a server's configuration uses. */
export function inputsUsed(entry: McpServerEntry): string[] {
  const found = new Set<string>();
  const scan = (s: string | undefined) => {
    for (const m of (s ?? '').matchAll(VAR)) if (m[1]!.startsWith('input:')) found.add(m[1]!.slice(6));
  };
  const c = entry.config;
  if (c.type === 'stdio') {
    scan(c.command);
    c.args?.forEach(scan);
    Object.values(c.env ?? {}).forEach((v) => scan(typeof v === 'string' ? v : undefined));
    scan(c.envFile);
    scan(c.cwd);
  } else {
    scan(c.url);
    Object.values(c.headers ?? {}).forEach(scan);
  }
  return [...found];
}

export interface ResolveOptions {
  ask?: InputAsker;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export async function resolveServer(entry: McpServerEntry, opts: ResolveOptions = {}): Promise<ResolvedServer> {
  const env = opts.env ?? process.env;
  const inputs = new Map<string, string>();
  for (const id of inputsUsed(entry)) {
    const declared: McpInput = entry.inputs.find((i) => i.id === id) ?? { id };
    if (!opts.ask) {
      throw new McpConfigError(`MCP server "${entry.name}" needs the input "${id}"${declared.description ? ` (${declared.description})` : ''}, which only the editor can ask for; put the value in the server's "env" or "headers" in ${entry.file ?? 'its configuration'} to use it here`);
    }
    const value = await opts.ask(declared, entry.name);
    if (value === undefined) throw new McpConfigError(`MCP server "${entry.name}" was not started: no value was given for the input "${id}"`);
    inputs.set(id, value);
  }
  const folder = entry.folder;
  const sub = (s: string): string =>
    s.replace(VAR, (whole, name: string) => {
      if (name.startsWith('env:')) return env[name.slice(4)] ?? '';
      if (name.startsWith('input:')) return inputs.get(name.slice(6)) ?? '';
      if (name === 'workspaceFolder' || name.startsWith('workspaceFolder:')) {
        if (!folder) throw new McpConfigError(`MCP server "${entry.name}" uses ${whole}, but ${entry.source === 'workspace' ? 'no folder is open' : `${entry.source} servers have no workspace folder`}`);
        return folder;
      }
      if (name === 'userHome') return opts.home ?? os.homedir();
      if (name === 'pathSeparator' || name === '/') return path.sep;
      throw new McpConfigError(`MCP server "${entry.name}" uses ${whole}, a variable ARC does not know`);
    });
  const c = entry.config;
  if (c.type === 'stdio') {
    const base = folder ?? (entry.file ? path.dirname(entry.file) : process.cwd());
    const resolved: Record<string, string> = {};
    if (c.envFile) {
      const file = path.resolve(base, sub(c.envFile));
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new McpConfigError(`MCP server "${entry.name}": cannot read its envFile ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      Object.assign(resolved, parseEnvFile(text));
    }
    for (const [k, v] of Object.entries(c.env ?? {})) {
      if (v === null) delete resolved[k];
      else resolved[k] = sub(String(v));
    }
    return {
      type: 'stdio',
      command: sub(c.command),
      args: (c.args ?? []).map(sub),
      env: resolved,
      ...(c.cwd ? { cwd: path.resolve(base, sub(c.cwd)) } : folder ? { cwd: folder } : {}),
    };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers ?? {})) headers[k] = sub(v);
  const url = sub(c.url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpConfigError(`MCP server "${entry.name}": its url is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new McpConfigError(`MCP server "${entry.name}": its url must be http or https`);
  return { type: c.type, url, headers };
}

/** dotenv lines: `KEY=value`, `export KEY=value`, quotes, `#` comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trimEnd();
    }
    out[m[1]!] = value;
  }
  return out;
}

/** The exact command line a person approves for a workspace server (quoted where a word needs it). */
export function commandLine(server: ResolvedStdio): string {
  return [server.command, ...server.args].map(shellWord).join(' ');
}

export function shellWord(w: string): string {
  return w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
