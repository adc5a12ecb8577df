// ARC: Set API Key / Clear API Key. Keys go to SecretStorage and nowhere else.
import * as vscode from 'vscode';
import { pickEndpoint } from '../endpointPick';
import type { Handler } from '../services';

export const setApiKey: Handler = async ({ keys, log }, [endpointArg, keyArg]) => {
  const endpoint = await pickEndpoint(endpointArg, 'Set API Key');
  if (!endpoint) return false;
  const key =
    typeof keyArg === 'string'
      ? keyArg
      : await vscode.window.showInputBox({
          title: `ARC: API key for "${endpoint.id}"`,
          prompt: `Stored in VS Code's secret storage and sent only to ${endpoint.baseUrl}`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() === '' ? 'Enter a key, or use "ARC: Clear API Key" to remove one.' : undefined),
        });
  if (key === undefined || key.trim() === '') return false;
  await keys.set(endpoint.id, key.trim());
  log.knowSecret(key.trim());
  log.info(`API key set for endpoint "${endpoint.id}".`);
  void vscode.window.showInformationMessage(`ARC: API key saved for "${endpoint.id}".`);
  return true;
};

export const clearApiKey: Handler = async ({ keys, log }, [endpointArg]) => {
  const endpoint = await pickEndpoint(endpointArg, 'Clear API Key');
  if (!endpoint) return false;
  await keys.delete(endpoint.id);
  log.info(`API key cleared for endpoint "${endpoint.id}".`);
  void vscode.window.showInformationMessage(`ARC: API key removed for "${endpoint.id}".`);
  return true;
};
