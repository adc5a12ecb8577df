// Approvals in the editor (DESIGN §5): an edit opens as a diff document beside the editor and is
// applied only on "Apply"; commands outside the allowlist, hidden files and the spend cap each ask
// with a modal. arc.agent.autoApproveEdits applies edits without asking (each file is snapshotted).
import * as vscode from 'vscode';
import type { AnswerDocuments } from '../answerDocuments';
import { AutoApprover, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest } from '../../agent/approver';

export class EditorApprover implements Approver {
  private readonly auto: AutoApprover;

  constructor(
    private readonly docs: AnswerDocuments,
    private readonly opts: { autoApproveEdits: boolean; allowedCommands: readonly string[] },
  ) {
    this.auto = new AutoApprover({ edits: opts.autoApproveEdits, commandRegexes: opts.allowedCommands });
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    if (this.opts.autoApproveEdits) return { approved: true, reason: 'approved by arc.agent.autoApproveEdits' };
    const uri = this.docs.newUri(`ARC proposes: ${req.path}`);
    this.docs.set(uri, `${req.kind === 'create' ? 'New file' : 'Edit to'} ${req.path}, proposed by ARC's agent:\n\n\`\`\`diff\n${req.diff}\n\`\`\`\n`);
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    const apply = req.kind === 'create' ? 'Create File' : 'Apply Edit';
    return modal(`ARC wants to ${req.kind === 'create' ? 'create' : 'edit'} ${req.path} (the diff is open beside the editor).`, apply, signal);
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const auto = await this.auto.approveCommand(req);
    if (auto.approved) return auto;
    return modal(`ARC wants to run a command in ${req.cwd}:\n\n${req.command}\n\n(${req.reason})`, 'Run Command', signal);
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return modal(`ARC's agent wants ${req.tool} on ${req.path}, which is hidden from it (secrets, keys or .arcignore).`, 'Allow', signal);
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return modal(`This run has spent ${req.spent.toFixed(4)} of its ${req.limit} ${req.unit} cap (arc.spendCap).`, 'Keep Going', signal);
  }
}

async function modal(message: string, yes: string, signal?: AbortSignal): Promise<Decision> {
  if (signal?.aborted) return { approved: false, reason: 'the run was cancelled' };
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, yes);
  return choice === yes ? { approved: true } : { approved: false, reason: 'the user declined' };
}
