// SCALE end to end (DESIGN §3.3): decompose (one repair) → assess every step concurrently → assign
// System 1 / System 2 by tau → allocate the run's budget → `plan.created` → execute in dependency
// order, independent steps concurrently, each step seeing the earlier steps' answers (never their
// reasoning). Model calls, step threads, the scheduler and events are injected: the engine runs each
// step as a Thread with its own events and e1 enforcement.
import type { ChatMessage } from '../../core/model/types';
import type { EventData } from '../../core/run/events';
import { allocate } from './allocate';
import { ASSESS_MAX_TOKENS, assessMessages, INVALID_DIFFICULTY, parseDifficulty, type Difficulty } from './assess';
import { assignSystems, type System } from './assign';
import { stripThinking } from './json';
import { decomposeMessages, parsePlan, repairMessages, type Plan } from './plan';
import type { TaskPool } from './pool';
import { stepAnswerOf, stepMessages, type StepStatus } from './steps';

/** Most output tokens the decompose call (and its repair) may use… */
export const PLAN_MAX_TOKENS = 1024;
/** …and at most this share of what is left of the run's budget when it is made. */
export const PLAN_SHARE = 0.25;
/** A decompose call with fewer tokens than this would be cut off: fall back instead. */
export const PLAN_MIN_TOKENS = 256;
/** After this many failed steps no further step starts (a dead endpoint should not be called 8 times). */
export const MAX_STEP_FAILURES = 2;

export interface ScaleCallRequest {
  purpose: 'plan' | 'assess';
  messages: ChatMessage[];
  /** Output-token cap of this call. Plan and assess calls run with thinking off. */
  maxOutputTokens: number;
  signal: AbortSignal;
  /** The step being scored (assess only). */
  step?: number;
}

export interface ScaleCallResult {
  /** The answer text only (no reasoning). */
  text: string;
  /** Output tokens the call used (counted against the run's budget). */
  tokens: number;
}

export interface StepRunRequest {
  index: number;
  title: string;
  goal: string;
  messages: ChatMessage[];
  /** 1: instant role, thinking off. 2: reasoning role with an e1 budget. */
  system: System;
  difficulty: number;
  /** Output tokens (reasoning + answer) for this step. */
  budget: number;
  /** The last step: its answer is the run's answer. */
  final: boolean;
  signal: AbortSignal;
}

export interface StepRunResult {
  status: StepStatus;
  /** The step's answer text, never its reasoning. */
  answer: string;
  tokens: number;
  error?: string;
}

export type ScaleEvent =
  | { type: 'plan.created'; data: EventData<'plan.created'> }
  | { type: 'thread.notice'; data: EventData<'thread.notice'> };

export interface ScaleDeps {
  call(req: ScaleCallRequest): Promise<ScaleCallResult>;
  runStep(req: StepRunRequest): Promise<StepRunResult>;
  pool: TaskPool;
  emit(event: ScaleEvent): void;
}

export interface ScaleInput {
  /** The user's full turn: the query plus any selected code, as the model should see it. */
  request: string;
  /** Relative effort r ∈ [0.1, 2]. */
  effort: number;
  /** B: the run's budget in output tokens, over every call SCALE makes. */
  budget: number;
  system1Budget?: number;
  system2Floor?: number;
  maxPerStep?: number;
  maxStepFailures?: number;
}

export type StepOutcomeStatus = StepStatus | 'skipped' | 'pending';

export interface ScaleStepOutcome {
  index: number;
  title: string;
  goal: string;
  dependsOn: number[];
  difficulty: number;
  /** False when the score could not be used and the step counts as hard. */
  scored: boolean;
  system: System;
  budget: number;
  /** `pending`: never reached (the run stopped first); `skipped`: not started after too many failures. */
  status: StepOutcomeStatus;
  started: boolean;
  answer: string;
  tokens: number;
  error?: string;
}

export type ScaleStatus = StepStatus | 'fallback';

