// Runs one shell command for run_command (DESIGN §5): inside the OS sandbox when there is one (see
// sandbox/), else as the user; in the workspace folder, with a timeout, an output cap (the tail is
// kept: that is where errors are), and a scrubbed environment. On timeout, cancellation or exit,
// everything the command started goes too: the sandbox's PID namespace ends it all; unsandboxed, the
// process group is killed and so is every process still carrying this command's marker variable (a
// `setsid` child leaves the group, not its environment). Our ends of the pipes are closed, so a
// leftover process can never keep ARC from exiting.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isolationFor, probeSandbox, sandboxFrom, scrubEnvironment, type Isolation, type SandboxPaths, type SandboxProbe, type SandboxSetting } from './sandbox';

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
  /** What the sandbox is built from (the workspace says it); without it a sandboxing runner refuses. */
  sandboxPaths?: SandboxPaths;
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
  /** Whether it ran inside the sandbox. */
  sandboxed?: boolean;
  /** Processes that outlived the command and were ended (unsandboxed: found by the marker). */
  strays?: number;
}

export interface CommandRunner {
  run(req: CommandRequest): Promise<CommandResult>;
  /** Where commands run; absent means unsandboxed. */
  readonly isolation?: Isolation;
}

export interface NodeCommandRunnerOptions {
  /** Environment for commands; default process.env, always scrubbed of credentials. */
  env?: NodeJS.ProcessEnv;
  /** More variables removed from the environment (the CLI's --api-key-env). */
  stripEnv?: readonly string[];
  /** Milliseconds between SIGTERM and SIGKILL when stopping a command. */
  killGraceMs?: number;
  /** arc.agent.sandbox; default 'auto'. */
  sandbox?: SandboxSetting;
  /** arc.agent.commandNetwork: the sandbox keeps the network; default false. */
  network?: boolean;
  /** Absolute paths to mask besides the workspace's hidden ones (ARC's state dir, extension storage). */
  maskAlso?: readonly string[];
  /** The probe result to use (tests); default: probe this machine once. */
  probe?: SandboxProbe;
}

/** The environment variable that marks every process of one unsandboxed command. */
export const COMMAND_MARKER_VAR = 'ARC_COMMAND_ID';

export class NodeCommandRunner implements CommandRunner {
  readonly isolation: Isolation;
  private readonly probe: SandboxProbe | undefined;

  constructor(private readonly options: NodeCommandRunnerOptions = {}) {
    const setting = options.sandbox ?? 'auto';
    this.probe = setting === 'off' ? undefined : (options.probe ?? probeSandbox());
    this.isolation = isolationFor(setting, this.probe, options.network ?? false);
  }

  run(req: CommandRequest): Promise<CommandResult> {
    const limit = req.outputLimit ?? DEFAULT_OUTPUT_LIMIT_BYTES;
    const env = scrubEnvironment(this.options.env ?? process.env, this.options.stripEnv ?? []);
    const grace = this.options.killGraceMs ?? 2000;
    const start = performance.now();
    const sandbox = this.isolation.kind === 'sandbox' && this.probe ? sandboxFrom(this.probe, this.options.maskAlso) : undefined;
    const refuse = (why: string): Promise<CommandResult> =>
      Promise.resolve({ exitCode: null, signal: null, output: `not run: ${why}\n`, timedOut: false, cancelled: false, truncated: false, droppedBytes: 0, durationMs: 0, sandboxed: false });
    if (this.isolation.kind === 'refused') return refuse(`${this.isolation.description}${this.isolation.hint ? `; ${this.isolation.hint}` : ''}`);
    if (sandbox && !req.sandboxPaths) return refuse('the sandbox needs the workspace\'s paths, and none were given');
    const marker = randomUUID();
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
        return resolve({ exitCode: null, signal: null, output: '', timedOut: false, cancelled: true, truncated: false, droppedBytes: 0, durationMs: 0, sandboxed: Boolean(sandbox) });
      }
      let child;
      const common = { detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], windowsHide: true };
      if (sandbox) {
        const w = sandbox.wrap({ command: req.command, cwd: req.cwd, paths: req.sandboxPaths!, network: this.isolation.network, env });
        child = spawn(w.file, w.args, { ...common, cwd: req.cwd, env: w.env });
      } else {
        // Its own process group, so a kill reaches everything it started, and a marker for what leaves it.
        child = spawn(req.command, { ...common, cwd: req.cwd, env: { ...env, [COMMAND_MARKER_VAR]: marker }, shell: true });
      }

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
        const strays = sandbox ? 0 : killMarked(marker);
        clearTimeout(killTimer);
        // Our ends of the pipes: a process that escaped them all must not keep ARC alive.
        child.stdout?.destroy();
        child.stderr?.destroy();
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
          sandboxed: Boolean(sandbox),
          ...(strays ? { strays } : {}),
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

/**
 * Ends every process whose environment carries `ARC_COMMAND_ID=<marker>` (Linux, through /proc);
 * returns how many. Other platforms rely on the process group (and macOS on nothing more: say so).
 */
export function killMarked(marker: string): number {
  if (process.platform !== 'linux') return 0;
  const needle = Buffer.from(`${COMMAND_MARKER_VAR}=${marker}\0`);
  let n = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`).includes(needle)) continue;
      process.kill(Number(pid), 'SIGKILL');
      n++;
    } catch {
      // gone, or not ours to read
    }
  }
  return n;
}
