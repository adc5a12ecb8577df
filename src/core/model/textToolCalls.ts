// Tool calls written as text (DESIGN §4). Local servers without a tool-call parser for the model
// (Ollama templates without tools, vLLM without --tool-call-parser, llama.cpp without --jinja) hand
// back what the model wrote: Hermes / Qwen `<tool_call>{"name":…,"arguments":…}</tool_call>`,
// Mistral `[TOOL_CALLS][{…}]` or, from v11 tokenizers, `[TOOL_CALLS]name[ARGS]{…}`, or a bare JSON
// call as the whole answer. This reads them out of the stream as it comes, so they become tool calls
// and never reach the answer. Text streams on: only what might be the start of a tag is held back
// (and, for bare JSON, an answer that opens with `{` or `[` until it is known to be more than one call).

export interface TextToolCall {
  name: string;
  /** JSON text of the arguments, as a native tool call carries them. */
  arguments: string;
}

export type TextToolPart = { type: 'text'; text: string } | { type: 'call'; call: TextToolCall };

const HERMES_OPEN = '<tool_call>';
const HERMES_CLOSE = '</tool_call>';
const MISTRAL_OPEN = '[TOOL_CALLS]';
const OPENERS = [HERMES_OPEN, MISTRAL_OPEN] as const;
/** A call the model never closes is read at the end of the stream; past this size it is text. */
const MAX_CALL_CHARS = 1_000_000;

type Mode = 'start' | 'text' | 'hermes' | 'mistral' | 'bare';

export class TextToolCallParser {
  private mode: Mode = 'start';
  private pending = '';
  /** Whitespace right after a call is layout around the call, not answer text. */
  private afterCall = false;
  /** Whitespace before an opening tag: layout if a call follows, given back if it does not. */
  private gap = '';
  private readonly offered: ReadonlySet<string>;

  /** `offered`: the names of the tools the request offered; a bare JSON call must name one. */
  constructor(offered: Iterable<string>) {
    this.offered = new Set(offered);
  }

  push(chunk: string): TextToolPart[] {
    this.pending += chunk;
    return this.drain(false);
  }

  /** The stream ended: a call left open is read as it stands; whatever is not a call is text. */
  flush(): TextToolPart[] {
    return this.drain(true);
  }

  private drain(final: boolean): TextToolPart[] {
    const out: TextToolPart[] = [];
    for (;;) {
      switch (this.mode) {
        case 'start': {
          const trimmed = this.pending.trimStart();
          if (trimmed === '') {
            if (final) this.text(out, this.pending);
            return out;
          }
          // `[` may open `[TOOL_CALLS]` or a JSON array: wait until the tag is ruled in or out.
          if (!final && trimmed.length < MISTRAL_OPEN.length && MISTRAL_OPEN.startsWith(trimmed)) return out;
          const json = (trimmed[0] === '{' || trimmed[0] === '[') && !trimmed.startsWith(MISTRAL_OPEN);
          this.mode = json && this.offered.size > 0 ? 'bare' : 'text';
          continue;
        }
        case 'bare': {
          const start = this.pending.length - this.pending.trimStart().length;
          const end = jsonEnd(this.pending, start);
          if (end < 0) {
            if (!final) return out;
            this.mode = 'text'; // an unfinished JSON value is just text
            continue;
          }
          const rest = this.pending.slice(end);
          const calls = rest.trim() === '' ? toCalls(parseJson(this.pending.slice(start, end)), this.offered) : undefined;
          if (!calls) {
            this.mode = 'text'; // not one JSON value naming offered tools: an answer
            continue;
          }
          if (!final) return out; // more may follow, which would make it an answer after all
          for (const call of calls) out.push({ type: 'call', call });
          this.pending = '';
          return out;
        }
        case 'text': {
          const at = firstOpener(this.pending);
          if (at) {
            const before = this.pending.slice(0, at.index);
            this.text(out, before.trimEnd());
            this.gap = before.slice(before.trimEnd().length);
            this.pending = this.pending.slice(at.index + at.tag.length);
            this.mode = at.tag === HERMES_OPEN ? 'hermes' : 'mistral';
            continue;
          }
          // Hold back a possible tag start, and the whitespace before it (layout before a call).
          let keep = final ? 0 : partialOpener(this.pending);
          if (!final) keep += trailingSpace(this.pending.slice(0, this.pending.length - keep));
          this.text(out, this.pending.slice(0, this.pending.length - keep));
          this.pending = this.pending.slice(this.pending.length - keep);
          return out;
        }
        case 'hermes': {
          const r = readHermesBlock(this.pending, final || this.pending.length > MAX_CALL_CHARS);
          if (r === 'wait') return out;
          if (r.calls) this.calls(out, r.calls);
          else this.text(out, this.gap + HERMES_OPEN + this.pending.slice(0, r.end));
          this.gap = '';
          this.pending = this.pending.slice(r.end);
          this.mode = 'text';
          continue;
        }
        case 'mistral': {
          const r = readMistral(this.pending, final || this.pending.length > MAX_CALL_CHARS);
          if (r === 'wait') return out;
          if (r === 'invalid') {
            this.text(out, this.gap + MISTRAL_OPEN + this.pending);
            this.pending = '';
          } else {
            this.calls(out, r.calls);
            this.pending = this.pending.slice(r.end);
          }
          this.gap = '';
          this.mode = 'text';
          continue;
        }
      }
    }
  }

