// Text formatting the simulator benchmarks share for their notes' tables.

export const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
export const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
export const int = (x: number) => Math.round(x).toLocaleString('en-US');

/** A table indented under a note: the first `leftCols` columns left-aligned, the rest right-aligned. */
export function grid(header: string[], body: string[][], leftCols = 2): string {
  const all = [header, ...body];
  const width = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < leftCols ? cell.padEnd(width[c]!) : cell.padStart(width[c]!))).join('  ').trimEnd();
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].map((l) => `      ${l}`).join('\n');
}
