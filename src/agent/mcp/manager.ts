// The MCP servers of one session (DESIGN §6.7): started lazily (the first agentic run or `arc mcp
// list`), their tools listed once, calls made with a time limit, and a server that exits reported and
// left out from then on — the run goes on without it. Workspace servers start only in a trusted
// workspace and only after the person approved that exact command line (`approveServer`); where the
// OS has a sandbox they run inside it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Sandbox, SandboxPaths } from '../sandbox';
import type { McpServerEntry, McpSource } from './config';
import { commandLine, McpConfigError, resolveServer, type InputAsker, type ResolvedServer } from './resolve';
import { openTransport, type OpenedTransport, type SandboxPlan } from './transport';

export type McpStatus = 'ready' | 'failed' | 'not-started';

export interface McpToolInfo {
  server: string;
  source: McpSource;
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

export interface McpServerStatus {
  name: string;
  source: McpSource;
  status: McpStatus;
  tools: Array<{ name: string; readOnly: boolean }>;
  error?: string;
}

/** What the person approves before a workspace server starts. */
export interface ServerApprovalRequest {
  name: string;
  /** The config file that names it. */
  file?: string;
  folder?: string;
  /** stdio: the exact command line; http/sse: the URL. */
  commandLine: string;
  transport: 'stdio' | 'http' | 'sse';
  /** It will run inside the OS sandbox. */
  sandboxed: boolean;
}

export interface McpManagerOptions {
  servers: readonly McpServerEntry[];
  /** The workspace is trusted: without trust no workspace server starts (DESIGN §5). */
  trusted: boolean;
  /**
   * Asks (once per exact command line; the caller remembers) before a workspace server starts.
   * Absent — a CLI run without a terminal — workspace servers do not start.
   */
  approveServer?: (req: ServerApprovalRequest) => Promise<boolean>;
  /** Asks for `${input:…}` values (the editor); absent, servers that need one do not start. */
  ask?: InputAsker;
  /** The sandbox for workspace stdio servers, when the OS has one. */
  sandbox?: () => Promise<{ sandbox: Sandbox; paths: SandboxPaths; network: boolean } | undefined>;
  /** Servers not to start because the editor already runs them (vscode.lm.tools), with why. */
  skip?: ReadonlyMap<string, string>;
  startTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Told when a ready server goes away. */
  onServerExit?: (name: string, error: string) => void;
}

export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

interface ServerState {
  entry: McpServerEntry;
  status: McpStatus;
  tools: McpToolInfo[];
  error?: string;
  client?: Client;
  opened?: OpenedTransport;
  starting?: Promise<void>;
  closing?: boolean;
}

export class McpCallError extends Error {
  override readonly name = 'McpCallError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'server_gone' | 'cancelled' | 'error',
  ) {
    super(message);
  }
}

export class McpManager {
  private readonly states = new Map<string, ServerState>();

  constructor(private readonly options: McpManagerOptions) {
    for (const entry of options.servers) this.states.set(entry.name, { entry, status: 'not-started', tools: [] });
  }

  get size(): number {
    return this.states.size;
  }

