// ARC: Show Run History — the last runs asked in the sidebar (their events are kept, bounded, in
// ARC's store); picking one reopens its run tree and answer in the sidebar.
import * as vscode from 'vscode';
import type { Handler } from '../services';

/** Args: (runId?) opens that run without asking; returns the entry shown (runId, query, status). */
export const showHistory: Handler = async (services, [runIdArg]) => {
  const sidebar = services.sidebar;
  if (!sidebar) throw new Error('the sidebar is not available in this session');
  const runs = (await sidebar.history.list()).reverse();
  let entry = typeof runIdArg === 'string' ? runs.find((r) => r.runId === runIdArg) : undefined;
  if (typeof runIdArg === 'string' && !entry) throw new Error(`no run ${runIdArg} in the history`);
  if (!entry) {
    if (!runs.length) {
      void vscode.window.showInformationMessage('ARC: no run in the history yet. Questions asked in the ARC sidebar are kept here (the last 50).');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: r.query.replace(/\s+/g, ' ').slice(0, 80) || '(empty question)',
        description: `${r.mode ?? ''} · ${r.status}`,
        detail: `${new Date(r.startedAt).toLocaleString()}${r.attachments.length ? ` · attached: ${r.attachments.join(', ')}` : ''}`,
        entry: r,
      })),
      { title: 'ARC: Run History', placeHolder: 'Reopen a past run in the sidebar', matchOnDetail: true },
    );
    if (!pick) return undefined;
    entry = pick.entry;
  }
  await sidebar.openHistory(entry);
  return { runId: entry.runId, query: entry.query, status: entry.status, events: entry.events.length };
};
