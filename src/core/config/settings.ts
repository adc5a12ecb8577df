// Settings (DESIGN §6.4) are external data: the extension and the CLI parse them here with zod,
// and a bad value becomes a message that names the setting, never a crash.
import { z } from 'zod';
import { DEFAULT_EFFORT, MAX_EFFORT, MIN_EFFORT } from './effortRange';
import { MODES, requestedModeSchema } from '../run/events';

export const endpointIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-"');

export const capabilityOverridesSchema = z
  .object({
    tools: z.boolean(),
    reasoningEffort: z.boolean(),
    thinkingBudgetParam: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/),
    prefill: z.boolean(),
    thinkTags: z.boolean(),
    maxTokensParam: z.enum(['max_completion_tokens', 'max_tokens']),
    /** Request-body fields that turn thinking off on this endpoint (DESIGN §4); tried before the built-in controls. */
    thinkingOff: z.record(z.string(), z.unknown()),
  })
  .partial();
// (maxTokens, streamUsage and temperature are learned from 400s, not configured.)

/** An http(s) URL without a user or password in it: keys belong in SecretStorage, not in settings. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/ })
  .refine((u) => {
    const parsed = new URL(u);
    return parsed.username === '' && parsed.password === '';
  }, 'must not contain a user name or password (store keys with "ARC: Set API Key")');

export const endpointSchema = z.object({
  id: endpointIdSchema,
  baseUrl: baseUrlSchema,
  headers: z.record(z.string(), z.string()).optional(),
  capabilities: capabilityOverridesSchema.optional(),
  /** Marks ARC's own simulator (`npm run demo`), so that every surface can say so. */
  simulated: z.boolean().optional(),
});
export type EndpointConfig = z.infer<typeof endpointSchema>;

