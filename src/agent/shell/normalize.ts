// What a parsed simple command really runs (DESIGN §5: the denylist matches the parsed, normalised
// form). Rules must not be walked around by spelling: `/bin/rm`, `env X=1 timeout 5 rm`, `xargs rm`,
// `find -exec rm`, `bash -c "rm …"`, `-fr` for `-r -f`, `--rec` for `--recursive`. This file turns a
// word list into the commands it runs and their flags in one spelling; it knows no rule itself.

export interface NormalCommand {
  /** The program's name: no directory, lower case (`/bin/RM` → `rm`), no `.exe`. */
  program: string;
  /** The program word as written (`./scripts/x.sh`, `/bin/rm`). */
  path: string;
  /** The words after the program. */
  args: string[];
  /** Leading `NAME=value` words, including those given to `env`. */
  assignments: string[];
}

/** At most this many commands are unwrapped from one command (bounded work); reaching it is refused. */
export const MAX_INNER = 64;

export function programName(word: string): string {
  const base = word.slice(word.lastIndexOf('/') + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

export function isAssignment(word: string): boolean {
  return ASSIGNMENT.test(word);
}

interface WrapperSpec {
  /** Short options that take a value (the next word, or the rest of the cluster). */
  shortArg?: string;
  /** Long options (without `--`) that take a value when it is not given with `=`. */
  longArg?: readonly string[];
  /** Words to skip after the options before the command (timeout's duration, flock's file). */
  positional?: number;
  /** `-10` style numeric options (nice). */
  numericOptions?: boolean;
}

/** Programs that run the rest of their words as a command. */
const WRAPPERS: Record<string, WrapperSpec> = {
  env: { shortArg: 'uCSP', longArg: ['unset', 'chdir', 'split-string', 'block-signal', 'default-signal', 'ignore-signal'] },
  command: {},
  builtin: {},
  exec: { shortArg: 'a' },
  nohup: {},
  nice: { shortArg: 'n', longArg: ['adjustment'], numericOptions: true },
  ionice: { shortArg: 'cnp', longArg: ['class', 'classdata', 'pid', 'pgid', 'uid'] },
  timeout: { shortArg: 'sk', longArg: ['signal', 'kill-after'], positional: 1 },
  time: { shortArg: 'fo', longArg: ['format', 'output'] },
  stdbuf: { shortArg: 'ioe', longArg: ['input', 'output', 'error'] },
  setsid: {},
  xargs: { shortArg: 'adEILnPs', longArg: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'] },
  flock: { shortArg: 'wEc', longArg: ['timeout', 'conflict-exit-code', 'command'], positional: 1 },
  chronic: {},
  unbuffer: {},
  caffeinate: { shortArg: 'tw' },
  busybox: {},
  toybox: {},
  sudo: { shortArg: 'ugpChUrtTDR', longArg: ['user', 'group', 'prompt', 'close-from', 'host', 'other-user', 'role', 'type', 'command-timeout', 'chdir', 'chroot'] },
  doas: { shortArg: 'uC' },
  run0: { longArg: ['user', 'group', 'description', 'slice', 'property', 'unit', 'chdir', 'setenv', 'nice'] },
  pkexec: { longArg: ['user'] },
  strace: { shortArg: 'eoOpPsSuXIbE' },
  ltrace: { shortArg: 'eoplnsuxXAaDEF' },
  proxychains: { shortArg: 'f' },
  torsocks: {},
};

/** Index of the first word after `spec`'s options (and its positional words), or -1. */
function skipOptions(args: readonly string[], spec: WrapperSpec): number {
  let i = 0;
  while (i < args.length) {
    const w = args[i]!;
    if (w === '--') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      const name = w.slice(2).split('=')[0]!;
      i += !w.includes('=') && spec.longArg?.includes(name) ? 2 : 1;
      continue;
    }
    if (spec.numericOptions && /^-\d+$/.test(w)) {
      i++;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // A cluster: the first letter that takes a value takes the rest, or the next word.
      let consumesNext = false;
      for (let k = 1; k < w.length; k++) {
        if (spec.shortArg?.includes(w[k]!)) {
          consumesNext = k === w.length - 1;
          break;
        }
      }
      i += consumesNext ? 2 : 1;
      continue;
    }
    break;
  }
  // env (and sudo) accept NAME=value before the command; those stay on the command as assignments.
  i += spec.positional ?? 0;
  return i <= args.length ? i : -1;
}

/** The `-exec … ;` bodies of a find command. */
function findExecBodies(args: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(args[i]!)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < args.length && args[j] !== ';' && args[j] !== '+'; j++) body.push(args[j]!);
    if (body.length) out.push(body);
    i = j;
  }
  return out;
}

/** git's global options that take a value (`git -C dir push`). */
const GIT_GLOBAL_ARG = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path', '--list-cmds', '--attr-source']);

