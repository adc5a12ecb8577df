// How a run tree's rows and a run's cost read in the sidebar (issue 22): a thread's whole goal (the
// row wraps; nothing is cut mid-word), its tokens said as what they count, and the cost as "unknown"
// from the first event of a model without a price instead of "$0" that later turns unknown. Pure: the
// webview and the tests share it.
import type { RunView, StepInfo, ThreadNode } from './runTree';

const int = (n: number) => {
  const r = Math.round(n);
  const s = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
};

export function stepLabel(s: StepInfo): string {
  return `Step ${s.index + 1} · System ${s.system} · difficulty ${s.difficulty.toFixed(2)}${s.budget !== null ? ` · budget ${int(s.budget)}` : ''}: ${s.title}`;
}

/** A spawned thread's goal without ARC's internal part markers, on one line. */
export function cleanGoal(goal: string): string {
  return goal.replace(/\s*\[part:[^\]]*\]/g, '').replace(/\s+/g, ' ').trim();
}

/** The row's label: the whole text (CSS wraps it to two lines; hover and focus show all of it). */
export function threadLabel(node: Pick<ThreadNode, 'parentId' | 'step' | 'goal' | 'model'>): string {
  if (!node.parentId) return `Answer${node.model ? ` · ${node.model}` : ''}`;
  if (node.step) return stepLabel(node.step);
  return `Thread: ${cleanGoal(node.goal)}`;
}

/**
 * The row's token count, saying what it counts: output tokens (reasoning and answer together) against
 * the thread's whole budget, and once the server reported it, how much of that was reasoning — so a
 * "reasoning cut at its budget of 1,000" note and "1,992 / 2,024 tokens" do not read as a contradiction.
 */
export function tokensText(node: Pick<ThreadNode, 'tokens' | 'budget' | 'reasoningTokens' | 'noticeCodes'>): string {
  const of = node.budget !== null && node.budget > 0 ? ` / ${int(node.budget)}` : '';
  // After a cut at the reasoning budget the answer is asked for in a second call, where a model may
  // reason again: the server's reasoning count then spans both calls, and says so.
  const twoCalls = node.noticeCodes?.includes('budget_reached') ? ' over both calls' : '';
  const split = node.reasoningTokens !== undefined && node.reasoningTokens > 0 ? ` (${int(node.reasoningTokens)} reasoning${twoCalls} + ${int(Math.max(0, node.tokens - node.reasoningTokens))} answer)` : '';
  return `${int(node.tokens)}${of} tokens${split}`;
}

/** The tooltip of the token count: what the numbers are, and the run's reasoning/answer split when known. */
export function tokensTitle(node: Pick<ThreadNode, 'parentId' | 'budget'>, budget: RunView['budget']): string {
  const base = 'Output tokens of this thread (reasoning and answer together) against its whole budget';
  if (!node.parentId && budget && node.budget === budget.total) return `${base}: ${int(budget.reasoning)} for reasoning + ${int(budget.answer)} for the answer.`;
  return `${base}.`;
}

export type CostState = { kind: 'none' } | { kind: 'known'; usd: number } | { kind: 'unknown'; model?: string };

/**
 * The run's cost as far as it is known. `unpriced` are the models (endpoint/model) with no price: a
 * thread on one of them makes the cost unknown as soon as it starts, before any usage arrives.
 */
export function costState(view: Pick<RunView, 'cost' | 'threads' | 'usage' | 'status'>, unpriced: readonly string[] = []): CostState {
  if (view.cost === null) return { kind: 'unknown' };
  for (const node of view.threads.values()) if (node.model && unpriced.includes(node.model)) return { kind: 'unknown', model: node.model };
  if (view.cost === 0 && view.status === 'running' && view.usage.prompt + view.usage.completion === 0) return { kind: 'none' };
  return { kind: 'known', usd: view.cost };
}
