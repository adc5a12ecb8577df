// What ARC knows about programs (DESIGN §5), on the normalised form from normalize.ts:
//  - built-in deny rules, always on (CLI and editor alike) and never overridden by an approval;
//  - options that run code, or write or read where the allowlist cannot see (`git -c`, `--output`,
//    `npm --node-options`, `node -e` …): such a command is never approved by the allowlist;
//  - programs whose behaviour the workspace defines (package scripts, make targets, git config and
//    hooks, `./script.sh`): the caller auto-runs those only inside the sandbox.
import { flagsOf, gitConfigPairs, gitSubcommandIndex, SHELLS, shellCommandString, type NormalCommand } from './normalize';

export interface DenyRule {
  id: string;
  description: string;
  /** What the command does that the rule forbids, or undefined. */
  test(cmd: NormalCommand): string | undefined;
}

const HOME_OR_ROOT = /^(\/+\.?|\/\*|~[^/]*\/?\*?|~\/\.?|\$\{?HOME\}?\/?\*?|\.\.\/?|\/(bin|boot|etc|home|lib|lib64|opt|root|sbin|srv|usr|var|Users|System|Library)\/?\*?)$/;
const BLOCK_DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|md|dm-|loop|mapper\/|sr|fd\d)/;
const PRIVILEGE = new Set(['sudo', 'sudoedit', 'doas', 'su', 'pkexec', 'run0', 'dzdo', 'runas', 'gosu', 'su-exec', 'chroot']);
const DISK_TOOLS = /^(mkfs(\..*)?|mke2fs|mkswap|mkntfs|mkdosfs|newfs(_.*)?|fdisk|sfdisk|cfdisk|gdisk|sgdisk|parted|wipefs|blkdiscard|diskutil|format)$/;
const POWER = new Set(['shutdown', 'reboot', 'halt', 'poweroff', 'kexec']);

function gitPushForce(cmd: NormalCommand): string | undefined {
  if (cmd.program !== 'git') return undefined;
  const sub = gitSubcommandIndex(cmd.args);
  if (sub < 0 || cmd.args[sub] !== 'push') return undefined;
  // git accepts abbreviations; any prefix of these counts (an ambiguous one is refused by git anyway).
  const forceLong = ['force', 'force-with-lease', 'force-if-includes', 'mirror'];
  for (const w of cmd.args.slice(sub + 1)) {
    const name = w.slice(2).split('=')[0]!;
    if (w.startsWith('--') && name.length > 0 && forceLong.some((f) => f.startsWith(name))) return `git push ${w.split('=')[0]} (a force push)`;
    if (/^-[A-Za-z0-9]+$/.test(w) && w.includes('f')) return `git push ${w} (a force push)`;
    if (w.startsWith('+')) return `git push ${w} (a "+" refspec forces the update)`;
  }
  return undefined;
}

