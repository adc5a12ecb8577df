// ARC: Ask…: runs the engine on a question (and the selection, if any) and streams the answer into
// a read-only Markdown document beside the editor, with progress and cancellation.
import * as vscode from 'vscode';
import type { KnownRunEvent } from '../../core/run/events';
import { Engine } from '../../engine/engine';
import type { Mode } from '../../core/run/events';
import { RunTally } from '../../core/run/costOfPass';
import { requestedModeSchema } from '../../core/config/settings';
import type { RequestedMode, RunRequest } from '../../core/run/request';
import type { Handler, Services } from '../services';
import { renderAnswerMarkdown, type AnswerView } from '../answerMarkdown';
import { prepareRun, recordRunCost } from '../runFactory';
import { editorRouter } from '../routing';
import { readSettings } from '../settings';

export interface AskResult {
  runId: string;
  status: 'finished' | 'failed' | 'cancelled';
  answer: string;
  error?: string;
  uri: string;
}

const RENDER_INTERVAL_MS = 50;
const MAX_RATEABLE = 50;

const MODE_ITEMS: Array<{ mode: RequestedMode; label: string; detail: string }> = [
  { mode: 'auto', label: 'Auto', detail: 'The router decides, and says why.' },
  { mode: 'instant', label: 'Instant', detail: 'A direct answer, no reasoning budget.' },
  { mode: 'reasoning', label: 'Reasoning', detail: 'Think it through first.' },
  { mode: 'agentic', label: 'Agentic', detail: 'Work on the workspace with tools: read, search, edit (with your approval), run commands.' },
];

function askForQuery(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, prompt: 'Ask ARC (the selection, if any, goes along)', ignoreFocusOut: true });
}

/** ARC: Ask… — the mode is arc.mode (auto: the router decides). Args: (query?, mode?). */
export const ask: Handler = async (services, [queryArg, modeArg]): Promise<AskResult | undefined> => {
  const query = typeof queryArg === 'string' ? queryArg : await askForQuery('ARC: Ask');
  if (!query?.trim()) return undefined;
  const mode = typeof modeArg === 'string' ? requestedModeSchema.parse(modeArg) : undefined;
  return askInMode(services, query, mode);
};

/** ARC: Ask with Mode… — the user picks the mode, seeing what the router would choose. */
export const askWithMode: Handler = async (services, [queryArg, modeArg]): Promise<AskResult | undefined> => {
  const query = typeof queryArg === 'string' ? queryArg : await askForQuery('ARC: Ask with Mode');
  if (!query?.trim()) return undefined;
  let mode: RequestedMode | undefined = typeof modeArg === 'string' ? requestedModeSchema.parse(modeArg) : undefined;
  if (!mode) {
    const { settings } = readSettings();
    const { local } = editorRouter((await services.learned()).learning, settings);
    const routed = local.preview({ query, source: 'palette', context: selectionContext(), effort: settings.effort });
    const pick = await vscode.window.showQuickPick(
      MODE_ITEMS.map((i) => ({
        ...i,
        description:
          i.mode === 'auto' ? `router: ${routed.mode}` : `${Math.round(routed.probabilities[i.mode as Mode] * 100)}%${i.mode === routed.mode ? ' · the router\'s choice' : ''}`,
      })),
      { title: 'ARC: Ask with Mode', placeHolder: routed.reason },
    );
    if (!pick) return undefined;
    mode = pick.mode;
  }
  return askInMode(services, query, mode);
};

async function askInMode(services: Services, query: string, modeOverride: RequestedMode | undefined): Promise<AskResult | undefined> {
  const prepared = await prepareRun(services, { query, modeOverride, source: 'palette', context: selectionContext() });
  if (!prepared) return undefined;
  return runInDocument(services, prepared.engine, prepared.request, prepared.simulated);
}

function selectionContext(): RunRequest['context'] {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const doc = editor.document;
  return { selection: { text: doc.getText(editor.selection), fileName: vscode.workspace.asRelativePath(doc.uri), language: doc.languageId } };
}

async function runInDocument(services: Services, engine: Engine, request: RunRequest, simulated: boolean): Promise<AskResult> {
  const uri = services.answers.newUri();
  const view: AnswerView = { query: request.query, answer: '', reasoning: '', status: 'running', simulated };
  const render = () => services.answers.set(uri, renderAnswerMarkdown(view));
  render();
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });

  const controller = new AbortController();
  services.activeRuns.add(controller);
  let runId = '';
  let last: KnownRunEvent | undefined;
  const tally = new RunTally();
  let timer: NodeJS.Timeout | undefined;
  const scheduleRender = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      render();
    }, RENDER_INTERVAL_MS);
  };
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'ARC', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        progress.report({ message: 'asking…' });
        for await (const event of engine.run(request, controller.signal)) {
          last = event;
          runId = event.runId;
          tally.observe(event);
          switch (event.type) {
            case 'run.routed':
              view.mode = event.data.mode;
              view.reason = event.data.reason;
              services.lastRoute = { request, decision: event.data };
              services.log.info(`run ${runId}: ${event.data.mode} mode (${event.data.reason})`);
              break;
            case 'thread.started':
              view.model = event.data.model;
              progress.report({ message: `${event.data.mode} · ${event.data.model ?? ''}` });
              break;
            case 'thread.delta':
              if (event.data.text) view.answer += event.data.text;
              if (event.data.reasoning) view.reasoning += event.data.reasoning;
              scheduleRender();
              break;
            case 'thread.notice':
              services.log.warn(`run ${runId}: ${event.data.message}`);
              break;
            default:
              break;
          }
        }
      },
    );
  } finally {
    services.activeRuns.delete(controller);
    if (timer) clearTimeout(timer);
  }
  await recordRunCost(services, runId, tally);
  const result = finish(view, last, runId, uri);
  if (result.status === 'finished' && tally.mode) {
    services.rateable.set(uri.toString(), { runId, request, mode: tally.mode });
    // Only recent answers keep their 👍 / 👎: the session's memory stays bounded.
    for (const old of services.rateable.keys()) {
      if (services.rateable.size <= MAX_RATEABLE) break;
      services.rateable.delete(old);
    }
    services.lenses.refresh();
  }
  render();
  if (result.status === 'failed') {
    services.log.error(`run ${runId} failed: ${result.error}`);
    void vscode.window.showErrorMessage(`ARC: ${result.error}`, 'Show Log').then((c) => c && services.log.show());
  } else {
    services.log.info(`run ${runId} ${result.status}`);
  }
  return result;
}

function finish(view: AnswerView, last: KnownRunEvent | undefined, runId: string, uri: vscode.Uri): AskResult {
  const base = { runId, uri: uri.toString() };
  if (last?.type === 'run.finished') {
    view.status = 'finished';
    view.answer = last.data.answer;
    view.usage = last.data.usage;
    view.cost = last.data.cost;
    return { ...base, status: 'finished', answer: last.data.answer };
  }
  if (last?.type === 'run.cancelled') {
    view.status = 'cancelled';
    return { ...base, status: 'cancelled', answer: view.answer };
  }
  const error = last?.type === 'run.failed' ? last.data.error : 'The run ended without a result.';
  view.status = 'failed';
  view.error = error;
  return { ...base, status: 'failed', answer: view.answer, error };
}
