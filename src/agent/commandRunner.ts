// Runs one shell command for run_command: in the workspace folder, with a timeout, an output cap
// (the tail is kept: that is where errors are), and a kill of the whole process group on timeout or
// cancellation, so nothing it started keeps running.
import { spawn } from 'node:child_process';

export const DEFAULT_COMMAND_TIMEOUT_S = 60;
export const MAX_COMMAND_TIMEOUT_S = 600;
export const DEFAULT_OUTPUT_LIMIT_BYTES = 64 * 1024;

export interface CommandRequest {
  command: string;
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes of combined stdout+stderr kept (the tail); default 64 KiB. */
  outputLimit?: number;
}

export interface CommandResult {
  /** Null when the process was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** stdout and stderr interleaved as they arrived (the tail, when truncated). */
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  /** Bytes dropped from the front when truncated. */
  droppedBytes: number;
  durationMs: number;
}

export interface CommandRunner {
  run(req: CommandRequest): Promise<CommandResult>;
}

export interface NodeCommandRunnerOptions {
  /** Environment for commands; default process.env without `stripEnv`. */
  env?: NodeJS.ProcessEnv;
  /** Variables removed from the environment so commands cannot read them (API keys). */
  stripEnv?: readonly string[];
  /** Milliseconds between SIGTERM and SIGKILL when stopping a command. */
  killGraceMs?: number;
}

export const DEFAULT_STRIPPED_ENV: readonly string[] = Object.freeze(['OPENAI_API_KEY', 'ARC_API_KEY']);

export class NodeCommandRunner implements CommandRunner {
  constructor(private readonly options: NodeCommandRunnerOptions = {}) {}

  run(req: CommandRequest): Promise<CommandResult> {
    const limit = req.outputLimit ?? DEFAULT_OUTPUT_LIMIT_BYTES;
    const env = { ...(this.options.env ?? process.env) };
    for (const k of this.options.stripEnv ?? DEFAULT_STRIPPED_ENV) delete env[k];
    const grace = this.options.killGraceMs ?? 2000;
    const start = performance.now();
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let dropped = 0;
      let timedOut = false;
      let cancelled = false;
      let exited: { code: number | null; signal: string | null } | undefined;
      let done = false;
      let killTimer: NodeJS.Timeout | undefined;
      let closeFallback: NodeJS.Timeout | undefined;

      if (req.signal?.aborted) {
        return resolve({ exitCode: null, signal: null, output: '', timedOut: false, cancelled: true, truncated: false, droppedBytes: 0, durationMs: 0 });
      }
      const child = spawn(req.command, {
        cwd: req.cwd,
        env,
        shell: true,
        // Its own process group, so a kill reaches everything it started.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });

      const keep = (b: Buffer) => {
        chunks.push(b);
        kept += b.length;
        while (kept > limit && chunks.length > 0) {
          const over = kept - limit;
          const first = chunks[0]!;
          if (first.length <= over) {
            chunks.shift();
            kept -= first.length;
            dropped += first.length;
          } else {
            chunks[0] = first.subarray(over);
            kept -= over;
            dropped += over;
          }
        }
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);

      const killGroup = (sig: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          if (process.platform === 'win32') {
            spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
          } else {
            process.kill(-child.pid, sig);
          }
        } catch {
          // already gone
        }
      };
      const stop = () => {
        killGroup('SIGTERM');
        killTimer ??= setTimeout(() => killGroup('SIGKILL'), grace);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, req.timeoutMs);
      const onAbort = () => {
        cancelled = true;
        stop();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });

      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(closeFallback);
        req.signal?.removeEventListener('abort', onAbort);
        // Whatever is left of the group goes too: a background child must not outlive its command.
        killGroup('SIGKILL');
        clearTimeout(killTimer);
        let output = Buffer.concat(chunks).toString('utf8');
        if (dropped > 0) {
          // Start the kept tail at a line boundary when one is near.
          const nl = output.indexOf('\n');
          if (nl >= 0 && nl < 200) {
            dropped += Buffer.byteLength(output.slice(0, nl + 1));
            output = output.slice(nl + 1);
          }
        }
        resolve({
          exitCode: exited?.code ?? null,
          signal: exited?.signal ?? null,
          output,
          timedOut,
          cancelled,
          truncated: dropped > 0,
          droppedBytes: dropped,
          durationMs: performance.now() - start,
        });
      };
      child.on('error', (e) => {
        keep(Buffer.from(`failed to start: ${e.message}\n`));
        finish();
      });
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        // A grandchild holding the pipes open must not keep the result waiting.
        closeFallback = setTimeout(finish, timedOut || cancelled ? 200 : 1000);
      });
      child.on('close', (code, signal) => {
        exited ??= { code, signal };
        finish();
      });
    });
  }
}
