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
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nonnegative().nullish() }).nullish(),
});

export const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        delta: z
          .object({
            content: z.string().nullish(),
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
});

export type Chunk = z.infer<typeof chunkSchema>;
export type ChunkUsage = z.infer<typeof usage>;
