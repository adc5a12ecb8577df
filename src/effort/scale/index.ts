// SCALE selective allocation (DESIGN §3.3): the public surface the engine wires.
export { runScale, PLAN_MAX_TOKENS, PLAN_SHARE, PLAN_MIN_TOKENS, MAX_STEP_FAILURES } from './execute';
export type { ScaleDeps, ScaleInput, ScaleResult, ScaleStatus, ScaleStepOutcome, ScaleEvent, ScaleCallRequest, ScaleCallResult, StepRunRequest, StepRunResult } from './execute';
export { simplePool, abortError } from './pool';
export type { TaskPool, SimplePool } from './pool';
export { shouldUseScale, SCORE_THRESHOLD } from './when';
export type { ScaleSetting, ScaleFeatures, ScaleChoice } from './when';
export { tauForEffort, assignSystems, TAU_DEFAULT, TAU_MIN, TAU_MAX } from './assign';
export type { System, Assignment } from './assign';
export { allocate, stepBudgetParts, defaultRunBudget, DEFAULT_SYSTEM1_BUDGET, DEFAULT_SYSTEM2_FLOOR, STEP_ANSWER_ALLOWANCE, SCALE_BUDGET_MULTIPLIER } from './allocate';
export type { Allocation, AllocationInput } from './allocate';
export { decomposeMessages, parsePlan, repairMessages, MIN_STEPS, MAX_STEPS } from './plan';
export type { Plan, PlanStep } from './plan';
export { assessMessages, parseDifficulty, ASSESS_MAX_TOKENS } from './assess';
export { stepMessages, stepAnswerOf } from './steps';
