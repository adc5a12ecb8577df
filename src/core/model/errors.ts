// Errors a person can act on (DESIGN §5): each kind says what happened and what to do.
import type { Usage } from './types';

export type ModelErrorKind =
  | 'auth'
  | 'not_found'
  | 'rate_limited'
  | 'bad_request'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'stream_cut'
  | 'invalid_response'
  | 'cancelled';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    /** `usage`: what the failed call had cost when the server said so (an error chunk's usage). */
    readonly details: { status?: number; endpointId?: string; attempts?: number; cause?: unknown; usage?: Usage } = {},
  ) {
    super(message);
  }
}

export function isModelError(e: unknown): e is ModelError {
  return e instanceof ModelError;
}

export function cancelledError(): ModelError {
  return new ModelError('cancelled', 'The request was cancelled.');
}
