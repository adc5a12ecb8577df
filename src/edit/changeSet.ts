// The changed-files list of an agent's run under review: one entry per file it proposed a change to,
// with the +/− lines still in play and where the file stands (pending hunks, kept, undone, partly
// kept). Pure data over each file's ProposalModel, so the sidebar list and its tests share one source.
import type { ProposalCounts } from './proposal';

export type FileReviewState = 'pending' | 'kept' | 'undone' | 'partly kept' | 'left as edited';

export interface FileReview {
  /** Workspace path as the agent named it. */
  path: string;
  /** The document (a URI string). */
  uri: string;
  added: number;
  removed: number;
  hunks: number;
  pending: number;
  state: FileReviewState;
}

export interface ChangeSetSummary {
  files: FileReview[];
  pending: number;
  added: number;
  removed: number;
}

/** Where a file stands from its proposal's counts and, once the proposal ended, how it ended. */
export function fileState(c: ProposalCounts, ended?: 'resolved' | 'undone' | 'cancelled' | 'detached' | 'closed'): FileReviewState {
  if (!ended) return 'pending';
  if (ended === 'detached') return 'left as edited';
  if (ended !== 'resolved' || c.accepted === 0) return 'undone';
  return c.rejected === 0 ? 'kept' : 'partly kept';
}

/** A run's files in the order the agent first touched them; a later proposal for a file replaces it. */
export class ChangeSet {
  private readonly files = new Map<string, FileReview>();

  constructor(readonly label: string) {}

  set(file: FileReview): void {
    this.files.set(file.path, { ...file });
  }

  get(path: string): FileReview | undefined {
    return this.files.get(path);
  }

  byUri(uri: string): FileReview | undefined {
    return [...this.files.values()].find((f) => f.uri === uri);
  }

  get size(): number {
    return this.files.size;
  }

  summary(): ChangeSetSummary {
    const files = [...this.files.values()].map((f) => ({ ...f }));
    return {
      files,
      pending: files.reduce((n, f) => n + f.pending, 0),
      added: files.reduce((n, f) => n + (f.state === 'undone' ? 0 : f.added), 0),
      removed: files.reduce((n, f) => n + (f.state === 'undone' ? 0 : f.removed), 0),
    };
  }
}
