#!/usr/bin/env node
// The same host tests in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code or have one installed (`ARC_VSCODE_PATH=/path/to/code`). The machines ARC is built
// on cannot download it; there `npm test` runs these tests in code-server instead (test/host/driver.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspace = path.join(root, 'test', 'host', 'fixtures', 'workspace');

try {
  const code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'host', 'index.js'),
    ...(process.env.ARC_VSCODE_PATH ? { vscodeExecutablePath: process.env.ARC_VSCODE_PATH } : { version: '1.100.3' }),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(code);
} catch (e) {
  console.error(`test:electron: ${e instanceof Error ? e.message : e}`);
  console.error('test:electron needs a desktop VS Code: network access to download 1.100.3, or ARC_VSCODE_PATH.');
  process.exit(1);
}
