// Models asked for "one fenced block and nothing else" sometimes open with a sentence anyway ("Here is
// the updated function:"). That sentence is not code: this filter drops it when a fence follows, so the
// streaming diff (which strips the fence itself) never shows it as an added line. Text after the
// closing fence is the diff's business (its fence stripper ends the block there).

const FENCE = /^\s*(`{3,}|~{3,})/;
/** Lines without a fence after which the reply is taken to be code written without one. */
const MAX_PROSE_LINES = 3;
/** Characters held back at most while deciding. */
const MAX_HELD_CHARS = 2_000;

export class LeadingProseFilter {
  private held = '';
  private decided = false;
  private readonly originalLines: Set<string>;

  constructor(original: string) {
    this.originalLines = new Set(original.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
  }

  /** Text to pass on (possibly empty while deciding). */
  push(chunk: string): string {
    if (this.decided) return chunk;
    this.held += chunk;
    return this.decide(false);
  }

  /** What is still held back, at the end of the reply. */
  end(): string {
    if (this.decided) return '';
    return this.decide(true);
  }

  private decide(atEnd: boolean): string {
    const lines = this.held.split('\n');
    // Complete lines only; at the end the last partial line counts too.
    const complete = atEnd ? lines : lines.slice(0, -1);
    let prose = 0;
    for (let i = 0; i < complete.length; i++) {
      const line = complete[i]!;
      const trimmed = line.trim();
      if (trimmed === '') continue;
      if (FENCE.test(line)) {
        // A fence after lines that are not the original's own: those lines are the model talking.
        const before = complete.slice(0, i).filter((l) => l.trim() !== '');
        const offset = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
        return this.pass(before.every((l) => !this.originalLines.has(l.trim())) ? this.held.slice(offset) : this.held);
      }
      if (this.originalLines.has(trimmed)) return this.pass(this.held);
      if (++prose >= MAX_PROSE_LINES) return this.pass(this.held);
    }
    if (atEnd || this.held.length > MAX_HELD_CHARS) return this.pass(this.held);
    return '';
  }

  private pass(text: string): string {
    this.decided = true;
    this.held = '';
    return text;
  }
}
