// The agent's view of the workspace (DESIGN §2): the loop and its tools talk only to this interface,
// so they run on a temp dir in tests and in the CLI (NodeWorkspace), and on the editor's folders in
// VS Code. Every path argument is a workspace path as the model writes it; an implementation
// resolves it, refuses anything outside the folders, and hides secrets unless told otherwise.
import type { SandboxPaths } from './sandbox';
import type { SearchOutcome } from './search';
import type { SymbolMatch } from './symbols';

export interface WorkspaceRoot {
  /** The prefix of this folder's paths: '' when the workspace has one folder, else its (unique) name. */
  name: string;
  /** Absolute path of the folder. */
  path: string;
}

export interface ResolvedPath {
  /** The canonical workspace path (posix; with the root's name in a multi-root workspace). */
  path: string;
  /** Absolute path on disk. */
  abs: string;
  root: WorkspaceRoot;
  /** Posix path relative to its root, and the same after following symbolic links. */
  rel: string;
  realRel: string;
}

export interface FileStat {
  /** 'other': something is there that is neither (a dangling symbolic link, a socket …). */
  kind: 'file' | 'dir' | 'missing' | 'other';
  size: number;
}

export interface Diagnostic {
  path: string;
  /** 1-based. */
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
}

export interface AccessOptions {
  /** The user approved access to a hidden path (a secret or an .arcignore entry). */
  allowHidden?: boolean;
  /**
   * writeFile only: propose the new bytes for review instead of writing them (the editor shows a
   * pending change); a workspace without a reviewer writes them as usual.
   */
  propose?: boolean;
}

export interface BoundedOptions {
  limit: number;
  signal?: AbortSignal;
}

export interface ListResult {
  paths: string[];
  truncated: boolean;
}

export interface SymbolResult {
  matches: SymbolMatch[];
  truncated: boolean;
  /** Found by the regex heuristic rather than a language server. */
  heuristic: boolean;
}

/** A refusal or failure whose message the model can act on (it becomes the tool result). */
export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    message: string,
    readonly code: 'outside' | 'hidden' | 'not_found' | 'exists' | 'not_a_file' | 'invalid' | 'too_large' = 'invalid',
  ) {
    super(message);
  }
}

export interface Workspace {
  readonly roots: readonly WorkspaceRoot[];
  /** Throws WorkspaceError for paths outside the folders (`..`, absolute, or through a symlink). */
  resolve(path: string): Promise<ResolvedPath>;
  /** A secret (.env, keys …) or an .arcignore entry: invisible to tools unless the user approves. */
  isHidden(path: string): Promise<boolean>;
  /**
   * Why `path` is hidden, in words for the approval prompt ("a secret …", "listed in .arcignore",
   * "a hard link …"), or undefined when it is not.
   */
  hiddenReason(path: string): Promise<string | undefined>;
  /** What a command's sandbox is built from: the folders, what to mask and what to keep read-only. */
  sandboxPaths(): Promise<SandboxPaths>;
  stat(path: string): Promise<FileStat>;
  readFile(path: string, opts?: AccessOptions): Promise<Uint8Array>;
  /** Overwrites an existing file. */
  writeFile(path: string, data: Uint8Array, opts?: AccessOptions): Promise<void>;
  /** Creates a new file (and missing parent folders); fails with code 'exists' if anything is there. */
  createFile(path: string, data: Uint8Array, opts?: AccessOptions): Promise<{ createdDirs: string[] }>;
  deleteFile(path: string): Promise<void>;
  /** Removes a folder only if it is empty; false when it is not (or is gone). */
  removeEmptyDir(path: string): Promise<boolean>;
  listFiles(glob: string, opts: BoundedOptions): Promise<ListResult>;
  searchText(query: string, opts: BoundedOptions & { glob?: string }): Promise<SearchOutcome>;
  findSymbols(name: string, opts: BoundedOptions): Promise<SymbolResult>;
  /** Undefined when no diagnostics exist outside the editor. */
  diagnostics(path?: string): Promise<Diagnostic[] | undefined>;
  /** Where run_command runs. */
  commandCwd(): string;
}
