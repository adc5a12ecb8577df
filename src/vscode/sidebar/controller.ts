// The sidebar (webview view `arc.sidebar`): a multi-turn conversation whose runs stream their
// RunEvents into a live tree, with the effort slider, the mode control, pending approvals and usage.
// The extension keeps the state (every turn's events, reduced with the same reducer the webview uses)
// so that each time the view is shown — it is not kept alive while hidden — the webview says `ready`
// and gets a full snapshot; while it is visible, new events follow in batches. Messages are zod-
// validated both ways (src/protocol/messages.ts). The page plumbing is ./webviewViewHost.ts; turns,
// attachments and the settings view live in ./turns.ts, ./attachments.ts and ./settingsView.ts.
import * as vscode from 'vscode';
import type { Decision } from '../../agent/approver';
import type { RunContext } from '../../core/run/request';
import { coalesceEvents } from '../../protocol/coalesce';
import { REQUESTED_MODES, parseWebviewMessage, type ApprovalView, type HostMessage, type RequestedMode, type SessionUsage, type SettingsView, type Snapshot, type WebviewMessage } from '../../protocol/messages';
import { applyEvent, applyRaw, createRunView, historyMessages } from '../../protocol/runTree';
import type { RunSpec } from '../runFactory';
import { runOnSurface } from '../runOnSurface';
import type { Services } from '../services';
import { readSettings } from '../settings';
import type { ApprovalActions } from './approver';
import { PendingApprovals } from './pendingApprovals';
import { attachmentInfo, MAX_ATTACHMENTS, pickAttachments, readAttachments } from './attachments';
import { sidebarHtml } from './html';
import { RunHistory, type HistoryEntry } from './history';
import type { AskOptions, Attachment, SidebarPort, TurnResult } from './port';
import { settingsView, writeSetting } from './settingsView';
import { turnSnapshot, turnState, type Turn } from './turns';
import { WebviewViewHost } from './webviewViewHost';
import { Checkpoints, conversationOf } from './checkpoints';

export type { AskOptions, Attachment, TurnResult } from './port';

const MAX_TURNS = 50;
/** The extension posts a turn's new events at most this often (the webview renders per frame). */
const FLUSH_MS = 40;
/** Coalesce a turn's stored events once they pile up. */
const COALESCE_AT = 4000;
const RATE_PREFIX = 'arc-sidebar:';

