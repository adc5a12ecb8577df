// The built-in tool set (DESIGN §6.5) and the registry a run gets: read-only tools only in an
// untrusted workspace (DESIGN §5); the engine adds spawn_threads (and MCP tools) as extra tools.
import { runCommandTool } from './commandTool';
import { createFileTool, editFileTool, findSymbolTool, getDiagnosticsTool, listFilesTool, readFileTool, searchTextTool } from './fileTools';
import { ToolRegistry, type AgentTool } from './tools';

export const BUILTIN_TOOLS: readonly AgentTool[] = Object.freeze([
  readFileTool,
  listFilesTool,
  searchTextTool,
  findSymbolTool,
  getDiagnosticsTool,
  editFileTool,
  createFileTool,
  runCommandTool,
]);

export interface AgentToolOptions {
  /** An untrusted workspace gets the read-only tools only (DESIGN §5). */
  trusted: boolean;
  /** Tools the engine adds (spawn_threads, MCP); an extra tool that is not read-only is dropped when untrusted. */
  extraTools?: readonly AgentTool[];
  /** Only the tools that read (helpers a run spawns: DESIGN §3.4), never edits or commands. */
  readOnly?: boolean;
}

export function createAgentTools(opts: AgentToolOptions): ToolRegistry {
  const all = [...BUILTIN_TOOLS, ...(opts.extraTools ?? [])];
  return new ToolRegistry(opts.trusted && !opts.readOnly ? all : all.filter((t) => t.readOnly));
}
