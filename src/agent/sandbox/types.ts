// What a sandbox needs to know about one command, and what it says about itself (DESIGN §5).

export type SandboxSetting = 'auto' | 'required' | 'off';

/** The paths one command's sandbox is built from; absolute. */
export interface SandboxPaths {
  /** The workspace folders: the only places (with a private temp dir) a command may write. */
  writable: string[];
  /** Hidden files and folders (secrets, .arcignore entries, hard links): unreadable inside. */
  masked: string[];
  /** Protected paths inside the folders (.git/hooks, .vscode …): readable, never writable. */
  readOnly: string[];
}

export interface SandboxCommand {
  command: string;
  cwd: string;
  paths: SandboxPaths;
  /** arc.agent.commandNetwork: keep the network. */
  network: boolean;
  /** The scrubbed environment the command gets. */
  env: Record<string, string>;
}

/** A program and arguments that run `command` inside the sandbox. */
export interface WrappedCommand {
  file: string;
  args: string[];
  /** The environment for `file` itself (the sandbox passes the command its own). */
  env: Record<string, string>;
}

export interface Sandbox {
  /** 'bubblewrap' (Linux) or 'sandbox-exec' (macOS). */
  readonly kind: string;
  /** Whether everything the command starts ends with it (a PID namespace). */
  readonly containsProcesses: boolean;
  wrap(cmd: SandboxCommand): WrappedCommand;
}

/** Where commands will run, as the approval prompt and the run tree say it. */
export interface Isolation {
  kind: 'sandbox' | 'none' | 'refused';
  /** Commands may reach the network (inside the sandbox: arc.agent.commandNetwork). */
  network: boolean;
  /** One sentence for people: "sandboxed with bubblewrap (no network)", "no sandbox: …". */
  description: string;
  /** How to get a sandbox, when there is none. */
  hint?: string;
}
