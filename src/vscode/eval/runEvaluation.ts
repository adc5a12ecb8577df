// ARC: Run Evaluation…: the editor's `arc eval` (DESIGN §6.6). Pick a task, the arms and how many
// items; see what it will cost before it starts; watch it in a progress notification (cancel stops it
// cleanly: what ran is reported, and the same folder resumes); then the report opens in a webview.
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { NodeCommandRunner } from '../../agent';
import { ModelRegistry } from '../../core/model/registry';
import { priceFor } from '../../core/run/ledger';
import type { RouteDecision, Router } from '../../core/run/seams';
import type { RequestedMode } from '../../core/run/events';
import { Engine } from '../../engine/engine';
import type { AgentEnvironment } from '../../engine/threadTypes';
import { ArmSpecError, DEFAULT_ARMS, parseArms, resolveArm, type ArmBase, type ArmSpec } from '../../eval/arms';
import { commandCheckRunner, engineArmRunner } from '../../eval/engineArm';
import { evaluate } from '../../eval/evaluate';
import { OverlayStore } from '../../eval/overlayStore';
import { formatMoney, progressText } from '../../eval/progress';
import type { ResultRow } from '../../eval/results';
import { loadTask } from '../../eval/tasks';
import { EffortEstimates } from '../../effort/estimator';
import { EffortCalibration } from '../../effort/calibration';
import { editorCostContext } from '../routing';
import { LengthPredictor } from '../../effort/predictor';
import { LearnedRouter } from '../../router/learnedRouter';
import { editorModelsFor } from '../lm/editorModels';
import type { Handler } from '../services';
import { readSettings } from '../settings';
import { showReport } from './reportPanel';

/** Rough tokens (prompt, completion) of one run per mode, for the estimate shown before starting. */
const RUN_TOKENS: Record<RequestedMode, [number, number]> = { instant: [300, 150], reasoning: [400, 2500], agentic: [6000, 6000], auto: [400, 1800] };

export function estimateCost(arms: readonly ArmSpec[], base: ArmBase, items: number, price: { input: number; output: number } | undefined): { usd: number | null; tokens: number } {
  let tokens = 0;
  let usd = 0;
  for (const a of arms) {
    const s = resolveArm(a, base);
    const [p, c] = RUN_TOKENS[s.mode];
    const completion = s.mode === 'instant' ? c : c * s.effort;
    tokens += items * (p + completion);
    usd += items * ((p * (price?.input ?? 0) + completion * (price?.output ?? 0)) / 1e6);
  }
  return { usd: price ? usd : null, tokens: Math.round(tokens) };
}

/** The report's chart bundle, beside this bundle in dist/ (runtime.js). */
function chartScript(): string | undefined {
  const file = path.join(__dirname, 'evalReport.js');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

async function pickTask(): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Countdown', description: 'generated arithmetic puzzles, verified exactly', task: 'countdown' },
      { label: 'GSM8K', description: 'grade-school maths, the public test set (MIT); downloaded once', task: 'gsm8k' },
      { label: 'Task file…', description: 'JSON lines of {"question", "answer", "check"?, …}', task: 'file' },
    ],
    { title: 'ARC: Run Evaluation — task', placeHolder: 'What should every arm answer?' },
  );
  if (!choice) return undefined;
  if (choice.task !== 'file') return choice.task;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Task file': ['jsonl'] }, title: 'ARC: evaluation task file' });
  return picked?.[0]?.fsPath;
}

/**
 * What another extension, a keybinding or a test may pass to skip the pickers (the confirmation with
 * the cost estimate is still asked unless `start` is true). Parsed, never trusted.
 */
const commandArgs = z
  .object({
    task: z.string().min(1),
    arms: z.string().min(1).optional(),
    items: z.number().int().min(1).max(2000).optional(),
    start: z.boolean().optional(),
    out: z.string().min(1).optional(),
  })
  .strict();

