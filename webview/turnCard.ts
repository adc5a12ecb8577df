// One conversation turn: the question, the router's decision (with one-click reruns), the live run
// tree, the reasoning (collapsed), the answer as sanitized Markdown, usage and cost, and thumbs.
// update() redraws only what changed since the last frame, using the reducer's version counters.
import { MODES, type SettingsView, type TurnSnapshot, type WebviewMessage } from '../src/protocol/messages';
import { budgetShare, overBudgetReason, pendingSteps, treeRows, type RunView, type StepInfo, type ThreadNode } from '../src/protocol/runTree';
import { runNotes } from '../src/protocol/runNotes';
import { costState, stepLabel, threadLabel, tokensText, tokensTitle } from '../src/protocol/threadDisplay';
import { el, fmtCost, fmtElapsed, fmtInt, setText } from './dom';
import { rovingTree, syncTabStop } from './treeKeys';
import { badge, button, progressRing } from './toolkit';

export interface CardActions {
  send(m: WebviewMessage): void;
  renderMarkdown(into: HTMLElement, text: string): void;
}

interface Row {
  el: HTMLElement;
  version: number;
  status: HTMLElement;
  label: HTMLElement;
  mode: HTMLElement;
  fill: HTMLElement;
  bar: HTMLElement;
  tokens: HTMLElement;
  elapsed: HTMLElement;
  cancel: HTMLElement;
  tools: HTMLElement;
  toolSig: string;
}

// Status glyphs are drawn by CSS (media/sidebar.css, from data-status): the text a screen reader gets
// is the word, and an item's visible text stays inside its accessible name.
const STATUS_LABEL: Record<string, string> = { pending: 'waiting', running: 'running', done: 'done', failed: 'failed', cancelled: 'cancelled', over_budget: 'over budget' };
/** While a run streams, the answer's Markdown is re-rendered at most this often. */
const MARKDOWN_MS = 120;

export class TurnCard {
  readonly el: HTMLElement;
  private readonly routed = el('div', { class: 'routed' });
  private readonly budgetLine = el('div', { class: 'budget hint' });
  private readonly treeSummary = el('summary', {}, 'Run tree');
  private readonly rowsEl = rovingTree(el('div', { class: 'rows', role: 'tree', 'aria-label': 'Run tree' }));
  private readonly tree = el('details', { class: 'tree', open: '' }, this.treeSummary, this.rowsEl);
  private readonly pendingEl = el('div', { class: 'pending-steps' });
  private readonly notices = el('div', { class: 'notices' });
  private readonly reasoningPre = el('pre', { class: 'reasoning-text' });
  private readonly reasoningSummary = el('summary', {}, 'Reasoning');
  private readonly reasoning = el('details', { class: 'reasoning' }, this.reasoningSummary, this.reasoningPre);
  private readonly partialNote = el('div', { class: 'partial-note', role: 'note', hidden: '' });
  private readonly answer = el('div', { class: 'answer markdown' });
  private readonly errorEl = el('div', { class: 'error', role: 'alert', hidden: '' });
  private readonly footer = el('div', { class: 'footer' });
  private readonly usageLine = el('span', { class: 'usage hint' });
  private readonly rating = el('span', { class: 'rating' });
  private readonly ring = progressRing('ARC is working');
  private readonly rows = new Map<string, Row>();
  private readonly seen = { version: -1, shape: -1, text: -1, rated: '', status: '', notices: '', routed: undefined as unknown, budget: undefined as unknown, plan: undefined as unknown, footer: '' };
  private lastMarkdown = 0;
  private view: RunView | undefined;
  private markdownDue = false;

