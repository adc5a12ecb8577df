// Shared helpers of the e2e specs that drive ARC's sidebar (sidebar, review, a11y): the editor's user
// settings, reaching the sidebar's webview frame, asking, waiting for a turn, and a few checks. Not a
// spec: the driver runs only specs/*.spec.mjs.
//
// The settings are written into the editor's user settings.json while the specs run (specs share one
// editor), and `restoreSettings` puts back ARC's settings as the first write found them.
import fs from 'node:fs';
import path from 'node:path';
import { readSettings, settingsFile } from './settings.mjs';
import { sleep, until } from './wait.mjs';

export { readSettings, settingsFile, sleep, until };


let original;
export function writeSettings(ctx, arc) {
  const current = readSettings(ctx);
  original ??= current;
  const next = Object.fromEntries(Object.entries(current).filter(([k]) => !k.startsWith('arc.')));
  fs.writeFileSync(settingsFile(ctx), JSON.stringify({ ...next, ...arc }, null, 2));
}

/** Drops `workbench.colorTheme` and puts ARC's settings back as they were before the first write. */
export function restoreSettings(ctx) {
  const s = readSettings(ctx);
  delete s['workbench.colorTheme'];
  const rest = original ? { ...Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('arc.'))), ...Object.fromEntries(Object.entries(original).filter(([k]) => k.startsWith('arc.'))) } : s;
  fs.writeFileSync(settingsFile(ctx), JSON.stringify(rest, null, 2));
}

/**
 * Writes ARC's settings and reloads the workbench: code-server's browser workbench reads the user
 * settings file when it loads, but (seen here) does not notice an outside write to it while it runs.
 */
export async function configure(page, ctx, arc, extra = {}) {
  writeSettings(ctx, arc);
  if (Object.keys(extra).length) fs.writeFileSync(settingsFile(ctx), JSON.stringify({ ...readSettings(ctx), ...extra }, null, 2));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await sleep(4000);
}


/** The webview's inner frame: the one whose document has ARC's root element. */
export async function sidebarFrame(page) {
  return until('the ARC webview', async () => {
    for (const f of page.frames()) {
      try {
        if (await f.evaluate(() => Boolean(document.getElementById('arc-root')?.querySelector('.controls')))) return f;
      } catch {
        // a frame that navigated away
      }
    }
    return undefined;
  }, 30_000);
}

export async function openArc(page, ctx) {
  const item = page.locator('.activitybar [aria-label^="ARC"]').first();
  await item.waitFor({ state: 'visible', timeout: 20_000 });
  const active = await item.evaluate((e) => {
    const li = e.closest('li') ?? e;
    return li.classList.contains('checked') || li.getAttribute('aria-expanded') === 'true' || li.getAttribute('aria-selected') === 'true';
  });
  if (!active) await item.click();
  const frame = await sidebarFrame(page);
  await sleep(300);
  await ctx.screenshot('ARC sidebar open');
  return frame;
}

export async function ask(frame, text) {
  const box = frame.locator('#composer textarea');
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

export const turns = (frame) => frame.locator('article.turn');
export const lastTurn = (frame) => turns(frame).last();

export async function waitForStatus(frame, statuses, ms = 90_000) {
  const want = Array.isArray(statuses) ? statuses : [statuses];
  return until(`the last turn to be ${want.join(' or ')}`, async () => {
    const s = await lastTurn(frame).getAttribute('data-status');
    return want.includes(s) ? s : undefined;
  }, ms);
}

/** New Chat from the view's title bar (VS Code's own action, as a person clicks it). */
export async function newChat(page, frame) {
  const action = page.locator('.part.sidebar [aria-label^="New Chat"]').first();
  await action.waitFor({ state: 'visible', timeout: 10_000 });
  await action.click();
  await until('an empty conversation', async () => (await turns(frame).count()) === 0, 10_000);
}

/** Picks a mode in the header's dropdown (a real change event, as a person's choice makes). */
export async function chooseMode(frame, mode) {
  await frame.locator('select#mode').selectOption(mode);
}

/** WCAG contrast ratio of two computed colours (rgb()/rgba(); alpha ignored). */
export function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
