// Approvals in the sidebar: while the sidebar is visible, an agentic run's edits (as diffs), commands,
// hidden files and the spend cap wait there for Approve / Deny instead of a modal dialog. What the
// settings approve by themselves (arc.agent.autoApproveEdits, arc.agent.allowedCommands) never asks;
// when the sidebar is not visible the editor's own approver (modal dialogs) asks as before. An edit to a
// protected path always asks, whatever arc.agent.autoApproveEdits says (DESIGN §5).
//
// Cards show the truth (DESIGN §5): the whole command (escapes visible, runs of blanks counted, its
// length stated) and the diff with exactly how many lines are not on the card; the whole text opens in
// the editor from the card (`openApprovalText`), through `show` (the editor approver's showFullText).
import { commandApprovalView, editApprovalView, sensitiveApprovalView } from '../../protocol/approvalDisplay';
import { fullCommandDocument, fullDiffDocument } from '../../core/text/approvalText';
import { AutoApprover, toDecision, type ApprovalAnswer, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest, type ToolApprovalRequest } from '../../agent/approver';
import type { ArcSettings } from '../../core/config/settings';
import type { ApprovalView } from '../../protocol/messages';

/** Where pending approvals live: the sidebar controller implements it. */
export interface ApprovalSink {
  /** Whether a person can see the sidebar now. */
  readonly visible: boolean;
  /**
   * Shows the request and resolves with the person's answer (or a refusal when the run stops).
   * `actions.open` shows the whole diff or command in the editor (the card's "open the full …").
   */
  request(view: Omit<ApprovalView, 'id'>, signal?: AbortSignal, actions?: ApprovalActions): Promise<Decision>;
}

export interface ApprovalActions {
  open?(): void | Promise<void>;
}

/** Opens a read-only document with `text` (the editor approver's showFullText). */
export type ShowText = (title: string, text: string) => void | Promise<void>;

export class SidebarApprover implements Approver {
  private readonly auto: AutoApprover;

  constructor(
    private readonly sink: () => ApprovalSink | undefined,
    private readonly fallback: Approver,
    private readonly opts: { autoApproveEdits: boolean; allowedCommands: readonly string[] },
    private readonly show?: ShowText,
  ) {
    this.auto = new AutoApprover({ edits: opts.autoApproveEdits, commandRegexes: opts.allowedCommands });
  }

  private target(): ApprovalSink | undefined {
    const s = this.sink();
    return s?.visible ? s : undefined;
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (this.opts.autoApproveEdits && !req.protectedReason) return this.auto.approveEdit(req);
    const sink = this.target();
    if (!sink) return this.fallback.approveEdit(req, signal);
    const show = this.show;
    const open = show ? () => show(`ARC proposes: ${req.path}`, fullDiffDocument(req)) : undefined;
    return sink.request(editApprovalView(req, Boolean(open)), signal, open ? { open } : undefined);
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const auto = toDecision(await this.auto.approveCommand(req));
    if (auto.approved) return auto;
    const sink = this.target();
    if (!sink) return this.fallback.approveCommand(req, signal);
    const show = this.show;
    const open = show ? () => show('ARC command', fullCommandDocument(req)) : undefined;
    return sink.request(commandApprovalView(req, Boolean(open)), signal, open ? { open } : undefined);
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const sink = this.target();
    if (!sink) return this.fallback.approveSensitive(req, signal);
    return sink.request(sensitiveApprovalView(req), signal);
  }

  /** A tool call (MCP, VS Code's): a command-style card with the tool and its arguments. */
  async approveTool(req: ToolApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const sink = this.target();
    if (!sink) return this.fallback.approveTool ? this.fallback.approveTool(req, signal) : { approved: false, reason: 'nobody can approve tool calls here' };
    const view = commandApprovalView({ command: `${req.name} ${req.arguments}`, reason: req.reason, cwd: req.server, sandboxed: true }, false);
    const { sandbox: _none, ...rest } = view;
    return sink.request({ ...rest, title: `Call the tool ${req.name}${req.readOnly ? ' (its server says it only reads)' : ''}` }, signal);
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const sink = this.target();
    if (!sink) return this.fallback.approveSpend ? this.fallback.approveSpend(req, signal) : { approved: false, reason: 'the spend cap is final' };
    return sink.request({ kind: 'spend', title: 'Spend cap reached', detail: `This run has spent ${req.spent.toFixed(4)} of its ${req.limit} ${req.unit} cap (arc.spendCap). Keep going?` }, signal);
  }
}

/** The approver an editor agentic run uses: the sidebar's while it is visible, else `fallback`. */
export function sidebarApprover(services: { readonly sidebar?: ApprovalSink }, settings: ArcSettings, fallback: Approver & { showFullText?: ShowText }): Approver {
  const show: ShowText | undefined = fallback.showFullText ? (title, text) => fallback.showFullText!(title, text) : undefined;
  return new SidebarApprover(() => services.sidebar, fallback, { autoApproveEdits: settings.agent.autoApproveEdits, allowedCommands: settings.agent.allowedCommands }, show);
}
