// One way to set up a run from the editor, shared by every surface (palette, sidebar, inline chat,
// chat participant): read and validate settings, resolve models and keys, build the engine with the
// session's learned state, and make the request.
import * as vscode from 'vscode';
import type { ArcSettings } from '../core/config/settings';
import { ModelRegistry } from '../core/model/registry';
import type { RunTally } from '../core/run/costOfPass';
import { Engine } from '../engine/engine';
import type { RunRequest } from '../core/run/request';
import { editorAgent, editorInstructions } from './agent/editorAgent';
import { editorModelsFor } from './lm/editorModels';
import { editorRouter } from './routing';
import type { Services } from './services';
import { runRequestFor, type RunSpec } from './runRequest';
import { readSettings } from './settings';

export type { RunSpec };

export interface PreparedRun {
  engine: Engine;
  request: RunRequest;
  settings: ArcSettings;
  /** The instant model is ARC's simulator: every view must say so. */
  simulated: boolean;
}

/** Undefined (after telling the user how to set ARC up) when no model is configured. */
export async function prepareRun(services: Services, spec: RunSpec, opts: { quiet?: boolean } = {}): Promise<PreparedRun | undefined> {
  const { settings, problems } = readSettings();
  for (const p of problems) services.log.warn(p);
  if (!settings.models.instant) {
    if (!opts.quiet) {
      const open = 'Open Settings';
      const msg = problems.length
        ? `ARC cannot run: ${problems.join(' ')}`
        : 'ARC has no model for instant answers. Add an endpoint to "arc.endpoints" (e.g. Ollama at http://127.0.0.1:11434/v1 or LM Studio at http://127.0.0.1:1234/v1) and set "arc.models.instant" to "endpointId/model".';
      void vscode.window.showWarningMessage(msg, open).then((c) => {
        if (c === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'arc.');
      });
    }
    return undefined;
  }
  const keys = await services.keys.getAll(settings.endpoints.map((e) => e.id));
  for (const k of keys.values()) services.log.knowSecret(k);
  const learned = await services.learned();
  const models = new ModelRegistry(settings, (id) => keys.get(id), undefined, learned.capabilities, await editorModelsFor(settings));
  const { router } = editorRouter(learned.learning, settings, models, learned.modeCosts);
  const engine = new Engine({
    models,
    prices: settings.prices,
    router,
    estimates: learned.estimates,
    predictor: learned.predictor,
    calibration: learned.calibration,
    scheduler: learned.scheduler,
    maxDepth: settings.maxDepth,
    onRunStats: (stats) => learned.parallel.record(stats),
    agent: editorAgent(services, settings, spec.query),
    instructions: editorInstructions(settings),
  });
  const simulated = settings.endpoints.some((e) => e.id === settings.models.instant?.endpointId && e.simulated === true);
  const request = runRequestFor(spec, settings);
  return { engine, request, settings, simulated };
}

/** Records a finished run's mode and cost for cost of pass; a failure to record is logged, not raised. */
export async function recordRunCost(services: Services, runId: string, tally: RunTally): Promise<void> {
  if (!tally.mode || !runId) return;
  await (await services.learned()).ledger.recordRun(runId, tally.mode, tally.cost).catch((e: unknown) => services.log.warn(`could not record the run's cost: ${String(e)}`));
}
