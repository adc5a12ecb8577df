// What ARC learned about a model's capabilities (a parameter rejected with a 400, `<think>` seen in
// its output), kept in the Store so that the next run — or the next CLI invocation — starts from it.
import { z } from 'zod';
import { mutateStored, type Store } from '../store/store';
import { THINKING_OFF_ORDER, type ThinkingOffControl } from './thinkingOff';
import type { ModelCapabilities } from './types';

export const CAPABILITIES_KEY = 'model-capabilities';
const MAX_MODELS = 500;

const learnedSchema = z
  .object({
    tools: z.boolean(),
    reasoningEffort: z.boolean(),
    thinkTags: z.boolean(),
    maxTokensParam: z.enum(['max_completion_tokens', 'max_tokens']),
    maxTokens: z.boolean(),
    streamUsage: z.boolean(),
    temperature: z.boolean(),
    /** A thinking-budget parameter the server rejected: not sent again even if configured. */
    thinkingBudgetRejected: z.boolean(),
    /** Which thinking-off control worked, which were ignored or rejected (DESIGN §4). */
    thinkingOffMemory: z.object({
      working: z.enum(THINKING_OFF_ORDER as unknown as [ThinkingOffControl, ...ThinkingOffControl[]]).optional(),
      ineffective: z.array(z.enum(THINKING_OFF_ORDER as unknown as [ThinkingOffControl, ...ThinkingOffControl[]])),
      rejected: z.array(z.enum(THINKING_OFF_ORDER as unknown as [ThinkingOffControl, ...ThinkingOffControl[]])),
    }),
  })
  .partial();
const stateSchema = z.record(z.string(), learnedSchema);
export type LearnedCapabilities = z.infer<typeof learnedSchema>;

export class CapabilityMemory {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private state: Record<string, LearnedCapabilities>,
    private readonly store: Store | undefined,
  ) {}

  static async load(store: Store | undefined): Promise<CapabilityMemory> {
    return new CapabilityMemory((store && (await store.get(CAPABILITIES_KEY, stateSchema))) ?? {}, store);
  }

  get(modelId: string): LearnedCapabilities | undefined {
    return this.state[modelId];
  }

  /** Remembers what differs from what was configured; the write happens in the background. */
  remember(modelId: string, caps: Readonly<ModelCapabilities>, thinkingBudgetRejected: boolean): void {
    const learned: LearnedCapabilities = {
      tools: caps.tools,
      reasoningEffort: caps.reasoningEffort,
      thinkTags: caps.thinkTags,
      maxTokensParam: caps.maxTokensParam,
      maxTokens: caps.maxTokens,
      streamUsage: caps.streamUsage,
      temperature: caps.temperature,
      ...(thinkingBudgetRejected ? { thinkingBudgetRejected } : {}),
      ...(caps.thinkingOffMemory ? { thinkingOffMemory: caps.thinkingOffMemory } : {}),
    };
    const apply = (state: Record<string, LearnedCapabilities>) => {
      state[modelId] = learned;
      const keys = Object.keys(state);
      if (keys.length > MAX_MODELS) delete state[keys[0]!];
    };
    // In memory at once (the next call uses it); on disk in the background, under the store's lock.
    apply(this.state);
    this.writes = this.writes
      .then(() => mutateStored(this.store, CAPABILITIES_KEY, stateSchema, {}, () => ({}), apply))
      .then((fresh) => {
        this.state = { ...fresh, ...this.state, [modelId]: learned };
      })
      .catch(() => undefined);
  }
}
