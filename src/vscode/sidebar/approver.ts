// Approvals in the sidebar: while the sidebar is visible, an agentic run's edits (as diffs), commands,
// hidden files and the spend cap wait there for Approve / Deny instead of a modal dialog. What the
// settings approve by themselves (arc.agent.autoApproveEdits, arc.agent.allowedCommands) never asks;
// when the sidebar is not visible the editor's own approver (modal dialogs) asks as before.
import { AutoApprover, toDecision, type ApprovalAnswer, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest } from '../../agent/approver';
import type { ArcSettings } from '../../core/config/settings';
import type { ApprovalView } from '../../protocol/messages';

/** Where pending approvals live: the sidebar controller implements it. */
export interface ApprovalSink {
  /** Whether a person can see the sidebar now. */
  readonly visible: boolean;
  /** Shows the request and resolves with the person's answer (or a refusal when the run stops). */
  request(view: Omit<ApprovalView, 'id'>, signal?: AbortSignal): Promise<Decision>;
}

const MAX_DIFF = 200_000;

export class SidebarApprover implements Approver {
  private readonly auto: AutoApprover;

  constructor(
    private readonly sink: () => ApprovalSink | undefined,
    private readonly fallback: Approver,
    private readonly opts: { autoApproveEdits: boolean; allowedCommands: readonly string[] },
  ) {
    this.auto = new AutoApprover({ edits: opts.autoApproveEdits, commandRegexes: opts.allowedCommands });
  }

  private target(): ApprovalSink | undefined {
    const s = this.sink();
    return s?.visible ? s : undefined;
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (this.opts.autoApproveEdits) return this.auto.approveEdit(req);
    const sink = this.target();
    if (!sink) return this.fallback.approveEdit(req, signal);
    const diff = req.diff.length > MAX_DIFF ? `${req.diff.slice(0, MAX_DIFF)}\n… (diff cut for display)` : req.diff;
    return sink.request({ kind: req.kind === 'create' ? 'create' : 'edit', title: `${req.kind === 'create' ? 'Create' : 'Edit'} ${req.path}`, diff }, signal);
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const auto = toDecision(await this.auto.approveCommand(req));
    if (auto.approved) return auto;
    const sink = this.target();
    if (!sink) return this.fallback.approveCommand(req, signal);
    return sink.request({ kind: 'command', title: `Run a command in ${req.cwd}`, command: req.command.slice(0, 10_000), detail: req.reason.slice(0, 4000) }, signal);
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const sink = this.target();
    if (!sink) return this.fallback.approveSensitive(req, signal);
    return sink.request({ kind: 'sensitive', title: `${req.tool} on ${req.path}`, detail: 'This file is hidden from the agent (secrets, keys or .arcignore).' }, signal);
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const sink = this.target();
    if (!sink) return this.fallback.approveSpend ? this.fallback.approveSpend(req, signal) : { approved: false, reason: 'the spend cap is final' };
    return sink.request({ kind: 'spend', title: 'Spend cap reached', detail: `This run has spent ${req.spent.toFixed(4)} of its ${req.limit} ${req.unit} cap (arc.spendCap). Keep going?` }, signal);
  }
}

/** The approver an editor agentic run uses: the sidebar's while it is visible, else `fallback`. */
export function sidebarApprover(services: { readonly sidebar?: ApprovalSink }, settings: ArcSettings, fallback: Approver): Approver {
  return new SidebarApprover(() => services.sidebar, fallback, { autoApproveEdits: settings.agent.autoApproveEdits, allowedCommands: settings.agent.allowedCommands });
}
