// Small helpers on conversations, shared by the engine and effort/.
import type { ChatMessage } from './types';

/** The conversation with `note` appended to its system prompt (or as one, when there is none). */
export function withSystemNote(messages: ChatMessage[], note: string): ChatMessage[] {
  const first = messages[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${note}` }, ...messages.slice(1)];
  return [{ role: 'system', content: note }, ...messages];
}
