// The engine's Router seam (src/engine/seams.ts) backed by the local model. Constructing it loads
// nothing; the weights are parsed on the first route().
import type { Router, RouteDecision } from '../core/run/seams';
import type { RunRequest } from '../core/run/request';
import { decide, type DecideOptions } from './decide';
import type { RouteContext } from './features';

/** Options fixed at construction, or read on every route (so settings changes apply at once). */
export type RouterOptionsSource = DecideOptions | (() => DecideOptions);

export class LocalRouter implements Router {
  constructor(private readonly options: RouterOptionsSource = {}) {}

  route(request: RunRequest): RouteDecision {
    const options = typeof this.options === 'function' ? this.options() : this.options;
    return decide(request.query, routeContextOf(request), options);
  }
}

/** What the router reads from a request: the selection's size and language, and the surface. */
export function routeContextOf(request: RunRequest): RouteContext {
  const ctx: RouteContext = {};
  const sel = request.context?.selection;
  if (sel) {
    const lines = countLines(sel.text);
    if (lines > 0) ctx.selectionLines = lines;
    if (sel.language) ctx.language = sel.language;
  }
  // The CLI is not one of the surfaces the router was trained on: its queries carry no source, so
  // that `arc route "q"` shows exactly what `arc ask "q"` will do.
  if (request.source && request.source !== 'cli') ctx.source = request.source;
  const diagnostics = request.context?.diagnostics;
  if (Array.isArray(diagnostics) && diagnostics.length > 0) ctx.diagnostics = diagnostics;
  return ctx;
}

/** Lines of a selection; a trailing newline does not start another line, blank text has none. */
export function countLines(text: string): number {
  if (!text.trim()) return 0;
  let n = 1;
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
