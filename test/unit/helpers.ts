// Shared helpers for unit tests.
import { ModelError } from '../../src/core/model/errors';
import type { StreamPart } from '../../src/core/model/types';

export interface Collected {
  parts: StreamPart[];
  text: string;
  reasoning: string;
  error?: ModelError;
}

/** Drains a model stream, keeping what arrived before an error (as callers must). */
export async function collect(stream: AsyncIterable<StreamPart>, onPart?: (p: StreamPart) => void): Promise<Collected> {
  const parts: StreamPart[] = [];
  let error: ModelError | undefined;
  try {
    for await (const p of stream) {
      parts.push(p);
      onPart?.(p);
    }
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    error = e;
  }
  const join = (t: 'text' | 'reasoning') =>
    parts.map((p) => (p.type === t ? p.text : '')).join('');
  return { parts, text: join('text'), reasoning: join('reasoning'), error };
}
