// ARC: Test Connection: lists the endpoint's models, or explains why it could not.
import * as vscode from 'vscode';
import { OpenAIEndpoint } from '../../core/model/openaiProvider';
import { readSettings } from '../settings';
import { pickEndpoint } from '../endpointPick';
import type { Handler } from '../services';

export interface ConnectionResult {
  endpointId: string;
  models?: string[];
  error?: string;
}

export const testConnection: Handler = async ({ keys, log }, [endpointArg]): Promise<ConnectionResult | undefined> => {
  const config = await pickEndpoint(endpointArg, 'Test Connection');
  if (!config) return undefined;
  const apiKey = await keys.get(config.id);
  log.knowSecret(apiKey);
  const endpoint = new OpenAIEndpoint({
    id: config.id,
    baseUrl: config.baseUrl,
    apiKey,
    headers: config.headers,
    timeoutSeconds: readSettings().settings.requestTimeoutSeconds,
    maxRetries: 0,
  });
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `ARC: connecting to "${config.id}"…`, cancellable: true },
    async (_p, token): Promise<ConnectionResult> => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      try {
        return { endpointId: config.id, models: await endpoint.listModels(ac.signal) };
      } catch (e) {
        return { endpointId: config.id, error: e instanceof Error ? e.message : String(e) };
      }
    },
  );
  if (result.models) {
    const shown = result.models.slice(0, 8).join(', ') + (result.models.length > 8 ? `, … (${result.models.length - 8} more)` : '');
    const line = `Connected to "${config.id}" (${config.baseUrl}): ${result.models.length} model${result.models.length === 1 ? '' : 's'}${result.models.length ? `: ${shown}` : ''}.`;
    log.info(line + (result.models.length > 8 ? ` All: ${result.models.join(', ')}` : ''));
    void vscode.window.showInformationMessage(`ARC: ${line}`);
  } else {
    log.error(`Test Connection to "${config.id}" failed: ${result.error}`);
    void vscode.window.showErrorMessage(`ARC: ${result.error}`);
  }
  return result;
};
