// Token usage as servers report it, normalised so that `completion` always includes reasoning
// (DESIGN §4): cost, budgets and the spend cap all read `completion`.
import type { ChunkUsage } from './chunkSchema';
import type { Usage } from './types';

/**
 * Two conventions exist. OpenAI and most servers count reasoning inside `completion_tokens`
 * (total = prompt + completion). xAI reports `completion_tokens` without it
 * (total = prompt + completion + reasoning), so reasoning would go missing from every cost. The
 * totals tell them apart; without a total, a reasoning count above the completion count can only
 * mean the exclusive convention.
 */
export function normalizeUsage(u: ChunkUsage): Usage {
  const prompt = u?.prompt_tokens ?? 0;
  let completion = u?.completion_tokens ?? 0;
  let reasoning = u?.completion_tokens_details?.reasoning_tokens ?? 0;
  const total = u?.total_tokens ?? undefined;
  if (reasoning > 0) {
    const exclusive =
      total !== undefined && total !== null
        ? total === prompt + completion + reasoning && total !== prompt + completion
        : reasoning > completion;
    if (exclusive) completion += reasoning;
  }
  // Some servers report a reasoning count a little above the completion count it is part of
  // (OpenRouter relaying MiniMax: 11 of 10); reasoning is a part of completion, never more.
  if (reasoning > completion) reasoning = completion;
  return { prompt, completion, reasoning };
}