  constructor(
    private snap: TurnSnapshot,
    private readonly actions: CardActions,
  ) {
    const q = el('div', { class: 'question' }, el('span', { class: 'who' }, 'You'), el('div', { class: 'query' }, snap.query));
    if (snap.mode) q.append(badge(snap.mode, 'asked-mode'));
    if (snap.attachments.length) {
      const chips = el('div', { class: 'attachments' });
      for (const a of snap.attachments) chips.append(el('span', { class: 'chip', title: `${fmtInt(a.chars)} characters` }, `# ${a.name}`));
      q.append(chips);
    }
    this.footer.append(this.usageLine, el('span', { class: 'spacer' }), this.rating);
    this.el = el(
      'article',
      { class: 'turn', 'data-turn': snap.id, 'data-status': 'running' },
      q,
      el('div', { class: 'run' }, this.ring, this.routed, this.budgetLine, this.tree, this.notices, this.reasoning, this.partialNote, this.answer, this.errorEl, this.footer),
    );
  }

  /** Redraws what changed; says whether work was put off to a later frame and whether the card grew. */
  update(view: RunView, snap: TurnSnapshot, now: number, settings: SettingsView | undefined): { deferred: boolean; grew: boolean } {
    let grew = false;
    this.snap = snap;
    this.view = view;
    const status = snap.error ? 'not-run' : view.status;
    const statusChanged = status !== this.seen.status;
    if (statusChanged) {
      this.seen.status = status;
      this.el.dataset.status = status;
      this.ring.hidden = status !== 'running';
    }
    if (snap.error) {
      this.errorEl.hidden = false;
      setText(this.errorEl, snap.error);
      this.tree.hidden = true;
      this.footer.hidden = true;
      return { deferred: false, grew: statusChanged };
    }
    if (view.version !== this.seen.version) {
      this.seen.version = view.version;
      // Each part is rebuilt only when its data changed: events arrive far more often than these do.
      if (view.routed !== this.seen.routed) {
        this.seen.routed = view.routed;
        this.renderRouted(view);
      }
      if (view.budget !== this.seen.budget || view.plan !== this.seen.plan) {
        this.seen.budget = view.budget;
        this.seen.plan = view.plan;
        this.renderBudget(view);
      }
      const footerKey = `${view.usage.prompt}|${view.usage.completion}|${view.cost}|${view.status}|${view.endedAt}|${settings?.spendCap}|${view.shapeVersion}|${settings?.unpriced?.join(',')}`;
      if (footerKey !== this.seen.footer) {
        this.seen.footer = footerKey;
        this.renderFooter(view, settings);
      }
      const noticeKey = `${view.notices.reduce((n, x) => n + x.count, 0)}|${view.approvals.map((a) => String(a.approved)).join(',')}|${view.other.length}`;
      if (noticeKey !== this.seen.notices) this.renderNotices(view, noticeKey);
      this.errorEl.hidden = !view.error;
      if (view.error) setText(this.errorEl, `Error: ${view.error}`);
    }
    if (snap.rated !== (this.seen.rated || undefined) || statusChanged) this.renderRating(view);
    if (view.shapeVersion !== this.seen.shape) {
      this.seen.shape = view.shapeVersion;
      this.reorder(view);
      grew = true;
    }
    let running = 0;
    for (const node of view.threads.values()) {
      const row = this.rows.get(node.id);
      if (!row) continue;
      if (row.version !== node.version) this.updateRow(row, node);
      if (node.status === 'running') {
        running++;
        setText(row.elapsed, fmtElapsed(now - node.startedAt));
      }
    }
    setText(this.treeSummary, `Run tree · ${view.order.length} thread${view.order.length === 1 ? '' : 's'}${running ? ` · ${running} running` : ''}${view.plan ? ` · SCALE ${view.plan.steps.length} steps` : ''}`);
    const text = this.renderText(view, now);
    return { deferred: text === 'deferred', grew: grew || text === 'rendered' || statusChanged };
  }