export interface ScaleResult {
  /** `fallback`: no usable plan (or no budget for one); the caller runs one undecomposed reasoning call. */
  status: ScaleStatus;
  /** The final step's answer; when the run did not finish, the best partial answer (or ''). */
  answer: string;
  steps: ScaleStepOutcome[];
  /** Output tokens of every call SCALE made. */
  tokens: number;
  /** Human-readable notes (repairs, unusable scores, degraded budgets, failed steps, why it fell back). */
  notes: string[];
  plan?: Plan;
  tau?: number;
  fallback?: { reason: string; remainingBudget: number };
}

/**
 * Runs SCALE. Never throws for model trouble (a failing call becomes a note, a fallback or a failed
 * step); every call it starts has settled when it returns, and the signals it handed out are then
 * aborted. Cancelling `signal` aborts every in-flight call and returns status `cancelled`.
 */
export async function runScale(deps: ScaleDeps, input: ScaleInput, signal: AbortSignal): Promise<ScaleResult> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await new ScaleRun(deps, input, ctl.signal, () => signal.aborted).run();
  } finally {
    signal.removeEventListener('abort', onAbort);
    ctl.abort(new Error('SCALE run finished'));
  }
}

class ScaleRun {
  private tokens = 0;
  private readonly notes: string[] = [];
  private readonly budget: number;
  private plan?: Plan;
  private tau?: number;
  private steps: ScaleStepOutcome[] = [];

  constructor(
    private readonly deps: ScaleDeps,
    private readonly input: ScaleInput,
    private readonly signal: AbortSignal,
    private readonly userCancelled: () => boolean,
  ) {
    this.budget = Number.isFinite(input.budget) ? Math.max(0, Math.floor(input.budget)) : 0;
  }

  async run(): Promise<ScaleResult> {
    if (this.signal.aborted) return this.cancelled();
    const plan = await this.decompose();
    if (plan === 'cancelled') return this.cancelled();
    if (typeof plan === 'string') return this.fallback(plan);
    this.plan = plan;
    const scores = await this.assess(plan);
    if (scores === 'cancelled') return this.cancelled();
    const difficulties = scores.map((s) => s.difficulty);
    const { tau, systems } = assignSystems(difficulties, this.input.effort);
    this.tau = tau;
    const alloc = allocate({
      total: this.budget,
      overhead: this.tokens,
      steps: systems.map((system, i) => ({ system, difficulty: difficulties[i]! })),
      ...(this.input.system1Budget !== undefined ? { system1Budget: this.input.system1Budget } : {}),
      ...(this.input.system2Floor !== undefined ? { system2Floor: this.input.system2Floor } : {}),
      ...(this.input.maxPerStep !== undefined ? { maxPerStep: this.input.maxPerStep } : {}),
    });
    if (!alloc.feasible) return this.fallback(`too little budget for ${plan.steps.length} steps: ${alloc.notes.join('; ')}`);
    for (const note of alloc.notes) this.note('scale_budget_degraded', `SCALE: ${note}.`);
    this.steps = plan.steps.map((s, i) => ({
      index: i,
      title: s.title,
      goal: s.goal,
      dependsOn: s.dependsOn,
      difficulty: difficulties[i]!,
      scored: scores[i]!.valid,
      system: alloc.systems[i]!,
      budget: alloc.budgets[i]!,
      status: 'pending',
      started: false,
      answer: '',
      tokens: 0,
    }));
    this.deps.emit({
      type: 'plan.created',
      data: {
        steps: this.steps.map((s) => ({
          index: s.index,
          title: s.title,
          goal: s.goal,
          difficulty: s.difficulty,
          scored: s.scored,
          system: s.system,
          budget: s.budget,
          dependsOn: s.dependsOn,
        })),
        conditions: plan.conditions,
        question: plan.question,
        tau,
        effort: this.input.effort,
        budget: this.budget,
        overhead: this.tokens,
      },
    });
    if (this.signal.aborted) return this.cancelled();
    await this.execute(plan);
    return this.finish();
  }

