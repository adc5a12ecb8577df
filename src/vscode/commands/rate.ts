// Thumbs on an answer: the one outcome a person gives directly. It teaches the router (for this
// kind of query) and settles the run's outcome for cost of pass.
import * as vscode from 'vscode';
import { recordRunOutcome } from '../runOnSurface';
import type { Handler, RateableRun, Services } from '../services';

/** ARC: Rate Last Answer, and the 👍 / 👎 lenses of an answer document. Args: (documentUri?, up?). */
export const rateAnswer: Handler = async (services, [uriArg, upArg]) => {
  const entries = [...services.rateable.entries()];
  const found = typeof uriArg === 'string' ? entries.find(([uri]) => uri === uriArg) : entries.at(-1);
  if (!found) {
    void vscode.window.showInformationMessage('ARC: no finished answer to rate in this session.');
    return false;
  }
  const [, run] = found;
  let up = typeof upArg === 'boolean' ? upArg : undefined;
  if (up === undefined) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: '$(thumbsup) Helpful', up: true },
        { label: '$(thumbsdown) Not helpful', up: false },
      ],
      { title: `ARC: Rate the answer to "${run.request.query.slice(0, 60)}"` },
    );
    if (!pick) return false;
    up = pick.up;
  }
  await recordRating(services, run, up);
  services.lenses.refresh();
  return true;
};

async function recordRating(services: Services, run: RateableRun, up: boolean): Promise<void> {
  // Every rating is evidence for the router; only the first settles the run's outcome for cost of
  // pass (the ledger ignores a run already judged).
  await recordRunOutcome(services, run, { type: 'thumbs', up });
  run.rated = up ? 'up' : 'down';
  services.log.info(`run ${run.runId} rated ${run.rated}`);
}

/** 👍 / 👎 above every finished answer; "Rated" once rated. */
export class RatingLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly rateable: Map<string, RateableRun>) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const run = this.rateable.get(doc.uri.toString());
    if (!run) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (run.rated) return [new vscode.CodeLens(top, { title: run.rated === 'up' ? '$(thumbsup) Rated helpful' : '$(thumbsdown) Rated not helpful', command: '' })];
    const uri = doc.uri.toString();
    return [
      new vscode.CodeLens(top, { title: '$(thumbsup) Helpful', command: 'arc.rateAnswer', arguments: [uri, true] }),
      new vscode.CodeLens(top, { title: '$(thumbsdown) Not helpful', command: 'arc.rateAnswer', arguments: [uri, false] }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
