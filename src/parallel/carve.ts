// Children's budgets are carved from what the parent has left (DESIGN §3.4), so a run never spends
// more than its budget however many threads it starts.

/** Below this a child cannot think and answer at all: it is reported over budget without a call. */
export const MIN_CHILD_BUDGET = 128;

export interface Carve {
  /** One budget per child, in order; 0 means "no budget left for this one". */
  budgets: number[];
  /** Kept back for the parent's own answer after the join. */
  reserved: number;
}

/**
 * Splits `remaining` output tokens: first the parent's answer reserve, then equal shares, each at
 * most `perChildCap`. The shares never sum to more than `remaining - reserved`.
 */
export function carveChildBudgets(remaining: number, children: number, parentReserve: number, perChildCap = Infinity): Carve {
  const left = Math.max(0, Math.floor(remaining));
  const reserved = Math.min(left, Math.max(0, Math.floor(parentReserve)));
  const pool = left - reserved;
  if (children <= 0) return { budgets: [], reserved };
  const share = Math.min(Math.floor(pool / children), Math.floor(perChildCap));
  if (share >= MIN_CHILD_BUDGET) return { budgets: Array.from({ length: children }, () => share), reserved };
  // Too little for everyone: the first children get a workable budget, the rest none.
  const fit = Math.floor(pool / MIN_CHILD_BUDGET);
  return { budgets: Array.from({ length: children }, (_, i) => (i < fit ? MIN_CHILD_BUDGET : 0)), reserved };
}