/** Where git's subcommand starts (after `-C dir`, `-c k=v`, `--no-pager` …), or -1. */
export function gitSubcommandIndex(args: readonly string[]): number {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    const w = args[i]!;
    i += GIT_GLOBAL_ARG.has(w) ? 2 : 1;
  }
  return i < args.length ? i : -1;
}

/** git's `-c name=value` pairs given before the subcommand. */
export function gitConfigPairs(args: readonly string[]): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  const end = gitSubcommandIndex(args);
  const stop = end < 0 ? args.length : end;
  for (let i = 0; i < stop; i++) {
    if (args[i] === '-c' && i + 1 < args.length) {
      const kv = args[i + 1]!;
      const eq = kv.indexOf('=');
      out.push({ key: (eq < 0 ? kv : kv.slice(0, eq)).toLowerCase(), value: eq < 0 ? '' : kv.slice(eq + 1) });
    }
  }
  return out;
}

function toCommand(words: readonly string[]): NormalCommand | undefined {
  let i = 0;
  while (i < words.length && isAssignment(words[i]!)) i++;
  if (i >= words.length) return undefined;
  return { program: programName(words[i]!), path: words[i]!, args: words.slice(i + 1), assignments: words.slice(0, i) };
}

/** The commands `cmd` runs directly (its wrapped command, find's -exec bodies, a git alias). */
function wrapped(cmd: NormalCommand): string[][] {
  const spec = WRAPPERS[cmd.program];
  if (spec) {
    if (cmd.program === 'command' && cmd.args.some((a) => a === '-v' || a === '-V')) return [];
    if (cmd.program === 'flock' && cmd.args.some((a) => a === '-c' || a.startsWith('--command'))) return [];
    const start = skipOptions(cmd.args, spec);
    return start >= 0 && start < cmd.args.length ? [cmd.args.slice(start)] : [];
  }
  if (cmd.program === 'find') return findExecBodies(cmd.args);
  if (cmd.program === 'git') {
    // `git -c alias.p="push -f" p …` is `git push -f …`.
    const sub = gitSubcommandIndex(cmd.args);
    if (sub < 0) return [];
    const alias = gitConfigPairs(cmd.args).find((p) => p.key === `alias.${cmd.args[sub]!.toLowerCase()}` && !p.value.startsWith('!'));
    if (alias) return [[cmd.path, ...alias.value.split(/\s+/).filter(Boolean), ...cmd.args.slice(sub + 1)]];
  }
  return [];
}

/** `words` as a command, then every command it runs through wrappers, depth first (bounded). */
export function innerCommands(words: readonly string[]): NormalCommand[] {
  const out: NormalCommand[] = [];
  const visit = (w: readonly string[], inherited: string[]) => {
    if (out.length >= MAX_INNER) return;
    const cmd = toCommand(w);
    if (!cmd) return;
    cmd.assignments = [...inherited, ...cmd.assignments];
    out.push(cmd);
    for (const inner of wrapped(cmd)) visit(inner, cmd.program === 'env' ? cmd.assignments : []);
  };
  visit(words, []);
  return out;
}

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'yash', 'posh', 'csh', 'tcsh', 'rbash']);

/** For a shell: the `-c` string, `null` when it reads commands from its input, undefined for a script. */
export function shellCommandString(args: readonly string[]): string | null | undefined {
  let c = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--' || w === '-') return c ? (args[i + 1] ?? null) : w === '-' ? null : args[i + 1] === undefined ? null : undefined;
    if (/^[-+][oO]$/.test(w) || w === '--rcfile' || w === '--init-file') {
      i++;
      continue;
    }
    if (w.startsWith('--')) continue;
    if (/^[-+][A-Za-z]+$/.test(w)) {
      if (w[0] === '-' && w.includes('c')) c = true;
      if (w[0] === '-' && w.includes('s')) return c ? (args[i + 1] ?? null) : null;
      continue;
    }
    return c ? w : undefined;
  }
  return null;
}

/** Shell command strings embedded in `cmd`: `sh -c S`, `eval S`, `env -S S`, `su -c S`, `watch S`, git config values that run. */
export function shellStrings(cmd: NormalCommand): string[] {
  const { program, args } = cmd;
  const valueOf = (short: string, long: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const w = args[i]!;
      if (w === short || w === `--${long}`) {
        if (i + 1 < args.length) out.push(args[i + 1]!);
      } else if (w.startsWith(`--${long}=`)) out.push(w.slice(long.length + 3));
      else if (w.startsWith(short) && w.length > short.length && !w.startsWith('--')) out.push(w.slice(short.length));
    }
    return out;
  };
  if (SHELLS.has(program)) {
    const s = shellCommandString(args);
    return typeof s === 'string' ? [s] : [];
  }
  switch (program) {
    case 'eval':
      return args.length ? [args.join(' ')] : [];
    case 'env':
      return valueOf('-S', 'split-string');
    case 'su':
    case 'runuser':
    case 'script':
    case 'flock':
      return valueOf('-c', 'command');
    case 'watch': {
      if (args.some((a) => a === '-x' || a === '--exec')) return [];
      const start = skipOptions(args, { shortArg: 'nq', longArg: ['interval', 'equexit'] });
      return start >= 0 && start < args.length ? [args.slice(start).join(' ')] : [];
    }
    case 'git':
      return gitConfigPairs(args)
        .map(({ key, value }) => (key.startsWith('alias.') ? (value.startsWith('!') ? value.slice(1) : '') : GIT_CODE_KEYS.test(key) ? value.replace(/^!/, '') : ''))
        .filter((s) => s.trim() !== '');
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk':
      return awkCommandStrings(args);
    default:
      return [];
  }
}

