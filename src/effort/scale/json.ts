// Tolerant reading of JSON that a model wrote: inside ```json fences, after prose, or bare. Model
// output is untrusted (DESIGN §5): this only finds a candidate object; zod decides whether it is one.

/** Longest reply scanned for JSON; a plan or a score is far shorter. */
export const MAX_JSON_SCAN = 100_000;
/** Candidate `{` positions tried before giving up (keeps a pathological reply linear enough). */
const MAX_CANDIDATES = 64;

/** Removes `<think>…</think>` blocks (and an unclosed trailing one) that some models put in the content. */
export function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/<think>[\s\S]*$/i, '').replace(/^[\s\S]*?<\/think>/i, '');
}

export type JsonExtraction = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The first JSON object in `text`: fenced blocks first (```json, then any ```), then the first
 * balanced `{…}` in the whole text that parses. Braces inside strings do not count.
 */
export function extractJsonObject(raw: string): JsonExtraction {
  const text = stripThinking(raw).slice(0, MAX_JSON_SCAN);
  if (text.trim() === '') return { ok: false, error: 'the reply was empty' };
  const fences = [...text.matchAll(/```[ \t]*([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g)];
  const ordered = [...fences.filter((m) => /^json/i.test(m[1] ?? '')), ...fences.filter((m) => !/^json/i.test(m[1] ?? ''))];
  for (const m of ordered) {
    const found = firstObject(m[2] ?? '');
    if (found.ok) return found;
  }
  const found = firstObject(text);
  if (found.ok) return found;
  return { ok: false, error: found.error };
}

/**
 * Only top-level brace groups are candidates: an object nested in a broken one is a part of it, and
 * taking it for the answer would hide what really went wrong (a cut-off or invalid outer object).
 */
function firstObject(text: string): JsonExtraction {
  let from = 0;
  let lastError = 'no JSON object (nothing between { and }) was found in the reply';
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const start = text.indexOf('{', from);
    if (start < 0) break;
    const end = balancedEnd(text, start);
    if (end < 0) {
      return { ok: false, error: 'the JSON object starting "' + text.slice(start, start + 40).replace(/\s+/g, ' ') + '…" is never closed (the reply may have been cut off)' };
    }
    const candidate = text.slice(start, end + 1);
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value };
    } catch (e) {
      lastError = `the JSON object is not valid JSON (${e instanceof Error ? e.message : String(e)})`;
    }
    from = end + 1;
  }
  return { ok: false, error: lastError };
}

/** Index of the `}` that closes the `{` at `start`, or -1. Strings and escapes are respected. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
