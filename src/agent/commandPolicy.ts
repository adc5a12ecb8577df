// Which commands run without asking (DESIGN §5): a command runs on its own only when it matches the
// allowlist AND contains no shell metacharacters; the denylist always wins, even over an approval.

export interface CommandPolicyOptions {
  /** Regexes (arc.agent.allowedCommands, --allow-command); each is anchored at the command's start. */
  allowedCommands?: readonly string[];
  /** Regexes (arc.agent.deniedCommands) searched anywhere in the command. */
  deniedCommands?: readonly string[];
}

export interface CompiledCommandPolicy {
  allowed: RegExp[];
  denied: RegExp[];
  /** Patterns that were not valid regexes: an allowed one is ignored, a denied one matches literally. */
  invalid: string[];
}

export type CommandVerdict =
  | { action: 'run'; reason: string }
  | { action: 'ask'; reason: string }
  | { action: 'deny'; reason: string };

/** `; | & $ > <` and backticks (DESIGN §5), plus line breaks and NUL, which also end a command. */
const METACHARACTERS = /[;|&$><`\n\r\0]/;

/** The first shell metacharacter in `command`, described, or undefined when there is none. */
export function findShellMetacharacter(command: string): string | undefined {
  const m = METACHARACTERS.exec(command);
  if (!m) return undefined;
  const c = m[0];
  if (c === '$' && command[m.index + 1] === '(') return '"$("';
  return c === '\n' ? 'a newline' : c === '\r' ? 'a carriage return' : c === '\0' ? 'a NUL' : `"${c}"`;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function compileCommandPolicy(opts: CommandPolicyOptions): CompiledCommandPolicy {
  const invalid: string[] = [];
  const allowed: RegExp[] = [];
  const denied: RegExp[] = [];
  for (const p of opts.allowedCommands ?? []) {
    try {
      allowed.push(new RegExp(`^(?:${p})`));
    } catch {
      invalid.push(p);
    }
  }
  for (const p of opts.deniedCommands ?? []) {
    try {
      denied.push(new RegExp(p));
    } catch {
      // Fail safe: a denial that cannot compile still denies what it literally says.
      invalid.push(p);
      denied.push(new RegExp(escapeRegex(p)));
    }
  }
  return { allowed, denied, invalid };
}

/** True when the command may run without asking: it matches one of `allowed` and has no metacharacters. */
export function isAutoApprovable(command: string, allowed: readonly RegExp[]): boolean {
  const c = command.trim();
  return c !== '' && findShellMetacharacter(c) === undefined && allowed.some((r) => r.test(c));
}

export function judgeCommand(command: string, policy: CompiledCommandPolicy): CommandVerdict {
  const c = command.trim();
  if (c === '') return { action: 'deny', reason: 'the command is empty' };
  const deniedBy = policy.denied.find((r) => r.test(c));
  if (deniedBy) return { action: 'deny', reason: `it matches the denied pattern ${deniedBy.source} (arc.agent.deniedCommands); denied commands never run, even when approved` };
  const meta = findShellMetacharacter(c);
  const allowedBy = policy.allowed.find((r) => r.test(c));
  if (allowedBy && meta === undefined) return { action: 'run', reason: `matches the allowlist (${allowedBy.source.slice(4, -1)})` };
  if (allowedBy) return { action: 'ask', reason: `it contains the shell metacharacter ${meta}, so the allowlist does not apply` };
  return { action: 'ask', reason: 'it matches no allowed command pattern' };
}
