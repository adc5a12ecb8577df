// What a run reported on the side (DESIGN §6.2 `thread.notice`: no usage from the server, a parameter
// the server refused, reasoning cut at its budget, the thinking control used …) as one quiet line per
// run: a short summary and the notes behind it, grouped by kind. These are facts about how the run went,
// not part of the conversation, so the sidebar shows them folded (issue 22); errors that end a run are
// shown plainly elsewhere. Pure: the webview and the tests share it.

/** Plain words for the codes the engine and the provider send; an unknown code is shown as its name. */
const LABELS: Record<string, string> = {
  usage_missing: 'no usage reported',
  no_usage: 'no usage reported',
  usage_estimated: 'usage estimated',
  param_dropped: 'parameter dropped',
  budget_reached: 'reasoning cut at its budget',
  reasoning_extended: 'reasoning extended',
  thinking_control: 'thinking control',
  think_tags_detected: 'think tags read',
  malformed_chunk: 'malformed chunk skipped',
  endpoint_pushback: 'server pushed back',
  tool_calls_in_text: 'tool calls read from text',
  scale: 'solved step by step',
  scale_score_invalid: 'step score unreadable',
  mcp_server_failed: 'MCP server failed',
};

export interface NoteGroup {
  code: string;
  label: string;
  /** Notices of this kind, repeats included. */
  count: number;
  /** The distinct messages, each with how often it came. */
  messages: Array<{ text: string; count: number }>;
}

export interface RunNotes {
  /** Every notice, repeats included. */
  total: number;
  groups: NoteGroup[];
  /** One line: "Details: reasoning cut at its budget ×3 · no usage reported ×2". */
  summary: string;
  /** The whole list as plain text, for a tooltip. */
  tooltip: string;
}

export function noteLabel(code: string): string {
  return LABELS[code] ?? code.replace(/[_-]+/g, ' ').trim();
}

/** Groups notices by code in the order each code first came; empty input gives `total: 0`. */
export function runNotes(notices: ReadonlyArray<{ code: string; message: string; count?: number }>): RunNotes {
  const groups = new Map<string, NoteGroup>();
  let total = 0;
  for (const n of notices) {
    const count = Math.max(1, n.count ?? 1);
    total += count;
    let g = groups.get(n.code);
    if (!g) {
      g = { code: n.code, label: noteLabel(n.code), count: 0, messages: [] };
      groups.set(n.code, g);
    }
    g.count += count;
    const same = g.messages.find((m) => m.text === n.message);
    if (same) same.count += count;
    else g.messages.push({ text: n.message, count });
  }
  const list = [...groups.values()];
  const times = (c: number) => (c > 1 ? ` ×${c}` : '');
  const summary = list.length ? `Details: ${list.map((g) => `${g.label}${times(g.count)}`).join(' · ')}` : '';
  const tooltip = list.flatMap((g) => g.messages.map((m) => `${g.label}: ${m.text}${times(m.count)}`)).join('\n');
  return { total, groups: list, summary, tooltip };
}
