// What the effort slider means for the current model (DESIGN §3.2): r × the learned natural reasoning
// length of a reasoning query, as the engine would budget it. Shared by the webview (live, while the
// slider moves) and the tests.
import { computeBudget } from '../effort/budget';

export function formatEffort(r: number): string {
  return `${(Math.round(r * 10) / 10).toFixed(1)}×`;
}

export function reasoningTokensAt(estimate: number, effort: number): number {
  return computeBudget(estimate, effort).reasoning;
}

export function effortHint(estimate: number, effort: number, model?: string): string {
  const n = String(reasoningTokensAt(estimate, effort)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `≈ ${n} reasoning tokens for a reasoning query${model ? ` on ${model}` : ' (the default until a model is set)'}`;
}
