// One session's MCP setup (DESIGN §6.7), as the CLI and the editor use it: the configuration from
// every source, one manager, and the agent tools it offers a run — all of them to an agentic run,
// only the read-only ones to the helpers it spawns.
import * as path from 'node:path';
import type { AgentTool } from '../tools';
import { loadMcpConfigFile, mergeMcpConfigs, parseMcpConfig, type McpConfig } from './config';
import { McpManager, type McpManagerOptions, type McpServerStatus } from './manager';
import { mcpAgentTools, type McpToolPolicy } from './tools';

export interface McpSources {
  /** $ARC_HOME/mcp.json. */
  userFile?: string;
  /** arc.mcp.servers. */
  settings?: unknown;
  /** Workspace folders: each one's .vscode/mcp.json. */
  folders?: readonly string[];
}

export async function loadMcpSources(sources: McpSources): Promise<McpConfig> {
  const configs: McpConfig[] = [];
  if (sources.userFile) configs.push(await loadMcpConfigFile(sources.userFile, 'user'));
  if (sources.settings !== undefined) configs.push(parseMcpConfig(sources.settings, 'settings', 'arc.mcp.servers'));
  for (const folder of sources.folders ?? []) configs.push(await loadMcpConfigFile(path.join(folder, '.vscode', 'mcp.json'), 'workspace', folder));
  return mergeMcpConfigs(...configs);
}

export interface McpToolsRequest {
  /** Only tools annotated read-only (spawned helpers). */
  readOnly?: boolean;
  notice?: (code: string, message: string) => void;
}

export class McpHub {
  readonly manager: McpManager;
  private announced = false;

  constructor(
    readonly config: McpConfig,
    options: Omit<McpManagerOptions, 'servers'>,
    private readonly policy: McpToolPolicy = {},
  ) {
    this.manager = new McpManager({ ...options, servers: config.servers });
  }

  static async load(sources: McpSources, options: Omit<McpManagerOptions, 'servers'>, policy: McpToolPolicy = {}): Promise<McpHub> {
    return new McpHub(await loadMcpSources(sources), options, policy);
  }

  /** The agent tools of the ready servers; servers start on the first call. Failures become notices. */
  async agentTools(req: McpToolsRequest = {}): Promise<AgentTool[]> {
    if (this.manager.size === 0 && this.config.problems.length === 0) return [];
    const infos = await this.manager.tools();
    if (!this.announced) {
      this.announced = true;
      for (const p of this.config.problems) req.notice?.('mcp_config', p);
      for (const s of this.manager.status()) {
        if (s.status === 'ready') req.notice?.('mcp_server', `MCP server "${s.name}" (${s.source}): ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}.`);
        else req.notice?.('mcp_server_failed', s.error ?? `MCP server "${s.name}" is ${s.status}.`);
      }
    }
    const tools = mcpAgentTools(this.manager, infos, this.policy);
    return req.readOnly ? tools.filter((t) => t.readOnly) : tools;
  }

  /** §6.7's `arc mcp list --json` shape, after trying to start every server. */
  async list(): Promise<{ servers: McpServerStatus[] }> {
    await this.manager.startAll();
    return { servers: this.manager.status() };
  }

  close(): Promise<void> {
    return this.manager.close();
  }
}
