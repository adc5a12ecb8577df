// The three transports (DESIGN §6.7) through @modelcontextprotocol/sdk: stdio (a child process,
// wrapped in the OS sandbox for workspace servers), streamable HTTP and the older SSE.
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { scrubEnvironment, type Sandbox, type SandboxPaths } from '../sandbox';
import { commandLine, type ResolvedServer } from './resolve';

export interface SandboxPlan {
  sandbox: Sandbox;
  paths: SandboxPaths;
  network: boolean;
}

export interface OpenedTransport {
  transport: Transport;
  /** The child's stderr (stdio), kept as a tail for error messages. */
  stderrTail: () => string;
  /** The child's pid (stdio). */
  pid: () => number | undefined;
}

const STDERR_TAIL = 2000;

export function openTransport(server: ResolvedServer, sandbox?: SandboxPlan): OpenedTransport {
  if (server.type === 'stdio') {
    let tail = '';
    let params;
    if (sandbox) {
      // Inside the sandbox the server gets a scrubbed environment (no keys) plus what it was configured with.
      const env = { ...scrubEnvironment(process.env), ...server.env };
      const cwd = server.cwd ?? sandbox.paths.writable[0] ?? process.cwd();
      const w = sandbox.sandbox.wrap({ command: `exec ${commandLine(server)}`, cwd, paths: sandbox.paths, network: sandbox.network, env });
      params = { command: w.file, args: w.args, env: w.env, cwd, stderr: 'pipe' as const };
    } else {
      params = { command: server.command, args: server.args, env: server.env, ...(server.cwd ? { cwd: server.cwd } : {}), stderr: 'pipe' as const };
    }
    const transport = new StdioClientTransport(params);
    transport.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    return { transport, stderrTail: () => tail, pid: () => transport.pid ?? undefined };
  }
  const requestInit = { headers: server.headers };
  const url = new URL(server.url);
  const transport = server.type === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit });
  return { transport, stderrTail: () => '', pid: () => undefined };
}
