// What an approval card in the sidebar shows (DESIGN §5 "Prompts show the truth"), built on the host
// from the approval request: the whole command in its display form (escapes visible, long runs of
// blanks counted, its length stated), the diff's lines (as many as APPROVAL_DISPLAY allows, and exactly
// how many more there are), where the command runs and why a path is protected. Plain TypeScript: the
// extension builds these, the webview only draws them, the tests check them.
import { clipDisplay, commandDisplay, diffDisplay, nameDisplay } from '../core/text/approvalText';
import { groupDigits, visible } from '../core/text/visible';
import type { ApprovalView } from './messages';
import { APPROVAL_DISPLAY } from './messages';

type View = Omit<ApprovalView, 'id'>;

/** Text for a card's title or detail: sanitised and clipped with a marker (never cut silently). */
export function cardText(s: string, max: number): string {
  return clipDisplay(visible(s), max).text;
}

export function editApprovalView(req: { path: string; kind: 'edit' | 'create'; diff: string; protectedReason?: string }, openable: boolean): View {
  const d = diffDisplay(req.diff, { maxLines: APPROVAL_DISPLAY.diffLines, maxChars: APPROVAL_DISPLAY.diffChars, maxLineChars: APPROVAL_DISPLAY.diffLineChars });
  const title = `${req.kind === 'create' ? 'Create' : 'Edit'} ${clipDisplay(nameDisplay(req.path), APPROVAL_DISPLAY.pathChars).text}`;
  return {
    kind: req.kind === 'create' ? 'create' : 'edit',
    title,
    diff: d.text,
    diffLines: d.totalLines,
    ...(d.moreLines > 0 ? { diffMoreLines: d.moreLines } : {}),
    ...(d.shortenedLines > 0 ? { diffShortenedLines: d.shortenedLines } : {}),
    ...(req.protectedReason ? { protectedReason: cardText(req.protectedReason, APPROVAL_DISPLAY.reasonChars) } : {}),
    ...(openable ? { openable: true } : {}),
  };
}

export function commandApprovalView(req: { command: string; reason: string; cwd: string; sandboxed: boolean; network?: boolean }, openable: boolean): View {
  const d = commandDisplay(req.command, APPROVAL_DISPLAY.commandChars);
  return {
    kind: 'command',
    title: `Run a command in ${clipDisplay(nameDisplay(req.cwd), APPROVAL_DISPLAY.pathChars).text}`,
    detail: cardText(req.reason, APPROVAL_DISPLAY.reasonChars),
    command: d.text,
    commandLength: d.length,
    ...(d.transformed ? { commandTransformed: true } : {}),
    ...(d.more > 0 ? { commandMore: d.more } : {}),
    sandbox: !req.sandboxed ? 'unsandboxed' : req.network ? 'sandbox-network' : 'sandbox',
    ...(openable ? { openable: true } : {}),
  };
}

export function sensitiveApprovalView(req: { path: string; tool: string }): View {
  return {
    kind: 'sensitive',
    title: `${clipDisplay(nameDisplay(req.tool), 200).text} on ${clipDisplay(nameDisplay(req.path), APPROVAL_DISPLAY.pathChars).text}`,
    detail: 'This file is hidden from the agent (secrets, keys or .arcignore).',
  };
}

/** "runs in the sandbox (no network)" … for a card's `sandbox` value. */
export function sandboxLabel(sandbox: ApprovalView['sandbox']): string {
  if (sandbox === 'unsandboxed') return 'Runs UNSANDBOXED, as you';
  if (sandbox === 'sandbox-network') return 'Runs in the sandbox (with network access)';
  if (sandbox === 'sandbox') return 'Runs in the sandbox (no network)';
  return '';
}

/** The line under a command: its length, how it is shown, and what is not shown here. */
export function commandNote(v: Pick<ApprovalView, 'commandLength' | 'commandTransformed' | 'commandMore'>): string {
  if (v.commandLength === undefined) return '';
  const parts = [`${groupDigits(v.commandLength)} character${v.commandLength === 1 ? '' : 's'}`];
  if (v.commandTransformed) parts.push('shown with control characters escaped and long runs of blanks counted ⟨…⟩');
  if (v.commandMore) parts.push(`${groupDigits(v.commandMore)} more characters not shown here — open the full command`);
  return parts.join(' · ');
}

/** "1,234 more lines — open the full diff" and friends; '' when the card has the whole diff. */
export function diffNote(v: Pick<ApprovalView, 'diffLines' | 'diffMoreLines' | 'diffShortenedLines'>): string {
  const parts: string[] = [];
  if (v.diffMoreLines) parts.push(`${groupDigits(v.diffMoreLines)} more line${v.diffMoreLines === 1 ? '' : 's'} of ${groupDigits(v.diffLines ?? 0)} not shown here`);
  if (v.diffShortenedLines) parts.push(`${groupDigits(v.diffShortenedLines)} long line${v.diffShortenedLines === 1 ? '' : 's'} shortened`);
  return parts.length ? `${parts.join('; ')} — open the full diff` : '';
}

/** The one sanitiser, for the webview (which may import protocol/, not core/ at runtime). */
export { visible } from '../core/text/visible';
