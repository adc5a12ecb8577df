// The sidebar's page (browser bundle dist/webview.js). It says `ready`, gets a full snapshot, then
// applies batches of RunEvents to its own copy of each turn's run tree (the shared reducer in
// src/protocol/runTree.ts) and redraws at most once per animation frame — only the rows, texts and
// numbers that changed. Every message from the extension is validated with zod before use; every
// message it sends is one the extension validates too.
import './zodSetup';
import { parseHostMessage, type CheckpointsView, type ReviewView, type ApprovalView, type AttachmentInfo, type HostMessage, type SessionUsage, type SettingsView, type Snapshot, type TurnSnapshot, type WebviewMessage } from '../src/protocol/messages';
import { applyRaw, createRunView, type RunView } from '../src/protocol/runTree';
import { DEFAULT_EFFORT, EFFORT_STEP, MAX_EFFORT, MIN_EFFORT, adoptSavedEffort, effortHint, formatEffort, tokensAtStop } from '../src/protocol/effortHint';
import { commandNote, diffNote, sandboxLabel, visible } from '../src/protocol/approvalDisplay';
import { renderMarkdownInto } from './markdown';
import { badge, button, registerToolkit, setDisabled, textArea, type TextArea } from './toolkit';
import { TurnCard } from './turnCard';
import { attachRestore, renderReview, renderUndoRestore } from './review';
import { el, fmtCost, fmtInt } from './dom';
import { watchDraft } from './draftHint';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const send = (m: WebviewMessage) => vscode.postMessage(m);

interface WTurn {
  snap: TurnSnapshot;
  view: RunView;
  card: TurnCard;
}

const state = {
  settings: undefined as SettingsView | undefined,
  turns: [] as WTurn[],
  approvals: [] as ApprovalView[],
  attachments: [] as AttachmentInfo[],
  session: { runs: 0, prompt: 0, completion: 0, cost: 0 } as SessionUsage,
  history: undefined as { label: string } | undefined,
  review: undefined as ReviewView | undefined,
  checkpoints: undefined as CheckpointsView | undefined,
  /**
   * The slider moves at once (optimistic); `setEffort` carries a seq and the host echoes the last seq
   * it saved in the settings, so a settings message older than the last move never moves it back.
   */
  effortSent: 0,
  /** Moved, but its `setEffort` not sent yet (debounced). */
  effortUnsent: false,
  rejected: 0,
};

// ---- layout (built once)

registerToolkit();
const root = document.getElementById('arc-root')!;
root.textContent = '';
root.classList.add('arc');

// The mode as a compact native dropdown: one line at any sidebar width, and the platform's own
// keyboard and screen-reader behaviour.
const MODE_OPTIONS: Array<{ value: SettingsView['mode']; label: string; title: string }> = [
  { value: 'auto', label: 'Auto', title: 'The router decides per request, and says why' },
  { value: 'instant', label: 'Instant', title: 'Direct answers, no reasoning budget' },
  { value: 'reasoning', label: 'Reasoning', title: 'Think it through first' },
  { value: 'agentic', label: 'Agentic', title: 'Work on the workspace with tools (edits and commands ask first)' },
];
const modeSelect = el('select', { id: 'mode', title: 'Mode: Auto lets the router decide per request' }) as HTMLSelectElement;
for (const o of MODE_OPTIONS) modeSelect.append(el('option', { value: o.value, title: o.title }, o.label));
modeSelect.addEventListener('change', () => {
  const v = modeSelect.value as SettingsView['mode'];
  modeSelect.title = `Mode: ${MODE_OPTIONS.find((o) => o.value === v)?.title ?? v}`;
  if (state.settings && state.settings.mode !== v) send({ type: 'setMode', mode: v });
});

const slider = el('input', { id: 'effort', type: 'range', min: String(MIN_EFFORT), max: String(MAX_EFFORT), step: String(EFFORT_STEP), value: String(DEFAULT_EFFORT), 'aria-label': 'Effort', 'aria-describedby': 'effort-hint' }) as HTMLInputElement;
const sliderValue = el('output', { id: 'effort-value', for: 'effort', 'aria-live': 'polite' }, formatEffort(DEFAULT_EFFORT));
const sliderHint = el('div', { id: 'effort-hint', class: 'hint' });
let effortTimer: ReturnType<typeof setTimeout> | undefined;

