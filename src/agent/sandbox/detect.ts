// Is there a sandbox on this machine (DESIGN §5)? "Available" means a probe run succeeded here: bwrap
// may be installed yet refused user namespaces (AppArmor on Ubuntu 24.04+ / Debian 13 for non-root
// users, many containers). The answer is cached for the process: the probe costs a few milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Bubblewrap } from './bubblewrap';
import { Seatbelt } from './seatbelt';
import type { Isolation, Sandbox, SandboxSetting } from './types';

export interface SandboxProbe {
  /** The sandbox that worked here, and its program. */
  kind?: 'bubblewrap' | 'sandbox-exec';
  program?: string;
  /** Why there is none, in words. */
  reason?: string;
  /** How to get one. */
  hint?: string;
}

let cached: Map<string, SandboxProbe> | undefined;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Probes once per process (per bwrap path). */
export function probeSandbox(opts: { bwrapPath?: string } = {}): SandboxProbe {
  const key = `${process.platform}|${opts.bwrapPath ?? ''}`;
  cached ??= new Map();
  let probe = cached.get(key);
  if (!probe) {
    probe = runProbe(opts.bwrapPath);
    cached.set(key, probe);
  }
  return probe;
}

/** The sandbox a successful probe found, masking `maskAlso` too (ARC's state, the extension's storage). */
export function sandboxFrom(probe: SandboxProbe, maskAlso: readonly string[] = []): Sandbox | undefined {
  if (probe.kind === 'bubblewrap' && probe.program) return new Bubblewrap({ bwrapPath: probe.program, maskAlso });
  if (probe.kind === 'sandbox-exec') return new Seatbelt({ maskAlso });
  return undefined;
}

function runProbe(bwrapPath?: string): SandboxProbe {
  if (process.platform === 'linux') {
    const bwrap = bwrapPath ?? onPath('bwrap');
    const hint = 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap)';
    if (!bwrap || !existsSync(bwrap)) return { reason: 'bubblewrap (bwrap) is not installed', hint };
    const r = spawnSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--new-session', '--', '/bin/true'], { timeout: 5000, encoding: 'utf8' });
    if (r.status !== 0) {
      const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
      return {
        reason: `bubblewrap is installed but could not start a sandbox here (${why})`,
        hint: 'user namespaces may be disabled: on Ubuntu 24.04+ allow them for bwrap with an AppArmor profile (see the bubblewrap README), or run ARC where they are allowed',
      };
    }
    return { kind: 'bubblewrap', program: bwrap };
  }
  if (process.platform === 'darwin') {
    if (!existsSync('/usr/bin/sandbox-exec')) return { reason: 'sandbox-exec is missing', hint: 'macOS ships /usr/bin/sandbox-exec; check that it is present' };
    const r = spawnSync('/usr/bin/sandbox-exec', ['-p', '(version 1)(allow default)', '/usr/bin/true'], { timeout: 5000 });
    if (r.status !== 0) return { reason: 'sandbox-exec could not start a sandbox', hint: 'check that sandbox-exec works from a terminal' };
    return { kind: 'sandbox-exec', program: '/usr/bin/sandbox-exec' };
  }
  return { reason: `no OS sandbox is supported on ${process.platform}`, hint: 'run ARC on Linux (bubblewrap) or macOS for sandboxed commands' };
}

/** Forget the cached probe (tests). */
export function resetSandboxProbe(): void {
  cached = undefined;
}

/** What the setting and the probe make of commands. */
export function isolationFor(setting: SandboxSetting, probe: SandboxProbe | undefined, network: boolean): Isolation {
  if (setting === 'off') return { kind: 'none', network: true, description: 'not sandboxed (arc.agent.sandbox is off): commands run as you, and each one asks first' };
  if (probe?.kind) {
    return { kind: 'sandbox', network, description: `sandboxed with ${probe.kind} (${network ? 'network allowed by arc.agent.commandNetwork' : 'no network'}; writes only inside the workspace)` };
  }
  const why = probe?.reason ?? 'no sandbox is available';
  if (setting === 'required') {
    return { kind: 'refused', network: false, description: `commands are refused: arc.agent.sandbox is "required" but ${why}`, hint: probe?.hint };
  }
  return { kind: 'none', network: true, description: `not sandboxed: ${why}, so commands run as you and every one asks first`, hint: probe?.hint };
}
