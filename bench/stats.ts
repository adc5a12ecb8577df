// Order statistics for small samples. Medians and p90 rather than means: a single GC pause or a
// scheduler hiccup on a busy machine should not move the headline number.

/** The q-quantile by linear interpolation between closest ranks (R's type 7, numpy's default). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error('quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside [0, 1]`);
  const xs = [...samples].sort((a, b) => a - b);
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
export const p90 = (xs: readonly number[]): number => quantile(xs, 0.9);

/** Milliseconds since `start` (a performance.now() value). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Rounds for the JSON file: microsecond resolution is more than these timers deliver. */
export function round3(xs: readonly number[]): number[] {
  return xs.map((x) => Math.round(x * 1000) / 1000);
}
