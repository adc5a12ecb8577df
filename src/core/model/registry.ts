// Turns settings into models: one OpenAIEndpoint per configured endpoint, roles resolved by name.
import type { ArcSettings, RoleName } from '../config/settings';
import { OpenAIEndpoint } from './openaiProvider';
import type { FetchLike } from './sseSanitizer';
import type { CapabilityMemory } from './capabilityMemory';
import type { ChatModel } from './types';

/** The endpoint id that names the editor's own models (vscode.lm) in a role reference. */
export const EDITOR_MODELS = 'vscode-lm';

export class ModelRegistry {
  private readonly endpoints = new Map<string, OpenAIEndpoint>();

  constructor(
    private readonly settings: ArcSettings,
    keyFor: (endpointId: string) => string | undefined,
    fetchImpl?: FetchLike,
    memory?: CapabilityMemory,
    /** Models that are not behind an endpoint (the editor's own, `vscode-lm/<id>`), by role reference. */
    private readonly external: ReadonlyMap<string, ChatModel> = new Map(),
  ) {
    for (const e of settings.endpoints) {
      this.endpoints.set(
        e.id,
        new OpenAIEndpoint({
          id: e.id,
          baseUrl: e.baseUrl,
          apiKey: keyFor(e.id),
          headers: e.headers,
          capabilities: e.capabilities,
          timeoutSeconds: settings.requestTimeoutSeconds,
          fetch: fetchImpl,
          memory,
        }),
      );
    }
  }

  endpoint(id: string): OpenAIEndpoint | undefined {
    return this.endpoints.get(id);
  }

  forRole(role: RoleName): ChatModel {
    const ref = this.settings.models[role];
    if (!ref) {
      throw new Error(
        `No model is set for the ${role} role. Set arc.models.${role} to "endpointId/model" (for example "ollama/qwen3:8b"), or pass --base-url and --model to the CLI.`,
      );
    }
    const outside = this.external.get(`${ref.endpointId}/${ref.model}`);
    if (outside) return outside;
    if (ref.endpointId === EDITOR_MODELS) {
      throw new Error(`arc.models.${role} names the editor's model "${ref.model}", which this editor does not offer (or ARC may not use); pick another with ARC: Select Model.`);
    }
    const endpoint = this.endpoints.get(ref.endpointId);
    if (!endpoint) {
      throw new Error(`arc.models.${role} names endpoint "${ref.endpointId}", which is not in arc.endpoints.`);
    }
    return endpoint.model(ref.model);
  }
}
