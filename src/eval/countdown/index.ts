export { solveCountdown, isSolvable, MAX_SOLVER_NUMBERS, type CountdownProblem } from './solver';
export {
  generateCountdown,
  countdownPrompt,
  mulberry32,
  COUNTDOWN_DEFAULTS,
  MAX_PROBLEMS,
  type CountdownOptions,
  type GeneratedCountdown,
} from './generator';
export {
  verifyCountdownAnswer,
  extractAnswerRegion,
  MAX_ANSWER_CHARS,
  MAX_EXPRESSION_CHARS,
  MAX_STEPS,
  type Verdict,
  type AnswerRegion,
} from './verifier';
