// Splits `<think>…</think>` reasoning out of streamed content (R1, Qwen3, llama.cpp without
// --reasoning-format). Tags may arrive cut across chunks, so a possible tag prefix at the end of a
// chunk is held back until the next one decides it. Only a `<think>` before any answer text opens
// reasoning: a model quoting the tag later in its answer is left alone.

const OPEN = '<think>';
const CLOSE = '</think>';

export type SplitPart = { type: 'text' | 'reasoning'; text: string };

export class ThinkSplitter {
  private state: 'start' | 'thinking' | 'answer' = 'start';
  private pending = '';
  private afterThink = false;
  /** True once an opening tag was seen: the caller learns the model writes `<think>`. */
  sawThinkTag = false;

  push(chunk: string): SplitPart[] {
    this.pending += chunk;
    const out: SplitPart[] = [];
    for (;;) {
      if (this.state === 'answer') {
        if (this.afterThink) {
          // The blank lines after </think> are layout, even when they come in a chunk of their own
          // (as Groq streams DeepSeek-R1: '</think>' | '\n\n' | 'To'), not the start of the answer.
          this.pending = this.pending.replace(/^\s+/, '');
          if (this.pending === '') return out;
          this.afterThink = false;
        }
        this.emit(out, 'text', this.pending);
        this.pending = '';
        return out;
      }
      if (this.state === 'start') {
        const trimmed = this.pending.trimStart();
        if (trimmed.startsWith(OPEN)) {
          this.state = 'thinking';
          this.sawThinkTag = true;
          this.pending = trimmed.slice(OPEN.length);
          continue;
        }
        if (trimmed.length === 0 || OPEN.startsWith(trimmed)) return out; // undecided yet
        this.state = 'answer';
        continue;
      }
      // thinking
      const end = this.pending.indexOf(CLOSE);
      if (end >= 0) {
        this.emit(out, 'reasoning', this.pending.slice(0, end));
        this.pending = this.pending.slice(end + CLOSE.length);
        this.state = 'answer';
        this.afterThink = true;
        continue;
      }
      const keep = partialSuffix(this.pending, CLOSE);
      this.emit(out, 'reasoning', this.pending.slice(0, this.pending.length - keep));
      this.pending = this.pending.slice(this.pending.length - keep);
      return out;
    }
  }

  /** The stream ended: whatever is held back is released as what it was heading to be. */
  flush(): SplitPart[] {
    const out: SplitPart[] = [];
    this.emit(out, this.state === 'thinking' ? 'reasoning' : 'text', this.pending);
    this.pending = '';
    return out;
  }

  get inReasoning(): boolean {
    return this.state === 'thinking';
  }

  private emit(out: SplitPart[], type: SplitPart['type'], text: string): void {
    if (text.length > 0) out.push({ type, text });
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (tag.startsWith(s.slice(s.length - n))) return n;
  }
  return 0;
}
