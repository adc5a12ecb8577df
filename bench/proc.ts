// Runs a child process and times it from the parent's side: when its first stdout byte arrives and
// when it exits. Children are bounded by a timeout and killed (by their own pid) if they overrun.
import { spawn } from 'node:child_process';

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to the first stdout byte, if any arrived. */
  firstStdoutMs?: number;
  /** Milliseconds from spawn to the process's exit. */
  exitMs: number;
  timedOut: boolean;
}

export function runProcess(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstStdoutMs: number | undefined;
    let exitMs: number | undefined;
    let timedOut = false;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      firstStdoutMs ??= performance.now() - start;
      out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      exitMs = performance.now() - start;
    });
    // 'close' comes after both pipes are drained, so the output is complete; the time is taken at 'exit'.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        firstStdoutMs,
        exitMs: exitMs ?? performance.now() - start,
        timedOut,
      });
    });
  });
}

/** The parent's environment without anything that could send a real key or touch the user's ARC state. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'OPENAI_API_KEY' || k.startsWith('ARC_') || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function describeFailure(what: string, r: ProcResult): Error {
  const why = r.timedOut ? 'timed out' : `exited with ${r.code ?? r.signal}`;
  return new Error(`${what} ${why}: ${r.stderr.trim().slice(-800) || '(no stderr)'}`);
}
