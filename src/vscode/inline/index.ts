// Inline chat's commands and its part of the session (runtime.ts spreads INLINE_HANDLERS into its
// handlers and disposes what startInlineChat returns). Commands return results that tests use instead
// of reading the UI: arc.inlineChat and arc.fixSelection return an InlineResult once the reply is in
// (for an edit: with the proposal left in the buffer), the accept / reject commands the proposal's state.
import * as vscode from 'vscode';
import { requestedModeSchema } from '../../core/config/settings';
import { REQUESTED_MODES, type Intent } from '../../core/run/events';
import type { Resolution } from '../../edit/applyHunks';
import type { RequestedMode } from '../../core/run/request';
import type { CommandId } from '../commandIds';
import type { Handler, Services } from '../services';
import { InlineChat, COMMENT_CONTROLLER_ID, type InlineResult, type ProposalInfo } from './chat';
import { ProposalLenses } from './lenses';
import type { InlineProposals } from './proposals';
import { fixQuery, MAX_EFFORT, MIN_EFFORT, modeLabel } from './prompt';

export { inlineRunFeed, InlineRunFeed, type InlineRunNotice, type InlineRunListener } from './feed';
export type { InlineResult, ProposalInfo, HunkInfo } from './chat';
export { COMMENT_CONTROLLER_ID };

const chats = new WeakMap<Services, InlineChat>();

/** Inline chat's share of a session: the chat and its lenses ("Fix with ARC" is registered at activation). */
export function startInlineChat(services: Services): vscode.Disposable {
  const chat = new InlineChat(services);
  chats.set(services, chat);
  const disposables = [
    chat,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new ProposalLenses(chat)),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}

/** The session's pending changes in the editor (inline chat's and agent runs'), once inline chat started. */
export function pendingChanges(services: Services): InlineProposals | undefined {
  return chats.get(services)?.proposals;
}

function chatFor(services: Services): InlineChat {
  const chat = chats.get(services);
  if (!chat) throw new Error('inline chat is not started in this session');
  return chat;
}

interface InlineOptions {
  uri?: string;
  /** [startLine, startCharacter, endLine, endCharacter], 0-based. */
  range?: [number, number, number, number];
  mode?: RequestedMode;
  effort?: number;
  intent?: Intent;
}

function optionsOf(arg: unknown): InlineOptions {
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  const out: InlineOptions = {};
  if (typeof o.uri === 'string') out.uri = o.uri;
  if (Array.isArray(o.range)) out.range = o.range as InlineOptions['range'];
  if (typeof o.mode === 'string') out.mode = requestedModeSchema.parse(o.mode);
  if (typeof o.effort === 'number' && o.effort >= MIN_EFFORT && o.effort <= MAX_EFFORT) out.effort = o.effort;
  if (o.intent === 'edit' || o.intent === 'answer') out.intent = o.intent;
  return out;
}

/**
 * ARC: Edit Selection… — a prompt at the selection. Args (query?, {uri?, range?, mode?, effort?, intent?}?):
 * without a query the prompt box opens for typing and `{uri, prompt: 'editor'}` comes back; with one it is sent.
 */
const inlineChat: Handler = async (services, [queryArg, optsArg]): Promise<InlineResult | { uri: string; prompt: 'editor' } | undefined> => {
  const chat = chatFor(services);
  const opts = optionsOf(optsArg);
  const target = await chat.target(opts.uri, opts.range);
  if (!target) {
    void vscode.window.showInformationMessage('ARC: open a file and select some code (or put the cursor where you want the edit) first.');
    return undefined;
  }
  const uri = target.editor.document.uri.toString();
  let query = typeof queryArg === 'string' && queryArg.trim() ? queryArg : undefined;
  if (!query) {
    // The usual way: a focused prompt box in the editor; what is typed there comes back as arc.inline.submit.
    if (await chat.prompt(target)) return { uri, prompt: 'editor' };
    // The editor would not make one: ask at the top instead, and answer in a thread all the same.
    query = await vscode.window.showInputBox({ title: 'ARC: Edit Selection', prompt: 'Ask about the code, or describe an edit', ignoreFocusOut: true });
    if (!query?.trim()) return undefined;
  }
  const t = chat.open(target);
  if (opts.mode) chat.setMode(t, opts.mode);
  if (opts.effort !== undefined) chat.setEffort(t, opts.effort);
  return chat.send(t, query, { intent: opts.intent });
};

/** ARC: Fix Selection — an edit that fixes the selection, with its diagnostics. Args (uri?, range?). */
const fixSelection: Handler = async (services, [uriArg, rangeArg]): Promise<InlineResult | undefined> => {
  const chat = chatFor(services);
  const target = await chat.target(uriArg, rangeArg);
  if (!target) {
    void vscode.window.showInformationMessage('ARC: open a file and select the code to fix first.');
    return undefined;
  }
  const doc = target.editor.document;
  if (!target.selected && !Array.isArray(rangeArg)) {
    // No selection: the lines of the problems on the cursor's line.
    const line = target.editor.selection.active.line;
    const here = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.range.start.line <= line && d.range.end.line >= line);
    if (here.length) {
      target.region = {
        startLine: Math.min(...here.map((d) => d.range.start.line)),
        endLine: Math.max(...here.map((d) => d.range.end.line)) + 1,
      };
    }
  }
  const t = chat.open(target);
  const problems = chat.diagnosticsIn(doc, target.region).length;
  return chat.send(t, fixQuery(problems), { intent: 'edit', shown: problems ? `Fix (${problems} problem${problems === 1 ? '' : 's'})` : 'Fix' });
};

