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
    if (f.function?.name) call.name += f.function.name;
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

  assembled(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
  }
}