  private renderRouted(view: RunView): void {
    const r = view.routed;
    this.routed.textContent = '';
    if (!r) return;
    this.routed.append(
      el('span', { class: 'label' }, 'Mode '),
      badge(r.mode, `mode-${r.mode}`),
      el('span', { class: 'confidence', title: `instant ${pct(r.probabilities.instant)}, reasoning ${pct(r.probabilities.reasoning)}, agentic ${pct(r.probabilities.agentic)}` }, ` ${pct(r.confidence)} `),
      el('span', { class: 'reason' }, r.reason),
    );
    if (!this.snap.fromHistory) {
      const reruns = el('span', { class: 'reruns' }, 'Rerun as ');
      for (const m of MODES) {
        if (m === r.mode) continue;
        reruns.append(button(m, { className: `rerun rerun-${m}`, title: `Ask the same question again in ${m} mode`, onClick: () => this.actions.send({ type: 'rerun', turnId: this.snap.id, mode: m }) }));
      }
      this.routed.append(reruns);
    }
  }

  private renderBudget(view: RunView): void {
    const b = view.budget;
    if (!b) {
      setText(this.budgetLine, '');
      return;
    }
    const parts = [`Budget ${fmtInt(b.total)} tokens: ${fmtInt(b.reasoning)} reasoning + ${fmtInt(b.answer)} answer at ${b.effort.toFixed(1)}× (learned ${fmtInt(b.estimate)}; ${b.enforcement})`];
    if (view.plan) parts.push(`SCALE: ${view.plan.steps.filter((s) => s.system === 2).length} of ${view.plan.steps.length} steps think hard${view.plan.tau !== undefined ? ` (τ ${view.plan.tau.toFixed(2)})` : ''}`);
    setText(this.budgetLine, parts.join(' · '));
  }

  private renderNotices(view: RunView, key: string): void {
    this.seen.notices = key;
    this.notices.textContent = '';
    for (const a of view.approvals) {
      const state = a.approved === undefined ? 'waiting for you' : a.approved ? 'approved' : `denied${a.reason ? ` (${a.reason})` : ''}`;
      this.notices.append(el('div', { class: `notice approval-event ${a.approved === undefined ? 'waiting' : a.approved ? 'approved' : 'denied'}` }, `Approval · ${a.kind} ${a.summary}: ${state}`));
    }
    // How the run went (no usage reported, a parameter dropped, a budget cut, events this page does
    // not know): one folded line, never conversation text.
    const notes = runNotes(view.notices);
    if (notes.total || view.other.length) {
      const summary = [notes.summary, view.other.length ? `other events ×${view.other.length}` : ''].filter(Boolean).join(' · ');
      const d = el('details', { class: 'run-notes hint' }, el('summary', { title: notes.tooltip || summary }, notes.summary ? summary : `Details: ${summary}`));
      const list = el('ul', {});
      for (const g of notes.groups) for (const m of g.messages) list.append(el('li', {}, `${g.label}: ${m.text}${m.count > 1 ? ` (×${m.count})` : ''}`));
      for (const o of view.other) list.append(el('li', { class: 'generic' }, `${o.type} · ${o.threadId}${o.summary ? ` · ${o.summary}` : ''}`));
      d.append(list);
      this.notices.append(d);
    }
  }

  private renderFooter(view: RunView, settings: SettingsView | undefined): void {
    const u = view.usage;
    const parts: string[] = [];
    if (u.prompt + u.completion > 0) parts.push(`${fmtInt(u.prompt)} prompt + ${fmtInt(u.completion)} completion tokens${u.reasoning ? ` (${fmtInt(u.reasoning)} reasoning)` : ''}`);
    const cost = costState(view, settings?.unpriced);
    if (cost.kind === 'unknown') parts.push(`cost unknown (no price for ${cost.model ?? 'a model of this run'}: arc.prices)`);
    else if (cost.kind === 'known') parts.push(fmtCost(cost.usd));
    const cap = settings?.spendCap ?? 0;
    if (cap > 0 && view.routed?.mode === 'agentic' && view.cost !== null) parts.push(`${Math.round((view.cost / cap) * 100)}% of the ${fmtCost(cap)} spend cap`);
    if (view.stats && view.stats.threads > 1) parts.push(`${view.stats.threads} threads, ${view.stats.speedup.toFixed(1)}× faster than one after another`);
    if (view.endedAt && view.startedAt) parts.push(fmtElapsed(view.endedAt - view.startedAt));
    setText(this.usageLine, parts.join(' · '));
  }

