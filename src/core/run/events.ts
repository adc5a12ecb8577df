// RunEvents (DESIGN §6.2): the one stream every view consumes. Shared by the extension, the webview
// and the CLI. Add new types by adding; a consumer shows a type it does not know generically.
import { z } from 'zod';

/** The modes (DESIGN §3.1), in order of cost: the one list every part of ARC uses. */
export const MODES = ['instant', 'reasoning', 'agentic'] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;
/** What a person or a setting may ask for: a mode, or `auto` (the router decides). */
export const REQUESTED_MODES = ['auto', ...MODES] as const;
export const requestedModeSchema = z.enum(REQUESTED_MODES);
export type RequestedMode = z.infer<typeof requestedModeSchema>;
export const intentSchema = z.enum(['answer', 'edit']);
export type Intent = z.infer<typeof intentSchema>;

export const usageSchema = z.object({
  prompt: z.number().nonnegative(),
  completion: z.number().nonnegative(),
  reasoning: z.number().nonnegative(),
});

export const threadStatusSchema = z.enum(['done', 'failed', 'cancelled', 'over_budget']);
export type ThreadStatus = z.infer<typeof threadStatusSchema>;

/**
 * What a run spent, and what running threads side by side bought (DESIGN §3.4 accounting): the one
 * schema for `run.finished.stats`, parallel/accounting and the stats ledger.
 */
export const runStatsSchema = z.object({
  threads: z.number(),
  totalTokens: z.number(),
  /** Tokens on the critical path: what one thread after another would have had to wait for. */
  criticalPathTokens: z.number(),
  wallMs: z.number(),
  /** Summed elapsed time of every thread. */
  threadMs: z.number(),
  /** threadMs / wallMs: 1 when nothing ran side by side. */
  speedup: z.number(),
});
export type RunStats = z.infer<typeof runStatsSchema>;

const probabilities = z.object({ instant: z.number(), reasoning: z.number(), agentic: z.number() });
/** Payloads whose fields later issues define; until then any object is accepted. */
const open = z.record(z.string(), z.unknown());

export const eventDataSchemas = {
  'run.started': z.object({
    query: z.string(),
    requestedMode: requestedModeSchema,
    source: z.enum(['palette', 'inline', 'sidebar', 'chat', 'cli']).optional(),
  }),
  'run.routed': z.object({
    mode: modeSchema,
    intent: intentSchema,
    confidence: z.number().min(0).max(1),
    probabilities,
    reason: z.string(),
  }),
  'run.budget': z
    .object({
      effort: z.number(),
      /**
       * The natural reasoning tokens the budget is r × of: the per-query prediction when there is one
       * (then also in `prediction`, with the bucket's estimate in `prior`), else the bucket's estimate.
       */
      estimate: z.number(),
      reasoning: z.number(),
      answer: z.number(),
      total: z.number(),
      enforcement: z.enum(['native', 'effort_level', 'forcing', 'instruction', 'none']),
      level: z.string().optional(),
      bucket: z.string(),
      prediction: z.number().optional(),
      prior: z.number().optional(),
    })
    .loose(),
  'plan.created': z.object({
    steps: z.array(
      z.object({
        difficulty: z.number(),
        system: z.union([z.literal(1), z.literal(2)]),
        budget: z.number().nullable(),
        dependsOn: z.array(z.number()),
      }).loose(),
    ),
  }).loose(),
  'thread.started': z.object({
    goal: z.string(),
    role: z.string(),
    mode: modeSchema,
    budget: z.number().nullable(),
    model: z.string().optional(),
  }),
  'thread.delta': z.object({ text: z.string().optional(), reasoning: z.string().optional() }),
  'thread.progress': z.object({ tokens: z.number().nonnegative() }),
  /** Something the user should know that does not end the thread (a dropped parameter, skipped chunks). */
  'thread.notice': z.object({ code: z.string(), message: z.string() }),
  'tool.called': open,
  'tool.result': open,
  'approval.requested': open,
  'approval.resolved': open,
  'thread.finished': z.object({
    status: threadStatusSchema,
    answer: z.string(),
    usage: usageSchema,
    error: z.string().optional(),
  }),
  usage: z.object({ model: z.string(), usage: usageSchema, cost: z.number().nullable() }),
  'run.finished': z.object({
    answer: z.string(),
    partial: z.literal(false),
    usage: usageSchema,
    cost: z.number().nullable(),
    /** Added to §6.2: what running threads side by side bought (§3.4 accounting). */
    stats: runStatsSchema.optional(),
  }),
  'run.failed': z.object({
    error: z.string(),
    kind: z.string().optional(),
    answer: z.string().optional(),
    partial: z.literal(true),
  }),
  'run.cancelled': z.object({ answer: z.string().optional(), partial: z.literal(true) }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;
export const TERMINAL_TYPES = ['run.finished', 'run.failed', 'run.cancelled'] as const;

const envelopeSchema = z.object({
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  t: z.number(),
  runId: z.string().min(1),
  threadId: z.string().min(1),
  parentId: z.string().min(1).optional(),
  type: z.string().min(1),
  data: z.unknown(),
});

export type RunEventOf<T extends EventType> = Omit<z.infer<typeof envelopeSchema>, 'type' | 'data'> & { type: T; data: EventData<T> };
export type KnownRunEvent = { [T in EventType]: RunEventOf<T> }[EventType];
/** An event of a type this build does not know: kept and shown generically, never rejected. */
export type UnknownRunEvent = z.infer<typeof envelopeSchema> & { known: false };
export type RunEvent = KnownRunEvent;

export type ParsedEvent = { ok: true; event: KnownRunEvent | UnknownRunEvent } | { ok: false; error: string };

export function isKnownType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventDataSchemas, type);
}

/** Validates an event from outside (a webview, a CLI's stdout, history on disk). */
export function parseRunEvent(input: unknown): ParsedEvent {
  const env = envelopeSchema.safeParse(input);
  if (!env.success) return { ok: false, error: z.prettifyError(env.error) };
  const { type } = env.data;
  if (!isKnownType(type)) return { ok: true, event: { ...env.data, known: false } };
  const data = eventDataSchemas[type].safeParse(env.data.data);
  if (!data.success) return { ok: false, error: `${type}: ${z.prettifyError(data.error)}` };
  return { ok: true, event: { ...env.data, type, data: data.data } as KnownRunEvent };
}

export function isTerminal(e: { type: string }): boolean {
  return (TERMINAL_TYPES as readonly string[]).includes(e.type);
}
