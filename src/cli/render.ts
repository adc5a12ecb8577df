// Human output of `arc ask`: the answer alone on stdout (so it can be piped), everything else on stderr.
// Every string from the model or the workspace goes through `visible()` before it reaches a terminal
// (DESIGN §5): tool names, arguments, notices, reasons, errors and the reasoning on stderr always, and
// the answer on stdout when stdout is a terminal (piped, it stays byte for byte what the model said).
// A model string never starts a line of its own on stderr: its newlines are indented, so it cannot
// print a line that looks like ARC's own `arc: …` output.
import type { KnownRunEvent } from '../core/run/events';
import { nameDisplay } from '../core/text/approvalText';
import { visible } from '../core/text/visible';

interface Out {
  write(s: string): boolean;
  isTTY?: boolean;
}

export class HumanRenderer {
  private answerEndsWithNewline = true;
  /** The answer text streamed so far (the root's), to print what the final answer adds to it. */
  private streamed = '';
  private reasoningOpen = false;

  constructor(
    private readonly stdout: Out,
    private readonly stderr: Out,
  ) {}

  render(e: KnownRunEvent): void {
    switch (e.type) {
      case 'run.routed':
        this.info(`${e.data.mode} mode · ${e.data.reason}`);
        break;
      case 'thread.started':
        if (e.parentId) this.info(`thread ${e.threadId} started: ${oneLine(e.data.goal)}${e.data.budget !== null ? ` (budget ${e.data.budget} tokens)` : ''}`);
        else if (e.data.model) this.info(`model ${e.data.model}`);
        break;
      case 'thread.finished':
        if (e.parentId) this.info(`thread ${e.threadId} ${e.data.status} · ${e.data.usage.completion} tokens${e.data.error ? ` · ${e.data.error}` : ''}`);
        break;
      case 'thread.delta':
        if (e.data.reasoning) {
          if (!this.reasoningOpen) this.info('thinking…');
          this.reasoningOpen = true;
          if (this.stderr.isTTY) this.stderr.write(`\x1b[2m${visible(e.data.reasoning)}\x1b[0m`);
        }
        if (e.data.text) {
          if (this.reasoningOpen && this.stderr.isTTY) this.stderr.write('\n');
          this.reasoningOpen = false;
          this.stdout.write(this.answerText(e.data.text));
          this.streamed += e.data.text;
          this.answerEndsWithNewline = e.data.text.endsWith('\n');
        }
        break;
      case 'tool.called': {
        const d = e.data as { name?: unknown; arguments?: unknown };
        this.info(`tool ${nameDisplay(String(d.name ?? '?'))} ${oneLine(typeof d.arguments === 'string' ? d.arguments : JSON.stringify(d.arguments ?? {}))}`);
        break;
      }
      case 'tool.result': {
        const d = e.data as { name?: unknown; ok?: unknown };
        if (d.ok === false) this.info(`tool ${nameDisplay(String(d.name ?? '?'))} failed (the model is told why)`);
        break;
      }
      case 'approval.resolved': {
        const d = e.data as { kind?: unknown; approved?: unknown; reason?: unknown };
        this.info(`${String(d.kind ?? 'action')} ${d.approved ? 'approved' : 'not approved'}${d.reason ? ` (${String(d.reason)})` : ''}`);
        break;
      }
      case 'thread.notice':
        this.info(`note: ${e.data.message}`);
        break;
      case 'run.finished': {
        // Agentic runs end with a summary of what changed that was never streamed.
        if (e.data.answer.startsWith(this.streamed) && e.data.answer.length > this.streamed.length) {
          const rest = e.data.answer.slice(this.streamed.length);
          this.stdout.write(this.answerText(rest));
          this.answerEndsWithNewline = rest.endsWith('\n');
        }
        this.endAnswer();
        const u = e.data.usage;
        const cost = e.data.cost === null ? 'cost unknown (no price for this model)' : `$${e.data.cost.toFixed(6)}`;
        this.info(`${u.prompt} prompt + ${u.completion} completion tokens (${u.reasoning} reasoning) · ${cost}`);
        const st = e.data.stats;
        if (st && st.threads > 1) this.info(`${st.threads} threads · ${st.criticalPathTokens} of ${st.totalTokens} tokens on the critical path · ${(st.wallMs / 1000).toFixed(1)} s wall · speedup ${st.speedup}×`);
        break;
      }
      case 'run.failed':
        this.endAnswer();
        if (e.data.answer) this.info('the answer above is partial');
        this.stderr.write(`arc: error: ${block(e.data.error)}\n`);
        break;
      case 'run.cancelled':
        this.endAnswer();
        this.info(e.data.answer ? 'cancelled; the answer above is partial' : 'cancelled');
        break;
      default:
        break;
    }
  }

  private endAnswer(): void {
    if (this.reasoningOpen && this.stderr.isTTY) this.stderr.write('\n');
    this.reasoningOpen = false;
    if (!this.answerEndsWithNewline) this.stdout.write('\n');
    this.answerEndsWithNewline = true;
  }

  /** The answer as it goes to stdout: sanitised for a terminal, exact for a pipe or a file. */
  private answerText(s: string): string {
    return this.stdout.isTTY ? visible(s) : s;
  }

  private info(s: string): void {
    this.stderr.write(`arc: ${block(s)}\n`);
  }
}

/** Model text inside a line of ARC's: escapes visible, and any newline indented. */
function block(s: string): string {
  return visible(s).replace(/\n/g, '\n  ');
}

/** A short summary on one line (tool arguments, a thread's goal): sanitised, then cut with a marker. */
function oneLine(s: string): string {
  const line = visible(s.replace(/\s+/g, ' ').trim(), { oneLine: true });
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
