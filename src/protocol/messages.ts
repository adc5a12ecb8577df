// The sidebar's messages (DESIGN §6.2, §7): what the extension and the webview say to each other,
// validated with zod on both sides. Plain TypeScript and zod only — no `vscode` — so the browser
// bundle, the extension and the unit tests share one definition. RunEvents travel as they are and are
// parsed with the shared RunEvent schema on arrival (an unknown kind is shown generically).
import { z } from 'zod';
import { MAX_EFFORT, MIN_EFFORT, roundEffort } from '../core/config/effortRange';
import { modeSchema, requestedModeSchema, type RequestedMode } from '../core/run/events';

export { MODES, REQUESTED_MODES } from '../core/run/events';
export { requestedModeSchema, type RequestedMode };

/** Effort (DESIGN §3.2) as it enters from the webview: in range, rounded to the slider's step. */
export const effortSchema = z.number().min(MIN_EFFORT).max(MAX_EFFORT).transform(roundEffort);

export const attachmentInfoSchema = z.object({ name: z.string().max(300), chars: z.number().int().nonnegative(), language: z.string().max(64).optional() });
export type AttachmentInfo = z.infer<typeof attachmentInfoSchema>;

/** Characters of the box a `draftHint` carries: the router reads no more than its first few KB anyway. */
export const DRAFT_HINT_CHARS = 6000;