function showEffort(r: number): void {
  sliderValue.textContent = formatEffort(r);
  slider.setAttribute('aria-valuetext', `${formatEffort(r)} effort`);
  const s = state.settings;
  const tokens = s?.effortTokens ? tokensAtStop(s.effortTokens, r) : undefined;
  sliderHint.textContent = tokens === undefined ? '' : effortHint(tokens, s?.effortModel, s?.effortDraft === true);
}

slider.addEventListener('input', () => {
  const r = Number(slider.value);
  showEffort(r);
  state.effortUnsent = true;
  if (effortTimer) clearTimeout(effortTimer);
  effortTimer = setTimeout(() => {
    state.effortUnsent = false;
    send({ type: 'setEffort', effort: r, seq: ++state.effortSent });
  }, 250);
});

const controls = el(
  'section',
  { class: 'controls', 'aria-label': 'ARC controls' },
  el('h1', { class: 'visually-hidden' }, 'ARC conversation'),
  // New chat, history and models are the view's own title-bar actions (package.json view/title), not
  // repeated here: the header is the two controls that shape the next answer.
  el('div', { class: 'row header' }, el('label', { for: 'mode', class: 'mode-label' }, 'Mode'), modeSelect),
  el('div', { class: 'effort' }, el('label', { for: 'effort' }, 'Effort'), slider, sliderValue),
  sliderHint,
);
const setupBox = el('section', { class: 'setup', id: 'setup', hidden: '' });
const historyBanner = el('div', { class: 'history-banner', hidden: '' });
const conversation = el('section', { class: 'conversation', id: 'conversation', 'aria-label': 'Conversation', 'aria-live': 'polite' });
const emptyNote = emptyState();
const approvalsBox = el('section', { class: 'approvals', id: 'approvals', 'aria-label': 'Pending approvals', hidden: '' });
const attachmentsBox = el('div', { class: 'attachments', id: 'attachments' });
const reviewBox = el('section', { class: 'review', id: 'review', 'aria-label': 'Changed files', hidden: '' });
const restoreBanner = el('div', { class: 'restore-banner', hidden: '' });
const composer = textArea({ id: 'composer', placeholder: 'Ask ARC… (Enter to send, Shift+Enter for a new line, # to attach a file)', rows: 3, ariaLabel: 'Question' }) as TextArea;
const askButton = button('Ask', { appearance: 'primary', title: 'Ask (Enter)', onClick: () => submit(), className: 'ask' });
const cancelButton = button('Cancel', { title: 'Cancel the running answer', onClick: () => send({ type: 'cancel' }), className: 'cancel' });
const attachButton = button('#file', { title: 'Attach files or the selection to the next question', onClick: () => send({ type: 'attach' }), className: 'attach' });
const sessionLine = el('div', { class: 'session hint', id: 'session' });

root.append(
  controls,
  setupBox,
  historyBanner,
  restoreBanner,
  conversation,
  // Pending approvals stay in view above the composer, however long the conversation.
  el('section', { class: 'composer', 'aria-label': 'Ask' }, reviewBox, approvalsBox, attachmentsBox, composer, el('div', { class: 'row' }, attachButton, el('span', { class: 'spacer' }), cancelButton, askButton)),
  sessionLine,
);
conversation.append(emptyNote);

watchDraft(composer, send);

composer.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  } else if (e.key === '#' && composer.value.trim() === '') {
    // "#" on an empty box opens the file picker, like #file in chat.
    e.preventDefault();
    send({ type: 'attach' });
  }
});

function submit(): void {
  const q = composer.value.trim();
  if (!q) return;
  composer.value = '';
  send({ type: 'ask', query: q, effort: Number(slider.value) });
}

// ---- rendering

let frame = 0;
let dirtyAll = true;
function scheduleRender(all = false): void {
  if (all) dirtyAll = true;
  if (frame) return;
  frame = requestAnimationFrame(render);
}

