// Optional A²FM-style self-routing (arc.router.selfRoute, off by default): when the local router is
// unsure, one short classification call asks the instant model which mode the request needs. Any
// failure — an error, a timeout, output that is not one of the three modes — keeps the local decision.
import type { ChatModel, Usage } from '../core/model/types';
import { modeSchema, type Mode } from '../core/run/events';
import type { RunRequest } from '../core/run/request';
import type { RouteDecision, Router } from '../core/run/seams';
import { linkedAbort } from '../core/abort';

export const SELF_ROUTE_THRESHOLD = 0.6;
export const SELF_ROUTE_TIMEOUT_MS = 4000;
const MAX_OUTPUT_TOKENS = 64;
const MAX_QUERY_CHARS = 4000;

const CLASSIFY_SYSTEM =
  'Classify a request to a coding assistant into exactly one mode. ' +
  'instant: answerable in one pass from the request and any code it includes. ' +
  'reasoning: needs careful multi-step deduction, but everything needed is given. ' +
  'agentic: must look at or change files, run commands or search the project beyond what is given. ' +
  'Reply with only <classification>MODE</classification>, where MODE is instant, reasoning or agentic.';

const classificationSchema = modeSchema;
const TAG = /<classification>\s*([a-z]+)\s*<\/classification>/i;

/** The mode the model named, or an Error saying why its answer cannot be used. */
export function parseClassification(text: string): Mode | Error {
  const m = TAG.exec(text);
  if (!m) return new Error('no <classification> tag in the answer');
  const parsed = classificationSchema.safeParse(m[1]!.toLowerCase());
  return parsed.success ? parsed.data : new Error(`"${m[1]}" is not a mode`);
}

export interface SelfRouteOptions {
  enabled: () => boolean;
  model: () => ChatModel;
  /** Modes the decision may land on (enabled modes, agentic only with tool calling). */
  allowed: () => readonly Mode[];
  threshold?: number;
  timeoutMs?: number;
}

export class SelfRoutingRouter implements Router {
  constructor(
    private readonly inner: Router,
    private readonly options: SelfRouteOptions,
  ) {}

  async route(request: RunRequest, signal?: AbortSignal, spent?: (model: string, usage: Usage) => void): Promise<RouteDecision> {
    const local = await this.inner.route(request, signal);
    const threshold = this.options.threshold ?? SELF_ROUTE_THRESHOLD;
    if (!this.options.enabled() || (request.mode && request.mode !== 'auto') || local.confidence >= threshold) return local;
    const started = Date.now();
    const mode = await classify(this.options.model, request.query, this.options.timeoutMs ?? SELF_ROUTE_TIMEOUT_MS, signal, spent).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    const unsure = `Unsure (confidence ${local.confidence.toFixed(2)})`;
    if (mode instanceof Error) return { ...local, reason: `${local.reason} ${unsure}; self-routing failed (${mode.message}), so the local decision stands.` };
    if (!this.options.allowed().includes(mode)) return { ...local, reason: `${local.reason} ${unsure}; the model suggested ${mode}, which is not allowed here.` };
    const ms = Date.now() - started;
    return { ...local, mode, reason: `${local.reason} ${unsure}, so the model classified the request itself: ${mode} (${ms} ms).` };
  }

  observe(request: RunRequest, decision: RouteDecision): Promise<void> {
    return this.inner.observe?.(request, decision) ?? Promise.resolve();
  }

  recordCost(request: RunRequest, decision: RouteDecision, servedMode: Mode, usage: Usage, modelId: string): Promise<void> {
    return this.inner.recordCost?.(request, decision, servedMode, usage, modelId) ?? Promise.resolve();
  }
}

async function classify(model: () => ChatModel, query: string, timeoutMs: number, runSignal?: AbortSignal, spent?: (model: string, usage: Usage) => void): Promise<Mode> {
  // The run's cancellation ends the classification at once, as the timeout does.
  const link = linkedAbort([runSignal], timeoutMs);
  const signal = link.signal;
  let text = '';
  const call = (async () => {
    const m = model();
    for await (const part of m.stream(
      {
        messages: [
          { role: 'system', content: CLASSIFY_SYSTEM },
          { role: 'user', content: query.slice(0, MAX_QUERY_CHARS) },
        ],
        maxOutputTokens: MAX_OUTPUT_TOKENS,
        temperature: 0,
        // A classification needs no thinking (DESIGN §4): the provider turns it off the way the model honours.
        thinking: 'off',
      },
      signal,
    )) {
      if (part.type === 'text') text += part.text;
      if (part.type === 'usage') spent?.(m.id, part.usage);
      // A classification is a few tokens: more than that is not following the instruction.
      if (text.length > MAX_OUTPUT_TOKENS * 8) break;
    }
  })();
  // The stream may ignore the signal while it waits on a slow server: the timeout wins regardless.
  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => reject(new Error('cancelled'));
    runSignal?.addEventListener('abort', onAbort, { once: true });
    void call
      .finally(() => {
        clearTimeout(t);
        runSignal?.removeEventListener('abort', onAbort);
        link.dispose();
      })
      .catch(() => undefined);
  });
  await Promise.race([call, timeout]);
  const mode = parseClassification(text);
  if (mode instanceof Error) throw mode;
  return mode;
}