  /** Starts every server that may start (once; later calls wait for the same start). */
  async startAll(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => this.start(s)));
  }

  /** The tools of the ready servers (starting them first, lazily). */
  async tools(): Promise<McpToolInfo[]> {
    await this.startAll();
    return [...this.states.values()].filter((s) => s.status === 'ready').flatMap((s) => s.tools);
  }

  status(): McpServerStatus[] {
    return [...this.states.values()].map((s) => ({
      name: s.entry.name,
      source: s.entry.source,
      status: s.status,
      tools: s.tools.map((t) => ({ name: t.name, readOnly: t.readOnly })),
      ...(s.error ? { error: s.error } : {}),
    }));
  }

  /** Why a server is not usable now, or undefined when it is ready. */
  unavailable(server: string): string | undefined {
    const s = this.states.get(server);
    if (!s) return `there is no MCP server "${server}"`;
    if (s.status === 'ready') return undefined;
    return s.error ?? `MCP server "${server}" is not running`;
  }

  async call(server: string, tool: string, args: Record<string, unknown>, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<CallToolResult> {
    const s = this.states.get(server);
    const why = this.unavailable(server);
    if (why || !s?.client) throw new McpCallError(why ?? `MCP server "${server}" is not running`, 'server_gone');
    const timeoutMs = opts.timeoutMs ?? this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    try {
      return (await s.client.callTool({ name: tool, arguments: args }, undefined, { timeout: timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })) as CallToolResult;
    } catch (e) {
      if (opts.signal?.aborted) throw new McpCallError('the run was cancelled', 'cancelled');
      if ((s.status as McpStatus) !== 'ready') throw new McpCallError(s.error ?? `MCP server "${server}" stopped`, 'server_gone');
      const message = e instanceof Error ? e.message : String(e);
      if (/timed out|timeout/i.test(message)) throw new McpCallError(`the call timed out after ${Math.round(timeoutMs / 1000)} s`, 'timeout');
      throw new McpCallError(message, 'error');
    }
  }

  /** Stops every server (child processes end; HTTP sessions close). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.states.values()].map(async (s) => {
        s.closing = true;
        const client = s.client;
        s.client = undefined;
        if (client) await client.close().catch(() => undefined);
      }),
    );
  }

  private start(s: ServerState): Promise<void> {
    if (s.status !== 'not-started' || s.error) return s.starting ?? Promise.resolve();
    s.starting ??= this.startOnce(s).catch((e: unknown) => {
      s.status = e instanceof NotStarted ? 'not-started' : 'failed';
      s.error = e instanceof Error ? e.message : String(e);
      const client = s.client;
      s.client = undefined;
      s.closing = true;
      void client?.close().catch(() => undefined);
    });
    return s.starting;
  }

  private async startOnce(s: ServerState): Promise<void> {
    const { entry } = s;
    const skip = this.options.skip?.get(entry.name);
    if (skip) throw new NotStarted(skip);
    if (entry.source === 'workspace' && !this.options.trusted) {
      throw new NotStarted(`not started: the workspace is not trusted, and servers it names start only in a trusted workspace`);
    }
    let resolved: ResolvedServer;
    try {
      resolved = await resolveServer(entry, { ...(this.options.ask ? { ask: this.options.ask } : {}) });
    } catch (e) {
      if (e instanceof McpConfigError) throw new NotStarted(e.message);
      throw e;
    }
    let sandbox: SandboxPlan | undefined;
    if (entry.source === 'workspace') {
      if (resolved.type === 'stdio') sandbox = await this.options.sandbox?.();
      const line = resolved.type === 'stdio' ? commandLine(resolved) : resolved.url;
      if (!this.options.approveServer) {
        throw new NotStarted(`not started: "${entry.name}" comes from the workspace's ${entry.file ? 'configuration' : 'settings'} and must be approved once (${line}); run arc on a terminal to approve it`);
      }
      const ok = await this.options.approveServer({ name: entry.name, ...(entry.file ? { file: entry.file } : {}), ...(entry.folder ? { folder: entry.folder } : {}), commandLine: line, transport: resolved.type, sandboxed: Boolean(sandbox) });
      if (!ok) throw new NotStarted(`not started: starting "${line}" was not approved`);
    }
    const opened = openTransport(resolved, sandbox);
    s.opened = opened;
    const client = new Client({ name: 'arc', version: '1' }, { capabilities: {} });
    s.client = client;
    const timeoutMs = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    let connected = false;
    client.onclose = () => {
      // Before the handshake finished, the start itself fails with the reason; after it, this is a crash.
      if (s.closing || !connected) return;
      const stderr = opened.stderrTail().trim().split('\n').slice(-2).join(' | ');
      const error = `MCP server "${entry.name}" stopped${stderr ? ` (its last output: ${stderr.slice(0, 400)})` : ''}; its tools are gone for the rest of this session`;
      const wasReady = s.status === 'ready';
      s.status = 'failed';
      s.error = error;
      s.client = undefined;
      if (wasReady) this.options.onServerExit?.(entry.name, error);
    };
    try {
      await client.connect(opened.transport, { timeout: timeoutMs });
      connected = true;
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const r = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
        tools.push(...r.tools);
        cursor = r.nextCursor;
        if (!cursor) break;
      }
      s.tools = tools.map((t) => ({
        server: entry.name,
        source: entry.source,
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        inputSchema: t.inputSchema as Record<string, unknown>,
        readOnly: t.annotations?.readOnlyHint === true,
      }));
      if ((s.status as McpStatus) === 'failed') throw new Error(s.error);
      s.status = 'ready';
    } catch (e) {
      const stderr = opened.stderrTail().trim().split('\n').slice(-2).join(' | ');
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`MCP server "${entry.name}" failed to start: ${message}${stderr ? ` (its output: ${stderr.slice(0, 400)})` : ''}`);
    }
  }
}

/** A server that was not started on purpose (trust, approval, an input): status not-started. */
class NotStarted extends Error {}
