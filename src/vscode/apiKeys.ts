// API keys live in SecretStorage only, one per endpoint id.
import type * as vscode from 'vscode';

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static keyName(endpointId: string): string {
    return `arc.apiKey.${endpointId}`;
  }

  async get(endpointId: string): Promise<string | undefined> {
    return (await this.secrets.get(ApiKeys.keyName(endpointId))) || undefined;
  }

  async getAll(endpointIds: string[]): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    for (const id of endpointIds) {
      const k = await this.get(id);
      if (k) keys.set(id, k);
    }
    return keys;
  }

  set(endpointId: string, key: string): Thenable<void> {
    return this.secrets.store(ApiKeys.keyName(endpointId), key);
  }

  delete(endpointId: string): Thenable<void> {
    return this.secrets.delete(ApiKeys.keyName(endpointId));
  }
}