  private text(out: TextToolPart[], text: string): void {
    if (this.afterCall) {
      text = text.trimStart();
      if (text === '') return;
      this.afterCall = false;
    }
    if (text !== '') out.push({ type: 'text', text });
  }

  private calls(out: TextToolPart[], calls: TextToolCall[]): void {
    for (const call of calls) out.push({ type: 'call', call });
    this.afterCall = true;
  }
}

function firstOpener(s: string): { index: number; tag: string } | undefined {
  let best: { index: number; tag: string } | undefined;
  for (const tag of OPENERS) {
    const i = s.indexOf(tag);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, tag };
  }
  return best;
}

/** Length of the longest suffix of `s` that is a proper prefix of an opening tag. */
function partialOpener(s: string): number {
  let keep = 0;
  for (const tag of OPENERS) {
    for (let n = Math.min(tag.length - 1, s.length); n > keep; n--) {
      if (tag.startsWith(s.slice(s.length - n))) {
        keep = n;
        break;
      }
    }
  }
  return keep;
}

function trailingSpace(s: string): number {
  return s.length - s.trimEnd().length;
}

/**
 * Index just past the JSON object or array that starts at `start` (after whitespace), or -1 while
 * it is unfinished. Strings are skipped with their escapes, so brackets inside them do not count.
 */
