// The routing decision (DESIGN §3.1): per-mode probabilities from the model, then the mode with the
// highest expected success minus an effort-weighted cost penalty, among the modes the user and the
// model allow; an intent (answer | edit); and a short English reason naming the strongest signals.
import type { Intent, Mode } from '../core/run/events';
import { clampEffort } from '../core/config/effortRange';
import type { RouteDecision } from '../core/run/seams';
import {
  HASH_SIZE,
  SIGNALS,
  createFeatureVector,
  extractFeatures,
  signalLabel,
  type FeatureExplanation,
  type FeatureVector,
  type RouteContext,
} from './features';
import { MODES, intentLogit, modeLogits, shippedModel, sigmoid, softmax, type RouterModel } from './model';
import { kindOf, type ModeCostEstimate } from './modeCosts';

export interface DecideOptions {
  /** Relative effort r ∈ [0.1, 2] (DESIGN §3.2); default 1. Clamped. */
  effort?: number;
  /** Modes the user allows (`arc.router.enabledModes`); default all. */
  enabledModes?: readonly Mode[];
  /** Whether the model can call tools; false means agentic is never chosen. Default true. */
  toolCalling?: boolean;
  /** Additive log-odds per mode, learned from what users do (supplied by the learning layer). */
  modeBias?: Partial<Record<Mode, number>>;
  /** A model other than the shipped one (the trainer evaluates its split model through this). */
  model?: RouterModel;
  /**
   * What each mode is expected to cost on the user's models for a query of this kind (modeCosts.ts):
   * `relative` is the extra over instant in units of one cold-start reasoning run. Without it, MODE_COST.
   */
  costs?: (kind: Mode) => Readonly<Record<Mode, Pick<ModeCostEstimate, 'relative'> & Partial<ModeCostEstimate>>>;
}

// ---- the decision rule, in one place ---------------------------------------------------------

/**
 * Success of mode m on a task of kind k when m is weaker than k (instant < reasoning < agentic),
 * relative to 1 when m can do k. DESIGN §8's simulator uses 0.30 against 0.95; 0.30/0.95 ≈ 0.32,
 * rounded to 0.3.
 */
export const WEAK_SUCCESS = 0.3;

/**
 * Relative cost of a run per mode, in units of one reasoning run. §8's prices make an instant call
 * (~100 output tokens) about 0.12 of a reasoning call (a thinking budget of L(d) = 150 + 2,850·d
 * tokens), rounded to 0; agentic is a reasoning run plus tool rounds that resend the growing
 * context — §8's two rounds add ~10%, real loops run more, hence 1.5.
 */
export const MODE_COST: Readonly<Record<Mode, number>> = { instant: 0, reasoning: 1, agentic: 1.5 };

/**
 * Weight of the cost penalty: λ(r) = LAMBDA_AT_DEFAULT · r^(−EFFORT_EXPONENT); more effort, smaller λ.
 * At r = 1, reasoning beats instant once 0.7·p(reasoning) > 0.3 and agentic beats reasoning once
 * 0.7·p(agentic) > 0.15; these two values were picked by grouped cross-validation on the training
 * split only (data/router/REPORT.md), never on the held-back queries.
 * The exponent is small on purpose: agentic's largest possible gain over instant is
 * 1 − WEAK_SUCCESS = 0.7, and a steeper curve would push λ(0.1)·1.5 past it, so that low effort
 * would answer "run the tests" without running anything. Here λ(0.1)·1.5 = 0.64 < 0.7, while a
 * query that is only probably a reasoning task (p ≈ 0.45–0.6) still flips to instant at low effort.
 */
export const LAMBDA_AT_DEFAULT = 0.3;
export const EFFORT_EXPONENT = 0.15;
export { clampEffort, MIN_EFFORT, MAX_EFFORT } from '../core/config/effortRange';

export function costWeight(effort: number): number {
  return LAMBDA_AT_DEFAULT * Math.pow(clampEffort(effort), -EFFORT_EXPONENT);
}

/**
 * The cost penalty of mode m, shaped like A²FM's reward (a costlier mode earns less mainly when
 * instant would also have succeeded): λ·(MODE_COST[m] + p(instant)·(cost[m] − MODE_COST[m])).
 * The constant part is the cross-validated rule (data/router/REPORT.md), so with cold-start costs and
 * equal prices (cost = MODE_COST) every decision is exactly what it was; what the user's models add
 * or save over those constants is weighed by p(instant) — instant's expected success above the 0.3
 * it gets on any task, (s_instant − WEAK_SUCCESS) / (1 − WEAK_SUCCESS) — so a dearer mode loses the
 * queries instant probably handles, and keeps the ones only it can do (shaping by s_instant itself
 * would charge ≥ 30% of any extra even on a clear agentic task, and "run the tests" would go to instant).
 */
