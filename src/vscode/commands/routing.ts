// ARC: Why This Mode? and ARC: Reset Router Learning.
import * as vscode from 'vscode';
import type { Mode } from '../../core/run/events';
import { explainRoute } from '../../router/decide';
import { routeContextOf } from '../../router/router';
import { costView } from '../../router/modeCosts';
import { editorRouter, decideOptions } from '../routing';
import { readSettings } from '../settings';
import type { Handler } from '../services';
import { renderWhyMarkdown } from '../whyMarkdown';

/** Explains the last run's decision, or a query's (asked for, or given as the first argument). */
export const whyThisMode: Handler = async (services, [queryArg]) => {
  const { settings } = readSettings();
  let request = services.lastRoute?.request;
  if (typeof queryArg === 'string' && queryArg.trim()) request = { query: queryArg.trim(), source: 'palette', effort: settings.effort };
  if (!request) {
    const query = await vscode.window.showInputBox({ title: 'ARC: Why This Mode?', prompt: 'No run yet: which question should ARC explain its choice for?', ignoreFocusOut: true });
    if (!query?.trim()) return undefined;
    request = { query: query.trim(), source: 'palette', effort: settings.effort };
  }
  const { learning, modeCosts } = await services.learned();
  const { local: router } = editorRouter(learning, settings, undefined, modeCosts);
  const decision = services.lastRoute?.request === request ? services.lastRoute.decision : router.preview(request);
  const explained = explainRoute(request.query, routeContextOf(request), { ...decideOptions(settings), ...router.costOptions(), effort: request.effort });
  const costs = costView(explained);
  const bucket = router.bucketOf(request);
  const markdown = renderWhyMarkdown({
    query: request.query,
    decision,
    modelOnly: explained.decision,
    scores: explained.scores,
    signals: explained.contributions.map((c) => c.label),
    learned: learning.bias(bucket) as Record<Mode, number> | undefined,
    forced: request.mode && request.mode !== 'auto' ? request.mode : undefined,
    ...(costs ? { costs } : {}),
  });
  const uri = services.answers.newUri('Why this mode');
  services.answers.set(uri, markdown);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return { decision, markdown };
};

export const resetRouterLearning: Handler = async (services, [confirmArg]) => {
  if (confirmArg !== true) {
    const ok = await vscode.window.showWarningMessage(
      'Forget everything ARC\'s router learned from your overrides and re-asks?',
      { modal: true },
      'Reset',
    );
    if (ok !== 'Reset') return false;
  }
  await (await services.learned()).learning.reset();
  services.log.info('Router learning reset.');
  void vscode.window.showInformationMessage('ARC: the router forgot what it learned; it decides from its model alone again.');
  return true;
};