export const DENY_RULES: readonly DenyRule[] = [
  {
    id: 'rm-recursive-force',
    description: 'rm with both -r and -f in any spelling (-rf, -fr, -Rf, -r -f, --recursive --force), or -r on / or the home directory, or --no-preserve-root',
    test(cmd) {
      if (cmd.program !== 'rm') return undefined;
      const { flags, operands } = flagsOf('rm', cmd.args);
      if (flags.has('--no-preserve-root')) return 'rm --no-preserve-root';
      if (flags.has('-r') && flags.has('-f')) return 'rm -r -f (recursive forced deletion)';
      const target = operands.find((o) => HOME_OR_ROOT.test(o));
      if (flags.has('-r') && target !== undefined) return `rm -r ${target}`;
      return undefined;
    },
  },
  {
    id: 'find-delete',
    description: 'find -delete (bulk deletion; the commands in find -exec are checked like any other)',
    test: (cmd) => (cmd.program === 'find' && cmd.args.includes('-delete') ? 'find -delete' : undefined),
  },
  {
    id: 'git-force-push',
    description: 'git push --force, -f, --force-with-lease, --force-if-includes, --mirror or a "+" refspec',
    test: gitPushForce,
  },
  {
    id: 'privilege',
    description: 'running as another user: sudo, doas, su, pkexec, run0, chroot …',
    test: (cmd) => (PRIVILEGE.has(cmd.program) ? `${cmd.program} (runs as another user)` : undefined),
  },
  {
    id: 'disk-write',
    description: 'writing a disk device (dd of=/dev/sda, > /dev/nvme0n1, tee/cp to a device) or formatting or partitioning one (mkfs, fdisk, wipefs …)',
    test(cmd) {
      if (DISK_TOOLS.test(cmd.program)) return `${cmd.program} (formats or partitions disks)`;
      if (cmd.program === 'dd') {
        const of = cmd.args.find((a) => a.startsWith('of=') && BLOCK_DEVICE.test(a.slice(3)));
        if (of) return `dd ${of}`;
      }
      if (['tee', 'cp', 'mv', 'shred', 'truncate', 'install', 'cat', 'pv'].includes(cmd.program)) {
        const dev = cmd.args.find((a) => BLOCK_DEVICE.test(a));
        if (dev && cmd.program !== 'cat') return `${cmd.program} ${dev}`;
      }
      return undefined;
    },
  },
  {
    id: 'recursive-chmod-root',
    description: 'chmod, chown or chgrp -R on / or the home directory',
    test(cmd) {
      if (!['chmod', 'chown', 'chgrp'].includes(cmd.program)) return undefined;
      const { flags, operands } = flagsOf(cmd.program, cmd.args);
      const target = operands.find((o) => HOME_OR_ROOT.test(o));
      return flags.has('-R') && target !== undefined ? `${cmd.program} -R ${target}` : undefined;
    },
  },
  {
    id: 'power',
    description: 'shutting down or rebooting the machine (shutdown, reboot, halt, poweroff, systemctl poweroff …)',
    test(cmd) {
      if (POWER.has(cmd.program)) return cmd.program;
      if (cmd.program === 'systemctl' && cmd.args.some((a) => /^(poweroff|reboot|halt|kexec|suspend|hibernate|soft-reboot)$/.test(a))) return `systemctl ${cmd.args.join(' ')}`;
      if ((cmd.program === 'init' || cmd.program === 'telinit') && /^[06]$/.test(cmd.args[0] ?? '')) return `${cmd.program} ${cmd.args[0]}`;
      return undefined;
    },
  },
];

/** Rules on the line as a whole (what a single command cannot show). */
export const LINE_RULES: ReadonlyArray<{ id: string; description: string }> = [
  { id: 'fork-bomb', description: 'a shell function that calls itself (a fork bomb, under any name)' },
  { id: 'device-redirect', description: 'a redirection to a disk device (> /dev/sda)' },
  { id: 'too-deep', description: 'substitutions, sh -c strings or wrappers nested deeper than ARC checks' },
  { id: 'too-long', description: 'a command line too long to check' },
];

export { BLOCK_DEVICE };

// ---- options that run code or write where the allowlist cannot see ----

/** `-x` in a single-dash word (alone or in a cluster `-sSx`). */
function shortIn(args: readonly string[], letters: string): string | undefined {
  for (const w of args) {
    if (!/^-[A-Za-z0-9]/.test(w) || w.startsWith('--')) continue;
    for (const ch of w.slice(1)) {
      if (!/[A-Za-z0-9]/.test(ch)) break;
      if (letters.includes(ch)) return `-${ch}`;
    }
  }
  return undefined;
}
/** `--name`, `--name=…`, or (abbrev) a unique-enough prefix of it, as git and npm accept. */
function longIn(args: readonly string[], names: readonly string[], abbrev: boolean, underscores = false): string | undefined {
  for (const w of args) {
    if (!w.startsWith('--') || w === '--') continue;
    let name = w.slice(2).split('=')[0]!.toLowerCase();
    if (underscores) name = name.replace(/_/g, '-');
    const hit = names.find((n) => n === name || (abbrev && name.length >= 2 && n.startsWith(name)));
    if (hit) return `--${hit}`;
  }
  return undefined;
}
function singleDash(args: readonly string[], names: readonly string[]): string | undefined {
  return args.find((a) => names.includes(a.split('=')[0]!));
}