  /** The plan, or why there is none (a string), or 'cancelled'. */
  private async decompose(): Promise<Plan | string | 'cancelled'> {
    const cap = (left: number) => Math.min(PLAN_MAX_TOKENS, Math.floor(left * PLAN_SHARE));
    const first = cap(this.budget);
    if (first < PLAN_MIN_TOKENS) return `the run's budget of ${this.budget} tokens is too small to plan steps`;
    const messages = decomposeMessages(this.input.request);
    const reply = await this.callPlan(messages, first);
    if (reply === 'cancelled' || typeof reply === 'string') return reply;
    const parsed = parsePlan(reply.text);
    if (parsed.ok) return parsed.plan;
    const second = cap(this.budget - this.tokens);
    if (second < PLAN_MIN_TOKENS) return `the plan was not usable (${parsed.error}) and no budget is left to repair it`;
    this.note('scale_plan_repair', `SCALE: the plan was not usable (${parsed.error}); asking once more.`);
    const retry = await this.callPlan(repairMessages(messages, reply.text, parsed.error), second);
    if (retry === 'cancelled' || typeof retry === 'string') return retry;
    const reparsed = parsePlan(retry.text);
    return reparsed.ok ? reparsed.plan : `the plan was still not usable after one repair (${reparsed.error})`;
  }

  private async callPlan(messages: ChatMessage[], maxOutputTokens: number): Promise<ScaleCallResult | string | 'cancelled'> {
    try {
      const r = await this.deps.pool.run((signal) => this.deps.call({ purpose: 'plan', messages, maxOutputTokens, signal }), this.signal);
      this.tokens += count(r.tokens);
      return r;
    } catch (e) {
      if (this.signal.aborted) return 'cancelled';
      return `the planning call failed (${errorText(e)})`;
    }
  }

  private async assess(plan: Plan): Promise<Difficulty[] | 'cancelled'> {
    const settled = await Promise.allSettled(
      plan.steps.map((_, i) =>
        this.deps.pool.run(
          (signal) => this.deps.call({ purpose: 'assess', messages: assessMessages(plan, i), maxOutputTokens: ASSESS_MAX_TOKENS, signal, step: i }),
          this.signal,
        ),
      ),
    );
    if (this.signal.aborted) return 'cancelled';
    return settled.map((s, i) => {
      let d: Difficulty;
      if (s.status === 'fulfilled') {
        this.tokens += count(s.value.tokens);
        d = parseDifficulty(s.value.text);
      } else {
        d = { difficulty: INVALID_DIFFICULTY, valid: false, note: `the scoring call failed (${errorText(s.reason)}); counted as hard (${INVALID_DIFFICULTY})` };
      }
      if (!d.valid) this.note('scale_score_invalid', `SCALE step ${i + 1}: ${d.note}.`);
      return d;
    });
  }

