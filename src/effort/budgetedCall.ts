// One budgeted step of a thread (DESIGN §3.2 enforcement), as functions of an injected call so that
// effort/ owns the whole of it and imports neither the engine nor parallel/: the call itself, cut at
// the budget (budget forcing) and then asked for the answer with the reasoning carried over
// (answerAfterCut); at effort > 1 on a forcing model, a reasoning that closed early is sent back to
// think ("Wait,", extendReasoning) until it nears the budget. The engine's ThreadState supplies the
// call (streaming, usage, events) and the notices.
import { withSystemNote } from '../core/model/messages';
import type { SparseFeatures } from '../core/run/features';
import type { ChatMessage, ChatRequest, ModelCapabilities, ToolCall, ToolSpec } from '../core/model/types';
import { ANSWER_ALLOWANCE, type Budget } from './budget';
import { answerAfterCut, EXTEND_BELOW_SHARE, extendReasoning, MAX_EXTENSIONS, type EnforcementPlan } from './enforce';

/** The e1 plan of a thread's first call. */
export interface EffortPlan {
  bucket: string;
  /** budget.estimate is the natural length the budget is r × of: the per-query prediction when there is one. */
  budget: Budget;
  plan: EnforcementPlan;
  /** The bucket's mean behind the prediction (its prior), when a predictor made one. */
  prior?: number;
  /** The query's features the prediction came from (learned from after the call). */
  features?: SparseFeatures;
}

/** Answer tokens a budgeted call keeps for itself after a cut. */
export const MIN_ANSWER_RESERVE = 64;

/** What this needs back from a call (the engine's CallResult has more). */
export interface CallOutcome {
  text: string;
  reasoning: string;
  reasoningTokens: number;
  finish?: string;
  stoppedAtBudget: boolean;
  stoppedByCaller: boolean;
  toolCalls: ToolCall[];
}

export interface CallStops {
  /** Stop once this many reasoning tokens streamed before any answer text (budget forcing). */
  stopReasoningAt?: number;
  /** Stop when the answer so far says so. */
  stopWhen?: (text: string, reasoningTokens: number) => boolean;
}

export interface BudgetedCallIO<C extends CallOutcome> {
  /** One model call; its text streams to the thread's answer. */
  call(request: ChatRequest, stops: CallStops): Promise<C>;
  /** A new attempt at the answer starts (what streamed so far is superseded). */
  restart(): void;
  notice(code: string, message: string): void;
}

export interface BudgetedCallInput {
  messages: ChatMessage[];
  options: { tools?: ToolSpec[]; stop?: string[]; stopWhen?: CallStops['stopWhen'] };
  capabilities: Readonly<ModelCapabilities>;
  /** The thread's first call (the only one the e1 plan may apply to). */
  first: boolean;
  /** Output tokens still allowed, or undefined when unbudgeted. */
  remaining: number | undefined;
  /** The thread's e1 plan (the root of a reasoning run). */
  plan?: EffortPlan;
  /** The thread has a hard cap (a child, a SCALE step): never the generous safety cap. */
  hardCap: boolean;
  /** A child thread: an answer cut at its cap is reported as incomplete. */
  child: boolean;
  /** Thinking off (DESIGN §4): the provider's controls and its 16-token cut do the work; no budget forcing. */
  thinkingOff?: boolean;
}

export interface BudgetedOutcome<C extends CallOutcome> {
  text: string;
  toolCalls: ToolCall[];
  overBudget?: boolean;
  noAnswer?: boolean;
  error?: string;
  /** The step's first call, and whether it was cut at the budget (for e1 learning). */
  firstCall?: { call: C; cut: boolean };
}


/**
 * One budgeted step: a call, and when its reasoning is stopped at the budget, the call that asks for
 * the answer; at effort > 1, a reasoning that closed early is extended first.
 */