const GIT_GLOBAL_CODE: Record<string, string> = {
  '-c': 'runs code',
  '--config-env': 'runs code',
  '-C': 'runs git in another directory',
  '--git-dir': 'points git at another repository',
  '--work-tree': 'points git at another directory',
  '--exec-path': 'runs git programs from another directory',
};
const GIT_SUB_LONG = ['upload-pack', 'receive-pack', 'exec', 'output', 'output-directory', 'ext-diff', 'no-index', 'open-files-in-pager', 'template', 'extcmd', 'tool', 'run', 'remote', 'config', 'config-env'];
const GIT_RUNS_CODE = new Set(['config', 'submodule', 'bisect', 'filter-branch', 'filter-repo', 'difftool', 'mergetool', 'daemon', 'instaweb', 'send-email', 'credential', 'web--browse', 'archimport', 'cvsimport', 'svn', 'p4', 'remote-ext', 'upload-pack', 'receive-pack', 'shell', 'http-backend', 'sh-setup', 'hook']);

function gitCode(args: readonly string[]): string | undefined {
  const sub = gitSubcommandIndex(args);
  const globals = sub < 0 ? args : args.slice(0, sub);
  for (const w of globals) {
    const name = w.split('=')[0]!;
    if (GIT_GLOBAL_CODE[name]) return `the option ${name} of git ${GIT_GLOBAL_CODE[name]}`;
  }
  if (sub < 0) return undefined;
  const subcommand = args[sub]!;
  if (GIT_RUNS_CODE.has(subcommand)) return `git ${subcommand} ${subcommand === 'config' ? 'changes what git runs' : 'runs other programs'}`;
  const rest = args.slice(sub + 1);
  const long = longIn(rest, GIT_SUB_LONG, true);
  if (long) return `the option ${long} of git ${subcommand} ${/output/.test(long) ? 'writes output to a file' : long === '--no-index' ? 'reads files outside the repository' : 'runs code'}`;
  const shortOpts: Record<string, string> = { rebase: 'x', clone: 'u', 'format-patch': 'o', archive: 'o', grep: 'O', fetch: '', pull: '', 'ls-remote': '' };
  const s = shortOpts[subcommand] ? shortIn(rest, shortOpts[subcommand]) : undefined;
  if (s) return `the option ${s} of git ${subcommand} ${s === '-o' ? 'writes output to a file' : 'runs code'}`;
  return undefined;
}

const NPM_FAMILY = new Set(['npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx', 'bunx', 'corepack']);
const NPM_LONG = ['node-options', 'script-shell', 'userconfig', 'globalconfig', 'prefix', 'call', 'shell', 'init-module', 'dir', 'cwd', 'rcfile', 'config', 'preload', 'eval', 'print', 'require'];

function npmCode(program: string, allArgs: readonly string[]): string | undefined {
  // After `--` the words are the script's arguments, not the package manager's options.
  const dd = allArgs.indexOf('--');
  const args = dd < 0 ? allArgs : allArgs.slice(0, dd);
  const long = longIn(args, NPM_LONG, true, true);
  if (long) return `the option ${long} of ${program} ${long === '--prefix' || long === '--dir' || long === '--cwd' ? 'runs another directory\'s scripts' : 'runs code'}`;
  const sub = args.find((a) => !a.startsWith('-'));
  if (program === 'npm' && (sub === 'config' || sub === 'c' || sub === 'set')) return 'npm config changes what npm runs';
  if (program === 'npm' && (sub === 'explore' || sub === 'edit')) return `npm ${sub} runs a shell`;
  if (['npx', 'pnpx', 'bunx'].includes(program) || ['exec', 'x', 'dlx'].includes(sub ?? '') || (program === 'bun' && sub === undefined)) {
    const c = shortIn(args, 'c');
    if (c) return `the option -c of ${program} runs code`;
  }
  if (program === 'pnpm' || program === 'bun') {
    const c = shortIn(args, program === 'pnpm' ? 'C' : 'er');
    if (c) return `the option ${c} of ${program} ${c === '-C' ? "runs another directory's scripts" : 'runs code'}`;
  }
  return undefined;
}

const NODE_LIKE = new Set(['node', 'nodejs', 'deno', 'tsx', 'ts-node', 'ts-node-esm', 'esno']);
const PYTHON = /^(python[0-9.]*|pypy[0-9.]*|py)$/;
const AWK = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);

