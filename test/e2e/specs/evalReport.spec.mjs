// The evaluation report (arc eval, DESIGN §6.6) in Chromium: `arc eval --simulator` writes report.html;
// the page must render its charts with no console error (its CSP refuses anything not nonced, so a
// chart library that injected an unnonced <style> would show up here), carry the simulated banner,
// and load nothing from the network. The workbench is not needed: the spec opens the file itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export default async function evalReport(workbench, ctx) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-e2e-eval-'));
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'eval', '--simulator', '--task', 'countdown', '--n', '8', '--arms', 'auto,instant,reasoning,effort:0.5,effort:1,spawn:on,spawn:off', '--out', out], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ARC_HOME: out },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`arc eval failed (${r.status}): ${r.stderr}`);
  // A page of its own: the workbench's page logs its own shutdown when navigated away from.
  const page = await workbench.context().newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) problems.push(`request: ${req.url()}`);
  });
  await page.setViewportSize({ width: 1200, height: 1600 });
  await page.goto(pathToFileURL(path.join(out, 'report.html')).href, { waitUntil: 'load' });
  await page.waitForSelector('#chart-pareto svg', { timeout: 10_000 });
  await page.waitForSelector('#chart-effort svg', { timeout: 10_000 });
  await ctx.sleep(300);
  await page.screenshot({ path: path.join(ctx.artifacts, 'evaluation-report.png'), fullPage: true });
  const banner = await page.locator('.banner').textContent();
  if (!/SIMULATED/.test(banner ?? '')) throw new Error(`no simulated banner: ${banner}`);
  const rows = await page.locator('table tbody tr').count();
  if (rows < 8) throw new Error(`the tables have ${rows} rows`);
  await page.close();
  if (problems.length) throw new Error(`the report page logged problems:\n${problems.join('\n')}`);
}
