// One request of an inline chat thread: the comment UI around runOnSurface (the one run lifecycle).
// The intent is the forced one, else what `run.routed` says (the engine settles `task: 'auto'`, so
// there is no second router call); an edit's proposal starts when the run is routed to one. The
// reply's words come from the pure reducer in ./reply.ts.
import * as vscode from 'vscode';
import type { Intent } from '../../core/run/events';
import { runOnSurface } from '../runOnSurface';
import type { Services } from '../services';
import { readSettings } from '../settings';
import type { ChatThread, InlineResult } from './chatTypes';
import { clampRegion, commandLink, contextFor, markdown, proposalSummary, pushHistory, rangeOf, selectionOf, stopLink, trimHistory, type MutableComment } from './chatHelpers';
import { inlineRunFeed } from './feed';
import type { InlineProposal } from './proposal';
import { proposalInfo, type InlineProposals } from './proposals';
import { finalMeta, newReply, notesText, reduceReply, replyLabel, stoppedAnswerBody, stoppedEditBody, streamingBody } from './reply';

const RENDER_MS = 100;

/** What a request needs of the thread's widget (InlineChat implements it). */
export interface ThreadView {
  readonly services: Services;
  readonly proposals: InlineProposals;
  renderThread(t: ChatThread): void;
  setRunning(t: ChatThread, running: boolean): void;
  relabel(t: ChatThread): void;
}

/**
 * One request of a thread: the comment UI around runOnSurface (the one run lifecycle). The intent is
 * the forced one, else what `run.routed` says (the engine settles `task: 'auto'`); an edit's
 * proposal starts when the run is routed to one.
 */
