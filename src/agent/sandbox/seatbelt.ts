// macOS: sandbox-exec with a profile equivalent to the bubblewrap one where Seatbelt can say it —
// writes only to the workspace folders and temp dirs, protected paths read-only, hidden paths and
// credential folders unreadable, no network unless allowed. Seatbelt has no PID namespace, so
// processes a command leaves behind are found and ended by the runner instead. Not exercised on the
// Linux machines ARC is built on; the profile is built by a pure function that unit tests check.
import * as os from 'node:os';
import * as path from 'node:path';
import { HOME_SECRETS } from './bubblewrap';
import type { Sandbox, SandboxCommand, WrappedCommand } from './types';

const lit = (p: string) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function seatbeltProfile(cmd: SandboxCommand, home = os.homedir(), maskAlso: readonly string[] = []): string {
  const lines = ['(version 1)', '(allow default)', '(deny file-write*)'];
  const writable = [...cmd.paths.writable, os.tmpdir(), '/private/tmp', '/private/var/folders'];
  lines.push(`(allow file-write* ${writable.map((p) => `(subpath ${lit(p)})`).join(' ')} (literal "/dev/null") (literal "/dev/tty"))`);
  if (cmd.paths.readOnly.length) lines.push(`(deny file-write* ${cmd.paths.readOnly.map((p) => `(subpath ${lit(p)})`).join(' ')})`);
  const hidden = [...cmd.paths.masked, ...HOME_SECRETS.map((r) => path.join(home, r)), ...maskAlso];
  if (hidden.length) lines.push(`(deny file-read* file-write* ${hidden.map((p) => `(subpath ${lit(p)})`).join(' ')})`);
  if (!cmd.network) lines.push('(deny network*)', '(allow network* (local unix))');
  return lines.join('\n');
}

export class Seatbelt implements Sandbox {
  readonly kind = 'sandbox-exec';
  readonly containsProcesses = false;

  constructor(private readonly options: { maskAlso?: readonly string[] } = {}) {}

  wrap(cmd: SandboxCommand): WrappedCommand {
    const profile = seatbeltProfile(cmd, os.homedir(), this.options.maskAlso);
    return { file: '/usr/bin/sandbox-exec', args: ['-p', profile, '/bin/sh', '-c', cmd.command], env: cmd.env };
  }
}
