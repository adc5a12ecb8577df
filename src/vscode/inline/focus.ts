// Puts the keyboard in a comment thread's reply box. The stable API can create a thread but not focus
// it (CommentThread.reveal is a proposed API), and only a thread the editor makes itself from Add
// Comment (a "template") opens focused — titled "Start discussion", with no way to retitle it. So ARC
// makes its own thread (titled by ARC) and asks the workbench's "Reply" action of the Comments view
// (`comments.reply`) to focus it, which needs the thread's id in the workbench: `<controller id>.<handle>`.
// The handle is the extension host's internal number for the thread; ARC learns it by handing
// candidate handles, in the form the workbench uses to pass a thread to a command, to a hidden command
// of its own through `runCommands`: the one that arrives as the thread object is the thread's handle.
//
// All of this leans on workbench internals (VS Code 1.95–1.100 checked by the e2e tests); when any step
// fails `focus` says false and the caller falls back to the editor's own template box.
import * as vscode from 'vscode';

const PROBE_COMMAND = '_arc.inline.probeThread';
/** Handles tried per round trip (all in one command call), and at most this many rounds. */
const PROBE_BATCH = 256;
const PROBE_ROUNDS = 4;
/**
 * The workbench shows a new thread a moment after it is created and revealing it earlier does nothing;
 * the extension cannot see whether the box got the keyboard, so it asks twice (a second focus of a
 * focused box changes nothing).
 */
const SHOW_DELAYS_MS = [80, 220];

/** The shapes the workbench marshals a comment controller (6) and a comment thread (7) to, for commands. */
const MID_CONTROLLER = 6;
const MID_THREAD = 7;

export class ThreadFocus implements vscode.Disposable {
  private controllerHandle: number | undefined;
  private readonly handles = new WeakMap<vscode.CommentThread, number>();
  /** The highest thread handle learned: new threads have higher ones. */
  private lastHandle = -1;
  private probeSink: ((args: unknown[]) => void) | undefined;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly controllerId: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.registration = vscode.commands.registerCommand(PROBE_COMMAND, (...args: unknown[]) => this.probeSink?.(args));
  }

  /** Focuses the reply box of `thread` (created by `controller`); false when the workbench would not. */
  async focus(controller: vscode.CommentController, thread: vscode.CommentThread): Promise<boolean> {
    try {
      const handle = await this.handleOf(controller, thread);
      if (handle === undefined) {
        this.log(`inline prompt: the thread's handle was not found (controller handle ${this.controllerHandle ?? 'not found'}); using the editor's own box`);
        return false;
      }
      const threadId = `${this.controllerId}.${handle}`;
      this.log(`inline prompt: focusing thread ${threadId}`);
      for (const delay of SHOW_DELAYS_MS) {
        await new Promise((r) => setTimeout(r, delay));
        // The document's URI as an object: on its way to the workbench it becomes the URI the workbench
        // knows the document by (vscode-remote://… in a remote window), which the action reads as text.
        await vscode.commands.executeCommand('comments.reply', { thread: { resource: thread.uri, threadId, comments: [] } });
      }
      return true;
    } catch (e) {
      this.log(`inline prompt: could not focus the thread (${e instanceof Error ? e.message : String(e)}); using the editor's own box`);
      return false;
    }
  }

  private async handleOf(controller: vscode.CommentController, thread: vscode.CommentThread): Promise<number | undefined> {
    const known = this.handles.get(thread);
    if (known !== undefined) return known;
    this.controllerHandle ??= await this.search(0, (h) => ({ $mid: MID_CONTROLLER, handle: h }), (arg) => arg === controller);
    const c = this.controllerHandle;
    if (c === undefined) return undefined;
    const marshal = (h: number) => ({ $mid: MID_THREAD, commentControlHandle: c, commentThreadHandle: h });
    // A new thread has a higher handle than any learned so far; an older one is looked for from 0.
    const found = (await this.search(this.lastHandle + 1, marshal, (arg) => arg === thread)) ?? (await this.search(0, marshal, (arg) => arg === thread));
    if (found === undefined) return undefined;
    this.handles.set(thread, found);
    this.lastHandle = Math.max(this.lastHandle, found);
    return found;
  }

  /** Tries handles from `from` upwards, a batch per round trip, a bounded number of rounds. */
  private async search(from: number, marshal: (h: number) => object, is: (arg: unknown) => boolean): Promise<number | undefined> {
    for (let round = 0; round < PROBE_ROUNDS; round++) {
      const start = from + round * PROBE_BATCH;
      const found = await this.probe(
        Array.from({ length: PROBE_BATCH }, (_, i) => start + i),
        marshal,
        is,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * The candidate whose marshalled form comes back to the probe command as the object `is` looks for.
   * One command call carries every candidate as its own argument: the workbench turns each one into
   * the object it names (or leaves it as it was) on the way in, and it is one round trip however many.
   */
  private async probe(candidates: number[], marshal: (h: number) => object, is: (arg: unknown) => boolean): Promise<number | undefined> {
    let found: number | undefined;
    this.probeSink = (args) => {
      const i = args.findIndex(is);
      if (i >= 0 && i < candidates.length) found = candidates[i];
    };
    try {
      await vscode.commands.executeCommand('runCommands', { commands: [{ command: PROBE_COMMAND, args: candidates.map(marshal) }] });
    } finally {
      this.probeSink = undefined;
    }
    return found;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
