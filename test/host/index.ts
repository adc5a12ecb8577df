// Entry point VS Code calls as `extensionTestsPath`: runs the host tests (mocha, `suite`/`test`) inside
// a real extension host. VS Code loads this compiled file (out/test/host/index.js) and awaits run().
//
// The driver (test/host/driver.mjs) reads the results file rather than an exit code: in the browser
// workbench that code-server serves, a rejected run() does not end any process the driver can watch.
// Under @vscode/test-electron (on machines that can download VS Code) the rejection is what counts.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface HostResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: HostTestResult[];
}

/**
 * Where run() writes the results: the driver passes ARC_HOST_RESULTS through the server's environment,
 * which the extension host inherits; the file beside the tests is for hosts started another way (the
 * driver watches it too).
 */
export function resultsFile(testsDir: string = __dirname): string {
  return process.env.ARC_HOST_RESULTS || path.join(testsDir, '.arc-host-results.json');
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function writeResults(file: string, results: HostResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Rename so the driver, which polls for the file, never parses half of it.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  return String(err);
}

export async function run(): Promise<void> {
  const started = Date.now();
  const file = resultsFile();
  const tests: HostTestResult[] = [];
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.ARC_HOST_TEST_TIMEOUT_MS) || 20_000,
    grep: process.env.ARC_HOST_GREP || undefined,
  });

  try {
    for (const f of findTests(__dirname)) mocha.addFile(f);
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
      // 'fail' also fires for hooks ("before all" hook for ...), which then skip their tests: count them.
      runner.on('fail', (t, err) =>
        tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: describeError(err) }),
      );
    });
  } catch (err) {
    // A test file that throws while loading never reaches the runner: report it rather than hang.
    tests.push({ title: 'loading the host tests', state: 'failed', error: describeError(err) });
  }

  const results: HostResults = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    durationMs: Date.now() - started,
    tests,
  };
  writeResults(file, results);
  if (results.failed > 0) throw new Error(`${results.failed} host test(s) failed`);
}
