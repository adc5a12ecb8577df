// The approver of an editor agentic run whose edits are reviewed in the editor: an edit of an existing
// file is approved as a pending change (shown in the file, kept or undone there; nothing written until
// kept). New files, protected paths (always asked, with the reason) and everything else go to the
// approver underneath (the sidebar's cards or the editor's dialogs), as do all edits without review.
import type { ApprovalAnswer, Approver, EditApprovalRequest } from '../../agent/approver';

export function reviewingApprover(review: unknown, inner: Approver): Approver {
  if (!review) return inner;
  return {
    approveEdit: (req: EditApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> => {
      if (req.kind === 'edit' && !req.protectedReason) return Promise.resolve({ approved: true, pending: true, reason: 'proposed for review in the editor' });
      return inner.approveEdit(req, signal);
    },
    approveCommand: (req, signal) => inner.approveCommand(req, signal),
    approveSensitive: (req, signal) => inner.approveSensitive(req, signal),
    ...(inner.approveTool ? { approveTool: (req, signal) => inner.approveTool!(req, signal) } : {}),
    ...(inner.approveSpend ? { approveSpend: (req, signal) => inner.approveSpend!(req, signal) } : {}),
  };
}
