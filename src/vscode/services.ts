// What the command handlers share within one session of the extension.
import type { ModeCosts } from '../router/modeCosts';
import type { EffortCalibration } from '../effort/calibration';
import type { ParallelStatsLedger } from '../parallel/statsLedger';
import type { AdaptiveScheduler } from '../core/scheduler';
import type { Store } from '../core/store/store';
import type { CostOfPassLedger } from '../core/run/costOfPass';
import type { CapabilityMemory } from '../core/model/capabilityMemory';
import type { EffortEstimates } from '../effort/estimator';
import type { LengthPredictor } from '../effort/predictor';
import type { RouterLearning } from '../router/learning';
import type { RunRequest } from '../core/run/request';
import type { RouteDecision } from '../core/run/seams';
import type { Mode } from '../core/run/events';
import type { AnswerDocuments } from './answerDocuments';
import type { ApiKeys } from './apiKeys';
import type { ArcLog } from './log';
import type { SidebarPort } from './sidebar/port';
import type { AgentReview } from './review/agentReview';

export interface Services {
  log: ArcLog;
  keys: ApiKeys;
  answers: AnswerDocuments;
  /** ARC's persisted state, in the extension's global storage. */
  store: Store;
  /** Where that state lives on disk: masked in the command sandbox. */
  storagePaths?: string[];
  /** Runs in flight, so that "ARC: Cancel Run" can stop them. */
  activeRuns: Set<AbortController>;
  /** The last routed request, for "ARC: Why This Mode?". */
  lastRoute?: { request: RunRequest; decision: RouteDecision };
  /** Finished answers that can still be rated, by document URI (insertion order = age). */
  rateable: Map<string, RateableRun>;
  lenses: { refresh(): void };
  /**
   * What ARC learns, loaded once per session and shared by every command, so that overlapping runs
   * add to one copy instead of each saving its own.
   */
  learned(): Promise<Learned>;
  /** The sidebar (webview view arc.sidebar): its conversation, and approvals while it is visible. */
  sidebar?: SidebarPort;
  /** Agent edits under review in the editor (pending changes, the changed-files list). */
  review?: AgentReview;
}

export interface Learned {
  learning: RouterLearning;
  /** What each mode has cost on the user's models (the router's cost term). */
  modeCosts: ModeCosts;
  capabilities: CapabilityMemory;
  estimates: EffortEstimates;
  /** The per-query natural-length predictor (budgets are r × its prediction). */
  predictor: LengthPredictor;
  ledger: CostOfPassLedger;
  calibration: EffortCalibration;
  parallel: ParallelStatsLedger;
  /** One per session: what an endpoint taught it about concurrency lasts across runs. */
  scheduler: AdaptiveScheduler;
}

export interface RateableRun {
  runId: string;
  request: RunRequest;
  /** The mode that ran. */
  mode: Mode;
  rated?: 'up' | 'down';
}

export type Handler = (services: Services, args: unknown[]) => Promise<unknown>;

