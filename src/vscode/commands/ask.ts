// ARC: Ask…: runs the engine on a question (and the selection, if any) and streams the answer into
// a read-only Markdown document beside the editor, with progress and cancellation.
import * as vscode from 'vscode';
import type { Mode } from '../../core/run/events';
import { requestedModeSchema } from '../../core/config/settings';
import type { RequestedMode, RunRequest } from '../../core/run/request';
import type { Handler, Services } from '../services';
import { renderAnswerMarkdown, type AnswerView } from '../answerMarkdown';
import { runOnSurface } from '../runOnSurface';
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
    const learned = await services.learned();
    const { local } = editorRouter(learned.learning, settings, undefined, learned.modeCosts);
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
  const uri = services.answers.newUri();
  const view: AnswerView = { query: query.trim(), answer: '', reasoning: '', status: 'running', simulated: false };
  const render = () => services.answers.set(uri, renderAnswerMarkdown(view));
  let timer: NodeJS.Timeout | undefined;
  const scheduleRender = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      render();
    }, RENDER_INTERVAL_MS);
  };
  const controller = new AbortController();
  let report: ((message: string) => void) | undefined;
  let started: () => void = () => undefined;
  const progressDone = new Promise<void>((resolve) => (started = resolve));
  const outcome = runOnSurface(services, { query, modeOverride, source: 'palette', context: selectionContext() }, {
    controller,
    rateKey: () => uri.toString(),
    onStart: async ({ simulated }) => {
      view.simulated = simulated;
      render();
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ARC', cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        report = (message) => progress.report({ message });
        report('asking…');
        return progressDone;
      });
    },
    onEvent: (event) => {
      switch (event.type) {
        case 'run.routed':
          view.mode = event.data.mode;
          view.reason = event.data.reason;
          break;
        case 'thread.started':
          view.model = event.data.model;
          report?.(`${event.data.mode} · ${event.data.model ?? ''}`);
          break;
        case 'thread.delta':
          if (event.data.text) view.answer += event.data.text;
          if (event.data.reasoning) view.reasoning += event.data.reasoning;
          scheduleRender();
          break;
        default:
          break;
      }
    },
  });
  const result = await outcome.finally(() => {
    started();
    if (timer) clearTimeout(timer);
  });
  if (result.status === 'not-run') {
    // No model (prepareRun has said how to set one up), or the preparation failed: say why.
    if (result.error) void vscode.window.showErrorMessage(`ARC: ${result.error}`, 'Show Log').then((c) => c && services.log.show());
    return undefined;
  }
  const base = { runId: result.runId, uri: uri.toString() };
  const last = result.last;
  if (last?.type === 'run.finished') {
    view.usage = last.data.usage;
    view.cost = last.data.cost;
  }
  view.status = result.status;
  if (result.status === 'finished') view.answer = result.answer;
  if (result.error) view.error = result.error;
  if (result.status === 'finished' && result.mode) services.lenses.refresh();
  render();
  if (result.status === 'failed') void vscode.window.showErrorMessage(`ARC: ${result.error}`, 'Show Log').then((c) => c && services.log.show());
  return result.status === 'finished' ? { ...base, status: 'finished', answer: result.answer } : { ...base, status: result.status, answer: view.answer, ...(result.error ? { error: result.error } : {}) };
}

function selectionContext(): RunRequest['context'] {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const doc = editor.document;
  return { selection: { text: doc.getText(editor.selection), fileName: vscode.workspace.asRelativePath(doc.uri), language: doc.languageId } };
}
