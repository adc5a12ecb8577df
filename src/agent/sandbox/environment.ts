// The environment a command gets (DESIGN §5): the user's, less anything that looks like a credential,
// so an API key never reaches a command the model chose — sandboxed or not.

/** Variable names that carry credentials by convention. */
const SECRET_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH|COOKIE|SESSION|PRIVATE)(?:_|$)|^(?:AWS|AZURE|GCP|GOOGLE|GH|GITHUB|GITLAB|NPM|OPENAI|ANTHROPIC|HF|HUGGING_?FACE)_/i;

/** Always removed, whatever their names (the CLI's --api-key-env names one more). */
export const ALWAYS_STRIPPED_ENV: readonly string[] = Object.freeze(['OPENAI_API_KEY', 'ARC_API_KEY', 'SSH_AUTH_SOCK', 'GPG_AGENT_INFO']);

/** The environment for a command: `base` without credential-like and explicitly named variables. */
export function scrubEnvironment(base: NodeJS.ProcessEnv, strip: readonly string[] = []): Record<string, string> {
  const drop = new Set([...ALWAYS_STRIPPED_ENV, ...strip].map((k) => k.toUpperCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || drop.has(k.toUpperCase()) || SECRET_NAME.test(k)) continue;
    out[k] = v;
  }
  return out;
}
