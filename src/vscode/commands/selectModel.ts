// ARC: Select Model — a model per role (instant, reasoning, agentic) from each configured endpoint's
// /v1/models and from the editor's own models (vscode.lm, as `vscode-lm/<id>`), written to
// arc.models.<role>. And ARC: Set Up Model Provider… — the walkthrough's first step: add Ollama,
// LM Studio or an OpenAI-compatible endpoint with an API key to arc.endpoints.
import * as vscode from 'vscode';
import { OpenAIEndpoint } from '../../core/model/openaiProvider';
import { endpointIdSchema, roleRefSchema, ROLES, type RoleName } from '../../core/config/settings';
import type { Handler, Services } from '../services';
import { readSettings } from '../settings';

export interface ModelChoice {
  /** `endpointId/model` or `vscode-lm/<id>`. */
  ref: string;
  source: string;
  detail?: string;
}

export interface ModelChoices {
  choices: ModelChoice[];
  /** Endpoints that could not be listed, with why. */
  errors: Array<{ endpointId: string; error: string }>;
}

const LIST_TIMEOUT_MS = 8000;

/** Every model ARC can offer now: each endpoint's list (in parallel, bounded in time) and the editor's. */
export async function modelChoices(services: Services): Promise<ModelChoices> {
  const { settings } = readSettings();
  const keys = await services.keys.getAll(settings.endpoints.map((e) => e.id));
  for (const k of keys.values()) services.log.knowSecret(k);
  const errors: ModelChoices['errors'] = [];
  const lists = await Promise.all(
    settings.endpoints.map(async (e) => {
      const endpoint = new OpenAIEndpoint({ id: e.id, baseUrl: e.baseUrl, apiKey: keys.get(e.id), headers: e.headers, timeoutSeconds: Math.min(settings.requestTimeoutSeconds, 10), maxRetries: 0 });
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), LIST_TIMEOUT_MS);
      try {
        const ids = await endpoint.listModels(ac.signal);
        return ids.map((id) => ({ ref: `${e.id}/${id}`, source: e.id, detail: e.baseUrl }));
      } catch (err) {
        errors.push({ endpointId: e.id, error: err instanceof Error ? err.message : String(err) });
        return [];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const choices = lists.flat();
  try {
    const lm = (vscode as { lm?: typeof vscode.lm }).lm;
    const models = lm?.selectChatModels ? await Promise.race([lm.selectChatModels(), new Promise<vscode.LanguageModelChat[]>((r) => setTimeout(() => r([]), 3000))]) : [];
    for (const m of models) choices.push({ ref: `vscode-lm/${m.id}`, source: 'editor', detail: `${m.name} · ${m.vendor} (no usage counts; effort as an instruction)` });
  } catch {
    // no editor models here
  }
  return { choices, errors };
}

async function writeRole(role: RoleName, ref: string): Promise<void> {
  const parsed = roleRefSchema.safeParse(ref);
  if (!parsed.success) throw new Error(`"${ref}" is not "endpointId/model".`);
  await vscode.workspace.getConfiguration('arc').update(`models.${role}`, ref, vscode.ConfigurationTarget.Global);
}

/**
 * Args: (role?, ref?) writes arc.models.<role> = ref without asking; (role, true) returns the
 * choices without showing anything (for tests and scripts).
 */
export const selectModel: Handler = async (services, [roleArg, refArg]) => {
  const current = vscode.workspace.getConfiguration('arc');
  let role: RoleName | undefined = typeof roleArg === 'string' && (ROLES as readonly string[]).includes(roleArg) ? (roleArg as RoleName) : undefined;
  if (refArg === true) return modelChoices(services);
  if (role && typeof refArg === 'string') {
    await writeRole(role, refArg);
    return { role, ref: refArg };
  }
  if (!role) {
    const pick = await vscode.window.showQuickPick(
      ROLES.map((r) => ({
        label: r === 'instant' ? 'Instant' : r === 'reasoning' ? 'Reasoning' : 'Agentic',
        description: current.get<string>(`models.${r}`) || '(not set)',
        detail: r === 'instant' ? 'Direct answers; also System 1 steps. Needed before ARC can run.' : r === 'reasoning' ? 'Thinking budget, SCALE steps, spawned threads. Falls back to the instant model.' : 'The tool loop over your workspace. Falls back to the reasoning model.',
        role: r,
      })),
      { title: 'ARC: Select Model — for which role?' },
    );
    if (!pick) return undefined;
    role = pick.role;
  }
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { ref?: string }>();
  qp.title = `ARC: Select the ${role} model`;
  qp.placeholder = 'Loading models from your endpoints and the editor…';
  qp.busy = true;
  qp.matchOnDescription = true;
  qp.show();
  const { choices, errors } = await modelChoices(services);
  const now = current.get<string>(`models.${role}`) || '';
  const items: Array<vscode.QuickPickItem & { ref?: string }> = [];
  let lastSource = '';
  for (const c of choices) {
    if (c.source !== lastSource) {
      items.push({ label: c.source === 'editor' ? "The editor's models" : `Endpoint ${c.source}`, kind: vscode.QuickPickItemKind.Separator });
      lastSource = c.source;
    }
    items.push({ label: c.ref, description: c.ref === now ? 'current' : undefined, detail: c.detail, ref: c.ref });
  }
  for (const e of errors) items.push({ label: `$(warning) ${e.endpointId}: could not list models`, detail: e.error.slice(0, 300) });
  if (!choices.length) items.push({ label: 'No models found', detail: 'Add an endpoint with ARC: Set Up Model Provider…, or check it with ARC: Test Connection.' });
  qp.items = items;
  qp.busy = false;
  qp.placeholder = choices.length ? `Pick the ${role} model (now: ${now || 'not set'})` : 'No models found';
  const picked = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]?.ref));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  if (!picked) return undefined;
  await writeRole(role, picked);
  void vscode.window.showInformationMessage(`ARC: the ${role} model is now ${picked}.`);
  return { role, ref: picked };
};

