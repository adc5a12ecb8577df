// What a run spent, and what running threads side by side bought (DESIGN §3.4 accounting): total
// tokens, the tokens on the critical path (what one thread after another would have had to wait
// for), wall time, and speedup = summed thread time / wall time.

import type { RunStats } from '../core/run/events';

export type { RunStats };

interface Node {
  parentId?: string;
  /** Children run in the same group (a spawn round, a SCALE wave) overlap in time. */
  group: number;
  tokens: number;
  start: number;
  end?: number;
  children: string[];
}

export class RunAccounting {
  private readonly nodes = new Map<string, Node>();
  private readonly begun: number;

  constructor(private readonly now: () => number = Date.now) {
    this.begun = now();
  }

  start(id: string, parentId?: string, group = 0): void {
    this.nodes.set(id, { parentId, group, tokens: 0, start: this.now(), children: [] });
    if (parentId) this.nodes.get(parentId)?.children.push(id);
  }

  addTokens(id: string, tokens: number): void {
    const node = this.nodes.get(id);
    if (node && Number.isFinite(tokens) && tokens > 0) node.tokens += tokens;
  }

  end(id: string): void {
    const node = this.nodes.get(id);
    if (node && node.end === undefined) node.end = this.now();
  }

  /** A thread's own tokens plus, per group of its children, the longest child chain in it. */
  critical(id: string): number {
    const node = this.nodes.get(id);
    if (!node) return 0;
    const perGroup = new Map<number, number>();
    for (const c of node.children) {
      const child = this.nodes.get(c)!;
      perGroup.set(child.group, Math.max(perGroup.get(child.group) ?? 0, this.critical(c)));
    }
    let sum = node.tokens;
    for (const v of perGroup.values()) sum += v;
    return sum;
  }

  summary(rootId: string): RunStats {
    const wallMs = Math.max(0, this.now() - this.begun);
    let totalTokens = 0;
    let threadMs = 0;
    for (const n of this.nodes.values()) {
      totalTokens += n.tokens;
      threadMs += Math.max(0, (n.end ?? this.now()) - n.start);
    }
    return {
      threads: this.nodes.size,
      totalTokens,
      criticalPathTokens: this.critical(rootId),
      wallMs,
      threadMs,
      speedup: wallMs > 0 ? round2(threadMs / wallMs) : 1,
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