const actions = {
  send,
  copy: (text: string) => send({ type: 'copy', text }),
  insert: (text: string) => send({ type: 'insert', text }),
  renderMarkdown: (into: HTMLElement, text: string) => renderMarkdownInto(into, text, { copy: (c) => send({ type: 'copy', text: c }), insert: (c) => send({ type: 'insert', text: c }) }),
};

function render(): void {
  frame = 0;
  const all = dirtyAll;
  dirtyAll = false;
  // Read before any change (layout is clean at the start of a frame); scroll only when content grew.
  const scroller = document.scrollingElement ?? document.documentElement;
  const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  let grew = all;
  if (all) {
    renderSettings();
    renderApprovals();
    renderAttachments();
    renderSession();
    renderHistoryBanner();
    renderReview(reviewBox, state.review, send);
    renderUndoRestore(restoreBanner, state.checkpoints, send);
    state.turns.forEach((t, i) => attachRestore(t.card.el, t.snap.id, i, state.checkpoints, send));
  }
  const now = Date.now();
  let running = false;
  let more = false;
  for (const t of state.turns) {
    const r = t.card.update(t.view, t.snap, now, state.settings);
    if (r.deferred) more = true;
    if (r.grew) grew = true;
    if (t.view.status === 'running' && !t.snap.error) running = true;
  }
  if (more) scheduleRender();
  emptyNote.hidden = state.turns.length > 0;
  cancelButton.hidden = !running;
  if (stick && grew) scroller.scrollTop = scroller.scrollHeight;
}

function renderSettings(): void {
  const s = state.settings;
  if (!s) return;
  if (modeSelect.value !== s.mode) modeSelect.value = s.mode;
  // A fresh page adopts the host's seq; after that, only an echo of the latest move (or a change made
  // elsewhere once every move is saved) sets the slider.
  const seq = s.effortSeq ?? 0;
  if (seq > state.effortSent) state.effortSent = seq;
  if (adoptSavedEffort(seq, state.effortSent, state.effortUnsent)) slider.value = String(s.effort);
  showEffort(Number(slider.value));
  setDisabled(askButton, !s.configured);
  root.classList.toggle('simulated', s.simulated);
  renderSetup(s);
}

function renderSetup(s: SettingsView): void {
  setupBox.textContent = '';
  setupBox.hidden = s.configured;
  if (s.configured) {
    if (s.simulated) {
      setupBox.hidden = false;
      setupBox.append(el('p', { class: 'sim-note' }, 'Answers come from ARC’s simulator (npm run demo), not from a language model.'));
    }
    return;
  }
  const cmd = (label: string, command: WebviewMessage & { type: 'command' }, primary = false) =>
    button(label, { appearance: primary ? 'primary' : 'secondary', onClick: () => send(command) });
  setupBox.append(el('h2', {}, 'Set up a model'), el('p', {}, 'ARC needs a model for instant answers. Choose where it runs — the slider and mode above already work and are saved.'));
  const row = el('div', { class: 'row wrap' });
  if (s.setup?.endpoints.length) row.append(cmd(`Pick a model from ${s.setup.endpoints.join(', ')}`, { type: 'command', command: 'arc.selectModel', args: ['instant'] }, true));
  for (const m of s.setup?.editorModels.slice(0, 3) ?? []) row.append(cmd(`Use ${m.label}`, { type: 'command', command: 'arc.selectModel', args: ['instant', m.id] }));
  row.append(
    cmd('Ollama', { type: 'command', command: 'arc.setUpProvider', args: ['ollama'] }, !s.setup?.endpoints.length),
    cmd('LM Studio', { type: 'command', command: 'arc.setUpProvider', args: ['lmstudio'] }),
    cmd('API key', { type: 'command', command: 'arc.setUpProvider', args: ['openai'] }),
    cmd('Walkthrough', { type: 'command', command: 'arc.openWalkthrough' }),
  );
  setupBox.append(row);
  for (const p of s.setup?.problems ?? []) setupBox.append(el('p', { class: 'problem' }, p));
}

const APPROVE_LABEL: Record<ApprovalView['kind'], string> = { edit: 'Apply edit', create: 'Create file', command: 'Run command', sensitive: 'Allow', spend: 'Keep going' };

