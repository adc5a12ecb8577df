// `arc undo`: restores every file the last agentic run changed, byte for byte, from the snapshots it
// took before each first write (DESIGN §5 "Undo Last Run", the CLI's form of it).
import { z } from 'zod';
import { NodeWorkspace, SnapshotStore } from '../agent';
import type { Store } from '../core/store/store';
import { nameDisplay } from '../core/text/approvalText';
import { visibleJson } from '../core/text/visible';

export const LAST_AGENT_RUN_KEY = 'agent-last-run';

const lastRunSchema = z.object({ workspace: z.string(), snapshots: z.unknown(), undone: z.boolean().optional() });

export async function runUndo(args: { json?: boolean }, store: Store, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const last = await store.get(LAST_AGENT_RUN_KEY, lastRunSchema);
  if (!last || last.undone) {
    err.write(last ? 'arc: nothing to undo: the last agentic run was undone already.\n' : 'arc: nothing to undo: no agentic run has changed files yet.\n');
    return 1;
  }
  let snapshots: SnapshotStore;
  try {
    snapshots = SnapshotStore.fromJSON(last.snapshots as Parameters<typeof SnapshotStore.fromJSON>[0]);
  } catch (e) {
    err.write(`arc: the saved snapshots cannot be read (${(e as Error).message}); nothing was changed.\n`);
    return 1;
  }
  const result = await snapshots.undo(new NodeWorkspace({ roots: [last.workspace] }));
  await store.set(LAST_AGENT_RUN_KEY, { ...last, undone: true }).catch(() => undefined);
  if (args.json) out.write(`${visibleJson(result)}\n`);
  else {
    out.write(`Restored ${result.restored.length} file(s), removed ${result.deleted.length} created file(s) in ${nameDisplay(last.workspace)}.\n`);
    for (const p of result.changedSince ?? []) err.write(`arc: note: ${nameDisplay(p)} had changed since the run; restored to its state before the run.\n`);
  }
  for (const e of result.errors ?? []) err.write(`arc: could not restore ${visibleJson(e)}\n`);
  return (result.errors ?? []).length ? 1 : 0;
}
