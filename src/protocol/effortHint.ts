// What the effort slider shows (DESIGN §3.2). The range, step and format come from core (the one
// owner of effort); the reasoning tokens per slider stop come from the host (effort/hint.ts), since
// the webview may not import effort/ (DESIGN §2). Shared by the webview and the tests.
import { effortStopIndex } from '../core/config/effortRange';

export { DEFAULT_EFFORT, EFFORT_STEP, MAX_EFFORT, MIN_EFFORT, formatEffort } from '../core/config/effortRange';

/** The reasoning tokens at effort `r`, from the host's per-stop table. */
export function tokensAtStop(tokens: readonly number[], r: number): number | undefined {
  return tokens[Math.min(tokens.length - 1, effortStopIndex(r))];
}

/**
 * Whether a settings message may set the slider (DESIGN §2: the slider moves at once, the host echoes
 * what it saved). `seq` is the last `setEffort` the host saved; `sent` the last the page sent;
 * `unsent` a move still waiting for its debounce. No time window: an older echo never wins.
 */
export function adoptSavedEffort(seq: number, sent: number, unsent: boolean): boolean {
  return !unsent && seq >= sent;
}

/** `draft`: the tokens are predicted for the question in the box. */
export function effortHint(reasoningTokens: number, model?: string, draft = false): string {
  const n = String(reasoningTokens).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `≈ ${n} reasoning tokens for ${draft ? 'this question' : 'a reasoning query'}${model ? ` on ${model}` : ' (the default until a model is set)'}`;
}