const PROVIDERS = {
  ollama: { id: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', label: 'Ollama', detail: 'Local models served by Ollama (ollama serve) at 127.0.0.1:11434.' },
  lmstudio: { id: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1', label: 'LM Studio', detail: "LM Studio's local server (Developer → Start Server) at 127.0.0.1:1234." },
  openai: { id: 'openai', baseUrl: 'https://api.openai.com/v1', label: 'An API key', detail: 'OpenAI or any OpenAI-compatible service (OpenRouter, Azure OpenAI, vLLM…): its URL and your key.' },
} as const;
type ProviderKind = keyof typeof PROVIDERS;

/**
 * ARC: Set Up Model Provider… Args: (kind?: 'ollama'|'lmstudio'|'openai', baseUrl?, id?). Adds the
 * endpoint to arc.endpoints (replacing one with the same id), asks for a key where one is needed,
 * then offers Test Connection and Select Model.
 */
export const setUpProvider: Handler = async (_services, [kindArg, urlArg, idArg]) => {
  let kind: ProviderKind | undefined = typeof kindArg === 'string' && kindArg in PROVIDERS ? (kindArg as ProviderKind) : undefined;
  if (!kind) {
    const pick = await vscode.window.showQuickPick(
      (Object.keys(PROVIDERS) as ProviderKind[]).map((k) => ({ label: PROVIDERS[k].label, detail: PROVIDERS[k].detail, provider: k })),
      { title: 'ARC: where does your model run?' },
    );
    if (!pick) return undefined;
    kind = pick.provider;
  }
  const p = PROVIDERS[kind];
  let baseUrl: string | undefined = typeof urlArg === 'string' ? urlArg : p.baseUrl;
  let id: string = typeof idArg === 'string' ? idArg : p.id;
  if (kind === 'openai' && typeof urlArg !== 'string') {
    baseUrl = await vscode.window.showInputBox({
      title: 'ARC: the API\'s base URL',
      value: p.baseUrl,
      prompt: 'Where the OpenAI-compatible API starts (…/v1). The key is asked for next and kept in secret storage.',
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/[^\s@]+$/.test(v.trim()) ? undefined : 'An http(s) URL without a user name or password'),
    });
    if (!baseUrl) return undefined;
    baseUrl = baseUrl.trim();
    if (!/api\.openai\.com/.test(baseUrl) && typeof idArg !== 'string') {
      try {
        const host = new URL(baseUrl).hostname.split('.').filter((x) => x !== 'api' && x !== 'www')[0] ?? 'api';
        if (endpointIdSchema.safeParse(host).success) id = host;
      } catch {
        // keep the default id
      }
    }
  }
  const config = vscode.workspace.getConfiguration('arc');
  const existing = (config.get<unknown[]>('endpoints') ?? []).filter((e) => !(typeof e === 'object' && e !== null && (e as { id?: unknown }).id === id));
  await config.update('endpoints', [...existing, { id, baseUrl }], vscode.ConfigurationTarget.Global);
  if (kind === 'openai' && typeof urlArg !== 'string') await vscode.commands.executeCommand('arc.setApiKey', id);
  if (typeof kindArg !== 'string' || typeof urlArg !== 'string') {
    const test = 'Test Connection';
    const select = 'Select Model';
    void vscode.window.showInformationMessage(`ARC: added endpoint "${id}" (${baseUrl}). Next: check it, then pick a model for each role.`, test, select).then((c) => {
      if (c === test) void vscode.commands.executeCommand('arc.testConnection', id);
      if (c === select) void vscode.commands.executeCommand('arc.selectModel', 'instant');
    });
  }
  return { id, baseUrl };
};
