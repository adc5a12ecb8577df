// Relative effort r (DESIGN §3.2): one range for the slider, the CLI, the router and the budgets.
export const MIN_EFFORT = 0.1;
export const MAX_EFFORT = 2;

export function clampEffort(r: number | undefined): number {
  if (r === undefined || !Number.isFinite(r)) return 1;
  return Math.min(MAX_EFFORT, Math.max(MIN_EFFORT, r));
}
