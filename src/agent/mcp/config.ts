// MCP server configuration (DESIGN §6.7): the format VS Code uses — `{"inputs"?, "servers": {NAME:
// {"type": "stdio", "command", "args"?, "env"?, "envFile"?, "cwd"?} | {"type": "http" | "sse", "url",
// "headers"?}}}` — from `.vscode/mcp.json` (workspace), `$ARC_HOME/mcp.json` (user) and the
// `arc.mcp.servers` setting. Files may hold comments and trailing commas (JSONC), as VS Code allows.
// Loading only reads and validates; variables (`${env:…}`, `${workspaceFolder}`, `${input:…}`) and
// `envFile` are resolved when a server starts (resolve.ts), so `arc mcp list` can say which need what.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export type McpSource = 'user' | 'workspace' | 'settings';

const stringMap = z.record(z.string(), z.string());

export const stdioServerSchema = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'command is empty'),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  envFile: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
});

export const remoteServerSchema = z.looseObject({
  type: z.enum(['http', 'sse']).optional(),
  url: z.string().min(1, 'url is empty'),
  headers: stringMap.optional(),
});

export const inputSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().optional(),
  description: z.string().optional(),
  password: z.boolean().optional(),
  default: z.string().optional(),
});
export type McpInput = z.infer<typeof inputSchema>;

export type StdioServerConfig = z.infer<typeof stdioServerSchema> & { type: 'stdio' };
export type RemoteServerConfig = z.infer<typeof remoteServerSchema> & { type: 'http' | 'sse' };
export type ServerConfig = StdioServerConfig | RemoteServerConfig;

/** One configured server, not yet resolved (variables still in it). */
export interface McpServerEntry {
  name: string;
  source: McpSource;
  config: ServerConfig;
  /** The file it came from (for messages and for `${workspaceFolder}` / a relative `envFile`). */
  file?: string;
  /** The workspace folder of a `.vscode/mcp.json`: `${workspaceFolder}` and relative paths. */
  folder?: string;
  /** The `inputs` declared beside it (`${input:id}` asks for these). */
  inputs: McpInput[];
}

export interface McpConfig {
  servers: McpServerEntry[];
  /** What was wrong (a bad file, a server without command or url): said, never fatal. */
  problems: string[];
}

/** Parses one server's object: stdio when it has a command (or says so), http/sse when it has a url. */
export function parseServer(name: string, raw: unknown): { config?: ServerConfig; problem?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: `server "${name}" is not an object` };
  const r = raw as Record<string, unknown>;
  const type = r.type ?? (typeof r.command === 'string' ? 'stdio' : typeof r.url === 'string' ? 'http' : undefined);
  if (type === 'stdio') {
    const p = stdioServerSchema.safeParse(r);
    if (!p.success) return { problem: `server "${name}": ${describe(p.error)}` };
    return { config: { ...p.data, type: 'stdio' } };
  }
  if (type === 'http' || type === 'sse') {
    const p = remoteServerSchema.safeParse(r);
    if (!p.success) return { problem: `server "${name}": ${describe(p.error)}` };
    return { config: { ...p.data, type } };
  }
  if (type === undefined) return { problem: `server "${name}" has neither a "command" (stdio) nor a "url" (http, sse)` };
  return { problem: `server "${name}" has type ${JSON.stringify(type)}; ARC runs "stdio", "http" and "sse"` };
}

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 4).map((i) => `${i.path.length ? i.path.join('.') : 'value'}: ${i.message}`).join('; ');
}

/**
 * Reads `{"servers": {...}, "inputs"?: [...]}` (or, for the setting, the servers map itself).
 * `origin` names it in messages ("~/.arc/mcp.json", "arc.mcp.servers").
 */
export function parseMcpConfig(value: unknown, source: McpSource, origin: string, extra: { file?: string; folder?: string } = {}): McpConfig {
  const problems: string[] = [];
  const servers: McpServerEntry[] = [];
  if (value === undefined || value === null) return { servers, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { servers, problems: [`${origin}: expected an object with "servers"`] };
  const obj = value as Record<string, unknown>;
  const map = typeof obj.servers === 'object' && obj.servers !== null && !Array.isArray(obj.servers) ? (obj.servers as Record<string, unknown>) : 'servers' in obj ? undefined : source === 'settings' ? obj : undefined;
  if (!map) return { servers, problems: 'servers' in obj ? [`${origin}: "servers" must be an object of named servers`] : [] };
  const inputs: McpInput[] = [];
  if (Array.isArray(obj.inputs)) {
    for (const i of obj.inputs) {
      const p = inputSchema.safeParse(i);
      if (p.success) inputs.push(p.data);
      else problems.push(`${origin}: an entry of "inputs" is invalid (${describe(p.error)})`);
    }
  }
  for (const [name, raw] of Object.entries(map)) {
    const { config, problem } = parseServer(name, raw);
    if (problem) problems.push(`${origin}: ${problem}`);
    if (config) servers.push({ name, source, config, inputs, ...extra });
  }
  return { servers, problems };
}

/** Reads a config file; a missing file is no servers, a broken one is a problem said once. */
export async function loadMcpConfigFile(file: string, source: McpSource, folder?: string): Promise<McpConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { servers: [], problems: [] };
    return { servers: [], problems: [`${file}: cannot read it (${code ?? (e as Error).message})`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(stripJsonc(text));
  } catch (e) {
    return { servers: [], problems: [`${file}: not valid JSON (${(e as Error).message})`] };
  }
  return parseMcpConfig(value, source, file, { file, ...(folder ? { folder } : {}) });
}

/**
 * All sources in precedence order: the user's file, then the setting, then the workspace's files.
 * A name already taken keeps its first definition: a repository cannot replace a server the user
 * configured (its tools keep their names).
 */
export function mergeMcpConfigs(...configs: McpConfig[]): McpConfig {
  const order: McpSource[] = ['user', 'settings', 'workspace'];
  const all = configs.flatMap((c) => c.servers).sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  const problems = configs.flatMap((c) => c.problems);
  const seen = new Map<string, McpServerEntry>();
  for (const s of all) {
    const first = seen.get(s.name);
    if (first) {
      problems.push(`MCP server "${s.name}" from the ${s.source} configuration is ignored: the ${first.source} configuration already names one so`);
      continue;
    }
    seen.set(s.name, s);
  }
  return { servers: [...seen.values()], problems };
}

/** JSONC to JSON: comments and trailing commas out, strings untouched. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ',') {
      let j = i + 1;
      // A comma followed (past blanks and comments) by a closing bracket is dropped.
      for (;;) {
        while (j < n && /\s/.test(text[j]!)) j++;
        if (text[j] === '/' && text[j + 1] === '/') {
          while (j < n && text[j] !== '\n') j++;
        } else if (text[j] === '/' && text[j + 1] === '*') {
          const end = text.indexOf('*/', j + 2);
          j = end < 0 ? n : end + 2;
        } else break;
      }
      if (text[j] !== '}' && text[j] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