/** git configuration keys whose value is a command git runs. */
export const GIT_CODE_KEYS = /^(core\.(fsmonitor|pager|editor|sshcommand|askpass|hookspath|gitproxy)|sequence\.editor|diff\.external|gpg(\.\w+)?\.program|credential\.helper|pager\..*|.*\.(textconv|command|cmd|driver|clean|smudge|process)|uploadpack\.packobjectshook|protocol\..*)$/;

/** Literal strings an awk program hands to the shell: `system("…")`, `"…" | getline`, `print | "…"`. */
function awkCommandStrings(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    for (const m of a.matchAll(/system\s*\(\s*"([^"]*)"|"([^"]*)"\s*\|\s*getline|\|\s*"([^"]*)"/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return out.filter(Boolean);
}

/** Programs whose single-dash words are long options (`find -delete`), not clusters. */
const SINGLE_DASH_LONG = new Set(['find', 'java', 'gcc', 'g++', 'cc', 'clang', 'clang++', 'go', 'dd', 'ffmpeg', 'convert', 'magick', 'xcodebuild', 'openssl']);

/** Long options mapped to one spelling, per program; `--rec` (a unique prefix, as getopt allows) counts too. */
const LONG_ALIASES: Record<string, Record<string, string>> = {
  rm: { recursive: '-r', force: '-f', dir: '-d', interactive: '-i', verbose: '-v', 'no-preserve-root': '--no-preserve-root', 'preserve-root': '--preserve-root', 'one-file-system': '--one-file-system' },
  chmod: { recursive: '-R', verbose: '-v', changes: '-c', silent: '-f', quiet: '-f', reference: '--reference' },
  chown: { recursive: '-R', verbose: '-v', changes: '-c', silent: '-f', quiet: '-f', dereference: '--dereference', reference: '--reference' },
  chgrp: { recursive: '-R', verbose: '-v', changes: '-c', silent: '-f', quiet: '-f', reference: '--reference' },
  shred: { remove: '-u', zero: '-z', force: '-f', iterations: '-n', verbose: '-v' },
};
const SHORT_ALIASES: Record<string, Record<string, string>> = {
  rm: { R: 'r' },
};

/** Resolves `--name` (or a unique prefix of it) against `table`. */
export function resolveLong(name: string, table: Record<string, string>): string | undefined {
  if (table[name] !== undefined) return table[name];
  const hits = Object.keys(table).filter((k) => k.startsWith(name));
  return hits.length === 1 && name.length > 0 ? table[hits[0]!] : undefined;
}

export interface Flags {
  /** Each flag once, one spelling: `-r`, `-f`, `--no-preserve-root`, or the long option as written without its value. */
  flags: Set<string>;
  /** The other words, in order. */
  operands: string[];
}

/** Flags split out of clusters and mapped to one spelling; `--` ends them. */
export function flagsOf(program: string, args: readonly string[]): Flags {
  const flags = new Set<string>();
  const operands: string[] = [];
  const longs = LONG_ALIASES[program];
  const shorts = SHORT_ALIASES[program] ?? {};
  let ended = false;
  for (const w of args) {
    if (ended || w === '-' || !w.startsWith('-')) {
      operands.push(w);
    } else if (w === '--') {
      ended = true;
    } else if (w.startsWith('--')) {
      const name = w.slice(2).split('=')[0]!;
      flags.add((longs && resolveLong(name, longs)) ?? `--${name}`);
    } else if (SINGLE_DASH_LONG.has(program) || !/^-[A-Za-z0-9]+$/.test(w)) {
      flags.add(w.split('=')[0]!);
    } else {
      for (const ch of w.slice(1)) flags.add(`-${shorts[ch] ?? ch}`);
    }
  }
  return { flags, operands };
}

/** The normalised form user deny patterns also see: `rm -f -r x` for `/bin/rm -rf x` or `rm --force -R x`. */
export function normalisedForm(cmd: NormalCommand): string {
  const { flags, operands } = flagsOf(cmd.program, cmd.args);
  const ops = cmd.program === 'dd' ? [...operands].sort() : operands;
  return [...cmd.assignments, cmd.program, ...[...flags].sort(), ...ops].join(' ');
}
