// Linux: bubblewrap (DESIGN §5, §7). The whole file system read-only, the workspace folders and a
// private /tmp writable, protected paths read-only again, hidden paths and the user's credential
// folders masked, other users' homes gone, no network unless allowed, a new PID namespace (nothing a
// command starts outlives it, and /proc shows no other process — not ARC's, not its environment),
// a new session (no terminal injection) and --die-with-parent.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sandbox, SandboxCommand, WrappedCommand } from './types';

/** Credential folders and files under the user's home that no command needs to read. */
export const HOME_SECRETS: readonly string[] = Object.freeze([
  '.ssh', '.aws', '.azure', '.gnupg', '.kube', '.docker', '.config/gcloud', '.config/gh', '.config/hub',
  '.local/share/keyrings', '.password-store', '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.pgpass',
  '.vscode-server/data/User/globalStorage', '.config/Code/User/globalStorage', '.arc',
]);

export interface BubblewrapOptions {
  bwrapPath: string;
  /** Extra absolute paths to mask (ARC's state dir, the extension's storage). */
  maskAlso?: readonly string[];
  home?: string;
}

const isInside = (parent: string, p: string) => {
  const rel = path.relative(parent, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export class Bubblewrap implements Sandbox {
  readonly kind = 'bubblewrap';
  readonly containsProcesses = true;

  constructor(private readonly options: BubblewrapOptions) {}

  wrap(cmd: SandboxCommand): WrappedCommand {
    const home = this.options.home ?? os.homedir();
    const writable = cmd.paths.writable.map((p) => path.resolve(p));
    // Never mask a folder that holds the workspace: that would hide the workspace itself.
    const holdsWorkspace = (p: string) => writable.some((w) => isInside(p, w));
    const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
    const maskDir = (p: string) => args.push('--tmpfs', p, '--remount-ro', p);
    const maskFile = (p: string) => args.push('--ro-bind', '/dev/null', p);
    const mask = (p: string) => {
      if (holdsWorkspace(p)) return;
      let st;
      try {
        st = statSync(p);
      } catch {
        return;
      }
      if (st.isDirectory()) maskDir(p);
      else maskFile(p);
    };
    // Other users' homes, and root's when ARC is not root.
    for (const dir of ['/home', '/Users']) {
      if (!existsSync(dir)) continue;
      for (const name of safeList(dir)) {
        const p = path.join(dir, name);
        if (p !== home && !holdsWorkspace(p)) mask(p);
      }
    }
    if (home !== '/root') mask('/root');
    for (const rel of HOME_SECRETS) mask(path.join(home, rel));
    for (const p of this.options.maskAlso ?? []) mask(p);
    // The workspace (after /tmp and the masks, so a workspace under either stays reachable).
    for (const w of writable) args.push('--bind', w, w);
    for (const p of cmd.paths.readOnly) if (existsSync(p)) args.push('--ro-bind', p, p);
    for (const p of cmd.paths.masked) {
      try {
        if (statSync(p).isDirectory()) maskDir(p);
        else maskFile(p);
      } catch {
        // gone since it was listed
      }
    }
    args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session');
    if (!cmd.network) args.push('--unshare-net');
    args.push('--clearenv');
    for (const [k, v] of Object.entries(cmd.env)) args.push('--setenv', k, v);
    args.push('--setenv', 'TMPDIR', '/tmp', '--chdir', cmd.cwd, '--', '/bin/sh', '-c', cmd.command);
    return { file: this.options.bwrapPath, args, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
