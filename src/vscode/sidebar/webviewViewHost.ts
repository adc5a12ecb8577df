// A small reusable base for a webview view: the ready handshake (a page that is hidden is gone — it
// says `ready` when shown again, and only then is it posted to), an inbox that handles messages one
// after another (validated first), an outbox that batches frequent items per key, and disposables.
import * as vscode from 'vscode';
import type { ArcLog } from '../log';

export type Parsed<M> = { ok: true; message: M } | { ok: false; error: string };

export abstract class WebviewViewHost<In, Out> implements vscode.Disposable {
  protected view: vscode.WebviewView | undefined;
  /** The page said `ready` since it was last (re)created: posts reach it. */
  protected ready = false;
  protected readonly disposables: vscode.Disposable[] = [];
  private inbox: Promise<void> = Promise.resolve();
  private readonly outbox = new Map<string, unknown[]>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly log: ArcLog,
    private readonly name: string,
    /** The outbox posts at most this often. */
    private readonly flushMs: number,
  ) {}

  get visible(): boolean {
    return this.view?.visible === true;
  }

  /** Validates a message from the page. */
  protected abstract parse(raw: unknown): Parsed<In>;
  protected abstract handle(message: In): Promise<void>;
  /** The message that carries a batch of queued items. */
  protected abstract batch(key: string, items: unknown[]): Out;
  /** The view went away for good (not merely hidden). */
  protected onViewDisposed(): void {}

  /** Adopts a (re)created view: its options, page and message wiring. */
  protected attach(view: vscode.WebviewView, options: vscode.WebviewOptions, html: string): void {
    this.view = view;
    this.ready = false;
    view.webview.options = options;
    view.webview.html = html;
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
        this.onViewDisposed();
      }
    });
  }

  protected post(message: Out): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  /** Messages are handled one after another, so "set the mode, then ask" runs in that order. */
  protected receive(raw: unknown): Promise<void> {
    this.inbox = this.inbox.then(() => this.receiveNow(raw));
    return this.inbox;
  }

  private async receiveNow(raw: unknown): Promise<void> {
    const parsed = this.parse(raw);
    if (!parsed.ok) {
      this.log.warn(`${this.name}: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${this.name}: ${message}`);
      void vscode.window.showErrorMessage(`ARC: ${message}`);
    }
  }

  /** Queues an item for the page (dropped while it is not ready: the next snapshot has it). */
  protected queue(key: string, item: unknown): void {
    if (!this.ready) return;
    const list = this.outbox.get(key) ?? [];
    list.push(item);
    this.outbox.set(key, list);
    this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  protected flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batches = [...this.outbox.entries()];
    this.outbox.clear();
    for (const [key, items] of batches) this.post(this.batch(key, items));
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
  }
}