/** `-x`-style code flags of interpreters, and whether running with no script reads code from input. */
function interpreterCode(cmd: NormalCommand): string | undefined {
  const { program, args } = cmd;
  const firstOperand = args.find((a) => !a.startsWith('-'));
  if (NODE_LIKE.has(program)) {
    if (program === 'deno' && firstOperand === 'eval') return 'deno eval runs code';
    const o = singleDash(args, ['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '-i', '--interactive', '-']) ?? longIn(args, ['eval', 'print', 'require', 'import', 'loader', 'experimental-loader'], false) ?? shortIn(args, 'epri');
    if (o) return `the option ${o.split('=')[0]} of ${program} runs code`;
    if (args.length === 0 && program !== 'deno') return `${program} with no script reads code from its input`;
    return undefined;
  }
  if (PYTHON.test(program)) {
    const o = shortIn(args, 'c');
    if (o) return `the option -c of ${program} runs code`;
    if (args.includes('-')) return `${program} - reads code from its input`;
    if (args.length === 0) return `${program} with no script reads code from its input`;
    return undefined;
  }
  const letters: Record<string, string> = { ruby: 'eEr', perl: 'eEMm', php: 'rBRE', lua: 'el', luajit: 'el', rscript: 'e', r: 'e', osascript: 'e', pwsh: 'cCeE', powershell: 'cCeE', tclsh: '', julia: 'eEL', swift: 'e', irb: '' };
  if (letters[program] !== undefined) {
    const o = letters[program] ? shortIn(args, letters[program]!) ?? longIn(args, ['eval', 'command', 'encodedcommand'], false) : undefined;
    if (o) return `the option ${o} of ${program} runs code`;
    if (program === 'irb' || args.length === 0) return `${program} with no script reads code from its input`;
    return undefined;
  }
  if (SHELLS.has(program)) {
    const s = shellCommandString(args);
    if (typeof s === 'string') return `the option -c of ${program} runs the string it is given`;
    if (s === null) return `${program} with no script reads commands from its input`;
    return undefined;
  }
  if (AWK.has(program)) return `${program} is given a program, which can run commands`;
  return undefined;
}

/** A sed script's e/w/W commands or s///e, s///w flags; true when unsure. */
export function sedScriptRuns(script: string): boolean {
  let i = 0;
  const s = script;
  const skipSpace = () => {
    while (i < s.length && /[\s;]/.test(s[i]!)) i++;
  };
  const readDelimited = (d: string): boolean => {
    for (; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === d) {
        i++;
        return true;
      }
    }
    return false;
  };
  for (let guard = 0; guard < 10_000; guard++) {
    skipSpace();
    if (i >= s.length) return false;
    // Addresses: numbers, $, /re/, \cREc, ranges and steps, then optional !
    for (let a = 0; a < 2; a++) {
      if (/[0-9$]/.test(s[i] ?? '')) while (/[0-9$~+]/.test(s[i] ?? '')) i++;
      else if (s[i] === '/') {
        i++;
        if (!readDelimited('/')) return true;
        while (/[IM]/.test(s[i] ?? '')) i++;
      } else if (s[i] === '\\') {
        const d = s[i + 1];
        i += 2;
        if (d === undefined || !readDelimited(d)) return true;
      }
      if (s[i] === ',') i++;
      else break;
    }
    while (s[i] === '!' || s[i] === ' ') i++;
    const c = s[i++];
    if (c === undefined) return false;
    if ('ewW'.includes(c)) return true;
    if (c === 's' || c === 'y') {
      const d = s[i++];
      if (d === undefined || d === '\\' || d === '\n') return true;
      if (!readDelimited(d) || !readDelimited(d)) return true;
      if (c === 's') {
        const flags = /^[gpiImMe0-9w]*/.exec(s.slice(i))![0];
        if (/[ew]/.test(flags)) return true;
        i += flags.length;
      }
    } else if ('aic:btTrRqQlL'.includes(c)) {
      // Text or label to the end of the line (r/R read a file: harmless to run, but take the name).
      while (i < s.length && s[i] !== '\n' && !(c !== 'a' && c !== 'i' && c !== 'c' && s[i] === ';')) i++;
    } else if (!'{}=dDgGhHnNpPxzF#'.includes(c)) return true;
    if (c === '#') while (i < s.length && s[i] !== '\n') i++;
  }
  return true;
}

function sedCode(args: readonly string[]): string | undefined {
  if (singleDash(args, ['-f', '--file']) || shortIn(args, 'f')) return 'sed -f runs a script file, which can run commands';
  const scripts: string[] = [];
  let explicit = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-e' || w === '--expression') {
      explicit = true;
      if (i + 1 < args.length) scripts.push(args[++i]!);
    } else if (w.startsWith('--expression=')) {
      explicit = true;
      scripts.push(w.slice(13));
    } else if (/^-[A-Za-z]*e./.test(w)) {
      explicit = true;
      scripts.push(w.slice(w.indexOf('e') + 1));
    }
  }
  if (!explicit) {
    const first = args.find((a, i) => !a.startsWith('-') && !/^(-l|--line-length)$/.test(args[i - 1] ?? ''));
    if (first !== undefined) scripts.push(first);
  }
  return scripts.some(sedScriptRuns) ? 'the sed script runs commands or writes files (e, w or W)' : undefined;
}

