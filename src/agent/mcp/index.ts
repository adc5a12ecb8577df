// The MCP client (DESIGN §6.7): configuration, transports, the server manager and the agent tools.
export * from './approvals';
export * from './config';
export * from './hub';
export * from './manager';
export { commandLine, inputsUsed, McpConfigError, parseEnvFile, resolveServer, type InputAsker, type ResolvedServer } from './resolve';
export * from './tools';
export type { SandboxPlan } from './transport';
