// Approvals in the editor (DESIGN §5): an edit opens as a diff document beside the editor and is
// applied only on "Apply"; commands outside the allowlist, hidden files and the spend cap each ask
// with a modal. arc.agent.autoApproveEdits applies edits without asking (each file is snapshotted) —
// except an edit to a protected path, which always asks and says why.
//
// The modal never cuts silently: text from the model or the workspace is sanitised (`visible()`), the
// command is shown in its display form (runs of blanks counted, its length and where it runs stated),
// and where a modal must shorten it says how much more there is and offers "Show Full Command" /
// "Open Full Diff", which open the whole text in a read-only document and then ask again.
import * as vscode from 'vscode';
import type { AnswerDocuments } from '../answerDocuments';
import { AutoApprover, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest, type ToolApprovalRequest } from '../../agent/approver';
import { clipDisplay, commandModalText, diffLines, fullCommandDocument, fullDiffDocument, nameDisplay, protectedNote } from '../../core/text/approvalText';
import { groupDigits, visible } from '../../core/text/visible';

/** The longest command display a modal shows; longer ones say how much more and offer the document. */
export const MODAL_COMMAND_CHARS = 1000;

export class EditorApprover implements Approver {
  private readonly auto: AutoApprover;

  constructor(
    private readonly docs: AnswerDocuments,
    private readonly opts: { autoApproveEdits: boolean; allowedCommands: readonly string[] },
  ) {
    this.auto = new AutoApprover({ edits: opts.autoApproveEdits, commandRegexes: opts.allowedCommands });
  }

  /** Opens `text` read-only beside the editor (also the sidebar cards' "open the full …"). */
  async showFullText(title: string, text: string): Promise<void> {
    const uri = this.docs.newUri(visible(title, { oneLine: true }).replace(/[/\\]/g, '∕'));
    this.docs.set(uri, text);
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    if (this.opts.autoApproveEdits && !req.protectedReason) return { approved: true, reason: 'approved by arc.agent.autoApproveEdits' };
    const open = () => this.showFullText(`ARC proposes: ${req.path}`, fullDiffDocument(req));
    await open();
    const apply = req.kind === 'create' ? 'Create File' : 'Apply Edit';
    const lines = diffLines(req.diff).length;
    const target = clipDisplay(nameDisplay(req.path), 500).text;
    const guard = req.protectedReason ? `\n\n${protectedNote(req.protectedReason)} — this edit always asks${this.opts.autoApproveEdits ? '; arc.agent.autoApproveEdits does not cover it' : ''}.` : '';
    return modal(
      `ARC wants to ${req.kind === 'create' ? 'create' : 'edit'} ${target}.`,
      `The whole diff (${groupDigits(lines)} line${lines === 1 ? '' : 's'}) is open beside the editor.${guard}`,
      apply,
      signal,
      { 'Open Full Diff': open },
    );
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const auto = await this.auto.approveCommand(req);
    if (auto.approved) return auto;
    const m = commandModalText(req, MODAL_COMMAND_CHARS);
    const show = () => this.showFullText('ARC command', fullCommandDocument(req));
    return modal(m.message, m.detail, 'Run Command', signal, m.offerFull ? { 'Show Full Command': show } : {});
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return modal(`ARC's agent wants ${nameDisplay(req.tool)} on ${clipDisplay(nameDisplay(req.path), 500).text}, which is hidden from it (secrets, keys or .arcignore).`, undefined, 'Allow', signal);
  }

  /** An MCP (or VS Code) tool call: the tool and its whole arguments (opened in a document when long). */
  async approveTool(req: ToolApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const args = clipDisplay(visible(req.arguments), MODAL_COMMAND_CHARS);
    const show = () => this.showFullText(`ARC tool call: ${req.name}`, `${req.name}\n\n${req.arguments}`);
    return modal(
      `ARC's agent wants to call the tool ${nameDisplay(req.name)}${req.readOnly ? ' (its server says it only reads)' : ''}.`,
      `Arguments: ${args.text}\n\n${visible(req.reason, { oneLine: true })}.`,
      'Call Tool',
      signal,
      args.text.length < visible(req.arguments).length ? { 'Show Full Arguments': show } : {},
    );
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return modal(`This run has spent ${req.spent.toFixed(4)} of its ${req.limit} ${visible(req.unit, { oneLine: true })} cap (arc.spendCap).`, undefined, 'Keep Going', signal);
  }
}

/** A modal question; an extra button does its thing (opens a document) and the question is asked again. */
async function modal(message: string, detail: string | undefined, yes: string, signal?: AbortSignal, extras: Record<string, () => Promise<void>> = {}): Promise<Decision> {
  for (;;) {
    if (signal?.aborted) return { approved: false, reason: 'the run was cancelled' };
    const choice = await vscode.window.showWarningMessage(message, { modal: true, ...(detail ? { detail } : {}) }, yes, ...Object.keys(extras));
    if (choice === yes) return { approved: true };
    const extra = choice !== undefined ? extras[choice] : undefined;
    if (!extra) return { approved: false, reason: 'the user declined' };
    await extra();
  }
}
