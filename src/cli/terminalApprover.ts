// Approvals from the terminal (DESIGN §5, §6.1) when `arc` runs interactively: every edit is shown as
// a diff on stderr and applied only on "y"; commands outside the allowlist and hidden files are asked
// about the same way. What --yes and --allow-command allow is approved without asking — except an edit
// to a protected path, which always asks and says why.
//
// Prompts show the truth: everything from the model or the workspace (commands, diff lines, paths,
// reasons) goes through `visible()`, so an escape sequence is printed as `\x1b[2K`, never obeyed by the
// terminal; the whole command is shown (with its length when long) and the whole diff is printed — above
// MAX_DIFF_LINES the full diff goes to a file and the prompt says how many lines were not printed and
// where that file is.
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { AutoApprover, type Approver, type CommandApprovalRequest, type Decision, type EditApprovalRequest, type SensitiveApprovalRequest, type SpendApprovalRequest, type ToolApprovalRequest } from '../agent/approver';
import type { ServerApprovalRequest } from '../agent/mcp/manager';
import { commandDisplay, commandLengthNote, diffDisplay, diffMoreNote, nameDisplay, protectedNote, sandboxNote } from '../core/text/approvalText';
import { groupDigits, visible } from '../core/text/visible';

export interface TerminalIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Diffs up to this many lines are printed whole; a longer one is printed this far, the whole in a file. */
export const MAX_DIFF_LINES = 5000;
/** …and up to this many characters. */
const MAX_DIFF_CHARS = 1_000_000;
/** A line longer than this is shortened on screen, with a marker (the file has it whole). */
const MAX_DIFF_LINE_CHARS = 20_000;
/** A command is shown on the prompt's line up to this length, else on lines of its own. */
const INLINE_COMMAND = 200;

export interface TerminalApproverOptions {
  yes: boolean;
  allowCommands: readonly string[];
  /** Where a diff too long to print is written (default: a new private folder under the OS temp dir). */
  spillDir?: () => string;
}

export class TerminalApprover implements Approver {
  private readonly auto: AutoApprover;
  /** One question at a time: concurrent read-only tools could otherwise interleave prompts. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly io: TerminalIo,
    private readonly flags: TerminalApproverOptions,
  ) {
    this.auto = new AutoApprover({ edits: flags.yes, commandRegexes: flags.allowCommands });
  }

  async approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    // --yes never covers a protected path (DESIGN §5).
    if (this.flags.yes && !req.protectedReason) return this.auto.approveEdit(req);
    const target = nameDisplay(req.path);
    const d = diffDisplay(req.diff, { maxLines: MAX_DIFF_LINES, maxChars: MAX_DIFF_CHARS, maxLineChars: MAX_DIFF_LINE_CHARS });
    let more = '';
    if (d.moreLines > 0 || d.shortenedLines > 0) {
      const where = this.spill(req.path, req.diff);
      more = `\narc: ${diffMoreNote(d)} — the whole diff (${groupDigits(d.totalLines)} lines) is in ${where}`;
    }
    const guard = req.protectedReason ? `\narc: ${protectedNote(req.protectedReason)} — this edit always asks${this.flags.yes ? ', --yes does not cover it' : ''}` : '';
    return this.ask(`\n${d.text}${more}${guard}\narc: ${req.kind === 'create' ? 'create' : 'apply this edit to'} ${target}? [y/N] `, signal);
  }

  async approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const auto = await this.auto.approveCommand(req);
    if (auto.approved) return auto;
    const d = commandDisplay(req.command);
    const cwd = nameDisplay(req.cwd);
    const reason = visible(req.reason, { oneLine: true });
    const where = sandboxNote(req);
    const note = commandLengthNote(d);
    if (d.text.length <= INLINE_COMMAND && !note) {
      return this.ask(`\narc: run \`${d.text}\` in ${cwd}? (${reason}) — ${where} [y/N] `, signal);
    }
    return this.ask(`\narc: the model wants to run this command (${note}):\n${d.text}\narc: run it in ${cwd}? (${reason}) — ${where} [y/N] `, signal);
  }

  async approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return this.ask(`\narc: the model wants ${nameDisplay(req.tool)} on ${nameDisplay(req.path)}, which is hidden (secrets, keys, .arcignore). Allow it? [y/N] `, signal);
  }

  /** An MCP tool call (--allow-tool matches were approved before this is asked). */
  async approveTool(req: ToolApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    const args = commandDisplay(req.arguments);
    const note = commandLengthNote(args);
    return this.ask(`\narc: the model wants to call the MCP tool ${nameDisplay(req.name)}${req.readOnly ? ' (the server says it only reads)' : ''} with${note ? ` (${note})` : ''}:\n${args.text}\narc: call it? [y/N] `, signal);
  }

  /** A server named by the workspace's .vscode/mcp.json: its exact command line, asked once. */
  async approveServer(req: ServerApprovalRequest): Promise<boolean> {
    const line = commandDisplay(req.commandLine);
    const where = req.transport === 'stdio' ? (req.sandboxed ? 'in the sandbox' : 'UNSANDBOXED, as you') : 'over the network';
    const d = await this.ask(`\narc: the workspace's ${nameDisplay(req.file ?? '.vscode/mcp.json')} names the MCP server "${nameDisplay(req.name)}":\n${line.text}\narc: start it ${where}? (asked once for this exact command line) [y/N] `);
    return d.approved;
  }

  async approveSpend(req: SpendApprovalRequest, signal?: AbortSignal): Promise<Decision> {
    return this.ask(`\narc: this run has used ${req.spent} of ${req.limit} ${visible(req.unit, { oneLine: true })}. Go on? [y/N] `, signal);
  }

  /** Writes the whole diff to a private file and says where (or why it could not). */
  private spill(target: string, diff: string): string {
    try {
      const dir = this.flags.spillDir ? this.flags.spillDir() : mkdtempSync(path.join(os.tmpdir(), 'arc-diff-'));
      const base = path.basename(target).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'edit';
      const file = path.join(dir, `${base}.diff`);
      writeFileSync(file, diff, { mode: 0o600 });
      return nameDisplay(file);
    } catch (e) {
      return `no file: writing it failed (${visible((e as Error).message, { oneLine: true })})`;
    }
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
