// The difficulty band of an estimate's bucket. It must not move when the router's probabilities
// move (learning shifts them), or one user's overrides would scatter a kind of query over buckets:
// so it comes from the request itself — how much there is to read and reason about.
import type { DifficultyBand } from './estimator';

export function difficultyBand(query: string, selection?: string): DifficultyBand {
  const words = query.trim() ? query.trim().split(/\s+/).length : 0;
  const lines = selection ? selection.split('\n').length : 0;
  const size = words + lines / 2;
  return size < 20 ? 'low' : size < 80 ? 'mid' : 'high';
}
