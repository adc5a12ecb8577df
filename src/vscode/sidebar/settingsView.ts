// The sidebar's controls as settings: what the page shows (mode, effort and its hint from effort/,
// the models, set-up help when nothing is configured) and writing what the person changes there.
import * as vscode from 'vscode';
import type { EffortEstimates } from '../../effort/estimator';
import { sliderHint, type DraftQuery } from '../../effort/hint';
import { requestFeatures } from '../../engine/queryFeatures';
import { priceFor } from '../../core/run/ledger';
import type { SettingsView } from '../../protocol/messages';
import type { Services } from '../services';
import { readSettings } from '../settings';

/** Writes `arc.<key>` where it is set now (the workspace's value if it has one, else the user's). */
export async function writeSetting(key: 'effort' | 'mode', value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration('arc');
  const where = c.inspect(key);
  const target = where?.workspaceFolderValue !== undefined || where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  if (c.get(key) === value) return;
  await c.update(key, value, target);
}

/**
 * The controls' state; `effortSeq` is the last slider move saved (the page's optimistic update);
 * `draft` the question in the box, whose predicted reasoning length the effort hint then shows.
 */
export async function settingsView(services: Services, effortSeq: number, draft = ''): Promise<SettingsView> {
  const { settings, problems } = readSettings();
  const ref = settings.models.reasoning ?? settings.models.instant;
  const model = ref ? `${ref.endpointId}/${ref.model}` : undefined;
  let estimates: EffortEstimates | undefined;
  let typed: DraftQuery | undefined;
  if (model) {
    try {
      const learned = await services.learned();
      estimates = learned.estimates;
      // The features the engine will read when this is asked from the sidebar (engine.effortPlan).
      if (draft.trim()) typed = { text: draft, features: requestFeatures({ query: draft, effort: settings.effort, source: 'sidebar' }), predictor: learned.predictor };
    } catch (e) {
      services.log.warn(`sidebar: could not read learned estimates: ${String(e)}`);
    }
  }
  const hint = sliderHint(estimates, model, typed);
  const configured = Boolean(settings.models.instant);
  const name = (r: typeof ref) => (r ? `${r.endpointId}/${r.model}` : undefined);
  const view: SettingsView = {
    mode: settings.mode,
    effort: settings.effort,
    configured,
    ...(model ? { effortModel: model } : {}),
    effortEstimate: hint.estimate,
    effortTokens: hint.tokens,
    ...(hint.draft ? { effortDraft: true } : {}),
    effortSeq,
    spendCap: settings.spendCap,
    simulated: settings.endpoints.some((e) => e.id === settings.models.instant?.endpointId && e.simulated === true),
    models: { instant: name(settings.models.instant), reasoning: name(settings.models.reasoning), agentic: name(settings.models.agentic) },
    unpriced: [...new Set([settings.models.instant, settings.models.reasoning, settings.models.agentic].map(name))].filter((m): m is string => m !== undefined && !priceFor(m, settings.prices)),
  };
  if (!configured) view.setup = { endpoints: settings.endpoints.map((e) => e.id), editorModels: await editorModelList(), problems: problems.slice(0, 20) };
  return view;
}

/** The editor's own models (vscode.lm), for the set-up prompt; none where the API is absent. */
async function editorModelList(): Promise<Array<{ id: string; label: string }>> {
  try {
    const lm = (vscode as { lm?: typeof vscode.lm }).lm;
    if (!lm?.selectChatModels) return [];
    const models = await Promise.race([lm.selectChatModels(), new Promise<vscode.LanguageModelChat[]>((r) => setTimeout(() => r([]), 1500))]);
    return models.slice(0, 50).map((m) => ({ id: `vscode-lm/${m.id}`.slice(0, 300), label: `${m.name} (${m.vendor})`.slice(0, 300) }));
  } catch {
    return [];
  }
}