export function costPenalty(mode: Mode, relativeCost: number, pInstant: number, lambda: number): number {
  const base = MODE_COST[mode];
  return lambda * (base + pInstant * (relativeCost - base));
}

const rank = (m: Mode): number => (m === 'instant' ? 0 : m === 'reasoning' ? 1 : 2);

/** Σ_k p_k · q(m,k), with q = 1 when m is at least as strong as k. */
export function expectedSuccess(mode: Mode, p: Readonly<Record<Mode, number>>): number {
  let s = 0;
  for (const k of MODES) s += p[k] * (rank(mode) >= rank(k) ? 1 : WEAK_SUCCESS);
  return s;
}

// ---- explanation types ---------------------------------------------------------------------------

export interface Contribution {
  /** Signal name, or the hashed token ("'refactor'"), that pushed toward the chosen mode. */
  name: string;
  /** English label for the reason. */
  label: string;
  /** Its share of the chosen mode's logit over the mean of the others. */
  weight: number;
}

export interface RouteExplanation {
  decision: RouteDecision;
  /** Model probabilities after learned bias, before costs. */
  probabilities: Record<Mode, number>;
  /** Expected success minus cost penalty, per mode (disallowed modes included, for display). */
  scores: Record<Mode, number>;
  /** The kind the costs were looked up for: the likeliest mode. */
  kind: Mode;
  /** The cost penalty per mode (λ-weighted, shaped). */
  penalties: Record<Mode, number>;
  /** Expected cost per mode, when the caller supplied costs. */
  costs?: Record<Mode, Partial<ModeCostEstimate> & { relative: number }>;
  allowed: Mode[];
  lambda: number;
  effort: number;
  editProbability: number;
  signals: string[];
  contributions: Contribution[];
}

// ---- decision --------------------------------------------------------------------------------------

const fvScratch = createFeatureVector();
const logitScratch = new Float64Array(MODES.length);

/** Decides mode and intent for one query. Pure apart from reused scratch buffers. */
export function decide(query: string, context: RouteContext = {}, options: DecideOptions = {}): RouteDecision {
  return route(query, context, options, false).decision;
}

/** The decision and its few strongest contributions, at the cost of `decide` (learning's buckets need them). */
export function decideBrief(query: string, context: RouteContext = {}, options: DecideOptions = {}): Pick<RouteExplanation, 'decision' | 'contributions'> {
  return route(query, context, options, false);
}

/** The decision with everything behind it, for "Why This Mode?" and `arc route --explain`. */
export function explainRoute(query: string, context: RouteContext = {}, options: DecideOptions = {}): RouteExplanation {
  return route(query, context, options, true);
}

function route(query: string, context: RouteContext, options: DecideOptions, full: boolean): RouteExplanation {
  const model = options.model ?? shippedModel();
  const fv = extractFeatures(query, context, fvScratch);
  const z = modeLogits(model, fv, logitScratch);
  const bias = options.modeBias;
  if (bias) MODES.forEach((m, i) => (z[i] = z[i]! + (Number.isFinite(bias[m]) ? bias[m]! : 0)));
  softmax(z);
  const p: Record<Mode, number> = { instant: z[0]!, reasoning: z[1]!, agentic: z[2]! };

  const effort = clampEffort(options.effort);
  const lambda = costWeight(effort);
  const enabled = options.enabledModes;
  const allowed = MODES.filter((m) => (!enabled || enabled.includes(m)) && !(m === 'agentic' && options.toolCalling === false));
  const kind = kindOf(p);
  const costs = options.costs?.(kind);
  const scores = { instant: 0, reasoning: 0, agentic: 0 } as Record<Mode, number>;
  const penalties = { instant: 0, reasoning: 0, agentic: 0 } as Record<Mode, number>;
  for (const m of MODES) {
    penalties[m] = costs ? costPenalty(m, costs[m].relative, p.instant, lambda) : lambda * MODE_COST[m];
    scores[m] = expectedSuccess(m, p) - penalties[m];
  }
  // With nothing allowed (a misconfiguration) instant is the one mode that needs nothing.
  let mode: Mode = allowed[0] ?? 'instant';
  for (const m of allowed) if (scores[m] > scores[mode] + 1e-12) mode = m;

  const editProbability = sigmoid(intentLogit(model, fv));
  let intent: Intent = editProbability > 0.5 ? 'edit' : 'answer';
  const question = fv.signals[SIG_QUESTION] === 1 && fv.signals[SIG_POLITE] !== 1;
  // DESIGN §3.1: a question about code asked in inline chat is answered, not applied.
  if (context.source === 'inline' && question) intent = 'answer';

  const contributions = topContributions(model, fv, mode, query, context, full ? 8 : 3);
  // Confidence is the chosen mode's own probability: how sure the model is that this is the kind
  // of task the mode exists for (low when costs or settings overrode the likeliest mode).
  const confidence = round4(p[mode]);
  const decision: RouteDecision = {
    mode,
    intent,
    confidence,
    probabilities: { instant: round4(p.instant), reasoning: round4(p.reasoning), agentic: round4(p.agentic) },
    reason: reasonText(contributions, mode, intent, confidence, p, allowed, effort, options),
  };
  if (!full) return { decision, contributions } as RouteExplanation;
  const signals: string[] = [];
  for (let i = 0; i < SIGNALS.length; i++) if (fv.signals[i]) signals.push(SIGNALS[i]!);
  return { decision, probabilities: p, scores, kind, penalties, ...(costs ? { costs: { ...costs } } : {}), allowed, lambda, effort, editProbability, signals, contributions };
}

