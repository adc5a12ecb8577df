// What the command handlers share within one session of the extension.
import type { AnswerDocuments } from './answerDocuments';
import type { ApiKeys } from './apiKeys';
import type { ArcLog } from './log';

export interface Services {
  log: ArcLog;
  keys: ApiKeys;
  answers: AnswerDocuments;
  /** Runs in flight, so that "ARC: Cancel Run" can stop them. */
  activeRuns: Set<AbortController>;
}

export type Handler = (services: Services, args: unknown[]) => Promise<unknown>;

