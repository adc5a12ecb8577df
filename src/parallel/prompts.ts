// The words spawned threads see (DESIGN §6.3): a short system prompt, their goal and context, nothing else.
import type { ChatMessage } from '../core/model/types';
import type { SpawnRequest } from './spawnProtocol';

const CHILD_SYSTEM =
  'You are one of several parallel threads working on parts of a larger problem. Solve only the goal ' +
  'you are given, from the context you are given. End with a short, self-contained answer: it is ' +
  'all that is passed back.';

export function childMessages(req: SpawnRequest): ChatMessage[] {
  const context = req.context ? `\n\nContext:\n${req.context}` : '';
  return [
    { role: 'system', content: CHILD_SYSTEM },
    { role: 'user', content: `${req.goal}${context}` },
  ];
}
