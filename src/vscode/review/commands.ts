// The agent review's commands (programmatic, used by the sidebar's changed-files list, the lenses and
// tests; per-hunk and per-file Keep / Undo are inline chat's `arc.inline.*` ids, DESIGN §1):
//   arc.review.state            the latest run's changed files
//   arc.review.keep / .undo     (path?) every pending hunk of one file, or of the whole run
//   arc.review.open             (path) the file, at its first pending hunk
//   arc.review.showChanges      the run in the multi-diff editor (one diff per file where it is missing)
//   arc.review.proposal         (path) that file's pending change: hunks with their ids, state
import * as vscode from 'vscode';
import { proposalInfo, type InlineProposals } from '../inline/proposals';
import type { Services } from '../services';
import { AgentReview } from './agentReview';

export function startReview(services: Services, proposals: InlineProposals): vscode.Disposable {
  const review = new AgentReview(proposals, services.answers);
  services.review = review;
  const path = (p: unknown) => (typeof p === 'string' && p ? p : undefined);
  const disposables: vscode.Disposable[] = [
    review,
    vscode.commands.registerCommand('arc.review.state', () => review.summary() ?? { files: [], pending: 0, added: 0, removed: 0 }),
    vscode.commands.registerCommand('arc.review.keep', (p: unknown) => review.resolve('accepted', path(p))),
    vscode.commands.registerCommand('arc.review.undo', (p: unknown) => review.resolve('rejected', path(p))),
    vscode.commands.registerCommand('arc.review.open', (p: unknown) => (path(p) ? review.open(path(p)!) : false)),
    vscode.commands.registerCommand('arc.review.showChanges', () => review.showChanges()),
    // The pending change of one file as inline chat's commands report it (its hunks with their ids).
    vscode.commands.registerCommand('arc.review.proposal', (p: unknown) => {
      const t = path(p) ? review.trackedByPath(path(p)!) : undefined;
      return t ? proposalInfo(t.proposal) : undefined;
    }),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
