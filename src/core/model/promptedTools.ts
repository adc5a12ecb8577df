// Tools for a server that rejects `tools` (DESIGN §4): the tools are described in the system prompt
// in the Hermes form most open models were trained on (Qwen, Hermes, and what llama.cpp and Ollama
// templates render), the model answers with `<tool_call>` text that textToolCalls.ts reads back,
// and the conversation's earlier calls and results are written in the same tags, because a server
// that rejects `tools` may reject `tool` messages and `tool_calls` too.
import type { ChatMessage, ToolCall, ToolSpec } from './types';

export function toolsPrompt(tools: readonly ToolSpec[]): string {
  const specs = tools.map((t) => JSON.stringify({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  return [
    '# Tools',
    '',
    'You may call one or more functions to help with the request. Their signatures are within <tools></tools>:',
    '<tools>',
    ...specs,
    '</tools>',
    '',
    'To call a function, write a JSON object with its name and arguments within <tool_call></tool_call> tags, one block per call:',
    '<tool_call>',
    '{"name": "<function-name>", "arguments": {"<argument>": "<value>"}}',
    '</tool_call>',
    'Then stop: the results come back in <tool_response></tool_response> blocks. When you give the final answer, write no <tool_call>.',
  ].join('\n');
}

/** The request's messages with the tools in the system prompt and tool traffic written as text. */
export function promptedToolMessages(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): ChatMessage[] {
  const prompt = toolsPrompt(tools);
  const out: ChatMessage[] = [];
  const first = messages[0];
  if (first?.role === 'system') out.push({ role: 'system', content: `${first.content}\n\n${prompt}` });
  else out.push({ role: 'system', content: prompt });
  let results: { role: 'user'; content: string } | undefined;
  for (const m of first?.role === 'system' ? messages.slice(1) : messages) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const calls = m.toolCalls.map(callText).join('\n');
      out.push({ role: 'assistant', content: m.content ? `${m.content}\n${calls}` : calls });
    } else if (m.role === 'tool') {
      // Results of one turn's calls go together in one user turn: templates that insist on
      // alternating roles (Mistral's among them) reject two user turns in a row.
      const block = `<tool_response>\n${m.content}\n</tool_response>`;
      if (results) results.content += `\n${block}`;
      else out.push((results = { role: 'user', content: block }));
      continue;
    } else {
      out.push(m);
    }
    results = undefined;
  }
  return out;
}

function callText(c: ToolCall): string {
  let args: unknown = {};
  try {
    args = c.arguments.trim() === '' ? {} : JSON.parse(c.arguments);
  } catch {
    args = c.arguments; // as the model wrote it: the tool already told it what was wrong
  }
  return `<tool_call>\n${JSON.stringify({ name: c.name, arguments: args })}\n</tool_call>`;
}
