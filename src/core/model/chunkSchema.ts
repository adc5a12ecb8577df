// Streamed chunks are untrusted: read only the fields ARC uses, each validated, the rest ignored.
import { z } from 'zod';

const toolCallDelta = z.object({
  index: z.number().int().nonnegative().optional(),
  id: z.string().nullish(),
  function: z
    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
    .nullish(),
});

const usage = z.object({
  prompt_tokens: z.number().nonnegative().nullish(),
  completion_tokens: z.number().nonnegative().nullish(),
  // Needed to tell the two conventions apart: see usage.ts.
  total_tokens: z.number().nonnegative().nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nonnegative().nullish() }).nullish(),
});

export const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        delta: z
          .object({
            // A string (most servers) or an array of parts (Mistral / Magistral): see readContent.
            content: z.union([z.string(), z.array(z.unknown())]).nullish(),
            // vLLM renamed reasoning_content to reasoning; Ollama uses reasoning; DeepSeek and llama.cpp reasoning_content.
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z.array(toolCallDelta).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usage.nullish(),
  // Groq's older streams carried usage only here.
  x_groq: z.object({ usage: usage.nullish() }).nullish(),
});

export const usageSchema = usage;
export type Chunk = z.infer<typeof chunkSchema>;
export type ChunkUsage = z.infer<typeof usage>;

// Mistral's parts: `{type:"text", text}` is answer, `{type:"thinking", thinking:[{type:"text", text}]}`
// is reasoning (Magistral). Other part types (references, images) carry nothing ARC shows.
const textPart = z.object({ type: z.literal('text'), text: z.string() });
const thinkingPart = z.object({
  type: z.literal('thinking'),
  thinking: z.union([z.string(), z.array(z.object({ text: z.string().nullish() }))]),
});

export interface ReadContent {
  text: string;
  reasoning: string;
  /** Parts of a kind ARC cannot read, by type (for the message that names the format). */
  unreadable: string[];
}

export function readContent(content: string | unknown[]): ReadContent {
  if (typeof content === 'string') return { text: content, reasoning: '', unreadable: [] };
  const out: ReadContent = { text: '', reasoning: '', unreadable: [] };
  for (const part of content) {
    const t = textPart.safeParse(part);
    if (t.success) {
      out.text += t.data.text;
      continue;
    }
    const th = thinkingPart.safeParse(part);
    if (th.success) {
      const inner = th.data.thinking;
      out.reasoning += typeof inner === 'string' ? inner : inner.map((p) => p.text ?? '').join('');
      continue;
    }
    out.unreadable.push(partType(part));
  }
  return out;
}

function partType(part: unknown): string {
  const type = typeof part === 'object' && part !== null ? (part as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type.slice(0, 40) : typeof part;
}

/**
 * Names the shape of a chunk ARC could not read, for an error a person can act on: where in the
 * chunk it failed and what was there (never the content itself, which may be long or private).
 */
export function describeUnreadable(raw: unknown, issues?: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const content = (raw as { choices?: Array<{ delta?: { content?: unknown } }> } | undefined)?.choices?.[0]?.delta?.content;
  if (Array.isArray(content)) {
    const types = [...new Set(content.map(partType))];
    return `"delta.content" as an array of parts of type ${types.map((t) => `"${t}"`).join(', ') || '(none)'}`;
  }
  const issue = issues?.[0];
  if (issue) {
    const path = issue.path.map(String).join('.');
    return `a chunk whose "${path || '(root)'}" did not match (${issue.message.slice(0, 120)})`;
  }
  return 'chunks of an unknown shape';
}
