// The project's instructions as a run request carries them (DESIGN §4); read by agent/instructions.ts,
// put into the system prompt by the engine.

export interface InstructionFile {
  /** Workspace path. */
  path: string;
  /** Bytes of the file. */
  bytes: number;
  /** Bytes included (less than `bytes` when it was cut). */
  included: number;
  text: string;
}

export interface ProjectInstructions {
  files: InstructionFile[];
  /** What was left out and why (hidden, over the total). */
  skipped: string[];
}

