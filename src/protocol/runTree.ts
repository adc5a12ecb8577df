// The live run tree (DESIGN §6.2): one run's RunEvents reduced into what the sidebar shows — the
// router's decision, the budget, SCALE's plan, every thread (root, steps, spawned children) with its
// tool calls, tokens against its budget and status, the answer, the reasoning, usage and cost. Pure
// TypeScript: the extension keeps one per turn (for snapshots and history) and the webview keeps its
// own copy, fed by the same events. The reducer mutates in place and bumps version counters, so a
// renderer can redraw only what changed; an event kind it does not know is kept and shown generically.
import { parseRunEvent, type KnownRunEvent, type Mode, type UnknownRunEvent } from '../core/run/events';
import { visible } from '../core/text/visible';

export type NodeStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'over_budget';
export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled';

export interface ToolNode {
  callId: string;
  name: string;
  /** The arguments as one short line. */
  args: string;
  status: 'running' | 'ok' | 'error';
  ms?: number;
  result?: string;
  startedAt: number;
}

export interface StepInfo {
  index: number;
  title: string;
  system: 1 | 2;
  difficulty: number;
  budget: number | null;
  dependsOn: number[];
}

export interface ThreadNode {
  id: string;
  parentId?: string;
  goal: string;
  role: string;
  mode?: Mode;
  model?: string;
  budget: number | null;
  tokens: number;
  /** Notice codes this thread reported (budget_reached, reasoning_extended, param_dropped …), for explaining its tokens. */
  noticeCodes?: string[];
  /** Of `tokens`, how many were reasoning (the server's count, from thread.finished). */
  reasoningTokens?: number;
  status: NodeStatus;
  startedAt: number;
  endedAt?: number;
  /** The tail of what the thread wrote (bounded), for a look inside. */
  text: string;
  error?: string;
  step?: StepInfo;
  tools: ToolNode[];
  /** Bumped on every change to this node. */
  version: number;
}

export interface ApprovalEvent {
  id: string;
  kind: string;
  threadId: string;
  summary: string;
  approved?: boolean;
  reason?: string;
}

export interface GenericEvent {
  type: string;
  threadId: string;
  summary: string;
  t: number;
}

export interface RunView {
  runId?: string;
  query: string;
  status: RunStatus;
  startedAt?: number;
  endedAt?: number;
  routed?: { mode: Mode; intent: string; confidence: number; probabilities: Record<Mode, number>; reason: string };
  budget?: { effort: number; estimate: number; reasoning: number; answer: number; total: number; enforcement: string; policy?: string };
  plan?: { steps: StepInfo[]; tau?: number };
  threads: Map<string, ThreadNode>;
  /** Thread ids in the order they appeared. */
  order: string[];
  answer: string;
  reasoning: string;
  /** The answer is not the whole answer: the run failed or was cancelled. */
  partial: boolean;
  error?: string;
  usage: { prompt: number; completion: number; reasoning: number };
  /** Sum of per-call costs so far; null once a call had no price. */
  cost: number | null;
  /** The run's notices, each distinct one once with how often it came (runNotes.ts groups them). */
  notices: Array<{ code: string; message: string; count: number }>;
  approvals: ApprovalEvent[];
  other: GenericEvent[];
  stats?: { threads: number; speedup: number; wallMs: number };
  /** Events applied, and a counter bumped on any change (tree shape, answer, status). */
  events: number;
  version: number;
  /** Bumped when the answer or reasoning text changes. */
  textVersion: number;
  /** Bumped when threads are added or re-parented. */
  shapeVersion: number;
}

export const MAX_THREAD_TEXT = 2000;
export const MAX_ANSWER = 400_000;
const MAX_NOTICES = 30;
const MAX_OTHER = 50;
const MAX_TOOLS_PER_THREAD = 200;
const ROOT = 'root';

export function createRunView(query = ''): RunView {
  return {
    query,
    status: 'running',
    threads: new Map(),
    order: [],
    answer: '',
    reasoning: '',
    partial: false,
    usage: { prompt: 0, completion: 0, reasoning: 0 },
    cost: 0,
    notices: [],
    approvals: [],
    other: [],
    events: 0,
    version: 0,
    textVersion: 0,
    shapeVersion: 0,
  };
}

