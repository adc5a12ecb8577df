// run_command (DESIGN §5, §6.5): the policy judges the parsed command, the sandbox decides whether an
// allowlisted command may run without asking (nothing auto-runs outside it), and the result says
// where it ran and what it left behind.
import { z } from 'zod';
import { toDecision } from './approver';
import { judgeCommand } from './commandPolicy';
import type { CommandResult } from './commandRunner';
import type { Isolation } from './sandbox';
import { defineTool, ToolError, type CommandRecord } from './tools';

export function formatCommandResult(command: string, r: CommandResult, maxChars: number, timeoutS: number, note = ''): string {
  const secs = (r.durationMs / 1000).toFixed(1);
  const status = r.timedOut
    ? `timed out after ${timeoutS} s; the command and everything it started were stopped`
    : r.cancelled
      ? 'cancelled; the command and everything it started were stopped'
      : r.exitCode !== null
        ? `exit code ${r.exitCode}`
        : `killed by ${r.signal ?? 'a signal'}`;
  let output = r.output;
  const notes: string[] = [];
  if (note) notes.push(note);
  if (r.truncated) notes.push(`output truncated: the first ${r.droppedBytes} bytes were dropped, the end is kept`);
  const budget = Math.max(1000, maxChars - 600);
  if (output.length > budget) {
    notes.push(`${output.length - budget} more characters cut from the front to fit`);
    output = output.slice(output.length - budget);
  }
  return `$ ${command}\n${status} (${secs} s)\n${notes.map((n) => `[${n}]\n`).join('')}${output === '' ? '(no output)' : output}`;
}

/** Said once per process (an editor session, a CLI run) when commands cannot be sandboxed. */
let toldNoSandbox = false;

export const runCommandTool = defineTool({
  name: 'run_command',
  description:
    'Run a shell command in the workspace root (for tests, builds, linters). Where ARC has an OS sandbox the command runs inside it: it can write only inside the workspace, cannot read hidden files and has no network. It runs without asking only when it is one plain command (no operators, substitutions or redirections) on the user\'s allowlist and the sandbox is available; otherwise the user is asked. Default timeout 60 s, at most 600; output is capped (the end is kept) and the exit code reported.',
  schema: z.object({
    command: z.string().min(1).describe('The command line.'),
    timeoutSeconds: z.number().int().min(1).nullable().describe('Timeout in seconds (default 60, at most 600); null for the default.'),
  }),
  readOnly: false,
  async run(args, ctx) {
    const command = args.command.trim();
    const iso: Isolation = ctx.runner.isolation ?? { kind: 'none', network: true, description: 'not sandboxed: commands run as you, and every one asks first' };
    if (iso.kind === 'refused') {
      ctx.commands.push({ command, decision: 'denied' });
      throw new ToolError(`commands cannot run here: ${iso.description}${iso.hint ? ` (${iso.hint})` : ''}. Tell the user; do not retry.`);
    }
    if (iso.kind === 'none' && !toldNoSandbox) {
      toldNoSandbox = true;
      ctx.notice?.('no_sandbox', `Commands are ${iso.description}.${iso.hint ? ` To sandbox them: ${iso.hint}.` : ''}`);
    }
    const verdict = judgeCommand(command, ctx.policy);
    if (verdict.action === 'deny') {
      ctx.commands.push({ command, decision: 'denied' });
      throw new ToolError(`the command was refused and not run: ${verdict.reason}.`);
    }
    const sandboxed = iso.kind === 'sandbox';
    let decision: CommandRecord['decision'] = 'auto';
    // Nothing auto-runs outside the sandbox (DESIGN §5), however the allowlist reads.
    const ask = verdict.action === 'ask' || !sandboxed;
    if (ask) {
      const reason = verdict.action === 'ask' ? verdict.reason : `there is no sandbox (${iso.description}), so the allowlist does not apply`;
      if (ctx.refusedCommands.has(command)) {
        ctx.commands.push({ command, decision: 'refused' });
        return `The command was NOT run: the user already refused "${command}" in this run. Do not retry it in another form.`;
      }
      const d = toDecision(await ctx.approver.approveCommand({ command, reason, cwd: ctx.workspace.commandCwd(), sandboxed, network: iso.network }, ctx.signal));
      if (!d.approved) {
        ctx.refusedCommands.add(command);
        ctx.commands.push({ command, decision: 'refused' });
        return `The command was NOT run: ${d.reason ?? 'the user refused it'}. (Approval was needed because ${reason}.)`;
      }
      decision = 'approved';
    }
    let timeoutS = args.timeoutSeconds ?? ctx.limits.commandTimeoutS;
    let note = '';
    if (timeoutS > ctx.limits.commandMaxTimeoutS) {
      note = `timeout lowered from ${timeoutS} s to the ${ctx.limits.commandMaxTimeoutS} s maximum`;
      timeoutS = ctx.limits.commandMaxTimeoutS;
    }
    let sandboxPaths;
    if (sandboxed) {
      try {
        sandboxPaths = await ctx.workspace.sandboxPaths();
      } catch (e) {
        ctx.commands.push({ command, decision: 'denied' });
        throw new ToolError(`the command was not run: ${e instanceof Error ? e.message : String(e)}.`);
      }
    }
    const r = await ctx.runner.run({
      command,
      cwd: ctx.workspace.commandCwd(),
      timeoutMs: timeoutS * 1000,
      signal: ctx.signal,
      outputLimit: ctx.limits.commandOutputBytes,
      sandboxPaths,
    });
    ctx.commands.push({ command, decision, exitCode: r.exitCode, timedOut: r.timedOut, cancelled: r.cancelled, durationMs: Math.round(r.durationMs), sandboxed: r.sandboxed ?? false });
    const where = r.sandboxed ? `ran in the sandbox (${iso.network ? 'network allowed' : 'no network'}; writes only inside the workspace)` : 'ran unsandboxed';
    const strays = r.strays ? `; ${r.strays} process(es) it left running were ended` : '';
    return formatCommandResult(command, r, ctx.limits.resultChars, timeoutS, [note, `${where}${strays}`].filter(Boolean).join('; '));
  },
});