export const endpointsSchema = z.array(endpointSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  for (const [i, e] of list.entries()) {
    if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate endpoint id "${e.id}"` });
    seen.add(e.id);
  }
});

/** A role per mode (DESIGN §4): `arc.models.instant|reasoning|agentic`. */
export const ROLES = MODES;
export type RoleName = (typeof ROLES)[number];

/** `endpointId/model`; the model part may itself contain slashes (OpenRouter names). */
export const roleRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/.+$/, 'expected "endpointId/model"')
  .transform((s) => ({ endpointId: s.slice(0, s.indexOf('/')), model: s.slice(s.indexOf('/') + 1) }));
export type RoleRef = z.output<typeof roleRefSchema>;

export const pricesSchema = z.record(
  z.string(),
  z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }),
);

export const timeoutSecondsSchema = z.number().int().min(5).max(3600);

export { requestedModeSchema };
export const enabledModesSchema = z.array(z.enum(ROLES)).min(1, 'enable at least one mode');

export interface ArcSettings {
  endpoints: EndpointConfig[];
  models: Partial<Record<RoleName, RoleRef>>;
  prices: z.infer<typeof pricesSchema>;
  requestTimeoutSeconds: number;
  /** `arc.mode`: auto lets the router decide. */
  mode: z.infer<typeof requestedModeSchema>;
  /** `arc.router.learning`. */
  routerLearning: boolean;
  /** `arc.router.enabledModes`. */
  enabledModes: RoleName[];
  /** `arc.router.selfRoute`: ask the instant model when the local router is unsure. */
  selfRoute: boolean;
  /** `arc.effort`: relative effort r ∈ [0.1, 2]. */
  effort: number;
  /** `arc.scale`: SCALE selective allocation in reasoning mode. */
  scale: 'auto' | 'on' | 'off';
  /** `arc.scale.system1`: SCALE's easy steps on the same model with thinking off, or on the instant role. */
  scaleSystem1: 'same-model' | 'instant-role';
  /** `arc.spawn`: reasoning may spawn parallel threads. */
  spawn: boolean;
  /** `arc.maxParallel`: threads in flight per endpoint (adapts down on 429s). */
  maxParallel: number;
  /** `arc.maxChildren`: threads per spawn. */
  maxChildren: number;
  /** `arc.maxDepth`: 1 lets only the answer's own thread spawn. */
  maxDepth: number;
  /** `arc.agent.*`: what agentic mode may do without asking. */
  agent: {
    allowedCommands: string[];
    /** The user's extra deny patterns; the built-in rules always apply besides these. */
    deniedCommands: string[];
    autoApproveEdits: boolean;
    /**
     * `arc.agent.editReview`: `editor` shows an agent's edit in the file as a pending change to keep or
     * undo hunk by hunk (nothing written until kept); `ask` asks before each edit, as a whole diff.
     */
    editReview: 'editor' | 'ask';
    /** `arc.agent.sandbox`: auto (sandbox where the OS can) | required (refuse without) | off. */
    sandbox: 'auto' | 'required' | 'off';
    /** `arc.agent.commandNetwork`: sandboxed commands keep the network. */
    commandNetwork: boolean;
  };
  /** `arc.spendCap`: USD per run before ARC asks to go on; 0 for none. */
  spendCap: number;
  /** `arc.mcp.*` (DESIGN §6.7): servers as configured (validated where they start) and read-only auto-approval. */
  mcp: { servers: Record<string, unknown>; autoApproveReadOnly: boolean };
  /** `arc.instructions.enabled`: AGENTS.md and its cousins go into the system prompt. */
  instructions: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

/** Regular expressions as strings; one that does not compile is a settings problem, not a silent no-op. */
const regexListSchema = z.array(
  z.string().refine((re) => {
    try {
      new RegExp(re);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression'),
);


/** Reads raw values (whatever the editor or a file holds) into settings plus the problems found. */
export function parseSettings(raw: {
  endpoints?: unknown;
  models?: Partial<Record<RoleName, unknown>>;
  prices?: unknown;
  requestTimeoutSeconds?: unknown;
  mode?: unknown;
  routerLearning?: unknown;
  enabledModes?: unknown;
  selfRoute?: unknown;
  effort?: unknown;
  scale?: unknown;
  scaleSystem1?: unknown;
  spawn?: unknown;
  maxParallel?: unknown;
  maxChildren?: unknown;
  maxDepth?: unknown;
  agentAllowedCommands?: unknown;
  agentDeniedCommands?: unknown;
  agentAutoApproveEdits?: unknown;
  agentEditReview?: unknown;
  agentSandbox?: unknown;
  agentCommandNetwork?: unknown;
  spendCap?: unknown;
  mcpServers?: unknown;
  mcpAutoApproveReadOnly?: unknown;
  instructionsEnabled?: unknown;
}): { settings: ArcSettings; problems: string[] } {
  const problems: string[] = [];
  const take = <S extends z.ZodType>(name: string, schema: S, value: unknown, fallback: z.output<S>): z.output<S> => {
    if (value === undefined || value === null || value === '') return fallback;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    problems.push(`Setting ${name} is invalid: ${z.prettifyError(r.error).replace(/\n/g, ' ')}`);
    return fallback;
  };
  const models: ArcSettings['models'] = {};
  for (const role of ROLES) {
    const ref = take(`arc.models.${role}`, roleRefSchema, raw.models?.[role], undefined as unknown as RoleRef);
    if (ref) models[role] = ref;
  }
  const settings: ArcSettings = {
    endpoints: take('arc.endpoints', endpointsSchema, raw.endpoints, []),
    models,
    prices: take('arc.prices', pricesSchema, raw.prices, {}),
    requestTimeoutSeconds: take('arc.requestTimeoutSeconds', timeoutSecondsSchema, raw.requestTimeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
    mode: take('arc.mode', requestedModeSchema, raw.mode, 'auto'),
    routerLearning: take('arc.router.learning', z.boolean(), raw.routerLearning, true),
    enabledModes: take('arc.router.enabledModes', enabledModesSchema, raw.enabledModes, [...ROLES]),
    selfRoute: take('arc.router.selfRoute', z.boolean(), raw.selfRoute, false),
    effort: take('arc.effort', z.number().min(MIN_EFFORT).max(MAX_EFFORT), raw.effort, DEFAULT_EFFORT),
    scale: take('arc.scale', z.enum(['auto', 'on', 'off']), raw.scale, 'auto'),
    scaleSystem1: take('arc.scale.system1', z.enum(['same-model', 'instant-role']), raw.scaleSystem1, 'same-model'),
    spawn: take('arc.spawn', z.boolean(), raw.spawn, true),
    maxParallel: take('arc.maxParallel', z.number().int().min(1).max(64), raw.maxParallel, 4),
    maxChildren: take('arc.maxChildren', z.number().int().min(1).max(64), raw.maxChildren, 8),
    maxDepth: take('arc.maxDepth', z.number().int().min(1).max(2), raw.maxDepth, 1),
    agent: {
      allowedCommands: take('arc.agent.allowedCommands', regexListSchema, raw.agentAllowedCommands, []),
      deniedCommands: take('arc.agent.deniedCommands', regexListSchema, raw.agentDeniedCommands, []),
      autoApproveEdits: take('arc.agent.autoApproveEdits', z.boolean(), raw.agentAutoApproveEdits, false),
      editReview: take('arc.agent.editReview', z.enum(['editor', 'ask']), raw.agentEditReview, 'editor'),
      sandbox: take('arc.agent.sandbox', z.enum(['auto', 'required', 'off']), raw.agentSandbox, 'auto'),
      commandNetwork: take('arc.agent.commandNetwork', z.boolean(), raw.agentCommandNetwork, false),
    },
    spendCap: take('arc.spendCap', z.number().min(0), raw.spendCap, 0),
    mcp: {
      servers: take('arc.mcp.servers', z.record(z.string(), z.unknown()), raw.mcpServers, {}),
      autoApproveReadOnly: take('arc.mcp.autoApproveReadOnly', z.boolean(), raw.mcpAutoApproveReadOnly, false),
    },
    instructions: take('arc.instructions.enabled', z.boolean(), raw.instructionsEnabled, true),
  };
  for (const role of ROLES) {
    const ref = settings.models[role];
    if (ref && ref.endpointId !== 'vscode-lm' && !settings.endpoints.some((e) => e.id === ref.endpointId)) {
      problems.push(`Setting arc.models.${role} names endpoint "${ref.endpointId}", which is not in arc.endpoints.`);
    }
  }
  return { settings, problems };
}