const oneLine = (s: string, n: number) => {
  // Control and invisible characters from the model or the workspace are shown, never hidden (DESIGN §5).
  const flat = visible(s.replace(/\s+/g, ' ').trim(), { oneLine: true });
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

function summarize(data: unknown, n = 160): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return oneLine(data, n);
  try {
    return oneLine(JSON.stringify(data), n);
  } catch {
    return '';
  }
}

function thread(view: RunView, id: string, t: number, parentId?: string): ThreadNode {
  let node = view.threads.get(id);
  if (!node) {
    node = { id, goal: '', role: '', budget: null, tokens: 0, status: 'running', startedAt: t, text: '', tools: [], version: 0, ...(parentId ? { parentId } : {}) };
    if (!parentId && id !== ROOT && id.includes('.')) node.parentId = id.slice(0, id.lastIndexOf('.'));
    view.threads.set(id, node);
    view.order.push(id);
    view.shapeVersion++;
  }
  return node;
}

/** The plan step a SCALE thread works on: by goal, else by its id's `.sN` suffix. */
function stepFor(view: RunView, id: string, goal: string): StepInfo | undefined {
  const steps = view.plan?.steps;
  if (!steps) return undefined;
  const byGoal = steps.find((s) => s.title === goal);
  if (byGoal) return byGoal;
  const m = /\.s(\d+)$/.exec(id);
  return m ? steps[Number(m[1]) - 1] : undefined;
}

const isFinal = (s: NodeStatus) => s !== 'running' && s !== 'pending';

