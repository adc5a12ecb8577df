// Stamps events with the envelope of DESIGN §6.2 (version, sequence, time, ids).
import type { EventData, EventType, KnownRunEvent } from './events';

export class RunEventEmitter {
  private seq = 0;

  constructor(
    readonly runId: string,
    private readonly sink: (event: KnownRunEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  emit<T extends EventType>(type: T, threadId: string, data: EventData<T>, parentId?: string): void {
    const event = {
      v: 1 as const,
      seq: this.seq++,
      t: this.now(),
      runId: this.runId,
      threadId,
      ...(parentId ? { parentId } : {}),
      type,
      data,
    } as KnownRunEvent;
    this.sink(event);
  }
}
