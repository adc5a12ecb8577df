// Workspace servers are approved once per exact command line (DESIGN §6.7): the answer is kept in the
// Store, keyed by the workspace folder, the server's name and the line, so a changed command asks again.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../../core/store/store';
import type { ServerApprovalRequest } from './manager';

const KEY = 'mcp-server-approvals';
const schema = z.object({ approved: z.array(z.string()).max(2000) });

export function approvalKey(req: ServerApprovalRequest): string {
  return createHash('sha256').update(JSON.stringify([req.folder ?? '', req.file ?? '', req.name, req.transport, req.commandLine])).digest('hex');
}

/**
 * `ask` puts the question to a person (the terminal, a modal); a yes is remembered, a no is not
 * (the next session asks again).
 */
export function rememberedServerApprovals(store: Store | undefined, ask: (req: ServerApprovalRequest) => Promise<boolean>): (req: ServerApprovalRequest) => Promise<boolean> {
  return async (req) => {
    const key = approvalKey(req);
    const known = store ? await store.get(KEY, schema).catch(() => undefined) : undefined;
    if (known?.approved.includes(key)) return true;
    const ok = await ask(req);
    if (ok && store) {
      await store.update(KEY, schema, (cur) => ({ approved: [...new Set([...(cur?.approved ?? []), key])].slice(-2000) })).catch(() => undefined);
    }
    return ok;
  };
}