  private renderRating(view: RunView): void {
    this.seen.rated = this.snap.rated ?? '';
    this.rating.textContent = '';
    if (this.snap.fromHistory || view.status !== 'finished') return;
    if (this.snap.rated) {
      this.rating.append(el('span', { class: 'rated hint' }, this.snap.rated === 'up' ? '✓ Rated helpful' : '✗ Rated not helpful'));
      return;
    }
    this.rating.append(
      button('✓ Helpful', { className: 'thumb-up', ariaLabel: 'Helpful', title: 'Helpful (teaches the router; counts as a success)', onClick: () => this.actions.send({ type: 'rate', turnId: this.snap.id, up: true }) }),
      button('✗ Not helpful', { className: 'thumb-down', ariaLabel: 'Not helpful', title: 'Not helpful (teaches the router)', onClick: () => this.actions.send({ type: 'rate', turnId: this.snap.id, up: false }) }),
    );
  }

  private reorder(view: RunView): void {
    const ordered = treeRows(view);
    for (const { node, depth } of ordered) {
      let row = this.rows.get(node.id);
      if (!row) {
        row = this.makeRow(node);
        this.rows.set(node.id, row);
      }
      row.el.setAttribute('aria-level', String(depth + 1));
      row.el.style.setProperty('--depth', String(depth));
      row.tools.style.setProperty('--depth', String(depth));
      this.rowsEl.append(row.el, row.tools);
    }
    this.pendingEl.textContent = '';
    const waiting = pendingSteps(view);
    for (const s of waiting) this.pendingEl.append(this.pendingRow(s));
    if (waiting.length) this.rowsEl.append(this.pendingEl);
    else this.pendingEl.remove();
    syncTabStop(this.rowsEl);
  }

  private pendingRow(s: StepInfo): HTMLElement {
    const r = el('div', { class: 'node', role: 'treeitem', 'aria-level': '2', 'data-status': 'pending', tabindex: '-1' });
    r.style.setProperty('--depth', '1');
    r.append(el('span', { class: 'status', title: 'waiting' }, el('span', { class: 'visually-hidden' }, 'waiting')), ' ', el('span', { class: 'label' }, `${stepLabel(s)} · waiting`));
    return r;
  }

