// Token counts where a server reports none (llama.cpp and Ollama rarely report reasoning tokens):
// a real tokenizer, loaded on first use only. cl100k is not every model's vocabulary, but it counts
// within a few percent of most and far better than characters/4.
type Counter = (text: string) => number;
let counter: Counter | undefined;

export function countTokens(text: string): number {
  if (!text) return 0;
  if (!counter) {
    // Loaded lazily: the ranks are ~1 MB and most runs never need them.
    const tk = require('gpt-tokenizer/encoding/cl100k_base') as { countTokens: Counter };
    counter = tk.countTokens;
  }
  return counter(text);
}