export class SidebarController extends WebviewViewHost<WebviewMessage, HostMessage> implements SidebarPort {
  private turns: Turn[] = [];
  private shownHistory: { turn: Turn; label: string } | undefined;
  private attachments: Attachment[] = [];
  private readonly approvals = new PendingApprovals(() => this.postApprovals());
  private session: SessionUsage = { runs: 0, prompt: 0, completion: 0, cost: 0 };
  private turnSeq = 0;
  readonly history: RunHistory;
  /** The last `setEffort` seq saved (the webview ignores settings echoes older than what it sent). */
  private effortSeq = 0;
  /** The question in the sidebar's box (draftHint), for the effort hint. */
  private draft = '';
  private readonly checkpoints: Checkpoints;
  private reviewHooked = false;
  /** The conversation kept across reloads, read once. */
  private readonly loaded: Promise<void>;

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {
    super(services.log, 'sidebar', FLUSH_MS);
    const secrets = async () => (await services.keys.getAll(readSettings().settings.endpoints.map((e) => e.id))).values();
    this.history = new RunHistory(services.store, secrets);
    this.checkpoints = new Checkpoints(services, secrets);
    this.loaded = this.checkpoints.load().then(
      (turns) => {
        if (this.turns.length === 0 && turns.length) this.turns = turns;
      },
      (e: unknown) => services.log.warn(`could not read the kept conversation: ${String(e)}`),
    );
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('arc')) void this.postSettings();
      }),
      // The sidebar's own programmatic surface (not in the palette): host tests and keybindings use it.
      vscode.commands.registerCommand('arc.sidebar.ask', (query: unknown, opts: unknown) => this.askFromCommand(query, opts)),
      vscode.commands.registerCommand('arc.sidebar.state', () => this.state()),
      vscode.commands.registerCommand('arc.sidebar.approve', (id: unknown, approved: unknown) => this.resolveApproval(String(id ?? ''), approved === true)),
      vscode.commands.registerCommand('arc.sidebar.rate', (turnId: unknown, up: unknown) => this.rate(String(turnId ?? ''), up === true)),
      vscode.commands.registerCommand('arc.sidebar.cancel', (turnId: unknown) => this.cancel(typeof turnId === 'string' ? turnId : undefined)),
      vscode.commands.registerCommand('arc.sidebar.restore', (turnId: unknown, what: unknown) => this.restore(String(turnId ?? ''), what === 'files' || what === 'conversation' ? what : 'both')),
      vscode.commands.registerCommand('arc.sidebar.undoRestore', () => this.undoRestore()),
      vscode.commands.registerCommand('arc.sidebar.checkpoints', async () => {
        await this.loaded;
        return this.checkpoints.view(this.turns);
      }),
    );
  }

  // ---- the view

  resolve(view: vscode.WebviewView): void {
    if (!this.reviewHooked && this.services.review) {
      this.reviewHooked = true;
      this.disposables.push(this.services.review.onDidChange(() => this.post({ type: 'review', review: this.services.review?.summary() ?? null })));
    }
    this.attach(
      view,
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')] },
      sidebarHtml(view.webview, this.extensionUri, vscode.Uri.joinPath),
    );
  }

  protected override onViewDisposed(): void {
    // Nobody can answer them any more.
    this.approvals.refuseAll('the sidebar was closed');
  }

  protected parse(raw: unknown) {
    return parseWebviewMessage(raw);
  }

  protected batch(turnId: string, events: unknown[]): HostMessage {
    return { type: 'events', turnId, events: coalesceEvents(events) };
  }

  protected async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.loaded;
        this.ready = true;
        this.post({ type: 'snapshot', snapshot: await this.snapshot() });
        return;
      case 'ask':
        void this.ask(m.query, { mode: m.mode, effort: m.effort });
        return;
      case 'setEffort':
        // The webview moved its slider already; once saved, the host echoes the value with its seq.
        await writeSetting('effort', m.effort);
        if (m.seq !== undefined) this.effortSeq = Math.max(this.effortSeq, m.seq);
        await this.postSettings();
        return;
      case 'setMode':
        await writeSetting('mode', m.mode);
        return;
      case 'draftHint':
        if (m.text === this.draft) return;
        this.draft = m.text;
        await this.postSettings();
        return;
      case 'cancel':
        this.cancel(m.turnId);
        return;
      case 'rerun': {
        const turn = this.findTurn(m.turnId);
        if (turn) void this.ask(turn.query, { mode: m.mode, attachments: turn.attachments, selection: turn.selection });
        return;
      }
      case 'rate':
        await this.rate(m.turnId, m.up);
        return;
      case 'approve':
        this.resolveApproval(m.id, m.approved);
        return;
      case 'openApprovalText':
        await this.approvals.actionsOf(m.id)?.open?.();
        return;
      case 'attach':
        // A picker waits for the person: never hold later messages (a cancel) behind it.
        void this.attachPicked().catch((e: unknown) => this.services.log.warn(`sidebar: attaching failed: ${String(e)}`));
        return;
      case 'removeAttachment':
        this.attachments.splice(m.index, 1);
        this.post({ type: 'attachments', attachments: attachmentInfo(this.attachments) });
        return;
      case 'newChat':
        this.newChat();
        return;
      case 'closeHistory':
        this.shownHistory = undefined;
        this.post({ type: 'snapshot', snapshot: await this.snapshot() });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage('ARC: copied', 2000);
        return;
      case 'insert':
        await this.insertAtCursor(m.text);
        return;
      case 'review':
        if (m.action === 'open' && m.path) await this.services.review?.open(m.path);
        else if (m.action === 'keep') await this.services.review?.resolve('accepted', m.path);
        else if (m.action === 'undo') await this.services.review?.resolve('rejected', m.path);
        else if (m.action === 'showChanges') await this.services.review?.showChanges();
        return;
      case 'restore':
        await this.restore(m.turnId, m.what);
        return;
      case 'undoRestore':
        await this.undoRestore();
        return;
      case 'command':
        void this.runWebviewCommand(m.command, m.args ?? []).catch((e: unknown) => void vscode.window.showErrorMessage(`ARC: ${e instanceof Error ? e.message : String(e)}`));
        return;
    }
  }

  private async runWebviewCommand(command: string, args: Array<string | number | boolean>): Promise<void> {
    if (command === 'arc.openWalkthrough') {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'arc-dev.adaptive-reasoning-copilot#arc.welcome', false);
      return;
    }
    if (command === 'arc.openSettings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'arc.');
      return;
    }
    await vscode.commands.executeCommand(command, ...args);
  }

  // ---- settings

  async settingsView(): Promise<SettingsView> {
    return settingsView(this.services, this.effortSeq, this.draft);
  }

  private async postSettings(): Promise<void> {
    if (!this.ready) return;
    this.post({ type: 'settings', settings: await this.settingsView() });
  }

  // ---- snapshot

  async snapshot(): Promise<Snapshot> {
    return {
      settings: await this.settingsView(),
      turns: this.shownHistory ? [turnSnapshot(this.shownHistory.turn)] : this.turns.map((t) => turnSnapshot(t)),
      attachments: attachmentInfo(this.attachments),
      approvals: this.approvals.views(),
      session: { ...this.session },
      ...(this.shownHistory ? { history: { label: this.shownHistory.label.slice(0, 500) } } : {}),
      ...(this.services.review?.summary() ? { review: this.services.review.summary()! } : {}),
      ...(this.shownHistory ? {} : { checkpoints: await this.checkpoints.view(this.turns) }),
    };
  }

  // ---- checkpoints (DESIGN §6.8)

  private async postCheckpoints(): Promise<void> {
    if (this.ready && !this.shownHistory) this.post({ type: 'checkpoints', checkpoints: await this.checkpoints.view(this.turns) });
  }

  /** Restore to before a turn: its files, the conversation, or both (undoable once). */
  async restore(turnId: string, what: 'files' | 'conversation' | 'both'): Promise<string> {
    await this.loaded;
    if (this.turns.some((t) => t.controller)) return 'ARC: stop the run in progress first.';
    const r = await this.checkpoints.restore(this.turns, turnId, what);
    this.turns = r.turns;
    await this.checkpoints.save(this.turns);
    if (this.ready) this.post({ type: 'snapshot', snapshot: await this.snapshot() });
    void vscode.window.setStatusBarMessage(`ARC: ${r.message}`, 5000);
    return r.message;
  }

  async undoRestore(): Promise<string | undefined> {
    const r = await this.checkpoints.undoRestore(this.turns);
    if (!r) return undefined;
    this.turns = r.turns;
    await this.checkpoints.save(this.turns);
    if (this.ready) this.post({ type: 'snapshot', snapshot: await this.snapshot() });
    return r.message;
  }

  /** What a test (or a curious keybinding) can read without the webview. */
  async state(): Promise<unknown> {
    const turns = this.shownHistory ? [this.shownHistory.turn] : this.turns;
    return {
      /** The models the page shows "cost unknown" for from a run's start. */
      unpriced: (await this.settingsView()).unpriced ?? [],
      visible: this.visible,
      ready: this.ready,
      history: this.shownHistory?.label,
      turns: turns.map(turnState),
      attachments: this.attachments.map((a) => a.name),
      approvals: this.approvals.views(),
      session: { ...this.session },
    };
  }

  // ---- asking

  private findTurn(id: string): Turn | undefined {
    return this.turns.find((t) => t.id === id) ?? (this.shownHistory?.turn.id === id ? this.shownHistory.turn : undefined);
  }

  private async askFromCommand(query: unknown, opts: unknown): Promise<TurnResult | undefined> {
    if (typeof query !== 'string' || !query.trim()) return undefined;
    const o = (typeof opts === 'object' && opts !== null ? opts : {}) as Record<string, unknown>;
    const mode = typeof o.mode === 'string' && (REQUESTED_MODES as readonly string[]).includes(o.mode) ? (o.mode as RequestedMode) : undefined;
    let attachments: Attachment[] | undefined;
    if (Array.isArray(o.attachFiles)) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder) attachments = await readAttachments(o.attachFiles.filter((f): f is string => typeof f === 'string').map((f) => vscode.Uri.joinPath(folder.uri, f)));
    }
    return this.ask(query, { mode, ...(typeof o.effort === 'number' ? { effort: o.effort } : {}), ...(attachments ? { attachments } : {}) });
  }

  /** Asks in the sidebar: a new turn whose run streams into the tree. Resolves when the run ends. */
  async ask(query: string, opts: AskOptions = {}): Promise<TurnResult> {
    await this.loaded;
    if (this.shownHistory) this.shownHistory = undefined;
    const attachments = opts.attachments ?? this.attachments.splice(0);
    const turn: Turn = {
      id: `t${Date.now().toString(36)}-${++this.turnSeq}`,
      query: query.trim(),
      ...(opts.mode ? { mode: opts.mode } : {}),
      attachments,
      ...(opts.selection ? { selection: opts.selection } : {}),
      events: [],
      view: createRunView(query.trim()),
      startedAt: Date.now(),
    };
    const earlier = this.turns.filter((t) => !t.error).map((t) => ({ query: t.query, answer: t.view.answer }));
    this.turns.push(turn);
    while (this.turns.length > MAX_TURNS) this.turns.shift();
    if (this.ready) this.post({ type: 'snapshot', snapshot: await this.snapshot() });

    const context: RunContext = {};
    if (turn.selection) context.selection = turn.selection;
    if (attachments.length) context.attachments = attachments.map((a) => ({ name: a.name, text: a.text, ...(a.language ? { language: a.language } : {}) }));
    const history = historyMessages(earlier);
    return this.run(turn, {
      query: turn.query,
      ...(opts.mode ? { modeOverride: opts.mode } : {}),
      source: 'sidebar',
      ...(Object.keys(context).length ? { context } : {}),
      ...(history.length ? { history } : {}),
      ...(opts.effort !== undefined ? { effort: opts.effort } : {}),
    });
  }

  private notRun(turn: Turn, error: string): TurnResult {
    turn.error = error;
    this.post({ type: 'turn', turn: turnSnapshot(turn) });
    return { turnId: turn.id, status: 'not-run', answer: '', error };
  }

  private async run(turn: Turn, spec: RunSpec): Promise<TurnResult> {
    const outcome = await runOnSurface(this.services, spec, {
      quiet: true,
      rateKey: (runId) => {
        turn.rateKey = `${RATE_PREFIX}${runId}`;
        return turn.rateKey;
      },
      onStart: ({ request, controller }) => {
        turn.request = request;
        turn.controller = controller;
      },
      onEvent: (event) => {
        applyEvent(turn.view, event);
        turn.events.push(event);
        if (turn.events.length > COALESCE_AT) turn.events = coalesceEvents(turn.events);
        this.queue(turn.id, event);
      },
    });
    turn.controller = undefined;
    if (outcome.status === 'not-run') {
      const { problems } = readSettings();
      return this.notRun(turn, outcome.error ?? (problems.length ? `ARC cannot run: ${problems.join(' ')}` : 'ARC has no model yet: set one up above (Ollama, LM Studio or an API key), then pick a model.'));
    }
    const runId = outcome.runId;
    if (runId) turn.runId = runId;
    this.flush();
    turn.ranMode = outcome.mode;
    const v = turn.view;
    this.session = {
      runs: this.session.runs + 1,
      prompt: this.session.prompt + v.usage.prompt,
      completion: this.session.completion + v.usage.completion,
      cost: this.session.cost === null || v.cost === null ? null : this.session.cost + v.cost,
    };
    this.post({ type: 'session', session: { ...this.session } });
    // The run may have taught the effort estimate something: the slider's hint follows.
    void this.postSettings();
    if (runId) {
      const names = turn.attachments.map((a) => a.name);
      if (turn.selection) names.unshift(`selection${turn.selection.fileName ? ` in ${turn.selection.fileName}` : ''}`);
      await this.history
        .add({ runId, query: turn.query, ...(outcome.mode ? { mode: outcome.mode } : {}), status: v.status, startedAt: turn.startedAt, attachments: names, events: turn.events })
        .catch((e: unknown) => this.services.log.warn(`could not save the run to history: ${String(e)}`));
    }
    // The turn is a conversation point; a run that changed files also gets the conversation in its checkpoint.
    if (runId) await this.checkpoints.annotate(runId, conversationOf(this.turns, this.turns.indexOf(turn)));
    await this.checkpoints.save(this.turns);
    await this.postCheckpoints();
    return {
      turnId: turn.id,
      ...(runId ? { runId } : {}),
      status: v.status === 'running' ? 'failed' : v.status,
      answer: v.answer,
      ...(v.routed ? { mode: v.routed.mode } : {}),
      ...(v.error ? { error: v.error } : {}),
    };
  }

  cancel(turnId?: string): number {
    let n = 0;
    for (const t of this.turns) {
      if (t.controller && (!turnId || t.id === turnId)) {
        t.controller.abort();
        n++;
      }
    }
    return n;
  }

  newChat(): void {
    this.cancel();
    this.turns = [];
    this.attachments = [];
    this.shownHistory = undefined;
    void this.checkpoints.save(this.turns);
    void this.snapshot().then((snapshot) => this.post({ type: 'snapshot', snapshot }));
  }

  // ---- rating, approvals

  async rate(turnId: string, up: boolean): Promise<boolean> {
    const turn = this.findTurn(turnId);
    if (!turn?.rateKey || !this.services.rateable.has(turn.rateKey)) {
      void vscode.window.showInformationMessage('ARC: only finished answers of this session can be rated.');
      return false;
    }
    // The same path as the palette's Rate Last Answer: router learning plus the run's outcome.
    const ok = (await vscode.commands.executeCommand('arc.rateAnswer', turn.rateKey, up)) === true;
    if (ok) {
      turn.rated = up ? 'up' : 'down';
      this.post({ type: 'rated', turnId: turn.id, rated: turn.rated });
    }
    return ok;
  }

  request(view: Omit<ApprovalView, 'id'>, signal?: AbortSignal, actions?: ApprovalActions): Promise<Decision> {
    const decision = this.approvals.ask(view, signal, actions);
    // Bring the question to the person (a cancelled run's question was refused without asking).
    if (!signal?.aborted && this.view && !this.view.visible) this.view.show(true);
    return decision;
  }

  resolveApproval(id: string, approved: boolean, reason?: string): boolean {
    return this.approvals.resolve(id, approved, reason);
  }

  private postApprovals(): void {
    this.post({ type: 'approvals', approvals: this.approvals.views() });
  }

  // ---- attachments, insert

  async attachPicked(): Promise<void> {
    const added = await pickAttachments();
    if (!added.length) return;
    this.attachments.push(...added);
    this.attachments.splice(0, Math.max(0, this.attachments.length - MAX_ATTACHMENTS));
    this.post({ type: 'attachments', attachments: attachmentInfo(this.attachments) });
  }

  private async insertAtCursor(text: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
    if (!editor) {
      void vscode.window.showInformationMessage('ARC: open an editor to insert the code into.');
      return;
    }
    await editor.edit((b) => {
      for (const s of editor.selections) b.replace(s, text);
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }

  // ---- history

  async openHistory(entry: HistoryEntry): Promise<void> {
    const view = createRunView(entry.query);
    applyRaw(view, entry.events);
    const turn: Turn = {
      id: `h-${entry.runId}`,
      query: entry.query,
      attachments: entry.attachments.map((name) => ({ name, text: '' })),
      events: entry.events,
      view,
      startedAt: entry.startedAt,
      fromHistory: true,
    };
    this.shownHistory = { turn, label: `${new Date(entry.startedAt).toLocaleString()} · ${entry.mode ?? 'run'} · ${entry.status}` };
    await vscode.commands.executeCommand('arc.sidebar.focus');
    if (this.ready) this.post({ type: 'snapshot', snapshot: await this.snapshot() });
  }

  override dispose(): void {
    this.cancel();
    this.approvals.refuseAll('ARC was stopped');
    super.dispose();
  }
}