export const runEvaluation: Handler = async (services, [arg]) => {
  const { settings, problems } = readSettings();
  for (const p of problems) services.log.warn(p);
  const instant = settings.models.instant;
  if (!instant) {
    void vscode.window.showWarningMessage('ARC: set up a model first (ARC: Set Up Model Provider…): an evaluation measures your model.');
    return undefined;
  }
  let given: z.infer<typeof commandArgs> | undefined;
  if (arg !== undefined) {
    const parsed = commandArgs.safeParse(arg);
    if (!parsed.success) {
      void vscode.window.showErrorMessage(`ARC: Run Evaluation was given arguments it cannot use: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
      return undefined;
    }
    given = parsed.data;
    if (given.arms !== undefined) {
      try {
        parseArms(given.arms);
      } catch (e) {
        void vscode.window.showErrorMessage(`ARC: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }
  }
  const task = given?.task ?? (await pickTask());
  if (!task) return undefined;
  const armsText = given?.arms ?? await vscode.window.showInputBox({
    title: 'ARC: Run Evaluation — arms',
    value: DEFAULT_ARMS,
    prompt: 'auto, instant, reasoning, agentic, effort:R, scale:on|off, spawn:on|off; join with + ; a comma list runs several',
    validateInput: (v) => {
      try {
        parseArms(v);
        return undefined;
      } catch (e) {
        return e instanceof ArmSpecError ? e.message : String(e);
      }
    },
  });
  if (!armsText) return undefined;
  const nText = given?.items !== undefined ? String(given.items) : await vscode.window.showInputBox({ title: 'ARC: Run Evaluation — items', value: '20', prompt: 'How many items (the same ones for every arm)', validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 2000 ? undefined : 'a whole number from 1 to 2000') });
  if (!nText) return undefined;
  const arms = parseArms(armsText);
  const n = Number(nText);
  const base: ArmBase = { mode: settings.mode, effort: settings.effort, scale: settings.scale, spawn: settings.spawn, maxChildren: settings.maxChildren };
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const out = given?.out ?? path.join(folder, 'arc-eval', new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19));
  const storage = services.storagePaths?.[0] ?? path.join(os.homedir(), '.arc');

  let loaded;
  try {
    loaded = await loadTask(task, { n, seed: 1, arcHome: storage });
  } catch (e) {
    void vscode.window.showErrorMessage(`ARC: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const modelId = `${instant.endpointId}/${instant.model}`;
  const price = priceFor(modelId, settings.prices);
  const est = estimateCost(arms, base, loaded.items.length, price);
  const cost = est.usd === null ? `about ${est.tokens.toLocaleString('en-US')} tokens (no price for ${modelId}: set arc.prices for a dollar figure)` : `about ${formatMoney(est.usd)} (${est.tokens.toLocaleString('en-US')} tokens)`;
  const go = given?.start ? 'Start' : await vscode.window.showInformationMessage(
    `ARC: evaluate ${loaded.items.length} items × ${arms.length} arms (${arms.map((a) => a.name).join(', ')}) on ${modelId}? A rough estimate: ${cost}. Results go to ${out}.`,
    { modal: true },
    'Start',
  );
  if (go !== 'Start') return undefined;

  const keys = await services.keys.getAll(settings.endpoints.map((e) => e.id));
  for (const k of keys.values()) services.log.knowSecret(k);
  const learned = await services.learned();
  const models = new ModelRegistry(settings, (id) => keys.get(id), undefined, learned.capabilities, await editorModelsFor(settings));
  // Priced by the user's learned mode costs, as a run would be; this router records nothing.
  const local = new LearnedRouter(learned.learning, () => ({ effort: settings.effort, enabledModes: settings.enabledModes }), Math.random, { costs: learned.modeCosts, context: () => editorCostContext(settings) });
  // Routed without exploration and without observing: arms must not teach each other.
  const router: Router = { route: (req): RouteDecision => local.preview(req) };
  const overlay = new OverlayStore(services.store);
  const estimates = await EffortEstimates.load(overlay);
  const calibration = await EffortCalibration.load(overlay);
  const predictor = await LengthPredictor.load(overlay);
  const runner = new NodeCommandRunner({ sandbox: settings.agent.sandbox, network: settings.agent.commandNetwork, maskAlso: services.storagePaths ?? [] });
  const engineFor = (agent?: AgentEnvironment) =>
    new Engine({ models, prices: settings.prices, router, estimates, predictor, calibration, scheduler: learned.scheduler, maxDepth: settings.maxDepth, ...(agent ? { agent: () => agent } : {}) });
  const simulated = settings.endpoints.some((e) => e.id === instant.endpointId && e.simulated === true);
  const run = engineArmRunner({ engineFor, base, source: 'palette', runner, commandPolicy: { allowedCommands: settings.agent.allowedCommands, deniedCommands: settings.agent.deniedCommands } });

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'ARC evaluation', cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      services.activeRuns.add(ac);
      token.onCancellationRequested(() => ac.abort());
      const rows: ResultRow[] = [];
      const started = Date.now();
      let planned = loaded.items.length * arms.length;
      try {
        return await evaluate({
          task,
          items: loaded.items,
          model: modelId,
          simulated,
          arms,
          base,
          out,
          resume: false,
          n,
          seed: 1,
          concurrency: Math.max(1, Math.min(8, settings.maxParallel)),
          ...(loaded.licence ? { licence: loaded.licence } : {}),
          run,
          runCommand: commandCheckRunner(runner),
          scheduler: learned.scheduler,
          signal: ac.signal,
          onStart: (p) => (planned = p),
          onRow: (row) => {
            rows.push(row);
            progress.report({ increment: 100 / planned, message: progressText(arms.map((a) => a.name), rows, planned, Date.now() - started, 0, 8).replace(/^[█░]+ /, '') });
          },
          ...(chartScript() ? { reportScript: chartScript()! } : {}),
        });
      } catch (e) {
        void vscode.window.showErrorMessage(`ARC: the evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      } finally {
        services.activeRuns.delete(ac);
      }
    },
  );
  if (!result) return undefined;
  await showReport(path.join(result.dir, 'report.html'));
  return result.summary;
};