/** Applies one parsed event. Unknown kinds are kept as generic lines. */
export function applyEvent(view: RunView, event: KnownRunEvent | UnknownRunEvent): void {
  view.events++;
  view.version++;
  view.runId ??= event.runId;
  const t = event.t;
  if ('known' in event) {
    if (view.other.length < MAX_OTHER) view.other.push({ type: event.type, threadId: event.threadId, summary: summarize(event.data), t });
    return;
  }
  switch (event.type) {
    case 'run.started':
      view.startedAt = t;
      if (!view.query) view.query = event.data.query;
      break;
    case 'run.routed':
      view.routed = { ...event.data };
      break;
    case 'run.budget': {
      const d = event.data as typeof event.data & { policy?: unknown };
      view.budget = { effort: d.effort, estimate: d.estimate, reasoning: d.reasoning, answer: d.answer, total: d.total, enforcement: d.enforcement, ...(typeof d.policy === 'string' ? { policy: d.policy } : {}) };
      break;
    }
    case 'plan.created': {
      const d = event.data as typeof event.data & { tau?: unknown };
      view.plan = {
        steps: d.steps.map((s, i) => {
          const raw = s as typeof s & { index?: unknown; title?: unknown; goal?: unknown };
          const title = typeof raw.title === 'string' ? raw.title : typeof raw.goal === 'string' ? raw.goal : `Step ${i + 1}`;
          return { index: typeof raw.index === 'number' ? raw.index : i, title, system: s.system, difficulty: s.difficulty, budget: s.budget, dependsOn: s.dependsOn };
        }),
        ...(typeof d.tau === 'number' ? { tau: d.tau } : {}),
      };
      for (const node of view.threads.values()) {
        const step = stepFor(view, node.id, node.goal);
        if (step && node.parentId) {
          node.step = step;
          node.version++;
        }
      }
      view.shapeVersion++;
      break;
    }
    case 'thread.started': {
      const node = thread(view, event.threadId, t, event.parentId);
      if (event.parentId && node.parentId !== event.parentId) {
        node.parentId = event.parentId;
        view.shapeVersion++;
      }
      node.goal = event.data.goal;
      node.role = event.data.role;
      node.mode = event.data.mode;
      node.budget = event.data.budget;
      if (event.data.model) node.model = event.data.model;
      node.status = 'running';
      node.startedAt = t;
      if (node.parentId) {
        const step = stepFor(view, node.id, node.goal);
        if (step) node.step = step;
      }
      node.version++;
      break;
    }
    case 'thread.delta': {
      const node = thread(view, event.threadId, t, event.parentId);
      if (event.data.text) {
        node.text = (node.text + event.data.text).slice(-MAX_THREAD_TEXT);
        if (event.threadId === ROOT && view.answer.length < MAX_ANSWER) {
          view.answer += event.data.text;
          view.textVersion++;
        }
      }
      if (event.data.reasoning && event.threadId === ROOT && view.reasoning.length < MAX_ANSWER) {
        view.reasoning += event.data.reasoning;
        view.textVersion++;
      }
      node.version++;
      break;
    }
    case 'thread.progress': {
      const node = thread(view, event.threadId, t, event.parentId);
      if (event.data.tokens !== node.tokens) {
        node.tokens = event.data.tokens;
        node.version++;
      }
      break;
    }
    case 'thread.notice': {
      // The same notice once per call (no usage, a dropped parameter) is one line with a count.
      const same = view.notices.find((n) => n.code === event.data.code && n.message === event.data.message);
      if (same) same.count++;
      else if (view.notices.length < MAX_NOTICES) view.notices.push({ code: event.data.code, message: event.data.message, count: 1 });
      const node = view.threads.get(event.threadId);
      if (node) {
        node.noticeCodes ??= [];
        if (!node.noticeCodes.includes(event.data.code) && node.noticeCodes.length < 16) node.noticeCodes.push(event.data.code);
      }
      break;
    }
    case 'tool.called': {
      const node = thread(view, event.threadId, t, event.parentId);
      const d = event.data;
      if (node.tools.length < MAX_TOOLS_PER_THREAD) {
        node.tools.push({ callId: String(d.callId ?? `call-${node.tools.length}`), name: visible(String(d.name ?? 'tool'), { oneLine: true, exact: true }), args: summarize(d.arguments, 120), status: 'running', startedAt: t });
      }
      node.version++;
      break;
    }
    case 'tool.result': {
      const node = thread(view, event.threadId, t, event.parentId);
      const d = event.data;
      const tool = node.tools.find((x) => x.callId === String(d.callId)) ?? node.tools.find((x) => x.status === 'running' && x.name === d.name);
      if (tool) {
        tool.status = d.ok === false ? 'error' : 'ok';
        if (typeof d.ms === 'number') tool.ms = d.ms;
        tool.result = summarize(d.content, 200);
      }
      node.version++;
      break;
    }
    case 'approval.requested': {
      const d = event.data;
      const what = typeof d.path === 'string' ? d.path : typeof d.command === 'string' ? d.command : summarize(d, 80);
      view.approvals.push({ id: String(d.id ?? `approval-${view.approvals.length + 1}`), kind: String(d.kind ?? 'approval'), threadId: event.threadId, summary: oneLine(what, 160) });
      break;
    }
    case 'approval.resolved': {
      const d = event.data;
      const a = [...view.approvals].reverse().find((x) => x.id === String(d.id) && x.approved === undefined);
      if (a) {
        a.approved = d.approved === true;
        if (typeof d.reason === 'string') a.reason = d.reason;
      }
      break;
    }
    case 'thread.finished': {
      const node = thread(view, event.threadId, t, event.parentId);
      node.status = event.data.status;
      node.endedAt = t;
      if (event.data.error) node.error = event.data.error;
      const used = event.data.usage.completion;
      if (used > node.tokens) node.tokens = used;
      if (event.data.usage.reasoning > 0) node.reasoningTokens = Math.min(event.data.usage.reasoning, node.tokens);
      if (!node.text && event.data.answer) node.text = event.data.answer.slice(-MAX_THREAD_TEXT);
      for (const tool of node.tools) if (tool.status === 'running') tool.status = 'error';
      node.version++;
      break;
    }
    case 'usage':
      view.usage.prompt += event.data.usage.prompt;
      view.usage.completion += event.data.usage.completion;
      view.usage.reasoning += event.data.usage.reasoning;
      if (event.data.cost === null) view.cost = null;
      else if (view.cost !== null) view.cost += event.data.cost;
      break;
    case 'run.finished':
      view.status = 'finished';
      view.endedAt = t;
      view.answer = event.data.answer;
      view.partial = false;
      view.usage = { ...event.data.usage };
      view.cost = event.data.cost;
      if (event.data.stats) view.stats = { threads: event.data.stats.threads, speedup: event.data.stats.speedup, wallMs: event.data.stats.wallMs };
      view.textVersion++;
      settle(view, t, 'done');
      break;
    case 'run.failed':
      view.status = 'failed';
      view.endedAt = t;
      view.error = event.data.error;
      if (event.data.answer !== undefined) view.answer = event.data.answer;
      view.partial = view.answer.length > 0;
      view.textVersion++;
      settle(view, t, 'failed');
      break;
    case 'run.cancelled':
      view.status = 'cancelled';
      view.endedAt = t;
      if (event.data.answer !== undefined) view.answer = event.data.answer;
      view.partial = view.answer.length > 0;
      view.textVersion++;
      settle(view, t, 'cancelled');
      break;
  }
}