const SIG_QUESTION = SIGNALS.indexOf('question');
const SIG_POLITE = SIGNALS.indexOf('polite');
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

// Signals that describe the request's surroundings rather than its content make poor reasons.
const QUIET = new Set(['len_1_3', 'len_4_8', 'len_9_20', 'len_21_50', 'len_51p', 'src_palette', 'src_sidebar', 'src_chat', 'src_other', 'lang_known', 'polite', 'multi_line']);
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const PLACEHOLDER_LABEL: Record<string, string> = { '<num>': 'numbers', '<sym>': 'symbol name', '<file>': 'file path' };

function topContributions(model: RouterModel, fv: FeatureVector, mode: Mode, query: string, context: RouteContext, k: number): Contribution[] {
  const c = MODES.indexOf(mode);
  const W = model.modeWeights;
  const dim = W.length / MODES.length;
  const cand: Array<{ pos: number; weight: number }> = [];
  for (let j = 0; j < fv.length; j++) {
    const f = fv.index[j]!;
    let others = 0;
    for (let m = 0; m < MODES.length; m++) if (m !== c) others += W[m * dim + f]!;
    const w = fv.value[j]! * (W[c * dim + f]! - others / (MODES.length - 1));
    if (w > 0) cand.push({ pos: f, weight: w });
  }
  cand.sort((a, b) => b.weight - a.weight || a.pos - b.pos);
  const out: Contribution[] = [];
  const seen = new Set<string>();
  let tokens: FeatureExplanation['tokens'] | undefined;
  for (const { pos, weight } of cand) {
    if (out.length >= k) break;
    if (pos >= HASH_SIZE) {
      const name = SIGNALS[pos - HASH_SIZE]!;
      if (QUIET.has(name)) continue;
      const label = signalLabel(name);
      if (seen.has(label)) continue;
      seen.add(label);
      out.push({ name, label, weight });
      continue;
    }
    // A hashed bucket: find which of the query's words landed there (a second, explaining pass,
    // only when a word is among the strongest reasons).
    if (!tokens) {
      const ex: FeatureExplanation = { tokens: [] };
      extractFeatures(query, context, createFeatureVector(), ex);
      tokens = ex.tokens;
    }
    const hit = tokens.find((t) => t.index === pos && (t.kind === 'word' || t.kind === 'pair'));
    if (!hit) continue;
    // Words in other scripts are not quoted (the reason stays English), nor pairs with a placeholder.
    const label = PLACEHOLDER_LABEL[hit.text] ?? (PRINTABLE_ASCII.test(hit.text) && !hit.text.includes('<') && hit.text.length <= 30 ? `'${hit.text}'` : undefined);
    if (!label || seen.has(label)) continue;
    seen.add(label);
    out.push({ name: hit.text, label, weight });
  }
  return out;
}

function reasonText(
  contributions: Contribution[],
  mode: Mode,
  intent: Intent,
  confidence: number,
  p: Record<Mode, number>,
  allowed: Mode[],
  effort: number,
  options: DecideOptions,
): string {
  const because = contributions.slice(0, 3).map((c) => c.label);
  const head = `${because.length ? because.join(' + ') : 'no strong signal'} → ${mode}${intent === 'edit' ? ' edit' : ''} (${confidence.toFixed(2)})`;
  const likeliest = MODES.reduce((a, b) => (p[b] > p[a] ? b : a));
  if (likeliest === mode) return head;
  const notes: string[] = [];
  if (!allowed.includes(likeliest)) {
    notes.push(likeliest === 'agentic' && options.toolCalling === false && (!options.enabledModes || options.enabledModes.includes('agentic'))
      ? 'agentic needs tool calling'
      : `${likeliest} is disabled`);
  } else if (rank(mode) < rank(likeliest)) {
    notes.push(`${likeliest} (${p[likeliest].toFixed(2)}) not worth its cost at effort ${+effort.toFixed(2)}`);
  } else {
    notes.push(`${likeliest} likelier (${p[likeliest].toFixed(2)}) but ${mode} also covers it`);
  }
  return `${head}; ${notes.join('; ')}`;
}