function renderApprovals(): void {
  approvalsBox.textContent = '';
  approvalsBox.hidden = state.approvals.length === 0;
  if (!state.approvals.length) return;
  approvalsBox.append(el('h2', {}, `Pending approval${state.approvals.length > 1 ? 's' : ''} (${state.approvals.length})`));
  for (const a of state.approvals) {
    const card = el('div', { class: `approval kind-${a.kind}`, 'data-approval': a.id, role: 'group', 'aria-label': a.title });
    // The host sends display forms; visible() again here is a no-op for them and a guard for the rest.
    card.append(el('div', { class: 'approval-title' }, visible(a.title)));
    if (a.protectedReason) card.append(el('p', { class: 'approval-protected' }, `Protected: ${visible(a.protectedReason)} — this edit always asks.`));
    if (a.sandbox) card.append(el('p', { class: `approval-sandbox ${a.sandbox}` }, sandboxLabel(a.sandbox)));
    if (a.detail) card.append(el('p', { class: 'hint' }, visible(a.detail)));
    if (a.command !== undefined) {
      card.append(el('pre', { class: 'command', role: 'region', tabindex: '0', 'aria-label': 'Command' }, visible(a.command, { oneLine: true, exact: true })));
      const note = commandNote(a);
      if (note) card.append(el('p', { class: 'hint' }, note));
    }
    if (a.diff !== undefined) {
      card.append(diffView(a.diff));
      const more = diffNote(a);
      if (more) card.append(el('p', { class: 'approval-more' }, more));
    }
    if (a.openable) card.append(button(a.kind === 'command' ? 'Show full command' : 'Open full diff', { className: 'open-full', onClick: () => send({ type: 'openApprovalText', id: a.id }) }));
    card.append(
      el(
        'div',
        { class: 'row' },
        button(APPROVE_LABEL[a.kind], { appearance: 'primary', className: 'approve', onClick: () => send({ type: 'approve', id: a.id, approved: true }) }),
        button('Deny', { className: 'deny', onClick: () => send({ type: 'approve', id: a.id, approved: false }) }),
      ),
    );
    approvalsBox.append(card);
  }
}

function diffView(diff: string): HTMLElement {
  // Focusable: the diff scrolls, and a keyboard must be able to scroll it (axe: scrollable-region-focusable).
  const pre = el('pre', { class: 'diff', role: 'region', tabindex: '0', 'aria-label': 'Proposed change' });
  // Every line the host sent: it already stopped at APPROVAL_DISPLAY and says how many more there are.
  for (const line of diff.split('\n')) {
    const cls = line.startsWith('+++') || line.startsWith('---') ? 'meta' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : 'ctx';
    pre.append(el('span', { class: `dl ${cls}` }, `${visible(line)}\n`));
  }
  return pre;
}

function renderAttachments(): void {
  attachmentsBox.textContent = '';
  state.attachments.forEach((a, i) => {
    const chip = el('span', { class: 'chip', title: `${fmtInt(a.chars)} characters` }, `# ${a.name}`);
    const x = el('button', { class: 'mini', 'aria-label': `Remove ${a.name}`, title: 'Remove' }, '×');
    x.addEventListener('click', () => send({ type: 'removeAttachment', index: i }));
    chip.append(x);
    attachmentsBox.append(chip);
  });
}

function renderSession(): void {
  const s = state.session;
  const cap = state.settings?.spendCap ?? 0;
  // No "$0" before anything ran, and "unknown" (not a sum) once a model without a price took part.
  const cost = s.cost === null ? 'cost unknown (a model has no price)' : s.runs === 0 ? '' : fmtCost(s.cost);
  const parts = [`Session: ${s.runs} run${s.runs === 1 ? '' : 's'}`, `${fmtInt(s.prompt + s.completion)} tokens`, cost, cap > 0 ? `spend cap ${fmtCost(cap)} per agentic run` : 'no spend cap (arc.spendCap)'];
  sessionLine.textContent = parts.filter(Boolean).join(' · ');
}

function renderHistoryBanner(): void {
  historyBanner.textContent = '';
  historyBanner.hidden = !state.history;
  if (!state.history) return;
  historyBanner.append(el('span', {}, `From history: ${state.history.label}`), button('Back to the conversation', { onClick: () => send({ type: 'closeHistory' }) }));
}

