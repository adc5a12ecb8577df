// Asking the user (DESIGN §5). The loop talks to an Approver; the editor shows diffs and buttons, the
// CLI asks on the terminal, and non-interactive runs use AutoApprover, whose refusals say why so the
// model (and the user reading the output) knows nothing was applied.

/** `true`/`false`, or a decision with the user's reason (it is passed on to the model). */
export type ApprovalAnswer = boolean | { approved: boolean; reason?: string; pending?: boolean };

export interface EditApprovalRequest {
  /** Workspace path. */
  path: string;
  kind: 'edit' | 'create';
  /** Unified diff (from the `diff` package); for a new file, against /dev/null. */
  diff: string;
  /**
   * Set when the path is protected (DESIGN §5: `.git/`, `.vscode/`, `.arcignore`, CI files,
   * package.json scripts …): why. Such an edit always asks; --yes and autoApproveEdits never cover it.
   */
  protectedReason?: string;
}

export interface CommandApprovalRequest {
  command: string;
  /** Why approval is needed (no allowlist match, an operator, an option that runs code …). */
  reason: string;
  cwd: string;
  /** Whether it will run inside the OS sandbox (DESIGN §5); false: it runs unsandboxed, as the user. */
  sandboxed: boolean;
  /** Inside the sandbox, whether it may reach the network (arc.agent.commandNetwork). */
  network?: boolean;
}

export interface SensitiveApprovalRequest {
  path: string;
  /** The tool asking: read_file, edit_file … */
  tool: string;
  /** Why it is hidden ("it is listed in .arcignore", "it is a hard link …"). */
  reason?: string;
}

export interface SpendApprovalRequest {
  /** What the run has spent, in the unit of `limit` (output tokens unless the engine says otherwise). */
  spent: number;
  limit: number;
  unit: string;
}

/** A call of a tool ARC does not own (an MCP server's, the editor's): asked like run_command. */
export interface ToolApprovalRequest {
  /** The name the model used: mcp__<server>__<tool>. */
  name: string;
  /** The MCP server, or "vscode" for the editor's own tools. */
  server: string;
  tool: string;
  /** The arguments, as JSON. */
  arguments: string;
  /** The server says the tool only reads (an annotation: a claim, not a guarantee). */
  readOnly: boolean;
  /** Why approval is needed. */
  reason: string;
}

export interface Approver {
  approveEdit(req: EditApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
  approveCommand(req: CommandApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
  approveSensitive(req: SensitiveApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
  /** Asked before a tool ARC does not own runs (MCP, the editor's tools); absent means no. */
  approveTool?(req: ToolApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
  /** Asked when a run passes its spend cap; absent means the run stops there. */
  approveSpend?(req: SpendApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
}

export interface Decision {
  approved: boolean;
  reason?: string;
  /**
   * An approved edit that is proposed rather than written: the editor shows it as a pending change
   * (hunks the user keeps or undoes) and nothing reaches the disk until kept. Only for edits.
   */
  pending?: boolean;
}

export function toDecision(a: ApprovalAnswer): Decision {
  return typeof a === 'boolean' ? { approved: a } : { approved: Boolean(a?.approved), reason: a?.reason, ...(a?.approved && a.pending ? { pending: true } : {}) };
}

export interface AutoApproverOptions {
  /** --yes / arc.agent.autoApproveEdits: apply edits and new files (never protected paths). */
  edits: boolean;
  /**
   * Accepted for the callers' sake and unused: judgeCommand (commandPolicy.ts) already runs what the
   * allowlist may run, so whatever reaches approveCommand needs a person.
   */
  commandRegexes?: readonly string[];
}

export const NOT_INTERACTIVE_EDIT = 'non-interactive run without --yes: edit not applied';

/** Approvals for runs nobody can answer: only what the flags allow, with reasons for the rest. */
export class AutoApprover implements Approver {
  constructor(private readonly opts: AutoApproverOptions) {}

  async approveEdit(req: EditApprovalRequest): Promise<Decision> {
    if (req.protectedReason) {
      return { approved: false, reason: `non-interactive run: ${req.path} is protected (${req.protectedReason}); every edit to it needs an explicit approval, which --yes never gives; ${req.kind === 'create' ? 'file not created' : 'edit not applied'}` };
    }
    if (this.opts.edits) return { approved: true, reason: 'approved by --yes' };
    return { approved: false, reason: req.kind === 'create' ? 'non-interactive run without --yes: file not created' : NOT_INTERACTIVE_EDIT };
  }

  /** Always no: a command reaches here only when the policy says it needs a person's approval. */
  async approveCommand(req: CommandApprovalRequest): Promise<Decision> {
    return { approved: false, reason: `non-interactive run: the command needs approval (${req.reason || 'the policy asks for it'}) and nobody can give it; command not run` };
  }

  async approveSensitive(): Promise<Decision> {
    return { approved: false, reason: 'non-interactive run: secrets and .arcignore entries stay hidden' };
  }

  /** Always no: --allow-tool (checked before asking) is the only way a tool call runs unasked. */
  async approveTool(req: ToolApprovalRequest): Promise<Decision> {
    return { approved: false, reason: `non-interactive run: calling ${req.name} needs approval and nobody can give it (approve it with --allow-tool '${req.name}')` };
  }

  async approveSpend(): Promise<Decision> {
    return { approved: false, reason: 'non-interactive run: the spend cap is final' };
  }
}
