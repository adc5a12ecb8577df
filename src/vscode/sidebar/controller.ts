// The sidebar (webview view `arc.sidebar`): a multi-turn conversation whose runs stream their
// RunEvents into a live tree, with the effort slider, the mode control, pending approvals and usage.
// The extension keeps the state (every turn's events, reduced with the same reducer the webview uses)
// so that each time the view is shown — it is not kept alive while hidden — the webview says `ready`
// and gets a full snapshot; while it is visible, new events follow in batches. Messages are zod-
// validated both ways (src/protocol/messages.ts).
import * as vscode from 'vscode';
import type { Decision } from '../../agent/approver';
import { isSensitivePath } from '../../agent/filters';
import type { Mode } from '../../core/run/events';
import type { EffortEstimates } from '../../effort/estimator';
import { sliderHint } from '../../effort/hint';
import type { RunContext, RunRequest } from '../../core/run/request';
import { coalesceEvents } from '../../protocol/coalesce';
import { REQUESTED_MODES, parseWebviewMessage, type ApprovalView, type AttachmentInfo, type HostMessage, type RequestedMode, type SessionUsage, type SettingsView, type Snapshot, type TurnSnapshot, type WebviewMessage } from '../../protocol/messages';
import { applyEvent, applyRaw, createRunView, historyMessages, type RunView } from '../../protocol/runTree';
import type { RunSpec } from '../runFactory';
import { runOnSurface } from '../runOnSurface';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { sidebarHtml } from './html';
import { RunHistory, type HistoryEntry } from './history';
import type { AskOptions, Attachment, SidebarPort, TurnResult } from './port';

export type { AskOptions, Attachment, TurnResult } from './port';

interface Turn {
  id: string;
  query: string;
  mode?: RequestedMode;
  attachments: Attachment[];
  selection?: RunContext['selection'];
  events: unknown[];
  view: RunView;
  controller?: AbortController;
  rated?: 'up' | 'down';
  error?: string;
  startedAt: number;
  request?: RunRequest;
  ranMode?: Mode;
  fromHistory?: boolean;
  rateKey?: string;
}

/** Attachments: bounded so a large file cannot fill the prompt. */
export const MAX_ATTACHMENT_CHARS = 50_000;
export const MAX_ATTACHMENTS = 10;
const MAX_TURNS = 50;
/** The extension posts a turn's new events at most this often (the webview renders per frame). */
const FLUSH_MS = 40;
/** Coalesce a turn's stored events once they pile up. */
const COALESCE_AT = 4000;
const RATE_PREFIX = 'arc-sidebar:';