/** Host → webview: what the controls show (also sent alone when a setting changes). */
export const settingsViewSchema = z.object({
  mode: requestedModeSchema,
  effort: effortSchema,
  /** A model for instant answers is set: ARC can run. */
  configured: z.boolean(),
  /** The model the effort hint is for (the reasoning role, else the instant one). */
  effortModel: z.string().max(300).optional(),
  /** The learned natural reasoning length for a reasoning query on that model (tokens). */
  effortEstimate: z.number().nonnegative(),
  /** Reasoning tokens at each slider stop (MIN_EFFORT to MAX_EFFORT by EFFORT_STEP), from effort/hint.ts. */
  effortTokens: z.array(z.number().nonnegative()).max(100).optional(),
  /** The estimate is the per-query prediction for the question in the box (a `draftHint`), not a generic one. */
  effortDraft: z.boolean().optional(),
  /** The last `setEffort` seq the host has saved: an older echo never moves the slider back. */
  effortSeq: z.number().int().nonnegative().optional(),
  /** USD per agentic run before ARC asks (0: none). */
  spendCap: z.number().nonnegative(),
  simulated: z.boolean(),
  /** What to offer when nothing is configured (DESIGN §4's order). */
  setup: z
    .object({
      endpoints: z.array(z.string().max(64)).max(50),
      editorModels: z.array(z.object({ id: z.string().max(300), label: z.string().max(300) })).max(50),
      problems: z.array(z.string().max(1000)).max(20),
    })
    .optional(),
  models: z.object({ instant: z.string().max(300).optional(), reasoning: z.string().max(300).optional(), agentic: z.string().max(300).optional() }),
  /** The role models (endpoint/model) with no price: a run on one shows its cost as unknown from the start. */
  unpriced: z.array(z.string().max(300)).max(10).optional(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/**
 * How much of a command or a diff an approval card carries (src/protocol/approvalDisplay.ts). Beyond
 * these the card says exactly how much more there is and offers to open the whole text in the editor.
 */
export const APPROVAL_DISPLAY = {
  /** Characters of a command's display form (runs of blanks are already counted, not spelled out). */
  commandChars: 50_000,
  diffLines: 3_000,
  diffChars: 300_000,
  /** A diff line longer than this is shortened, with a marker saying by how much. */
  diffLineChars: 4_000,
  pathChars: 1_500,
  reasonChars: 4_000,
} as const;

/** Room for the `⟨… N more characters⟩` markers on top of the limits. */
const MARK = 200;

export const approvalViewSchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.enum(['edit', 'create', 'command', 'sensitive', 'spend']),
  title: z.string().max(APPROVAL_DISPLAY.pathChars + 500),
  detail: z.string().max(APPROVAL_DISPLAY.reasonChars + MARK).optional(),
  /** Unified diff for edits and new files: its display form (sanitised), up to APPROVAL_DISPLAY. */
  diff: z.string().max(APPROVAL_DISPLAY.diffChars + APPROVAL_DISPLAY.diffLineChars + MARK).optional(),
  /** Lines in the whole diff. */
  diffLines: z.number().int().nonnegative().optional(),
  /** Lines of the diff that `diff` does not have (the card says so and offers the full diff). */
  diffMoreLines: z.number().int().nonnegative().optional(),
  /** Lines of `diff` shortened for display (each ends in a marker saying by how much). */
  diffShortenedLines: z.number().int().nonnegative().optional(),
  /** The command's display form: one line, escapes visible, long runs of blanks counted. */
  command: z.string().max(APPROVAL_DISPLAY.commandChars + MARK).optional(),
  /** Characters in the command that runs. */
  commandLength: z.number().int().nonnegative().optional(),
  /** `command` differs from what runs (escapes, counted blanks). */
  commandTransformed: z.boolean().optional(),
  /** Characters of the display form not in `command` (open the full command to see them). */
  commandMore: z.number().int().nonnegative().optional(),
  /** Where the command runs: the OS sandbox without or with network, or unsandboxed as the user. */
  sandbox: z.enum(['sandbox', 'sandbox-network', 'unsandboxed']).optional(),
  /** Why the path is protected: such an edit always asks (DESIGN §5). */
  protectedReason: z.string().max(APPROVAL_DISPLAY.reasonChars + MARK).optional(),
  /** The whole diff or command can be opened in the editor (webview → host `openApprovalText`). */
  openable: z.boolean().optional(),
  /** The turn whose run asked, when the run is the sidebar's own. */
  turnId: z.string().max(100).optional(),
});
export type ApprovalView = z.infer<typeof approvalViewSchema>;

export const turnSnapshotSchema = z.object({
  id: z.string().min(1).max(100),
  query: z.string().max(100_000),
  mode: requestedModeSchema.optional(),
  attachments: z.array(attachmentInfoSchema).max(50),
  /** The run's events so far, coalesced (the webview reduces them into the tree). */
  events: z.array(z.unknown()).max(20_000),
  rated: z.enum(['up', 'down']).optional(),
  /** Why the turn could not start (no model, a bad setting). */
  error: z.string().max(4000).optional(),
  /** Reopened from Show Run History: read-only. */
  fromHistory: z.boolean().optional(),
  startedAt: z.number(),
});
export type TurnSnapshot = z.infer<typeof turnSnapshotSchema>;

export const sessionUsageSchema = z.object({
  runs: z.number().int().nonnegative(),
  prompt: z.number().nonnegative(),
  completion: z.number().nonnegative(),
  /** USD; null once a run used a model without a price. */
  cost: z.number().nonnegative().nullable(),
});
export type SessionUsage = z.infer<typeof sessionUsageSchema>;

/** The latest agent run's changed files under review (issue 21). */
export const reviewViewSchema = z.object({
  label: z.string().max(500),
  pending: z.number().int().nonnegative(),
  files: z
    .array(
      z.object({
        path: z.string().max(2000),
        added: z.number().int().nonnegative(),
        removed: z.number().int().nonnegative(),
        pending: z.number().int().nonnegative(),
        state: z.enum(['pending', 'kept', 'undone', 'partly kept', 'left as edited']),
      }),
    )
    .max(500),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

/** Restore points (DESIGN §6.8): per turn, the files a restore to before it would put back. */
export const checkpointsViewSchema = z.object({
  /** The size cap of the kept checkpoints, in bytes (said in the UI). */
  capBytes: z.number().int().nonnegative(),
  points: z.array(z.object({ turnId: z.string().min(1).max(100), files: z.array(z.string().max(2000)).max(500) })).max(200),
  /** A restore that can be undone once, described. */
  undoable: z.string().max(500).optional(),
});
export type CheckpointsView = z.infer<typeof checkpointsViewSchema>;

export const snapshotSchema = z.object({
  settings: settingsViewSchema,
  turns: z.array(turnSnapshotSchema).max(200),
  attachments: z.array(attachmentInfoSchema).max(50),
  approvals: z.array(approvalViewSchema).max(100),
  session: sessionUsageSchema,
  /** A past run shown from history (with a way back to the conversation). */
  history: z.object({ label: z.string().max(500) }).optional(),
  review: reviewViewSchema.optional(),
  checkpoints: checkpointsViewSchema.optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema }),
  z.object({ type: z.literal('settings'), settings: settingsViewSchema }),
  z.object({ type: z.literal('turn'), turn: turnSnapshotSchema }),
  /** New events of a turn, in order (coalesced by the host). */
  z.object({ type: z.literal('events'), turnId: z.string().min(1).max(100), events: z.array(z.unknown()).max(20_000) }),
  z.object({ type: z.literal('attachments'), attachments: z.array(attachmentInfoSchema).max(50) }),
  z.object({ type: z.literal('approvals'), approvals: z.array(approvalViewSchema).max(100) }),
  z.object({ type: z.literal('session'), session: sessionUsageSchema }),
  z.object({ type: z.literal('rated'), turnId: z.string().min(1).max(100), rated: z.enum(['up', 'down']) }),
  z.object({ type: z.literal('review'), review: reviewViewSchema.nullable() }),
  z.object({ type: z.literal('checkpoints'), checkpoints: checkpointsViewSchema }),
  /** Put text into the composer (Explain Selection fills it, for instance). */
  z.object({ type: z.literal('focusComposer'), text: z.string().max(100_000).optional() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Commands the webview may ask the host to run (set-up buttons); nothing else gets through. */
export const WEBVIEW_COMMANDS = ['arc.selectModel', 'arc.testConnection', 'arc.setUpProvider', 'arc.showHistory', 'arc.setApiKey', 'arc.openWalkthrough', 'arc.openSettings', 'arc.undoLastRun'] as const;

export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('ask'), query: z.string().min(1).max(100_000), mode: requestedModeSchema.optional(), effort: effortSchema.optional() }),
  z.object({ type: z.literal('setEffort'), effort: effortSchema, seq: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('setMode'), mode: requestedModeSchema }),
  /** The question in the box changed (debounced): the host answers with `settings` whose hint is for it. */
  z.object({ type: z.literal('draftHint'), text: z.string().max(DRAFT_HINT_CHARS) }),
  z.object({ type: z.literal('cancel'), turnId: z.string().min(1).max(100).optional() }),
  z.object({ type: z.literal('rerun'), turnId: z.string().min(1).max(100), mode: modeSchema }),
  z.object({ type: z.literal('rate'), turnId: z.string().min(1).max(100), up: z.boolean() }),
  z.object({ type: z.literal('approve'), id: z.string().min(1).max(100), approved: z.boolean() }),
  /** Open the whole diff or command of a pending approval in the editor. */
  z.object({ type: z.literal('openApprovalText'), id: z.string().min(1).max(100) }),
  z.object({ type: z.literal('attach') }),
  z.object({ type: z.literal('removeAttachment'), index: z.number().int().nonnegative().max(49) }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('closeHistory') }),
  z.object({ type: z.literal('copy'), text: z.string().max(1_000_000) }),
  z.object({ type: z.literal('insert'), text: z.string().max(1_000_000) }),
  /** The changed-files list: open a file, keep or undo a file (or with no path the whole run), the multi-diff. */
  z.object({ type: z.literal('review'), action: z.enum(['open', 'keep', 'undo', 'showChanges']), path: z.string().max(2000).optional() }),
  /** Restore to before a turn: its files, its conversation, or both; and undo the last restore. */
  z.object({ type: z.literal('restore'), turnId: z.string().min(1).max(100), what: z.enum(['files', 'conversation', 'both']) }),
  z.object({ type: z.literal('undoRestore') }),
  z.object({ type: z.literal('command'), command: z.enum(WEBVIEW_COMMANDS), args: z.array(z.union([z.string().max(300), z.number(), z.boolean()])).max(4).optional() }),
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

export function parseHostMessage(input: unknown): { ok: true; message: HostMessage } | { ok: false; error: string } {
  const r = hostMessageSchema.safeParse(input);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

export function parseWebviewMessage(input: unknown): { ok: true; message: WebviewMessage } | { ok: false; error: string } {
  const r = webviewMessageSchema.safeParse(input);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: z.prettifyError(r.error) };
}
