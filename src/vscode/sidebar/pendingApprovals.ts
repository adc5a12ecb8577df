// The sidebar's open questions (approvals waiting for the person): each one resolves exactly once —
// answered in the page, cancelled with its run, or refused when the view or ARC goes away — and
// every change is announced so the page always shows the current list.
import type { Decision } from '../../agent/approver';
import type { ApprovalView } from '../../protocol/messages';
import type { ApprovalActions } from './approver';

interface Pending {
  view: ApprovalView;
  resolve: (d: Decision) => void;
  actions?: ApprovalActions;
}

export class PendingApprovals {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  /** `changed` is told after every add or resolve (the controller posts the list to the page). */
  constructor(private readonly changed: () => void) {}

  /** Waits for the person's answer; a cancelled run's question is refused at once. */
  ask(view: Omit<ApprovalView, 'id'>, signal?: AbortSignal, actions?: ApprovalActions): Promise<Decision> {
    if (signal?.aborted) return Promise.resolve({ approved: false, reason: 'the run was cancelled' });
    const id = `approval-${Date.now().toString(36)}-${++this.seq}`;
    return new Promise<Decision>((resolve) => {
      const onAbort = () => this.resolve(id, false, 'the run was cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        view: { ...view, id },
        actions,
        resolve: (d) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        },
      });
      this.changed();
    });
  }

  resolve(id: string, approved: boolean, reason?: string): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.resolve({ approved, reason: reason ?? (approved ? 'approved in the sidebar' : 'the user declined in the sidebar') });
    this.changed();
    return true;
  }

  /** Refuses every open question, saying why. */
  refuseAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.resolve(id, false, reason);
  }

  actionsOf(id: string): ApprovalActions | undefined {
    return this.pending.get(id)?.actions;
  }

  views(): ApprovalView[] {
    return [...this.pending.values()].map((p) => p.view);
  }
}