  private makeRow(node: ThreadNode): Row {
    // The row is named by its own line, in reading order (axe: label-content-name-mismatch): status word, goal, time, mode, tokens.
    const id = `t-${this.snap.id}-${node.id}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const status = el('span', { class: 'status visually-hidden-text', id: `${id}-st` });
    const label = el('span', { class: 'label', id: `${id}-lb` });
    const mode = el('span', { class: 'mode', id: `${id}-md` });
    const fill = el('span', { class: 'fill' });
    const bar = el('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill);
    const tokens = el('span', { class: 'tokens', id: `${id}-tk` });
    const elapsed = el('span', { class: 'elapsed', id: `${id}-el` });
    const cancel = el('button', { class: 'mini cancel-node', title: 'Cancel this run (its threads stop with it)', 'aria-label': 'Cancel the run' });
    cancel.addEventListener('click', () => this.actions.send({ type: 'cancel', turnId: this.snap.id }));
    // The tool rows are the thread's children in the tree (aria-owns) but not inside its element, so
    // the thread's name is its own line only.
    const tools = el('div', { class: 'tools', role: 'group', id: `${id}-tools` });
    // Spaces between the parts (grid and flex drop them from layout) keep the words apart for a screen
    // reader's reading of the row and for its accessible name.
    const meta = el('span', { class: 'meta' }, mode, ' ', bar, ' ', tokens);
    const line = el('div', { class: 'line' }, status, ' ', label, ' ', elapsed, ' ', cancel, ' ', meta);
    const rowEl = el('div', { class: 'node', role: 'treeitem', 'data-thread': node.id, tabindex: '-1', 'aria-labelledby': `${id}-st ${id}-lb ${id}-el ${id}-md ${id}-tk`, 'aria-owns': `${id}-tools` }, line);
    return { el: rowEl, version: -1, status, label, mode, fill, bar, tokens, elapsed, cancel, tools, toolSig: '0:' };
  }

  private updateRow(row: Row, node: ThreadNode): void {
    row.version = node.version;
    row.el.dataset.status = node.status;
    setText(row.status, STATUS_LABEL[node.status] ?? node.status);
    row.status.title = STATUS_LABEL[node.status] ?? node.status;
    const label = threadLabel(node);
    setText(row.label, label);
    row.label.title = node.error ? `${label}\n\n${node.error}` : node.text ? `${label}\n\n…${node.text.slice(-300)}` : label;
    setText(row.mode, node.mode ?? '');
    const share = budgetShare(node);
    if (share === undefined) {
      row.bar.classList.add('unbounded');
      row.fill.style.transform = 'scaleX(1)';
      row.bar.removeAttribute('aria-valuenow');
      setText(row.tokens, tokensText(node));
      row.tokens.title = tokensTitle(node, this.view?.budget);
    } else {
      row.bar.classList.remove('unbounded');
      // A transform, not a width: the compositor moves it without a layout.
      row.fill.style.transform = `scaleX(${share.toFixed(3)})`;
      row.bar.setAttribute('aria-valuenow', String(Math.round(share * 100)));
      // Tokens are reasoning and answer together, against the thread's whole budget; above it, say why.
      const over = overBudgetReason(node);
      setText(row.tokens, `${tokensText(node)}${over ? ' ⚠' : ''}`);
      row.tokens.title = over ? `${tokensTitle(node, this.view?.budget)} — ${over}` : tokensTitle(node, this.view?.budget);
    }
    row.bar.setAttribute('aria-label', `${fmtInt(node.tokens)} tokens${node.budget ? ` of ${fmtInt(node.budget)}` : ''}`);
    if (node.endedAt) setText(row.elapsed, fmtElapsed(node.endedAt - node.startedAt));
    row.cancel.hidden = node.status !== 'running' || this.snap.fromHistory === true;
    const toolSig = `${node.tools.length}:${node.tools.map((t) => t.status[0]).join('')}`;
    if (toolSig !== row.toolSig) {
      row.toolSig = toolSig;
      row.tools.textContent = '';
      for (const t of node.tools.slice(-20)) {
        row.tools.append(
          el(
            'div',
            { class: `tool tool-${t.status}`, role: 'treeitem', tabindex: '-1', title: t.result ?? '' },
            el('span', { class: 'status' }, el('span', { class: 'visually-hidden' }, t.status === 'running' ? 'running' : t.status === 'ok' ? 'done' : 'failed')),
            ' ',
            el('span', { class: 'label' }, `${t.name}(${t.args})`),
            ' ',
            el('span', { class: 'elapsed' }, t.ms !== undefined ? `${t.ms} ms` : ''),
          ),
        );
      }
    }
  }

  private renderText(view: RunView, now: number): 'none' | 'deferred' | 'rendered' {
    if (view.textVersion === this.seen.text && !this.markdownDue) return 'none';
    const streaming = view.status === 'running';
    if (streaming && now - this.lastMarkdown < MARKDOWN_MS) {
      this.markdownDue = true;
      return 'deferred';
    }
    this.markdownDue = false;
    this.seen.text = view.textVersion;
    this.lastMarkdown = now;
    const text = view.answer || (streaming ? '' : view.status === 'finished' ? '_(empty answer)_' : '');
    this.actions.renderMarkdown(this.answer, text);
    this.answer.classList.toggle('streaming', streaming);
    this.reasoning.hidden = view.reasoning.length === 0;
    if (view.reasoning) {
      setText(this.reasoningSummary, `Reasoning (${fmtInt(view.reasoning.length)} characters)`);
      if (this.reasoning.open || !streaming) setText(this.reasoningPre, view.reasoning);
    }
    this.partialNote.hidden = !view.partial;
    if (view.partial) setText(this.partialNote, `Partial answer — the run ${view.status === 'cancelled' ? 'was cancelled' : 'failed'} before it finished.`);
    return 'rendered';
  }
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
