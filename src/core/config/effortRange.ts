// Relative effort r (DESIGN §3.2): the one owner of its range, default, step and display, shared by the
// slider (through protocol/), the CLI, the router, the budgets and package.json (a unit test checks
// `arc.effort`'s minimum, maximum and default against these). A value a person sets is clamped and
// defaulted once, where it enters (CLI arguments, the editor's run preparation, the webview message
// schema), into the required `RunRequest.effort`; everything downstream reads the request.
export const MIN_EFFORT = 0.1;
export const MAX_EFFORT = 2;
export const DEFAULT_EFFORT = 1;
/** The slider's step, and the precision effort is kept at. */
export const EFFORT_STEP = 0.1;

/** Clamps to [MIN_EFFORT, MAX_EFFORT]; a missing or non-finite value is the default. */
export function clampEffort(r: number | undefined): number {
  if (r === undefined || !Number.isFinite(r)) return DEFAULT_EFFORT;
  return Math.min(MAX_EFFORT, Math.max(MIN_EFFORT, r));
}

/** Clamped, then rounded to the slider's step (0.1). */
export function roundEffort(r: number | undefined): number {
  return Math.round(clampEffort(r) / EFFORT_STEP) / Math.round(1 / EFFORT_STEP);
}

/** "1.3×" (or "0.25×" for an inline `/effort 0.25`): how every surface shows an effort. */
export function formatEffort(r: number): string {
  const x = Math.round(r * 100) / 100;
  const tenth = Math.abs(x * 10 - Math.round(x * 10)) < 1e-9;
  return `${x.toFixed(tenth ? 1 : 2)}×`;
}

/** The slider's stops, MIN_EFFORT to MAX_EFFORT by EFFORT_STEP. */
export function effortStops(): number[] {
  const n = Math.round((MAX_EFFORT - MIN_EFFORT) / EFFORT_STEP);
  return Array.from({ length: n + 1 }, (_, i) => Math.round((MIN_EFFORT + i * EFFORT_STEP) * 10) / 10);
}

/** Index of the stop nearest `r` in effortStops(). */
export function effortStopIndex(r: number): number {
  return Math.round((clampEffort(r) - MIN_EFFORT) / EFFORT_STEP);
}
