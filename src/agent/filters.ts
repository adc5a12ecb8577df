// What agent tools may see (DESIGN §5): secrets and `.arcignore` entries are hidden from every tool
// unless the user approves, and globs from the model are matched one way everywhere.
import picomatch from 'picomatch';

/**
 * File and folder names that usually hold secrets (DESIGN §5). Matched case-insensitively against
 * every component of a path, so a `.env/` virtualenv, `.aws/credentials` or a key under `certs/`
 * is hidden as a whole. Patterns that need more than one component live in SECRET_PATH_PATTERNS.
 */
export const SENSITIVE_PATTERNS: readonly string[] = Object.freeze([
  // dotenv files in every spelling: .env, .env.local, .env-local, .env_prod, .envrc, prod.env
  '.env*',
  '*.env',
  // keys and certificates
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.keytab',
  // credential stores and tool configs that carry tokens
  '.netrc',
  '_netrc',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.pgpass',
  '.git-credentials',
  '.htpasswd',
  '.dockercfg',
  '.docker',
  '.aws',
  '.ssh',
  '.gnupg',
  '.kube',
  'kubeconfig',
  '*.kubeconfig',
  'credentials.json',
  'secrets.*',
  'secret.*',
  '*.tfvars',
  '*.tfvars.json',
  '*.tfstate',
  '*.tfstate.backup',
]);

/** Secrets named by more than their last component: a repository's own git config (remote URLs with tokens). */
export const SECRET_PATH_PATTERNS: readonly string[] = Object.freeze(['**/.git/config', '.git/config']);

// `env.production`, `env.local` … hold secrets; `env.ts` or `env.py` is code that reads them.
const ENV_DOT_NAME = /^env\.(?!(?:[cm]?[jt]sx?|d\.[cm]?ts|py|pyi|rb|go|rs|java|kt|kts|scala|swift|c|cc|cpp|h|hpp|cs|fs|php|lua|dart|ex|exs|sh|bash|zsh|ps1|vue|svelte|md|txt|rst|html|css|scss|less)$)/i;

// One regex for all patterns: checked for every path a walk visits, so it must be cheap.
const sensitiveName = new RegExp(
  SENSITIVE_PATTERNS.map((p) => `(?:${picomatch.makeRe(p, { dot: true, nocase: true }).source})`).join('|'),
  'i',
);
const sensitivePath = picomatch([...SECRET_PATH_PATTERNS], { dot: true, nocase: true });

/** True when the (posix, workspace-relative) path names a secret, in any of its components. */
export function isSensitivePath(relPath: string): boolean {
  if (relPath.split('/').some((part) => part !== '' && (sensitiveName.test(part) || ENV_DOT_NAME.test(part)))) return true;
  return relPath.includes('/') && sensitivePath(relPath);
}

interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  match: (p: string) => boolean;
}

/**
 * Gitignore-style rules (the subset that matters here): `#` comments, blank lines, `!` negation,
 * a trailing `/` for directories only, a leading or inner `/` anchors the pattern at the root, and
 * anything else matches at any depth. A path inside an ignored directory is ignored (as in git, a
 * later `!` cannot re-include it).
 */
export class IgnoreRules {
  private readonly rules: IgnoreRule[] = [];

  constructor(text = '') {
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.replace(/(?<!\\)\s+$/, '');
      if (line === '' || line.startsWith('#')) continue;
      let negate = false;
      if (line.startsWith('!')) {
        negate = true;
        line = line.slice(1);
      } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
        line = line.slice(1);
      }
      let dirOnly = false;
      if (line.endsWith('/')) {
        dirOnly = true;
        line = line.replace(/\/+$/, '');
      }
      if (line === '') continue;
      const anchored = line.startsWith('/') || line.includes('/');
      line = line.replace(/^\/+/, '');
      const pattern = anchored || line.startsWith('**/') ? line : `**/${line}`;
      this.rules.push({ negate, dirOnly, match: picomatch(pattern, { dot: true }) });
    }
  }

  get size(): number {
    return this.rules.length;
  }

  /** `relPath` is posix and relative to the folder the rules came from. */
  ignores(relPath: string, isDir = false): boolean {
    if (this.rules.length === 0) return false;
    const parts = relPath.split('/').filter((p) => p !== '');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const asDir = i < parts.length || isDir;
      let ignored = false;
      for (const rule of this.rules) {
        if (rule.dirOnly && !asDir) continue;
        if (rule.match(prefix)) ignored = !rule.negate;
      }
      if (ignored) return true;
    }
    return false;
  }
}

export class GlobError extends Error {}

/**
 * Compiles a model-given glob. A glob without `/` matches file names at any depth (as in .gitignore
 * and ripgrep: `*.ts` finds `src/a.ts`); with a `/` it matches the whole workspace-relative path
 * (`src/**\/*.ts`). Dotfiles match. Globs that try to leave the workspace are refused.
 */
export function compileGlob(glob: string): (relPath: string) => boolean {
  const g = glob.trim();
  if (g === '') throw new GlobError('the glob is empty; use "**" for every file');
  if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g)) throw new GlobError(`glob "${glob}" is absolute; globs are relative to the workspace root`);
  if (g.split(/[\\/]/).includes('..')) throw new GlobError(`glob "${glob}" contains ".."; globs cannot leave the workspace`);
  const normalized = g.replace(/^\.\//, '');
  // picomatch's `basename` compares only the last component, so it is for slash-free globs only.
  const m = picomatch(normalized, { dot: true, basename: !normalized.includes('/') });
  return (p) => m(p);
}