/** Programs with options that run code or write or read files the allowlist does not see. */
const OPTION_TABLE: Record<string, { short?: string; long?: string[]; single?: string[]; what: string }> = {
  find: { single: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'], what: 'runs commands or writes files' },
  curl: { short: 'oODcKT', long: ['output', 'remote-name', 'remote-name-all', 'output-dir', 'dump-header', 'cookie-jar', 'trace', 'trace-ascii', 'stderr', 'libcurl', 'config', 'upload-file', 'etag-save', 'hsts', 'alt-svc', 'create-dirs'], what: 'writes or sends files' },
  wget: { short: 'OoaPeix', long: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'execute', 'post-file', 'body-file', 'input-file', 'use-askpass', 'config'], what: 'writes or sends files, or runs commands' },
  tee: { what: 'writes to files' },
  ssh: { short: 'oFSE', what: 'runs local commands (ProxyCommand, LocalCommand) or reads another configuration' },
  scp: { short: 'oFS', what: 'runs local commands' },
  sftp: { short: 'oFSD', what: 'runs local commands' },
  rsync: { short: 'e', long: ['rsh', 'rsync-path', 'log-file', 'write-batch', 'only-write-batch'], what: 'runs commands or writes files' },
  tar: { short: 'IF', long: ['to-command', 'use-compress-program', 'checkpoint-action', 'info-script', 'new-volume-script', 'rsh-command'], what: 'runs commands' },
  zip: { long: ['unzip-command'], single: ['-TT'], what: 'runs commands' },
  make: { short: 'EfC', long: ['eval', 'file', 'makefile', 'directory'], what: 'runs code from elsewhere' },
  gmake: { short: 'EfC', long: ['eval', 'file', 'makefile', 'directory'], what: 'runs code from elsewhere' },
  cargo: { short: 'Z', long: ['config', 'manifest-path'], what: 'runs code from elsewhere' },
  go: { single: ['-toolexec', '--toolexec', '-exec', '--exec', '-overlay', '--overlay', '-modfile', '--modfile'], what: 'runs other programs' },
  man: { short: 'PH', long: ['pager', 'html'], what: 'runs other programs' },
  less: { what: 'can run shell commands' },
  more: { what: 'can run shell commands' },
  vi: { what: 'can run shell commands' },
  vim: { what: 'can run shell commands' },
  nvim: { what: 'can run shell commands' },
  emacs: { what: 'can run shell commands' },
  ed: { what: 'can run shell commands' },
  eval: { what: 'runs the string it is given' },
  source: { what: 'runs a script in the shell' },
  '.': { what: 'runs a script in the shell' },
  xargs: { what: 'runs commands built from its input' },
  watch: { what: 'runs the string it is given' },
  script: { what: 'runs a shell' },
  flock: { short: 'c', long: ['command'], what: 'runs the string it is given' },
  env: { short: 'S', long: ['split-string'], what: 'runs the string it is given' },
  su: { what: 'runs a shell as another user' },
  parallel: { what: 'runs commands' },
  nsenter: { what: 'runs commands in other namespaces' },
  unshare: { what: 'runs commands in new namespaces' },
  trap: { what: 'runs the string it is given' },
};
const WHOLE_PROGRAM = new Set(['tee', 'less', 'more', 'vi', 'vim', 'nvim', 'emacs', 'ed', 'eval', 'source', '.', 'xargs', 'watch', 'script', 'su', 'parallel', 'nsenter', 'unshare', 'trap']);

