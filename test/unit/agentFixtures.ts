// Shared by the agent tests: temp-dir workspaces and a process check that treats zombies as gone.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import type { Approver, EditApprovalRequest, SensitiveApprovalRequest } from '../../src/agent/approver';

export interface TempTrees {
  /** Writes a temp workspace with these files and returns its path. */
  (files: Record<string, string | Buffer>): string;
  /** Removes another path with the trees. */
  track(p: string): void;
}

/** Temp workspaces that are all removed after the test file's tests. */
export function tempTrees(prefix: string): TempTrees {
  const temps: string[] = [];
  after(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string | Buffer>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    temps.push(dir);
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    return dir;
  };
  return Object.assign(tree, { track: (p: string) => void temps.push(p) });
}

/** Alive means running: a zombie (exited, not yet reaped by its new parent) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Records what the tools asked; edits approved and hidden paths refused unless told otherwise; commands refused. */
export class RecordingApprover implements Approver {
  edits: EditApprovalRequest[] = [];
  sensitive: SensitiveApprovalRequest[] = [];
  constructor(private readonly answers: { edits?: boolean; sensitive?: boolean } = {}) {}
  async approveEdit(r: EditApprovalRequest) {
    this.edits.push(r);
    return this.answers.edits ?? true;
  }
  async approveCommand() {
    return false;
  }
  async approveSensitive(r: SensitiveApprovalRequest) {
    this.sensitive.push(r);
    return this.answers.sensitive ?? false;
  }
}
