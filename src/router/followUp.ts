// The intent of a request whose surface lets the router decide (inline chat, `task: 'auto'`): the
// routed intent, except that a short modifier in a conversation ("shorter", "more detail", "also
// handle null") continues whatever the conversation was doing. The engine applies it once, after
// routing, so `run.routed` carries the intent the run carries out.
import type { Intent } from '../core/run/events';
import type { RunRequest } from '../core/run/request';
import type { RouteDecision } from '../core/run/seams';

/**
 * Intent for a follow-up in a thread. The router reads one message; a short modifier continues what
 * the thread was doing, and a question after an edit is answered.
 */
export function followUpIntent(routed: Intent, previous: Intent | undefined, query: string): Intent {
  if (!previous || routed === previous) return routed;
  const words = query.trim().split(/\s+/).filter(Boolean).length;
  const question = /\?\s*$/.test(query) || /^(what|why|how|when|where|which|who|is|are|does|do|can|could|should|would)\b/i.test(query.trim());
  if (previous === 'edit' && question) return 'answer';
  return words <= 5 ? previous : routed;
}

/**
 * A request with its task settled: `task: 'auto'` takes the decision's intent (as a follow-up), and an
 * edit works on `context.editRegion`. Requests with a fixed task come back as they are.
 */
export function settleTask(request: RunRequest, decision: RouteDecision): { request: RunRequest; decision: RouteDecision } {
  if (request.task !== 'auto') return { request, decision };
  const intent = followUpIntent(decision.intent, request.previousIntent, request.query);
  const { editRegion, ...context } = request.context ?? {};
  const settled: RunRequest = { ...request, task: intent };
  if (request.context) settled.context = intent === 'edit' && editRegion ? { ...context, selection: editRegion } : context;
  return { request: settled, decision: intent === decision.intent ? decision : { ...decision, intent } };
}
