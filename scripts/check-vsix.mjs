// Checks the packaged VSIX: under 2 MB, and holding only the extension bundle, its runtime chunk, the
// sidebar's page (dist/webview.js), media and the docs (no sources, tests, maps or node_modules).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const file = `${pkg.name}-${pkg.version}.vsix`;
const size = statSync(file).size;
const listed = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' })
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const allowed = /^(dist\/(extension|runtime|webview|evalReport)\.js|media\/[^/]+|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/;
const bad = listed.filter((f) => !allowed.test(f));
const problems = [];
if (size >= 2 * 1024 * 1024) problems.push(`${file} is ${size} bytes, over 2 MB`);
if (bad.length) problems.push(`unexpected files in the VSIX: ${bad.join(', ')}`);
for (const need of ['dist/extension.js', 'dist/runtime.js', 'dist/webview.js', 'media/sidebar.css', 'package.json', 'README.md']) {
  if (!listed.includes(need)) problems.push(`${need} is missing from the VSIX`);
}
if (problems.length) {
  console.error(`check-vsix: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`check-vsix: ${file} is ${(size / 1024).toFixed(1)} KB with ${listed.length} files: ${listed.join(', ')}`);
