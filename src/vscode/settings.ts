// Reads ARC's settings from the editor and validates them with the shared schemas.
import * as vscode from 'vscode';
import { parseSettings, ROLES, type ArcSettings } from '../core/config/settings';

export function readSettings(): { settings: ArcSettings; problems: string[] } {
  const c = vscode.workspace.getConfiguration('arc');
  const models: Record<string, unknown> = {};
  for (const role of ROLES) models[role] = c.get(`models.${role}`);
  return parseSettings({
    endpoints: c.get('endpoints'),
    models,
    prices: c.get('prices'),
    requestTimeoutSeconds: c.get('requestTimeoutSeconds'),
    mode: c.get('mode'),
    routerLearning: c.get('router.learning'),
    enabledModes: c.get('router.enabledModes'),
    selfRoute: c.get('router.selfRoute'),
    effort: c.get('effort'),
    scale: c.get('scale'),
    scaleSystem1: c.get('scale.system1'),
    spawn: c.get('spawn'),
    maxParallel: c.get('maxParallel'),
    maxChildren: c.get('maxChildren'),
    maxDepth: c.get('maxDepth'),
    agentAllowedCommands: c.get('agent.allowedCommands'),
    agentDeniedCommands: c.get('agent.deniedCommands'),
    agentAutoApproveEdits: c.get('agent.autoApproveEdits'),
    agentEditReview: c.get('agent.editReview'),
    agentSandbox: c.get('agent.sandbox'),
    agentCommandNetwork: c.get('agent.commandNetwork'),
    spendCap: c.get('spendCap'),
    mcpServers: c.get('mcp.servers'),
    mcpAutoApproveReadOnly: c.get('mcp.autoApproveReadOnly'),
    instructionsEnabled: c.get('instructions.enabled'),
  });
}
