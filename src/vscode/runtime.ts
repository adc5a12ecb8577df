// The part of the extension loaded on first use (dist/runtime.js): one session per activation,
// holding the log, the keys, the answer documents and the runs in flight.
import { disposeEditorMcp } from './agent/editorMcp';
import { EffortCalibration } from '../effort/calibration';
import { ParallelStatsLedger } from '../parallel/statsLedger';
import { AdaptiveScheduler } from '../core/scheduler';
import * as vscode from 'vscode';
import { AnswerDocuments, ANSWER_SCHEME } from './answerDocuments';
import { ApiKeys } from './apiKeys';
import type { CommandId } from './commandIds';
import { JsonFileStore } from '../core/store/jsonFileStore';
import { ask, askWithMode } from './commands/ask';
import { resetRouterLearning, whyThisMode } from './commands/routing';
import { rateAnswer, RatingLenses } from './commands/rate';
import { clearApiKey, setApiKey } from './commands/apiKey';
import { testConnection } from './commands/testConnection';
import { selectModel, setUpProvider } from './commands/selectModel';
import { showHistory } from './commands/history';
import { explainSelection, newChat } from './sidebar/commands';
import { SidebarController } from './sidebar/controller';
import { handleChat } from './participant/handler';
import { RunSet, type StatusBar } from './statusBar';
import { undoLastRun } from './agent/editorAgent';
import { runEvaluation } from './eval/runEvaluation';
import { openEvaluationReport } from './eval/reportPanel';
import { INLINE_HANDLERS, pendingChanges, startInlineChat } from './inline';
import { startReview } from './review/commands';
import { ArcLog } from './log';
import type { Handler, Learned, RateableRun, Services } from './services';
import { CostOfPassLedger } from '../core/run/costOfPass';
import { CapabilityMemory } from '../core/model/capabilityMemory';
import { EffortEstimates } from '../effort/estimator';
import { LengthPredictor } from '../effort/predictor';
import { RouterLearning } from '../router/learning';
import { ModeCosts } from '../router/modeCosts';
import { readSettings } from './settings';

export interface ArcSession extends vscode.Disposable {
  execute(id: CommandId, args: unknown[]): Promise<unknown>;
  /** Fills the sidebar's webview view (registered at activation). */
  resolveSidebar(view: vscode.WebviewView): void;
  /** Answers `@arc` in the Chat view. */
  chat(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult>;
}

const cancel: Handler = async ({ activeRuns }) => {
  const n = activeRuns.size;
  for (const c of activeRuns) c.abort();
  if (n === 0) void vscode.window.showInformationMessage('ARC: no run in progress.');
  return n;
};

const HANDLERS: Record<CommandId, Handler> = {
  'arc.ask': ask,
  'arc.askWithMode': askWithMode,
  'arc.whyThisMode': whyThisMode,
  'arc.resetRouterLearning': resetRouterLearning,
  'arc.rateAnswer': rateAnswer,
  'arc.cancel': cancel,
  'arc.setApiKey': setApiKey,
  'arc.clearApiKey': clearApiKey,
  'arc.testConnection': testConnection,
  'arc.selectModel': selectModel,
  'arc.setUpProvider': setUpProvider,
  'arc.showHistory': showHistory,
  'arc.explainSelection': explainSelection,
  'arc.newChat': newChat,
  'arc.undoLastRun': undoLastRun,
  'arc.runEvaluation': runEvaluation,
  'arc.openEvaluationReport': openEvaluationReport,
  ...INLINE_HANDLERS,
};

export function createSession(context: vscode.ExtensionContext, ui: { status?: StatusBar } = {}): ArcSession {
  const log = new ArcLog();
  const answers = new AnswerDocuments();
  const store = new JsonFileStore(context.globalStorageUri.fsPath, (m) => log.warn(m));
  const rateable = new Map<string, RateableRun>();
  const lenses = new RatingLenses(rateable);
  let learned: Promise<Learned> | undefined;
  const loadLearned = async (): Promise<Learned> => ({
    learning: await RouterLearning.load(store, () => readSettings().settings.routerLearning),
    modeCosts: await ModeCosts.load(store),
    capabilities: await CapabilityMemory.load(store),
    estimates: await EffortEstimates.load(store),
    predictor: await LengthPredictor.load(store),
    ledger: await CostOfPassLedger.load(store),
    calibration: await EffortCalibration.load(store),
    parallel: await ParallelStatsLedger.load(store),
    scheduler: new AdaptiveScheduler({ maxParallel: () => readSettings().settings.maxParallel }),
  });
  const services: Services = {
    log,
    keys: new ApiKeys(context.secrets),
    answers,
    store,
    storagePaths: [context.globalStorageUri.fsPath, context.storageUri?.fsPath].filter((p): p is string => Boolean(p)),
    // Every surface adds its runs here: the status bar spins while any is in flight.
    activeRuns: new RunSet((n) => {
      ui.status?.setActiveRuns(n);
      // Cancel Run is offered in the palette only while something runs.
      void vscode.commands.executeCommand('setContext', 'arc.running', n > 0);
    }),
    rateable,
    lenses,
    learned: () => (learned ??= loadLearned().catch((e: unknown) => {
      learned = undefined;
      throw e;
    })),
  };
  const sidebar = new SidebarController(services, context.extensionUri);
  services.sidebar = sidebar;
  const disposables: vscode.Disposable[] = [
    sidebar,
    log,
    answers,
    lenses,
    vscode.workspace.registerTextDocumentContentProvider(ANSWER_SCHEME, answers),
    vscode.languages.registerCodeLensProvider({ scheme: ANSWER_SCHEME }, lenses),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme !== ANSWER_SCHEME) return;
      answers.forget(doc.uri);
      rateable.delete(doc.uri.toString());
    }),
    startInlineChat(services),
  ];
  disposables.push(startReview(services, pendingChanges(services)!));
  return {
    execute: (id, args) => HANDLERS[id](services, args),
    resolveSidebar: (view) => sidebar.resolve(view),
    chat: (request, chatContext, stream, token) => handleChat(services, request, chatContext, stream, token),
    dispose: () => {
      for (const c of services.activeRuns) c.abort();
      for (const d of disposables) d.dispose();
      void disposeEditorMcp();
    },
  };
}
