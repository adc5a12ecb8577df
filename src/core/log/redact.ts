// Secrets never reach logs, events or history (DESIGN §5): every line a logger writes passes here.

const BEARER = /(authorization["']?\s*[:=]\s*["']?bearer\s+)[^\s"',}]+/gi;
const KEY_LIKE = /\b(sk|pk|rk)-[A-Za-z0-9_-]{12,}\b/g;

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out.replace(BEARER, '$1***').replace(KEY_LIKE, '$1-***');
}
