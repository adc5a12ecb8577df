// The shapes of a thread run (DESIGN §3.2, §3.4): what a thread is asked to do, what it returns, what
// the runner works with, and what agentic mode works on. Shared by ThreadRunner and ThreadState.
import type { ChatMessage, ChatModel, Usage } from '../core/model/types';
import type { RunEventEmitter } from '../core/run/emitter';
import type { Mode, ThreadStatus } from '../core/run/events';
import type { PriceTable, UsageLedger } from '../core/run/ledger';
import type { AdaptiveScheduler } from '../core/scheduler';
import type { EffortPlan } from '../effort/budgetedCall';
import type { AgentTool, Approver, CommandPolicyOptions, CommandRunner, SnapshotData, Workspace } from '../agent';
import type { CallResult } from './streamCall';

export type { EffortPlan };

/** What agentic mode works on and with (DESIGN §2 interfaces), supplied by the CLI or the editor. */
export interface AgentEnvironment {
  workspace: Workspace;
  approver: Approver;
  runner: CommandRunner;
  /** An untrusted workspace gets read tools only. */
  trusted: boolean;
  commandPolicy?: CommandPolicyOptions;
  maxSteps?: number;
  wallMs?: number;
  /** Called once per run that changed files (never for one that changed nothing): the undo stack keeps it. */
  onChanges?: (run: { runId: string; query: string; snapshots: SnapshotData }) => Promise<unknown>;
  /** USD a run may spend before the approver is asked to go on (arc.spendCap). */
  spendCapUsd?: number;
  /** Prices for the spend cap. */
  prices?: PriceTable;
  /**
   * Tools the surface adds (MCP servers, the editor's tools), listed when a run starts (servers start
   * lazily); `readOnly` asks only for the ones that read, for spawned helpers.
   */
  extraTools?: (req: { readOnly: boolean; notice: (code: string, message: string) => void }) => Promise<AgentTool[]>;
  /** Model calls a spawned helper may make (default 12). */
  helperMaxSteps?: number;
}

export interface ThreadSpec {
  id: string;
  parentId?: string;
  /** Threads started together (a spawn round) share a group: they overlap in time. */
  group?: number;
  goal: string;
  role: Mode;
  mode: Mode;
  messages: ChatMessage[];
  model: ChatModel;
  /** The first call's e1 plan (the root of a reasoning run). */
  effort?: EffortPlan;
  /** The thread's whole output-token budget, its children included; none when unbudgeted. */
  cap?: number;
  /** May this thread spawn children, and how many at once. */
  spawn?: { maxChildren: number };
  depth: number;
  signal: AbortSignal;
  /** Stream text deltas (the root) or only coalesced progress (children, for a bounded event rate). */
  deltas: boolean;
  /** Every change to the answer so far, so that a failure still has the partial answer. */
  onAnswer?: (text: string) => void;
  /** The endpoint pushed back (429, dropped connection): the scheduler slot hears of it. */
  onCongestion?: () => void;
  /** `off`: every call of this thread asks the model not to reason (instant answers, System 1 steps). */
  thinking?: 'off';
  /** Says why a cancellation happened when it was this thread's own time limit, not the user. */
  timedOut?: () => string | undefined;
}

export interface ThreadResult {
  status: ThreadStatus;
  answer: string;
  usage: Usage;
  /** Output tokens this thread and its children spent. */
  tokens: number;
  error?: string;
  kind?: string;
  /** The first call, for e1 learning: its reasoning and whether it was cut or ended by a spawn. */
  firstCall?: { call: CallResult; cut: boolean; spawned: boolean };
}

export interface RunnerDeps {
  emit: RunEventEmitter;
  ledger: UsageLedger;
  scheduler: AdaptiveScheduler;
  /** The model children use, for a parent in this mode. */
  childModel: (parentMode: Mode) => ChatModel;
  maxDepth: number;
  childTimeoutMs: number;
  /**
   * The e1 plan of a spawned thread from its own goal at the run's effort (DESIGN §3.4), or undefined
   * without estimates (then children are carved from the parent's remainder, the old way).
   */
  childPlan?: (goal: string, model: ChatModel) => EffortPlan | undefined;
  /** USD the run may cost before no further spawned thread starts (arc.spendCap); priced by the ledger. */
  spendCapUsd?: number;
  progressIntervalMs: number;
  now: () => number;
}