export async function runInThread(view: ThreadView, t: ChatThread, query: string, shown: string, forcedIntent: Intent | undefined, controller: AbortController): Promise<InlineResult | undefined> {
  const services = view.services;
  const doc = await vscode.workspace.openTextDocument(t.uri);
  const uri = doc.uri.toString();
  // A follow-up on a pending proposal of this thread redoes the edit from the original.
  if (t.proposal && t.proposal.state !== 'ended') {
    await t.proposal.cancel('cancelled');
  }
  const region = clampRegion(t.region, doc);
  const regionText = doc.getText(rangeOf(region, doc));
  const context = contextFor(doc, region, t.selected);
  // An edit always works on the region, selected or not.
  const editRegion = selectionOf(doc, region, regionText);
  const { settings } = readSettings();

  const user: vscode.Comment = { author: { name: 'You' }, body: new vscode.MarkdownString().appendText(shown), mode: vscode.CommentMode.Preview };
  const reply: MutableComment = { author: { name: 'ARC' }, body: markdown('…'), mode: vscode.CommentMode.Preview, label: forcedIntent === 'edit' ? 'editing' : 'answering' };
  t.comments.push(user, reply);
  view.renderThread(t);
  view.setRunning(t, true);
  const failed = (intent: Intent, error: string, runId = ''): InlineResult => {
    reply.body = markdown(`$(warning) ${error}`);
    reply.label = undefined;
    view.renderThread(t);
    return { threadId: t.id, uri, runId, status: 'failed', intent, answer: '', error };
  };
  const openProposal = () => view.proposals.openIn(uri);
  const BLOCKED = 'Another ARC proposal is still open in this file: accept or reject it first.';
  if (forcedIntent === 'edit' && openProposal()) return failed('edit', BLOCKED);

  const state = newReply(forcedIntent);
  let proposal: InlineProposal | undefined;
  let blocked = false;
  let simulated = false;
  let timer: NodeJS.Timeout | undefined;
  const render = () => {
    timer = undefined;
    reply.label = replyLabel(state, simulated);
    if (proposal) {
      const lines = proposal.model.hunks().reduce((n, h) => n + h.newLines.length, 0);
      reply.body = markdown(`$(loading~spin) Writing the change in the editor… ${lines} new line${lines === 1 ? '' : 's'} so far. ${stopLink(t.id)}`);
    } else {
      reply.body = markdown(`${streamingBody(state)}\n\n${commandLink('Stop', 'arc.inline.cancel', [t.id])}`, false, false);
    }
    view.renderThread(t);
  };
  const schedule = () => {
    timer ??= setTimeout(render, RENDER_MS);
  };
  const routedTo = (intent: Intent) => {
    reply.label = intent === 'edit' ? 'editing' : 'answering';
    if (state.routed && (t.mode ?? settings.mode) === 'auto') {
      t.routed = state.routed;
      view.relabel(t);
    }
    if (intent !== 'edit') return;
    if (openProposal()) {
      blocked = true;
      controller.abort();
      return;
    }
    proposal = view.proposals.start(t, doc, region, regionText);
    t.proposalComment = reply;
    // The selection has done its job (it chose the region): left in place it would paint over the diff.
    for (const e of vscode.window.visibleTextEditors) {
      if (e.document === doc && !e.selection.isEmpty) e.selection = new vscode.Selection(e.selection.start, e.selection.start);
    }
  };
  const outcome = await runOnSurface(
    services,
    {
      query,
      modeOverride: t.mode,
      source: 'inline',
      context: forcedIntent === 'edit' ? { ...context, selection: editRegion } : forcedIntent ? context : { ...context, editRegion },
      history: trimHistory(t.history),
      task: forcedIntent ?? 'auto',
      ...(t.lastIntent ? { previousIntent: t.lastIntent } : {}),
      effort: t.effort,
    },
    {
      controller,
      onStart: (run) => {
        simulated = run.simulated;
      },
      onEvent: (event) => {
        const editText = reduceReply(state, event);
        inlineRunFeed.emit({ threadId: t.id, uri, query, ...(state.intent ? { intent: state.intent } : {}), event });
        if (event.type === 'run.routed') routedTo(state.intent!);
        if (editText && proposal) proposal.push(editText);
        if (event.type === 'thread.progress' || event.type === 'thread.delta') schedule();
      },
    },
  );
  if (timer) clearTimeout(timer);
  const intent = state.intent ?? forcedIntent ?? 'answer';
  if (outcome.status === 'not-run') return failed(intent, outcome.error ?? 'ARC has no model configured (see the warning, or ARC: Set API Key and the arc.* settings).');
  const { runId, request, mode, last } = outcome;
  if (blocked) return failed(intent, BLOCKED, runId);

  const meta = finalMeta(state, last?.type === 'run.finished' ? last.data.usage : undefined, simulated);
  const base = { threadId: t.id, uri, runId, intent, mode: state.mode };
  const noteText = notesText(state);

  if (outcome.status === 'finished') {
    const final = outcome.answer;
    t.lastIntent = intent;
    pushHistory(t, query, final);
    reply.label = meta;
    if (proposal) {
      t.proposalRun = { runId, request, mode: state.mode ?? mode };
      await proposal.finish(final);
      reply.body = proposal.state === 'ended' ? markdown(`No change proposed: the reply left the code as it was.${noteText}`) : markdown(`${proposalSummary(proposal)}${noteText}`, true);
      view.renderThread(t);
      return { ...base, status: 'finished', answer: final, proposal: proposalInfo(proposal) };
    }
    reply.body = markdown(`${final}${noteText}`, false, false);
    view.renderThread(t);
    return { ...base, status: 'finished', answer: final };
  }

  const cancelled = outcome.status === 'cancelled';
  const error = cancelled ? undefined : outcome.error;
  const partial = last?.type === 'run.failed' || last?.type === 'run.cancelled' ? (last.data.answer ?? '') : '';
  reply.label = meta || undefined;
  if (proposal) {
    const interrupted = proposal.interrupted;
    await proposal.cancel('cancelled');
    reply.body = markdown(stoppedEditBody(cancelled, interrupted, error));
    view.renderThread(t);
    return { ...base, status: cancelled ? 'cancelled' : 'failed', answer: partial, ...(error ? { error } : {}), proposal: proposalInfo(proposal) };
  }
  reply.body = markdown(stoppedAnswerBody(partial, cancelled, error), false, false);
  view.renderThread(t);
  return { ...base, status: cancelled ? 'cancelled' : 'failed', answer: partial, ...(error ? { error } : {}) };
}