/** At the run's end, threads still open take the run's outcome. */
function settle(view: RunView, t: number, status: NodeStatus): void {
  for (const node of view.threads.values()) {
    if (isFinal(node.status)) continue;
    node.status = status;
    node.endedAt = t;
    node.version++;
  }
}

/** Parses (zod, shared RunEvent schema) and applies raw events; returns how many were rejected. */
export function applyRaw(view: RunView, raw: readonly unknown[]): number {
  let rejected = 0;
  for (const r of raw) {
    const parsed = parseRunEvent(r);
    if (parsed.ok) applyEvent(view, parsed.event);
    else rejected++;
  }
  return rejected;
}

export interface TreeRow {
  node: ThreadNode;
  depth: number;
}

/** Threads in display order: each parent followed by its children, depth-first, in arrival order. */
export function treeRows(view: RunView): TreeRow[] {
  const children = new Map<string | undefined, string[]>();
  for (const id of view.order) {
    const node = view.threads.get(id)!;
    const parent = node.parentId && view.threads.has(node.parentId) ? node.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  }
  const rows: TreeRow[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const id of children.get(parent) ?? []) {
      rows.push({ node: view.threads.get(id)!, depth });
      if (depth < 16) walk(id, depth + 1);
    }
  };
  walk(undefined, 0);
  return rows;
}

/** Plan steps no thread has started yet (shown as pending rows under the root). */
export function pendingSteps(view: RunView): StepInfo[] {
  if (!view.plan) return [];
  const started = new Set<number>();
  for (const node of view.threads.values()) if (node.step) started.add(node.step.index);
  return view.plan.steps.filter((s) => !started.has(s.index));
}

/** Share of the budget used, in [0, 1]; undefined without a budget. */
export function budgetShare(node: Pick<ThreadNode, 'tokens' | 'budget'>): number | undefined {
  if (node.budget === null || node.budget <= 0) return undefined;
  return Math.min(1, node.tokens / node.budget);
}

/** The conversation turns as the model should see them again: the question and what was answered. */
export function historyMessages(turns: ReadonlyArray<{ query: string; answer: string }>, maxChars = 24_000): Array<{ role: 'user' | 'assistant'; content: string }> {
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    const answer = turn.answer.trim();
    // A turn without an answer (it failed before writing any) would leave two user turns in a row.
    if (!answer) continue;
    const size = turn.query.length + answer.length;
    if (used + size > maxChars && out.length > 0) break;
    used += size;
    out.unshift({ role: 'user', content: turn.query.slice(0, maxChars) }, { role: 'assistant', content: answer.slice(0, maxChars) });
  }
  return out;
}

/**
 * Why a thread's tokens are above its budget, in words for the tree (DESIGN §6.2, issue 16): the
 * budget counts reasoning and answer together, and a few cases legitimately pass it. Undefined while
 * the tokens are within the budget.
 */
export function overBudgetReason(node: Pick<ThreadNode, 'tokens' | 'budget' | 'noticeCodes'>): string | undefined {
  if (node.budget === null || node.budget <= 0 || node.tokens <= node.budget) return undefined;
  const codes = node.noticeCodes ?? [];
  if (codes.includes('reasoning_extended')) return 'over its budget: the reasoning was extended ("Wait,") because effort is above 1×';
  if (codes.includes('budget_reached')) return 'over its budget: the reasoning was stopped at its budget and the answer, asked for separately, has its own allowance (a model that reasons again in that call adds to the reasoning count)';
  if (codes.includes('param_dropped')) return 'over its budget: the server refused the output cap, so only the stream cut could hold it';
  return 'over its budget: the server did not stop at the output cap ARC sent (tokens are the server\'s count of reasoning and answer)';
}
