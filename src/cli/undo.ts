// `arc undo` and `arc checkpoints` (DESIGN §6.8): the agentic runs on a workspace that changed files,
// as a stack — undo the newest, again for the one before, or every run down to N — restored byte for
// byte from the snapshots taken before each first write.
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { NodeWorkspace, UndoStack } from '../agent';
import type { Store } from '../core/store/store';
import { visible, visibleJson } from '../core/text/visible';

export interface UndoArgs {
  json: boolean;
  to?: number;
  workspace?: string;
}

function workspaceDir(args: { workspace?: string }, err: NodeJS.WritableStream): string | undefined {
  const dir = path.resolve(args.workspace ?? process.cwd());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    err.write(`arc: ${visible(dir)} is not a folder.\n`);
    return undefined;
  }
  return dir;
}

export async function runCheckpoints(args: { json: boolean; workspace?: string }, store: Store, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const dir = workspaceDir(args, err);
  if (!dir) return 2;
  const list = await new UndoStack(store, [dir]).list();
  if (args.json) {
    out.write(`${visibleJson({ checkpoints: list.map(({ n, runId, t, query, files }) => ({ n, runId, t, query, files })) })}\n`);
    return 0;
  }
  if (list.length === 0) out.write(`No checkpoints for ${visible(dir)}: no agentic run has changed files there (or they were undone).\n`);
  for (const c of list) {
    out.write(`${c.n}  ${new Date(c.t).toISOString()}  ${visible(c.query.replace(/\s+/g, ' ').slice(0, 60), { oneLine: true })}\n    ${c.files.map((f) => visible(f, { oneLine: true })).join(', ')}\n`);
  }
  return 0;
}

export async function runUndo(args: UndoArgs, store: Store, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const dir = workspaceDir(args, err);
  if (!dir) return 2;
  let undone;
  try {
    undone = await new UndoStack(store, [dir]).undo(new NodeWorkspace({ roots: [dir] }), args.to);
  } catch (e) {
    err.write(`arc: ${visible((e as Error).message)}; nothing was changed.\n`);
    return 2;
  }
  if (undone.length === 0) {
    err.write(`arc: nothing to undo in ${visible(dir)}: no agentic run has changed files there, or every one was undone.\n`);
    return 1;
  }
  if (args.json) out.write(`${visibleJson({ undone: undone.map((u) => ({ n: u.n, ...u.result })) })}\n`);
  let errors = 0;
  for (const u of undone) {
    const r = u.result;
    if (!args.json) {
      out.write(`Undid run ${u.n} (${visible(u.query.replace(/\s+/g, ' ').slice(0, 60), { oneLine: true })}): restored ${r.restored.length} file(s)${r.restored.length ? ` (${r.restored.map((p) => visible(p, { oneLine: true })).join(', ')})` : ''}, removed ${r.deleted.length} it created${r.deleted.length ? ` (${r.deleted.map((p) => visible(p, { oneLine: true })).join(', ')})` : ''}.\n`);
      for (const p of r.changedSince) err.write(`arc: note: ${visible(p, { oneLine: true })} had changed since run ${u.n}; restored to its state before that run.\n`);
    }
    for (const e of r.errors) err.write(`arc: could not restore ${visible(e.path, { oneLine: true })}: ${visible(e.error)}\n`);
    errors += r.errors.length;
  }
  return errors ? 1 : 0;
}
