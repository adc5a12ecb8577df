// A small seeded generator, so that generated tasks and benchmark runs can be repeated exactly.

/** mulberry32: tiny, fast and good enough for drawing puzzles and simulated outcomes. Only the low 32 bits of the seed matter. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
