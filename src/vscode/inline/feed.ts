// The inline runs' events for other views (the sidebar's run tree): every RunEvent of every inline run,
// with where it came from. A plain emitter (no `vscode`), so it exists at load without touching the API.
//
//   import { inlineRunFeed } from './inline/feed';
//   const sub = inlineRunFeed.subscribe((e) => tree.add(e.event));   // later: sub.dispose()
import type { Intent, KnownRunEvent } from '../../core/run/events';

export interface InlineRunNotice {
  /** The inline thread the run belongs to (one thread holds several runs: follow-ups). */
  threadId: string;
  /** The document, as a URI string. */
  uri: string;
  query: string;
  /** What the run does: known once it is routed (or when the request forced it). */
  intent?: Intent;
  event: KnownRunEvent;
}

export type InlineRunListener = (notice: InlineRunNotice) => void;

export class InlineRunFeed {
  private readonly listeners = new Set<InlineRunListener>();
  private readonly recent: InlineRunNotice[] = [];

  constructor(private readonly keep = 500) {}

  /** Listens from now on; `replay` first hands over the most recent events (a view opened mid-run). */
  subscribe(listener: InlineRunListener, opts: { replay?: boolean } = {}): { dispose(): void } {
    if (opts.replay) for (const n of this.recent) listener(n);
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  emit(notice: InlineRunNotice): void {
    this.recent.push(notice);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    for (const l of [...this.listeners]) {
      try {
        l(notice);
      } catch {
        // A view's bug must not stop the run or the other views.
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** The one feed of the session's inline runs. */
export const inlineRunFeed = new InlineRunFeed();
