// `arc` (dist/cli.js, built before the unit tests) as a spawned process, the way a user runs it:
// plain Node, its own environment, stdout and stderr captured, killed if it hangs.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface ArcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ArcOptions {
  /** Added to a minimal environment (PATH and HOME), or replacing it with `inheritEnv`. */
  env?: Record<string, string | undefined>;
  /** Start from this process's whole environment instead of PATH and HOME only. */
  inheritEnv?: boolean;
  /** SIGKILL after this long (default 30 s): a hung CLI fails its test instead of the suite. */
  timeoutMs?: number;
  onStdout?: (chunk: string, child: ChildProcess) => void;
  /** Polled every 5 ms; SIGKILL when it says so (a kill mid-run). */
  killWhen?: () => boolean;
}

export function runArc(args: readonly string[], opts: ArcOptions = {}): Promise<ArcResult> {
  return new Promise((resolve, reject) => {
    const base: NodeJS.ProcessEnv = opts.inheritEnv ? { ...process.env } : { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c, child);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const poll = opts.killWhen ? setInterval(() => opts.killWhen!() && child.kill('SIGKILL'), 5) : undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}
