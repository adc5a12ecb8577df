// Approvals from the terminal (DESIGN §5, §6.1) when `arc` runs interactively: every edit is shown as
// a diff on stderr and applied only on "y"; commands outside the allowlist and hidden files are asked
// about the same way. What --yes and --allow-command allow is approved without asking.
import * as readline from 'node:readline/promises';
import { AutoApprover, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest } from '../agent/approver';

export interface TerminalIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Longest diff printed before asking; the rest is summarised. */
const MAX_DIFF_LINES = 200;

export class TerminalApprover implements Approver {
  private readonly auto: AutoApprover;
  /** One question at a time: concurrent read-only tools could otherwise interleave prompts. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly io: TerminalIo,
    private readonly flags: { yes: boolean; allowCommands: readonly string[] },
  ) {
    this.auto = new AutoApprover({ edits: flags.yes, commandRegexes: flags.allowCommands });
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    if (this.flags.yes) return this.auto.approveEdit(req);
    const lines = req.diff.split('\n');
    const shown = lines.slice(0, MAX_DIFF_LINES).join('\n');
    const more = lines.length > MAX_DIFF_LINES ? `\n… ${lines.length - MAX_DIFF_LINES} more diff lines` : '';
    return this.ask(`\n${shown}${more}\narc: ${req.kind === 'create' ? 'create' : 'apply this edit to'} ${req.path}? [y/N] `, signal);
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const auto = await this.auto.approveCommand(req);
    if (auto.approved) return auto;
    return this.ask(`\narc: run \`${req.command}\` in ${req.cwd}? (${req.reason}) [y/N] `, signal);
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return this.ask(`\narc: the model wants ${req.tool} on ${req.path}, which is hidden (secrets, keys, .arcignore). Allow it? [y/N] `, signal);
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return this.ask(`\narc: this run has used ${req.spent} of ${req.limit} ${req.unit}. Go on? [y/N] `, signal);
  }

  private ask(question: string, signal?: AbortSignal): Promise<Decision> {
    const next = this.queue.then(async (): Promise<Decision> => {
      if (signal?.aborted) return { approved: false, reason: 'the run was cancelled' };
      const rl = readline.createInterface({ input: this.io.input, output: this.io.output, terminal: false });
      try {
        const answer = await rl.question(question, signal ? { signal } : {});
        const yes = /^\s*y(es)?\s*$/i.test(answer);
        return yes ? { approved: true } : { approved: false, reason: 'the user declined' };
      } catch {
        return { approved: false, reason: 'no answer (the run was cancelled)' };
      } finally {
        rl.close();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
