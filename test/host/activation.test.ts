// The extension under development loads and activates in a real extension host, and every command it
// contributes is registered once it is active (getCommands lists a command only after activation).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

// out/test/host/ -> the extension's root, wherever the driver pointed extensionDevelopmentPath.
const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes?: { commands?: { command: string }[] };
};
const id = `${manifest.publisher}.${manifest.name}`;

suite('activation', () => {
  test('the extension under development is loaded from this tree', () => {
    const ext = vscode.extensions.getExtension(id);
    assert.ok(ext, `${id} is not among the loaded extensions`);
    assert.strictEqual(path.resolve(ext.extensionPath), root);
  });

  test('it activates without throwing', async () => {
    const ext = vscode.extensions.getExtension(id)!;
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('every contributed command is registered', async () => {
    await vscode.extensions.getExtension(id)!.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (manifest.contributes?.commands ?? []).map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], 'contributed in package.json but not registered by activate()');
  });
});