  /**
   * Each step starts when every step it depends on has settled; independent steps run at once
   * (bounded by the pool). A step whose input failed still runs, told that the answer is missing, so
   * the last step can still give the user an answer; after MAX_STEP_FAILURES failures nothing new
   * starts (the endpoint is probably down), but steps already running finish.
   */
  private async execute(plan: Plan): Promise<void> {
    const maxFailures = Math.max(1, this.input.maxStepFailures ?? MAX_STEP_FAILURES);
    let failures = 0;
    let stopped: string | undefined;
    const settled: Array<Promise<void>> = [];
    const runOne = async (i: number): Promise<void> => {
      const step = this.steps[i]!;
      if (this.signal.aborted) return;
      if (stopped) {
        step.status = 'skipped';
        step.error = stopped;
        return;
      }
      const inputs = step.dependsOn.map((d) => ({ index: d, title: this.steps[d]!.title, status: carriedStatus(this.steps[d]!.status), answer: this.steps[d]!.answer }));
      const final = i === plan.steps.length - 1;
      const messages = stepMessages({ request: this.input.request, plan, index: i, inputs });
      let result: StepRunResult;
      try {
        result = await this.deps.pool.run((signal) => {
          step.started = true;
          return this.deps.runStep({ index: i, title: step.title, goal: step.goal, messages, system: step.system, difficulty: step.difficulty, budget: step.budget, final, signal });
        }, this.signal);
      } catch (e) {
        if (!step.started && this.signal.aborted) return; // cancelled while queued: never reached
        result = { status: this.signal.aborted ? 'cancelled' : 'failed', answer: '', tokens: 0, error: errorText(e) };
      }
      step.status = this.signal.aborted && result.status !== 'done' ? 'cancelled' : result.status;
      step.answer = stripThinking(result.answer ?? '').trim();
      step.tokens = count(result.tokens);
      this.tokens += step.tokens;
      if (result.error) step.error = result.error;
      if (this.signal.aborted) return;
      if (step.status === 'done' && step.answer === '') {
        step.status = 'failed';
        step.error = 'the step gave no answer';
      }
      if (step.status !== 'done') {
        const what = step.status === 'over_budget' ? 'ran out of its budget' : `did not finish (${step.status}${step.error ? `: ${step.error}` : ''})`;
        this.note('scale_step_failed', `SCALE step ${i + 1} (${step.title}) ${what}${final ? '' : '; the steps after it are told its answer is missing or partial'}.`);
        if (step.status !== 'over_budget' && ++failures >= maxFailures && !stopped) {
          stopped = `not started: ${failures} steps had failed`;
          this.note('scale_stopped', `SCALE: ${failures} steps failed; no further step is started.`);
        }
      }
    };
    for (const s of plan.steps) {
      const deps = s.dependsOn.map((d) => settled[d]!);
      settled[s.index] = Promise.all(deps).then(() => runOne(s.index));
    }
    await Promise.all(settled);
  }

  private finish(): ScaleResult {
    if (this.userCancelled() || this.signal.aborted) return this.cancelled();
    const last = this.steps[this.steps.length - 1]!;
    if (this.tokens > this.budget) this.notes.push(`the steps used ${this.tokens} tokens, more than the run's budget of ${this.budget}`);
    if (last.status === 'done') return this.result('done', last.answer);
    return this.result(last.status === 'over_budget' ? 'over_budget' : 'failed', last.answer || this.partialAnswer());
  }

  /** What is known when the run did not finish: the answers of the steps that did. */
  private partialAnswer(): string {
    const done = this.steps.filter((s) => (s.status === 'done' || s.status === 'over_budget') && s.answer);
    if (done.length === 0) return '';
    return done.map((s) => `Step ${s.index + 1} (${s.title}): ${stepAnswerOf(s.answer)}`).join('\n');
  }

  private cancelled(): ScaleResult {
    const last = this.steps[this.steps.length - 1];
    return this.result('cancelled', (last?.status === 'cancelled' && last.answer) || this.partialAnswer());
  }

  private fallback(reason: string): ScaleResult {
    this.note('scale_fallback', `SCALE could not plan steps: ${reason}. Answering in one reasoning call instead.`);
    return { ...this.result('fallback', ''), fallback: { reason, remainingBudget: Math.max(0, this.budget - this.tokens) } };
  }

  private result(status: ScaleStatus, answer: string): ScaleResult {
    return {
      status,
      answer,
      steps: this.steps,
      tokens: this.tokens,
      notes: this.notes,
      ...(this.plan ? { plan: this.plan } : {}),
      ...(this.tau !== undefined ? { tau: this.tau } : {}),
    };
  }

  private note(code: string, message: string): void {
    this.notes.push(message);
    this.deps.emit({ type: 'thread.notice', data: { code, message } });
  }
}

/** How a dependency looks to the step that reads it. */
function carriedStatus(s: StepOutcomeStatus): StepStatus {
  return s === 'skipped' || s === 'pending' ? 'failed' : s;
}

function count(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? Math.round(tokens) : 0;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