export async function budgetedCall<C extends CallOutcome>(io: BudgetedCallIO<C>, input: BudgetedCallInput): Promise<BudgetedOutcome<C>> {
  const { first, remaining, options, capabilities } = input;
  let { messages } = input;
  // The e1 plan belongs to the first call, and only while it fits what is left.
  const effort = first && (remaining === undefined || (input.plan?.budget.total ?? 0) <= remaining) ? input.plan : undefined;
  if (remaining !== undefined && remaining < MIN_ANSWER_RESERVE && !first) {
    return { text: '', toolCalls: [], overBudget: true, error: 'The thread used its whole budget.' };
  }
  // The editor's own models take effort only as words in the system prompt.
  if (effort?.plan.instruction) messages = withSystemNote(messages, effort.plan.instruction);
  const forcing = !input.thinkingOff && (capabilities.thinkTags || effort?.plan.kind === 'forcing');
  let request: Omit<ChatRequest, 'messages'>;
  let stopAt: number | undefined;
  let answerBudget: number;
  if (effort) {
    request = { ...effort.plan.request };
    if (input.hardCap && remaining !== undefined) request.maxOutputTokens = Math.min(request.maxOutputTokens ?? remaining, remaining);
    stopAt = effort.plan.stopAt;
    answerBudget = effort.budget.answer;
  } else if (remaining !== undefined) {
    answerBudget = Math.max(MIN_ANSWER_RESERVE, Math.min(1024, Math.floor(remaining / 2)));
    request = { maxOutputTokens: remaining };
    stopAt = forcing ? Math.max(0, remaining - answerBudget) : undefined;
  } else {
    request = {};
    answerBudget = 1024;
  }
  // Not in the tag form, where the first text may be a <spawn> block rather than an answer.
  // The plan's budget carries the run's effort (the one copy): above 1, the root's early close is
  // extended (children and SCALE steps keep the budget they were carved).
  const extend = Boolean(effort && effort.plan.kind === 'forcing' && effort.budget.effort > 1 && !input.child && !options.stop);
  const stopWhen = extend ? (text: string, reasoned: number) => text.trim() !== '' && reasoned < EXTEND_BELOW_SHARE * (stopAt ?? 0) : options.stopWhen;
  if (input.thinkingOff) {
    // The answer gets its allowance and nothing for reasoning; the provider stops any that flows.
    request = { ...request, thinking: 'off', maxOutputTokens: Math.min(request.maxOutputTokens ?? ANSWER_ALLOWANCE, effort ? effort.budget.total : ANSWER_ALLOWANCE) };
    stopAt = undefined;
  }
  const call = await io.call({ ...request, messages, tools: options.tools, stop: options.stop }, { stopReasoningAt: stopAt, stopWhen });
  const cut = call.stoppedAtBudget || (call.finish === 'length' && call.text.trim() === '' && call.toolCalls.length === 0);
  const firstCall = first ? { call, cut } : undefined;
  const done = (o: Omit<BudgetedOutcome<C>, 'firstCall'>): BudgetedOutcome<C> => (firstCall ? { ...o, firstCall } : o);

  let reasoning = call.reasoning;
  let current: CallOutcome = call;
  if (extend && call.stoppedByCaller) {
    const extended = await extendEarlyReasoning(io, messages, capabilities, call, stopAt ?? 0, answerBudget);
    reasoning = extended.reasoning;
    current = extended.current;
    if (current.stoppedByCaller || current.stoppedAtBudget) current = { ...current, stoppedAtBudget: true };
    else if (current.text.trim() !== '') return done({ text: current.text, toolCalls: current.toolCalls });
  }

  if (current.stoppedAtBudget || cut) {
    const budgetNote = effort
      ? `Reasoning reached its budget of ${effort.budget.reasoning} tokens (${effort.budget.effort}× the usual ${effort.budget.estimate}); asking for the answer now.`
      : `Reasoning reached this thread's budget; asking for the answer now.`;
    io.notice('budget_reached', budgetNote);
    return done(await answerAfterBudget(io, messages, reasoning, capabilities, answerBudget, Boolean(effort)));
  }
  if (call.finish === 'length' && !effort && call.toolCalls.length === 0 && (remaining !== undefined || input.child)) {
    // A child's answer cut at its cap is reported as such, so the parent knows it is incomplete.
    return done({ text: call.text, toolCalls: [], overBudget: true, error: 'The answer was cut at the thread budget.' });
  }
  return done({ text: call.text, toolCalls: call.toolCalls });
}

/**
 * s1: the model closed its reasoning before the budget the user asked for; send it back to think
 * ("Wait,") until it nears `target` or MAX_EXTENSIONS rounds have gone.
 */
export async function extendEarlyReasoning<C extends CallOutcome>(
  io: BudgetedCallIO<C>,
  messages: ChatMessage[],
  capabilities: Readonly<ModelCapabilities>,
  call: CallOutcome,
  target: number,
  answerBudget: number,
): Promise<{ reasoning: string; current: CallOutcome }> {
  let reasoning = call.reasoning;
  let current = call;
  let spent = call.reasoningTokens;
  let extensions = 0;
  while (extensions < MAX_EXTENSIONS && spent < EXTEND_BELOW_SHARE * target) {
    extensions++;
    io.notice('reasoning_extended', `The reasoning ended after ${spent} of ${target} budgeted tokens; asking the model to keep thinking ("Wait,").`);
    io.restart();
    const more = await io.call(
      { messages: extendReasoning(messages, reasoning, capabilities), maxOutputTokens: Math.max(MIN_ANSWER_RESERVE, target - spent) + answerBudget },
      { stopReasoningAt: Math.max(1, target - spent), stopWhen: (t, r) => t.trim() !== '' && extensions < MAX_EXTENSIONS && spent + r < EXTEND_BELOW_SHARE * target },
    );
    reasoning = `${reasoning.trim()}\n\nWait, ${more.reasoning.trim()}`;
    spent += more.reasoningTokens;
    current = more;
    if (!more.stoppedByCaller) break;
  }
  return { reasoning, current };
}

/**
 * The answer after the reasoning was stopped at the budget, the reasoning carried over. Templates
 * that open every turn with <think> may reason again before answering: the answer's cap bounds that,
 * and the stream is not stopped early, since a stop would leave no answer.
 */
export async function answerAfterBudget<C extends CallOutcome>(
  io: BudgetedCallIO<C>,
  messages: ChatMessage[],
  reasoning: string,
  capabilities: Readonly<ModelCapabilities>,
  answerBudget: number,
  planned: boolean,
): Promise<Omit<BudgetedOutcome<C>, 'firstCall'>> {
  io.restart();
  const answer = await io.call({ messages: answerAfterCut(messages, reasoning, capabilities), maxOutputTokens: answerBudget }, {});
  if (answer.text.trim() === '') {
    const error = planned ? 'The model gave no answer after its reasoning was stopped at the budget; try more effort (arc.effort / --effort).' : 'The thread gave no answer within its budget.';
    return planned ? { text: '', toolCalls: [], noAnswer: true, error } : { text: '', toolCalls: [], overBudget: true, error };
  }
  return { text: answer.text, toolCalls: [] };
}
