// Protected paths (DESIGN §5): files that decide what commands, the editor or CI will run. An edit to
// one always asks a person, with the reason — `--yes` and arc.agent.autoApproveEdits never cover it —
// because "edit .git/config, then run the allowlisted `git status`" turns a narrow allowlist into
// arbitrary code. The rules are about what a file *does*, so they match by path, at any depth.
import picomatch from 'picomatch';

interface Rule {
  globs: string[];
  reason: string;
}

const RULES: readonly Rule[] = [
  { globs: ['.git', '.git/**', '**/.git', '**/.git/**'], reason: 'files under .git/ (config, hooks) decide what git runs' },
  { globs: ['.husky/**', '**/.husky/**', '.githooks/**', '.pre-commit-config.yaml', 'lefthook.yml', 'lefthook.yaml', '.lefthook.yml'], reason: 'git hooks run on the next commit or push' },
  { globs: ['.vscode/**', '**/.vscode/**', '*.code-workspace'], reason: '.vscode/ holds editor settings and tasks that can run commands' },
  { globs: ['.arcignore', '**/.arcignore'], reason: '.arcignore decides what ARC hides from the agent' },
  { globs: ['.github/workflows/**', '.github/actions/**', '.gitlab-ci.yml', '.circleci/**', 'azure-pipelines.yml', 'Jenkinsfile', '.buildkite/**'], reason: 'CI files run with the repository\'s secrets' },
  { globs: ['.gitattributes', '**/.gitattributes', '.gitmodules'], reason: 'git attributes and submodules choose filters and code git fetches or runs' },
  { globs: ['Makefile', 'makefile', 'GNUmakefile', '**/Makefile', '**/makefile', '**/GNUmakefile', '*.mk', '**/*.mk', 'justfile', 'Justfile', '.justfile', 'Taskfile.yml', 'Taskfile.yaml'], reason: 'make/just/task targets are commands' },
  { globs: ['.yarnrc', '.pnpmfile.cjs', '.pnpmfile.js', 'bunfig.toml', '.npmrc', '.yarnrc.yml'], reason: 'package-manager config can run code on install' },
  { globs: ['.devcontainer/**', '.envrc', '**/.envrc'], reason: 'dev containers and .envrc run commands when opened or entered' },
];

const compiled = RULES.map((r) => ({ match: picomatch(r.globs, { dot: true }), reason: r.reason }));

/** package.json fields whose values are commands (npm scripts and the git-hook tools that read package.json). */
const PACKAGE_COMMAND_FIELDS = ['scripts', 'config', 'husky', 'simple-git-hooks', 'gitHooks', 'pre-commit', 'lint-staged', 'nano-staged'] as const;

/**
 * Why an edit of `relPath` (posix, workspace-relative) needs a person's approval, or undefined.
 * For package.json only a change to its command fields counts, so `before` and `after` (the whole
 * file before and after the edit) are needed there; an `after` that no longer parses counts too.
 */
export function protectedReason(relPath: string, before?: string, after?: string): string | undefined {
  const p = relPath.replace(/^\.\/+/, '');
  for (const r of compiled) if (r.match(p)) return r.reason;
  const base = p.split('/').pop() ?? p;
  if (base === 'package.json') return packageJsonReason(before, after);
  return undefined;
}

function packageJsonReason(before: string | undefined, after: string | undefined): string | undefined {
  if (after === undefined) return undefined;
  const a = parseObject(after);
  if (a === undefined) return 'package.json would no longer parse, so its scripts could not be checked';
  const b = before === undefined || before === '' ? {} : parseObject(before);
  if (b === undefined) return 'package.json does not parse now, so a change to its scripts could not be ruled out';
  const changed = PACKAGE_COMMAND_FIELDS.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]));
  if (changed.length === 0) return undefined;
  return `package.json "${changed.join('", "')}" ${changed.length === 1 ? 'is' : 'are'} what npm and git hooks run`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** For the sandbox: paths under a workspace folder that commands may read but never write. */
export const SANDBOX_READ_ONLY = Object.freeze(['.git/config', '.git/hooks', '.git/info', '.vscode', '.arcignore', '.github/workflows', '.husky', '.githooks']);