export function jsonEnd(s: string, start = 0): number {
  let i = start;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  if (s[i] !== '{' && s[i] !== '[') return -1;
  let depth = 0;
  let inString = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `{"name", "arguments"}` (Hermes, Mistral, Llama), `{"name", "parameters"}` (Llama 3.x) or an
 * OpenAI-shaped `{"function": {"name", "arguments"}}`; or an array of them. With `offered`, every
 * name must be one the request offered (the test for a bare JSON answer being a call at all).
 */
export function toCalls(value: unknown, offered?: ReadonlySet<string>): TextToolCall[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  const calls: TextToolCall[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const o = item as Record<string, unknown>;
    const fn = typeof o.function === 'object' && o.function !== null ? (o.function as Record<string, unknown>) : o;
    const name = fn.name;
    if (typeof name !== 'string' || name.trim() === '') return undefined;
    if (offered && !offered.has(name)) return undefined;
    const args = 'arguments' in fn ? fn.arguments : fn.parameters;
    if (args !== undefined && args !== null && typeof args !== 'object' && typeof args !== 'string') return undefined;
    calls.push({ name: name.trim(), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
  }
  return calls;
}

/**
 * After `<tool_call>`: how far the block goes (`end`, past `</tool_call>` when there is one) and the
 * calls in it, if any. A JSON body is measured as JSON, so a `</tool_call>` inside one of its strings
 * does not end it. Servers often stop at `</tool_call>` (a stop token), so at the end of the stream a
 * missing close is normal.
 */
function readHermesBlock(s: string, final: boolean): 'wait' | { end: number; calls?: TextToolCall[] } {
  const start = s.length - s.trimStart().length;
  if (s[start] === '{' || s[start] === '[') {
    const end = jsonEnd(s, start);
    if (end >= 0) {
      const after = s.slice(end);
      const ws = after.length - after.trimStart().length;
      const rest = after.slice(ws);
      if (!final && rest.length < HERMES_CLOSE.length && HERMES_CLOSE.startsWith(rest)) return 'wait';
      const calls = toCalls(parseJson(s.slice(start, end)));
      if (rest.startsWith(HERMES_CLOSE)) return { end: end + ws + HERMES_CLOSE.length, calls };
      if (calls) return { end, calls }; // no close tag: the call ends with its JSON
    } else if (!final) {
      return 'wait';
    }
  }
  const close = s.indexOf(HERMES_CLOSE);
  if (close < 0 && !final) return 'wait';
  const body = close < 0 ? s : s.slice(0, close);
  const end = close < 0 ? s.length : close + HERMES_CLOSE.length;
  const trimmed = body.trim();
  return { end, calls: trimmed.startsWith('<function=') ? readXmlFunction(trimmed) : undefined };
}

function readXmlFunction(body: string): TextToolCall[] | undefined {
  const fn = /^<function=([^>\s]+)>([\s\S]*?)(?:<\/function>\s*)?$/.exec(body);
  if (!fn) return undefined;
  const args: Record<string, unknown> = {};
  const re = /<parameter=([^>\s]+)>\n?([\s\S]*?)\n?<\/parameter>/g;
  for (let m = re.exec(fn[2]!); m; m = re.exec(fn[2]!)) {
    const raw = m[2]!;
    // Values are written bare; numbers, booleans and JSON objects come back as what they were.
    const parsed = /^\s*(?:[{[]|-?\d|true\b|false\b|null\b)/.test(raw) ? parseJson(raw) : undefined;
    args[m[1]!] = parsed === undefined ? raw : parsed;
  }
  return [{ name: fn[1]!, arguments: JSON.stringify(args) }];
}

/**
 * After `[TOOL_CALLS]`: a JSON array (or object) of calls, or the v11+ form `name[ARGS]{…}`
 * (with an optional `[CALL_ID]id` before `[ARGS]`, and `[ARGS]` itself missing where the server
 * strips special tokens).
 */
function readMistral(s: string, final: boolean): 'wait' | 'invalid' | { calls: TextToolCall[]; end: number } {
  const start = s.length - s.trimStart().length;
  if (start === s.length) return final ? 'invalid' : 'wait';
  if (s[start] === '[' || s[start] === '{') {
    const end = jsonEnd(s, start);
    if (end < 0) return final ? 'invalid' : 'wait';
    const calls = toCalls(parseJson(s.slice(start, end)));
    return calls ? { calls, end } : 'invalid';
  }
  const brace = s.indexOf('{', start);
  // Prose after a quoted `[TOOL_CALLS]` is answer text: give it back at once rather than at the end.
  if (!/^[A-Za-z0-9_.:-]+(?:\s*\[[A-Z_]*\]?\s*[A-Za-z0-9_-]*)*\s*$/.test(s.slice(start, brace < 0 ? undefined : brace))) return 'invalid';
  if (brace < 0) return final ? 'invalid' : 'wait';
  const head = /^([A-Za-z0-9_.:-]+)\s*(?:\[CALL_ID\]\s*[A-Za-z0-9_-]*\s*)?(?:\[ARGS\])?\s*$/.exec(s.slice(start, brace));
  if (!head) return 'invalid';
  const end = jsonEnd(s, brace);
  if (end < 0) return final ? 'invalid' : 'wait';
  const args = s.slice(brace, end);
  if (parseJson(args) === undefined) return 'invalid';
  return { calls: [{ name: head[1]!, arguments: args }], end };
}
