// Tool calls arrive as fragments keyed by index: the id and name once, the arguments in pieces.
import type { StreamPart, ToolCall } from './types';

interface Fragment {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

const MAX_CALLS = 128;

export class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCall>();

  push(f: Fragment): StreamPart | undefined {
    // Some servers omit the index when they send one call per chunk.
    const index = f.index ?? (f.id ? this.calls.size : Math.max(0, this.calls.size - 1));
    let call = this.calls.get(index);
    if (!call) {
      if (this.calls.size >= MAX_CALLS) return undefined;
      call = { id: '', name: '', arguments: '' };
      this.calls.set(index, call);
    }
    if (f.id) call.id = f.id;
    // OpenAI sends the name once; some servers (OpenRouter relaying Kimi K2, in simonw/llm's
    // recordings) repeat the whole name in a later fragment, which must not double it.
    if (f.function?.name && f.function.name !== call.name) call.name += f.function.name;
    const argumentsDelta = f.function?.arguments ?? '';
    call.arguments += argumentsDelta;
    return {
      type: 'tool_call_delta',
      index,
      ...(f.id ? { id: f.id } : {}),
      ...(f.function?.name ? { name: f.function.name } : {}),
      argumentsDelta,
    };
  }

  get size(): number {
    return this.calls.size;
  }

  assembled(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      // A call without arguments may stream `arguments: null` and nothing else: that is `{}`.
      .map(([i, c]) => ({ ...c, id: c.id || `call_${i}`, arguments: c.arguments.trim() === '' ? '{}' : c.arguments }));
  }
}