/** Environment assignments that change what a program runs (`NODE_OPTIONS=--require …`). */
const CODE_VARIABLES = /^(NODE_OPTIONS|NODE_PATH|LD_\w+|DYLD_\w+|GIT_\w+|npm_config_\w+|PYTHON\w*|PERL5?\w*|RUBY\w*|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|IFS|PATH|PAGER|\w*_PAGER|EDITOR|VISUAL|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|RUSTC_WRAPPER|RUSTC|RUSTFLAGS|CARGO_\w+|GOFLAGS|CC|CXX|MAKEFLAGS|MAKEFILES|SHELL|ZDOTDIR|HOME|XDG_CONFIG_HOME|BROWSER|SSH_ASKPASS|SUDO_ASKPASS|LESSOPEN|LESSCLOSE|TAR_OPTIONS|CURL_HOME|WGETRC)\+?=/i;

/** What in `cmd` runs code or reaches files the allowlist cannot see, or undefined. */
export function codeOption(cmd: NormalCommand): string | undefined {
  const risky = cmd.assignments.find((a) => CODE_VARIABLES.test(a));
  if (risky) return `the variable ${risky.split('=')[0]} changes what ${cmd.program} runs`;
  const { program, args } = cmd;
  if (program === 'git') {
    const pairs = gitConfigPairs(args);
    if (pairs.length) return 'the option -c of git runs code';
    return gitCode(args);
  }
  if (NPM_FAMILY.has(program)) return npmCode(program, args);
  if (program === 'sed' || program === 'gsed') return sedCode(args);
  const interp = interpreterCode(cmd);
  if (interp) return interp;
  const spec = OPTION_TABLE[program];
  if (!spec) return undefined;
  if (WHOLE_PROGRAM.has(program)) return `${program} ${spec.what}`;
  const hit = (spec.single && singleDash(args, spec.single)) || (spec.long && longIn(args, spec.long, false)) || (spec.short && shortIn(args, spec.short));
  if (!hit) return program === 'make' || program === 'gmake' ? makeVariables(args) : undefined;
  return `the option ${hit.split('=')[0]} of ${program} ${spec.what}`;
}

function makeVariables(args: readonly string[]): string | undefined {
  const v = args.find((a) => /^(\.?SHELL|\.SHELLFLAGS|MAKEFILES|MAKEFLAGS)=/.test(a));
  return v ? `the variable ${v.split('=')[0]} changes what make runs` : undefined;
}

// ---- programs whose behaviour the workspace defines ----

const WORKSPACE_PROGRAMS = new Set([
  'npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'bun', 'bunx', 'corepack', 'make', 'gmake', 'just', 'task', 'rake', 'gradle', 'gradlew', 'mvn', 'mvnw', 'ant', 'sbt',
  'cargo', 'go', 'pytest', 'py.test', 'tox', 'nox', 'git', 'jest', 'vitest', 'mocha', 'eslint', 'prettier', 'webpack', 'vite', 'rollup', 'playwright', 'cypress',
  'cmake', 'meson', 'ninja', 'bazel', 'bazelisk', 'poetry', 'pipenv', 'uv', 'hatch', 'pdm', 'composer', 'bundle', 'rspec', 'dotnet', 'swift', 'mix', 'deno',
]);
const SCRIPT_RUNNERS = new Set(['node', 'nodejs', 'tsx', 'ts-node', 'ruby', 'perl', 'php', 'lua', 'rscript', 'source', '.', ...SHELLS]);

/** True when what `cmd` does is decided by files in the workspace (package scripts, Makefile, git config and hooks, ./x.sh). */
export function workspaceDefined(cmd: NormalCommand): boolean {
  const { program, args, path } = cmd;
  if (path.includes('/') && !path.startsWith('/')) return true;
  if (program === 'npm' && args.length === 1 && /^(-v|--version|help|-h|--help)$/.test(args[0]!)) return false;
  if (WORKSPACE_PROGRAMS.has(program)) return true;
  const script = args.find((a) => !a.startsWith('-'));
  if (PYTHON.test(program)) return script !== undefined || args.some((a) => /^-[A-Za-z]*m/.test(a));
  return SCRIPT_RUNNERS.has(program) && script !== undefined;
}
