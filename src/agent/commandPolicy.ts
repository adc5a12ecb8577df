// Which commands run without asking (DESIGN §5, "approvals understand arguments"). The line is parsed
// (shell/parse.ts); the deny side — built-in rules plus the user's regexes — looks at every simple
// command in it, unwrapped and normalised, and always wins, even over an approval. A command runs on
// its own only when the line is one simple command, its canonical form matches the allowlist, and it
// uses no option that runs code or writes where the allowlist cannot see.
import { analyzeShell, type ShellFacts } from './shell/parse';
import { innerCommands, MAX_INNER, normalisedForm, type NormalCommand } from './shell/normalize';
import { BLOCK_DEVICE, codeOption, DENY_RULES, LINE_RULES, workspaceDefined } from './shell/rules';

export interface CommandPolicyOptions {
  /** Regexes (arc.agent.allowedCommands, --allow-command); anchored at the start, matched against the canonical command only. */
  allowedCommands?: readonly string[];
  /** The user's extra regexes (arc.agent.deniedCommands): searched in the raw line, each simple command's canonical and its normalised form. */
  deniedCommands?: readonly string[];
}

export interface CompiledCommandPolicy {
  allowed: RegExp[];
  denied: RegExp[];
  /** Patterns that were not valid regexes: an allowed one is ignored, a denied one matches literally. */
  invalid: string[];
}

export type CommandVerdict =
  | { action: 'run'; reason: string; canonical: string; workspaceDefined: boolean }
  | { action: 'ask'; reason: string; canonical?: string; workspaceDefined: boolean }
  | { action: 'deny'; reason: string };

/** Longer lines are refused: every rule and user regex runs on bounded strings only. */
export const MAX_COMMAND_LENGTH = 10_000;

/** Built-in deny rules (always on, in the CLI as in the editor; not a setting), for the README. */
export const BUILTIN_DENY_RULES: ReadonlyArray<{ id: string; description: string }> = [
  ...DENY_RULES.map(({ id, description }) => ({ id, description })),
  ...LINE_RULES,
];

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

const NEVER = 'denied commands never run, even when approved';

/** Every command the line runs, unwrapped (`timeout 5 rm` gives `timeout 5 rm` and `rm`). */
function allCommands(facts: ShellFacts): NormalCommand[] {
  return facts.commands.flatMap((words) => innerCommands(words));
}

function builtinDenial(facts: ShellFacts, commands: readonly NormalCommand[]): string | undefined {
  if (facts.tooDeep || facts.commands.some((words) => innerCommands(words).length >= MAX_INNER)) return `it nests substitutions, sh -c strings or wrappers more than ARC checks (built-in rule too-deep); ${NEVER}`;
  for (const cmd of commands) {
    for (const rule of DENY_RULES) {
      const what = rule.test(cmd);
      if (what) return `it runs ${what} (built-in rule ${rule.id}); ${NEVER}`;
    }
  }
  const device = facts.redirects.find((t) => BLOCK_DEVICE.test(t));
  if (device) return `it redirects output to the disk device ${device} (built-in rule device-redirect); ${NEVER}`;
  for (const f of facts.functions) {
    const calls = commands.filter((c) => c.path === f).length;
    if (calls >= 2) return `it defines the shell function ${f} that calls itself, a fork bomb (built-in rule fork-bomb); ${NEVER}`;
  }
  return undefined;
}

function userDenial(line: string, commands: readonly NormalCommand[], policy: CompiledCommandPolicy): string | undefined {
  const texts = [line];
  for (const c of commands) {
    texts.push([...c.assignments, c.path, ...c.args].join(' '), normalisedForm(c));
  }
  for (const r of policy.denied) {
    if (texts.some((t) => r.test(t.slice(0, MAX_COMMAND_LENGTH * 2)))) {
      return `it matches the denied pattern ${r.source} (arc.agent.deniedCommands); ${NEVER}`;
    }
  }
  return undefined;
}

export function judgeCommand(command: string, policy: CompiledCommandPolicy): CommandVerdict {
  const line = command.trim();
  if (line === '') return { action: 'deny', reason: 'the command is empty' };
  if (line.length > MAX_COMMAND_LENGTH) {
    return { action: 'deny', reason: `the command is ${line.length} characters long, more than the ${MAX_COMMAND_LENGTH} ARC can check (built-in rule too-long); ${NEVER}` };
  }
  const facts = analyzeShell(line);
  const commands = allCommands(facts);
  const denial = userDenial(line, commands, policy) ?? builtinDenial(facts, commands);
  if (denial) return { action: 'deny', reason: denial };

  const wsDefined = commands.some(workspaceDefined);
  if (facts.canonical === undefined) {
    const allowedAnyway = policy.allowed.length > 0 ? ', so the allowlist does not apply' : '';
    return { action: 'ask', reason: `it is not one simple command (it has ${facts.complexity.join(', ')})${allowedAnyway}`, workspaceDefined: wsDefined };
  }
  const canonical = facts.canonical;
  const allowedBy = policy.allowed.find((r) => r.test(canonical));
  if (!allowedBy) return { action: 'ask', reason: 'it matches no allowed command pattern (arc.agent.allowedCommands)', canonical, workspaceDefined: wsDefined };
  for (const cmd of commands) {
    const code = codeOption(cmd);
    if (code) return { action: 'ask', reason: `${code} (arc.agent.allowedCommands never approves it)`, canonical, workspaceDefined: wsDefined };
  }
  return { action: 'run', reason: `matches the allowlist (${allowedBy.source.slice(4, -1)})`, canonical, workspaceDefined: wsDefined };
}