export class SidebarController implements SidebarPort, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private turns: Turn[] = [];
  private shownHistory: { turn: Turn; label: string } | undefined;
  private attachments: Attachment[] = [];
  private readonly approvals = new Map<string, { view: ApprovalView; resolve: (d: Decision) => void }>();
  private session: SessionUsage = { runs: 0, prompt: 0, completion: 0, cost: 0 };
  private readonly outbox = new Map<string, unknown[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  private approvalSeq = 0;
  private turnSeq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  readonly history: RunHistory;
  /** The last `setEffort` seq saved (the webview ignores settings echoes older than what it sent). */
  private effortSeq = 0;

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.history = new RunHistory(services.store, async () => (await services.keys.getAll(readSettings().settings.endpoints.map((e) => e.id))).values());
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
    );
  }

  get visible(): boolean {
    return this.view?.visible === true;
  }

  // ---- the view

  resolve(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = sidebarHtml(view.webview, this.extensionUri, vscode.Uri.joinPath);
    const subs = [
      view.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      // Without retainContextWhenHidden the page is gone while hidden; it says `ready` when shown again.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
    ];
    view.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
        // Nobody can answer them any more.
        for (const id of [...this.approvals.keys()]) this.resolveApproval(id, false, 'the sidebar was closed');
      }
    });
  }

  private post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  /** Messages are handled one after another, so "set the mode, then ask" runs in that order. */
  private inbox: Promise<void> = Promise.resolve();

  private receive(raw: unknown): Promise<void> {
    this.inbox = this.inbox.then(() => this.receiveNow(raw));
    return this.inbox;
  }

  private async receiveNow(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`sidebar: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.services.log.error(`sidebar: ${message}`);
      void vscode.window.showErrorMessage(`ARC: ${message}`);
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'snapshot', snapshot: await this.snapshot() });
        return;
      case 'ask':
        void this.ask(m.query, { mode: m.mode, effort: m.effort });
        return;
      case 'setEffort':
        // The webview moved its slider already; once saved, the host echoes the value with its seq.
        await this.writeSetting('effort', m.effort);
        if (m.seq !== undefined) this.effortSeq = Math.max(this.effortSeq, m.seq);
        await this.postSettings();
        return;
      case 'setMode':
        await this.writeSetting('mode', m.mode);
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
      case 'attach':
        // A picker waits for the person: never hold later messages (a cancel) behind it.
        void this.pickAttachments().catch((e: unknown) => this.services.log.warn(`sidebar: attaching failed: ${String(e)}`));
        return;
      case 'removeAttachment':
        this.attachments.splice(m.index, 1);
        this.post({ type: 'attachments', attachments: this.attachmentInfo(this.attachments) });
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

  private async writeSetting(key: 'effort' | 'mode', value: unknown): Promise<void> {
    const c = vscode.workspace.getConfiguration('arc');
    const where = c.inspect(key);
    const target = where?.workspaceFolderValue !== undefined || where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    if (c.get(key) === value) return;
    await c.update(key, value, target);
  }

  async settingsView(): Promise<SettingsView> {
    const { settings, problems } = readSettings();
    const ref = settings.models.reasoning ?? settings.models.instant;
    const model = ref ? `${ref.endpointId}/${ref.model}` : undefined;
    let estimates: EffortEstimates | undefined;
    if (model) {
      try {
        estimates = (await this.services.learned()).estimates;
      } catch (e) {
        this.services.log.warn(`sidebar: could not read learned estimates: ${String(e)}`);
      }
    }
    const hint = sliderHint(estimates, model);
    const configured = Boolean(settings.models.instant);
    const name = (r: typeof ref) => (r ? `${r.endpointId}/${r.model}` : undefined);
    const view: SettingsView = {
      mode: settings.mode,
      effort: settings.effort,
      configured,
      ...(model ? { effortModel: model } : {}),
      effortEstimate: hint.estimate,
      effortTokens: hint.tokens,
      effortSeq: this.effortSeq,
      spendCap: settings.spendCap,
      simulated: settings.endpoints.some((e) => e.id === settings.models.instant?.endpointId && e.simulated === true),
      models: { instant: name(settings.models.instant), reasoning: name(settings.models.reasoning), agentic: name(settings.models.agentic) },
    };
    if (!configured) view.setup = { endpoints: settings.endpoints.map((e) => e.id), editorModels: await editorModelList(), problems: problems.slice(0, 20) };
    return view;
  }

  private async postSettings(): Promise<void> {
    if (!this.ready) return;
    this.post({ type: 'settings', settings: await this.settingsView() });
  }

  // ---- snapshot

  private attachmentInfo(list: Attachment[]): AttachmentInfo[] {
    return list.map((a) => ({ name: a.name.slice(0, 300), chars: a.text.length, ...(a.language ? { language: a.language.slice(0, 64) } : {}) }));
  }

  private turnSnapshot(turn: Turn): TurnSnapshot {
    const info = this.attachmentInfo(turn.attachments);
    if (turn.selection) info.unshift({ name: `selection${turn.selection.fileName ? ` in ${turn.selection.fileName}` : ''}`.slice(0, 300), chars: turn.selection.text.length });
    let events = coalesceEvents(turn.events);
    if (events.length > 15_000) events = [...events.slice(0, 14_999), events.at(-1)];
    return {
      id: turn.id,
      query: turn.query.slice(0, 100_000),
      ...(turn.mode ? { mode: turn.mode } : {}),
      attachments: info.slice(0, 50),
      events,
      ...(turn.rated ? { rated: turn.rated } : {}),
      ...(turn.error ? { error: turn.error.slice(0, 4000) } : {}),
      ...(turn.fromHistory ? { fromHistory: true } : {}),
      startedAt: turn.startedAt,
    };
  }

  async snapshot(): Promise<Snapshot> {
    return {
      settings: await this.settingsView(),
      turns: this.shownHistory ? [this.turnSnapshot(this.shownHistory.turn)] : this.turns.map((t) => this.turnSnapshot(t)),
      attachments: this.attachmentInfo(this.attachments),
      approvals: [...this.approvals.values()].map((a) => a.view),
      session: { ...this.session },
      ...(this.shownHistory ? { history: { label: this.shownHistory.label.slice(0, 500) } } : {}),
    };
  }

  /** What a test (or a curious keybinding) can read without the webview. */
  state(): unknown {
    const turns = this.shownHistory ? [this.shownHistory.turn] : this.turns;
    return {
      visible: this.visible,
      ready: this.ready,
      history: this.shownHistory?.label,
      turns: turns.map((t) => ({
        id: t.id,
        query: t.query,
        status: t.error ? 'not-run' : t.view.status,
        mode: t.view.routed?.mode,
        answer: t.view.answer,
        partial: t.view.partial,
        threads: t.view.order.length,
        events: t.view.events,
        rated: t.rated,
        attachments: t.attachments.map((a) => a.name),
        error: t.error ?? t.view.error,
        fromHistory: t.fromHistory === true,
      })),
      attachments: this.attachments.map((a) => a.name),
      approvals: [...this.approvals.values()].map((a) => a.view),
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
    this.post({ type: 'turn', turn: this.turnSnapshot(turn) });
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
    return {
      turnId: turn.id,
      ...(runId ? { runId } : {}),
      status: v.status === 'running' ? 'failed' : v.status,
      answer: v.answer,
      ...(v.routed ? { mode: v.routed.mode } : {}),
      ...(v.error ? { error: v.error } : {}),
    };
  }

  private queue(turnId: string, event: unknown): void {
    if (!this.ready) return;
    const list = this.outbox.get(turnId) ?? [];
    list.push(event);
    this.outbox.set(turnId, list);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batches = [...this.outbox.entries()];
    this.outbox.clear();
    for (const [turnId, events] of batches) this.post({ type: 'events', turnId, events: coalesceEvents(events) });
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

  request(view: Omit<ApprovalView, 'id'>, signal?: AbortSignal): Promise<Decision> {
    if (signal?.aborted) return Promise.resolve({ approved: false, reason: 'the run was cancelled' });
    const id = `approval-${Date.now().toString(36)}-${++this.approvalSeq}`;
    return new Promise<Decision>((resolve) => {
      const onAbort = () => this.resolveApproval(id, false, 'the run was cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.approvals.set(id, {
        view: { ...view, id },
        resolve: (d) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        },
      });
      this.postApprovals();
      // Bring the question to the person.
      if (this.view && !this.view.visible) this.view.show(true);
    });
  }

  resolveApproval(id: string, approved: boolean, reason?: string): boolean {
    const pending = this.approvals.get(id);
    if (!pending) return false;
    this.approvals.delete(id);
    pending.resolve({ approved, reason: reason ?? (approved ? 'approved in the sidebar' : 'the user declined in the sidebar') });
    this.postApprovals();
    return true;
  }

  private postApprovals(): void {
    this.post({ type: 'approvals', approvals: [...this.approvals.values()].map((a) => a.view) });
  }

  // ---- attachments, insert

  async pickAttachments(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri; selection?: boolean };
    const items: Item[] = [];
    if (editor && !editor.selection.isEmpty) items.push({ label: '$(selection) Selection', description: vscode.workspace.asRelativePath(editor.document.uri), selection: true });
    if (editor && editor.document.uri.scheme === 'file') items.push({ label: `$(file) ${vscode.workspace.asRelativePath(editor.document.uri)}`, description: 'active editor', uri: editor.document.uri });
    const files = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', 2000);
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const rel = vscode.workspace.asRelativePath(uri);
      if (isSensitivePath(rel.split('\\').join('/'))) continue;
      if (editor && uri.toString() === editor.document.uri.toString()) continue;
      items.push({ label: `$(file) ${rel}`, uri });
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'ARC: #file — attach files to the next question', canPickMany: true, matchOnDescription: true, placeHolder: 'Files the model should see (each is cut at 50,000 characters)' });
    if (!picked?.length) return;
    const added: Attachment[] = [];
    for (const p of picked) {
      if (p.selection && editor) {
        const text = editor.document.getText(editor.selection);
        added.push({ name: `${vscode.workspace.asRelativePath(editor.document.uri)}:${editor.selection.start.line + 1}-${editor.selection.end.line + 1}`, text: bound(text), language: editor.document.languageId });
      }
    }
    added.push(...(await readAttachments(picked.flatMap((p) => (p.uri ? [p.uri] : [])))));
    this.attachments.push(...added);
    this.attachments.splice(0, Math.max(0, this.attachments.length - MAX_ATTACHMENTS));
    this.post({ type: 'attachments', attachments: this.attachmentInfo(this.attachments) });
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

  dispose(): void {
    this.cancel();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const id of [...this.approvals.keys()]) this.resolveApproval(id, false, 'ARC was stopped');
    for (const d of this.disposables) d.dispose();
  }
}

function bound(text: string): string {
  return text.length > MAX_ATTACHMENT_CHARS ? `${text.slice(0, MAX_ATTACHMENT_CHARS)}\n[… cut at ${MAX_ATTACHMENT_CHARS.toLocaleString('en-US')} characters]` : text;
}

const LANGUAGES: Record<string, string> = { ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact', py: 'python', md: 'markdown', json: 'json', rs: 'rust', go: 'go', java: 'java', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', rb: 'ruby', sh: 'shellscript', yml: 'yaml', yaml: 'yaml', html: 'html', css: 'css' };

/** Reads files as text for attachment: bounded, binary files skipped. */
export async function readAttachments(uris: vscode.Uri[]): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const uri of uris.slice(0, MAX_ATTACHMENTS)) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const head = bytes.subarray(0, Math.min(bytes.length, 8000));
      if (head.includes(0)) {
        void vscode.window.showWarningMessage(`ARC: ${vscode.workspace.asRelativePath(uri)} looks binary; not attached.`);
        continue;
      }
      const text = new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_ATTACHMENT_CHARS * 4));
      const ext = uri.path.split('.').pop()?.toLowerCase() ?? '';
      out.push({ name: vscode.workspace.asRelativePath(uri), text: bound(text), ...(LANGUAGES[ext] ? { language: LANGUAGES[ext] } : {}) });
    } catch (e) {
      void vscode.window.showWarningMessage(`ARC: could not read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/** The editor's own models (vscode.lm), for the set-up prompt; none where the API is absent. */
async function editorModelList(): Promise<Array<{ id: string; label: string }>> {
  try {
    const lm = (vscode as { lm?: typeof vscode.lm }).lm;
    if (!lm?.selectChatModels) return [];
    const models = await Promise.race([lm.selectChatModels(), new Promise<vscode.LanguageModelChat[]>((r) => setTimeout(() => r([]), 1500))]);
    return models.slice(0, 50).map((m) => ({ id: `vscode-lm/${m.id}`.slice(0, 300), label: `${m.name} (${m.vendor})`.slice(0, 300) }));
  } catch {
    return [];
  }
}