/** The prompt box's Send (Ctrl+Enter). Args: a CommentReply, or (threadId, text). */
const submit: Handler = async (services, [arg, textArg]): Promise<InlineResult | undefined> => {
  const chat = chatFor(services);
  const t = chat.find(arg);
  const text = typeof textArg === 'string' ? textArg : ((arg as { text?: unknown } | undefined)?.text as string | undefined);
  if (!t) {
    void vscode.window.showInformationMessage('ARC: this prompt belongs to an earlier session; start a new one with ARC: Edit Selection….');
    return undefined;
  }
  if (!text?.trim()) return undefined;
  if (typeof textArg !== 'string') await chat.afterSubmit(t);
  return chat.send(t, text);
};

/** Stop: the thread's run (args: thread or threadId), else the proposal streaming in the active editor. */
const cancel: Handler = async (services, [arg]): Promise<boolean> => {
  const chat = chatFor(services);
  let t = chat.find(arg);
  if (!t) {
    const p = chat.proposalFor();
    t = p ? chat.threadOf(p) : chat.current();
  }
  return t ? chat.cancel(t) : false;
};

const MODES: readonly RequestedMode[] = REQUESTED_MODES;

const setMode: Handler = async (services, [arg, modeArg]): Promise<RequestedMode | undefined> => {
  const chat = chatFor(services);
  const t = chat.find(arg) ?? chat.current();
  if (!t) return undefined;
  let mode = typeof modeArg === 'string' ? requestedModeSchema.parse(modeArg) : undefined;
  if (!mode) {
    const now = chat.modeOf(t);
    const pick = await vscode.window.showQuickPick(
      MODES.map((m) => ({ label: modeLabel(m), description: m === now ? 'current' : '', mode: m })),
      { title: 'ARC: mode for this prompt', placeHolder: 'Auto lets the router choose per request (prefix a prompt with /instant, /reasoning, /agentic or /auto)' },
    );
    if (!pick) return undefined;
    mode = pick.mode;
  }
  chat.setMode(t, mode);
  return mode;
};

const EFFORTS = [0.25, 0.5, 0.75, 1, 1.5, 2];

const setEffort: Handler = async (services, [arg, effortArg]): Promise<number | undefined> => {
  const chat = chatFor(services);
  const t = chat.find(arg) ?? chat.current();
  if (!t) return undefined;
  let effort = typeof effortArg === 'number' && effortArg >= MIN_EFFORT && effortArg <= MAX_EFFORT ? effortArg : undefined;
  if (effort === undefined) {
    const now = chat.effortOf(t);
    const pick = await vscode.window.showQuickPick(
      EFFORTS.map((e) => ({ label: `${e}×`, description: e === now ? 'current' : e === 1 ? 'what such a request usually takes' : '', effort: e })),
      { title: 'ARC: thinking effort for this prompt', placeHolder: 'Relative to what ARC has learned such a request needs (prefix a prompt with /effort 0.5)' },
    );
    if (!pick) return undefined;
    effort = pick.effort;
  }
  chat.setEffort(t, effort);
  return effort;
};

const close: Handler = async (services, [arg]): Promise<boolean> => {
  const chat = chatFor(services);
  const t = chat.find(arg) ?? chat.current();
  if (!t) return false;
  chat.close(t);
  return true;
};

export interface ResolveResult {
  ok: boolean;
  proposal?: ProposalInfo;
}

function noProposal(): ResolveResult {
  void vscode.window.showInformationMessage('ARC: no proposed change in this editor.');
  return { ok: false };
}

function resolveHunk(resolution: Resolution): Handler {
  return async (services, [uriArg, idArg]): Promise<ResolveResult> => {
    const chat = chatFor(services);
    const p = chat.proposalFor(uriArg);
    if (!p) return noProposal();
    const id = typeof idArg === 'string' ? idArg : chat.hunkAtCursor(p);
    const ok = id ? await p.resolve(id, resolution) : false;
    await p.settled();
    return { ok, proposal: chat.info(p) };
  };
}

function resolveAll(resolution: Resolution): Handler {
  return async (services, [uriArg]): Promise<ResolveResult> => {
    const chat = chatFor(services);
    const p = chat.proposalFor(uriArg);
    if (!p) return noProposal();
    if (p.state === 'streaming') {
      if (resolution === 'accepted') {
        void vscode.window.showInformationMessage('ARC is still writing the change: accept it when it is complete (or Stop).');
        return { ok: false, proposal: chat.info(p) };
      }
      const t = chat.threadOf(p);
      if (t) chat.cancel(t);
      await p.cancel('cancelled');
      return { ok: true, proposal: chat.info(p) };
    }
    const ok = await p.resolveAll(resolution);
    await p.settled();
    return { ok, proposal: chat.info(p) };
  };
}

export type InlineCommandId = Extract<
  CommandId,
  | 'arc.inlineChat'
  | 'arc.fixSelection'
  | 'arc.inline.submit'
  | 'arc.inline.cancel'
  | 'arc.inline.setMode'
  | 'arc.inline.setEffort'
  | 'arc.inline.close'
  | 'arc.inline.acceptHunk'
  | 'arc.inline.rejectHunk'
  | 'arc.inline.acceptAll'
  | 'arc.inline.rejectAll'
>;

export const INLINE_HANDLERS: Record<InlineCommandId, Handler> = {
  'arc.inlineChat': inlineChat,
  'arc.fixSelection': fixSelection,
  'arc.inline.submit': submit,
  'arc.inline.cancel': cancel,
  'arc.inline.setMode': setMode,
  'arc.inline.setEffort': setEffort,
  'arc.inline.close': close,
  'arc.inline.acceptHunk': resolveHunk('accepted'),
  'arc.inline.rejectHunk': resolveHunk('rejected'),
  'arc.inline.acceptAll': resolveAll('accepted'),
  'arc.inline.rejectAll': resolveAll('rejected'),
};
