// The e2e workbench's user settings file (the driver's layout), read as VS Code writes it.
import fs from 'node:fs';
import path from 'node:path';

export function settingsFile(ctx) {
  const file = path.join(path.dirname(ctx.workspace), 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(file)) throw new Error(`no user settings at ${file} (the e2e driver's layout changed?)`);
  return file;
}

/** VS Code writes settings.json as JSON with comments allowed: strip them before parsing. */
export function readSettings(ctx) {
  const text = fs.readFileSync(settingsFile(ctx), 'utf8');
  const stripped = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:\\])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(stripped || '{}');
}
