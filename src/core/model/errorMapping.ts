// Turns whatever the SDK or the network threw into a ModelError whose message says what to do.
import OpenAI from 'openai';
import { cancelledError, ModelError } from './errors';

export interface ErrorContext {
  endpointId: string;
  baseUrl: string;
  model?: string;
  timeoutSeconds: number;
  attempts?: number;
}

export function toModelError(e: unknown, ctx: ErrorContext, signal?: AbortSignal): ModelError {
  if (e instanceof ModelError) return e;
  if (signal?.aborted || e instanceof OpenAI.APIUserAbortError) return cancelledError();
  const where = `"${ctx.endpointId}" (${ctx.baseUrl})`;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  const details = { endpointId: ctx.endpointId, attempts: ctx.attempts, cause: e };
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError('timeout', `${where} did not answer within ${ctx.timeoutSeconds} s${tries} (arc.requestTimeoutSeconds).`, details);
  }
  if (e instanceof OpenAI.APIConnectionError) {
    const cause = describeCause(e.cause) ?? e.message;
    return new ModelError('connection', `Could not reach ${where}${tries}: ${cause}. Is the server running and the base URL right?`, details);
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status;
    const said = serverMessage(e);
    const d = { ...details, status };
    if (status === 401 || status === 403) {
      return new ModelError(
        'auth',
        `${where} rejected the API key (${status}${said}). Set the key for endpoint "${ctx.endpointId}" with "ARC: Set API Key" in VS Code; for the CLI export OPENAI_API_KEY or name another variable with --api-key-env.`,
        d,
      );
    }
    if (status === 404) {
      const what = ctx.model ? `Model "${ctx.model}" was not found at ${where}` : `${where} answered 404`;
      return new ModelError(
        'not_found',
        `${what}${said}. List the endpoint's models with "ARC: Test Connection" (or GET ${trimSlash(ctx.baseUrl)}/models) and check the model name and that the base URL ends where the API starts (often /v1).`,
        d,
      );
    }
    if (status === 429) {
      const wait = e.headers?.get?.('retry-after');
      return new ModelError(
        'rate_limited',
        `${where} is rate limiting requests (429)${tries}${wait ? `; it asks to wait ${wait} s` : ''}${said}. Wait a moment and try again.`,
        d,
      );
    }
    if (status !== undefined && status >= 500) {
      return new ModelError('server', `${where} had a server error (${status})${tries}${said}. Try again; if it persists, check the server's logs.`, d);
    }
    if (status === undefined) {
      // An error object sent inside the stream.
      return new ModelError('server', `${where} reported an error mid-stream${said}.`, d);
    }
    return new ModelError('bad_request', `${where} refused the request (${status})${said}.`, d);
  }
  if (e instanceof SyntaxError) {
    return new ModelError('invalid_response', `${where} sent a response that is not valid JSON.`, details);
  }
  const cause = describeCause(e);
  return new ModelError('connection', `The connection to ${where} failed${cause ? `: ${cause}` : ''}.`, details);
}

function serverMessage(e: InstanceType<typeof OpenAI.APIError>): string {
  const body = e.error as { message?: unknown } | undefined;
  const msg = typeof body?.message === 'string' ? body.message : undefined;
  return msg ? `: ${msg.slice(0, 300)}` : '';
}

function describeCause(e: unknown): string | undefined {
  let cur: unknown = e;
  const parts: string[] = [];
  for (let depth = 0; cur && depth < 4; depth++) {
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof err.code === 'string') return err.code;
    if (typeof err.message === 'string' && err.message) parts.push(err.message);
    cur = err.cause;
  }
  return parts.at(-1);
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