/** What a first-time visitor can try: each suggestion fills the composer (nothing is sent until Enter). */
function emptyState(): HTMLElement {
  const tries = [
    'What does `git rebase --onto` do?',
    'Compare quicksort and mergesort: when is each the better choice?',
    'Answer these: 1. What is a closure? 2. Why are JavaScript strings immutable?',
  ];
  const list = el('ul', { class: 'tries' });
  for (const t of tries) {
    const b = el('button', { type: 'button', class: 'try', title: 'Put this question in the box below' }, t);
    b.addEventListener('click', () => {
      composer.value = t;
      composer.focus();
    });
    list.append(el('li', {}, b));
  }
  return el(
    'div',
    { class: 'empty' },
    el('p', {}, 'Ask anything: ARC decides how much thinking each question deserves, or pick a mode above. Try:'),
    list,
    el('p', { class: 'hint' }, 'A question with several parts runs them side by side in the run tree. Type # to attach a file; select code and run “ARC: Explain Selection”; Agentic mode edits the workspace, asking first.'),
  );
}

// ---- state changes

function makeTurn(snap: TurnSnapshot): WTurn {
  const view = createRunView(snap.query);
  state.rejected += applyRaw(view, snap.events);
  if (snap.fromHistory && view.status === 'running') view.status = 'failed';
  const card = new TurnCard(snap, actions);
  return { snap, view, card };
}

function applySnapshot(s: Snapshot): void {
  state.settings = s.settings;
  state.approvals = s.approvals;
  state.attachments = s.attachments;
  state.session = s.session;
  state.history = s.history;
  state.review = s.review;
  state.checkpoints = s.checkpoints;
  for (const t of state.turns) t.card.el.remove();
  state.turns = s.turns.map(makeTurn);
  for (const t of state.turns) conversation.append(t.card.el);
  scheduleRender(true);
}

function upsertTurn(snap: TurnSnapshot): void {
  dirtyAll = true;
  const i = state.turns.findIndex((t) => t.snap.id === snap.id);
  const turn = makeTurn(snap);
  if (i >= 0) {
    state.turns[i]!.card.el.replaceWith(turn.card.el);
    state.turns[i] = turn;
  } else {
    state.turns.push(turn);
    conversation.append(turn.card.el);
  }
  scheduleRender();
}

function onMessage(m: HostMessage): void {
  switch (m.type) {
    case 'snapshot':
      applySnapshot(m.snapshot);
      break;
    case 'settings':
      state.settings = m.settings;
      scheduleRender(true);
      break;
    case 'turn':
      upsertTurn(m.turn);
      break;
    case 'events': {
      const t = state.turns.find((x) => x.snap.id === m.turnId);
      if (t) {
        state.rejected += applyRaw(t.view, m.events);
        scheduleRender();
      }
      break;
    }
    case 'attachments':
      state.attachments = m.attachments;
      scheduleRender(true);
      break;
    case 'approvals':
      state.approvals = m.approvals;
      scheduleRender(true);
      break;
    case 'session':
      state.session = m.session;
      scheduleRender(true);
      break;
    case 'rated': {
      const t = state.turns.find((x) => x.snap.id === m.turnId);
      if (t) {
        t.snap = { ...t.snap, rated: m.rated };
        scheduleRender();
      }
      break;
    }
    case 'review':
      state.review = m.review ?? undefined;
      scheduleRender(true);
      break;
    case 'checkpoints':
      state.checkpoints = m.checkpoints;
      scheduleRender(true);
      break;
    case 'focusComposer':
      if (m.text !== undefined) composer.value = m.text;
      composer.focus();
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const parsed = parseHostMessage(e.data);
  if (!parsed.ok) {
    console.warn(`ARC sidebar: ignored a malformed message: ${parsed.error}`);
    return;
  }
  onMessage(parsed.message);
});

// Running threads show their elapsed time; once a second is enough.
setInterval(() => {
  if (state.turns.some((t) => t.view.status === 'running')) scheduleRender();
}, 1000);

// Marks for tests and the benchmark (never read by the extension).
(window as unknown as { __arc: unknown }).__arc = { state, badge };

send({ type: 'ready' });
