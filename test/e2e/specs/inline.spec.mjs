// Inline chat as a person meets it, in code-server's VS Code in Chromium, against a scripted loopback
// server (not a model): Ctrl+I opens ARC's prompt in the editor at the selection; a question is answered
// inside it and the file stays as it was; an edit streams into the buffer as a vertical diff with
// Accept / Reject lenses; a lens rejects one hunk, Ctrl+Shift+Enter accepts the rest and one Ctrl+Z
// brings the original back. Screenshots of the widget and the diff in .test-artifacts/e2e/inline-*/.
//
// The endpoint is saved into the editor's user settings through the settings editor while a spec runs
// and restored after it (the loopback spec configures its own through `userSettings`).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSettings, settingsFile } from '../lib/settings.mjs';
import { sleep, until } from '../lib/wait.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Compiled by `tsc -p tsconfig.json` (npm run test:e2e does it first).
const { startScriptedServer, textStream } = require(path.join(root, 'out/test/fixtures/scriptedServer.js'));

const server = await startScriptedServer({ models: ['inline-e2e'] });
export const teardown = () => server.close();

const SOURCE = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';
const EDITED = 'function add(left, right) {\n  return left + right;\n}\n\nfunction sub(a, b) {\n  // difference\n  return a - b;\n}\n';
const ANSWER = 'It adds its two arguments and returns the sum.';

// ---- helpers



/**
 * Writes user settings through the editor (Preferences: Open User Settings (JSON), replace, save): the
 * editor applies its own saves at once, while a write to settings.json from outside waits for a file
 * watcher that these machines do not always deliver (seen: a change written from outside never arrived).
 */
async function saveUserSettings(page, ctx, settings) {
  await ctx.runCommand('Preferences: Open User Settings (JSON)');
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 10_000 });
  await sleep(500);
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(settings, null, 2));
  // Whatever auto-closing added after the text goes.
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+s');
  // Saved means the editor's copy is clean too: the file on disk may already hold these settings
  // (from an earlier spec), and closing a dirty editor would stop at "Do you want to save".
  await until('settings.json saved', async () => {
    try {
      return JSON.stringify(readSettings(ctx)) === JSON.stringify(settings) && (await page.locator('.tab.active.dirty').count()) === 0;
    } catch {
      return false;
    }
  }, 10_000);
  await page.keyboard.press('Control+w');
  await sleep(500);
}

/** Points ARC at this spec's server for the duration of `fn`, then puts the settings back. */
async function withLoopback(page, ctx, fn) {
  const original = readSettings(ctx);
  const next = Object.fromEntries(Object.entries(original).filter(([k]) => !k.startsWith('arc.')));
  // Tall enough that a conversation in the widget does not push the diff out of view; and no Comments
  // panel opening by itself (the prompt is a comment thread) to take the editor's height.
  await page.setViewportSize({ width: 1400, height: 1300 });
  await saveUserSettings(page, ctx, {
    ...next,
    'comments.openView': 'never',
    // The web workbench saves after a delay by default, which would write a pending proposal to disk;
    // off, the file on disk shows that ARC itself never saves.
    'files.autoSave': 'off',
    'arc.endpoints': [{ id: 'inline', baseUrl: server.url }],
    'arc.models.instant': 'inline/inline-e2e',
    'arc.scale': 'off',
  });
  await until('ARC configured (status bar)', async () => !/ARC: set up/.test(await page.locator('.statusbar').innerText()), 10_000);
  try {
    await fn();
  } finally {
    await page.keyboard.press('Escape');
    await saveUserSettings(page, ctx, original).catch((e) => ctx.log(`could not restore the settings: ${e.message}`));
  }
}

/** Writes a file into the workspace and opens it with Quick Open (clicking its row; tried up to 3 times). */
async function openFile(page, ctx, name, text) {
  fs.writeFileSync(path.join(ctx.workspace, name), text);
  await sleep(500);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await sleep(500);
    await input.fill(name);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await sleep(300);
      await row.click();
      await until(`${name} open`, async () => (await page.locator('.tab.active').innerText()).includes(name), 5000);
      break;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt >= 3) throw e;
      ctx.log(`Quick Open did not open ${name} (attempt ${attempt}): ${e.message}`);
      await sleep(1000);
    }
  }
  await sleep(500);
}

/** The main editor's lines, top to bottom (not the prompt box's editor). */
async function editorLines(page) {
  return page.evaluate(() => {
    const editor = [...document.querySelectorAll('.editor-instance .monaco-editor')].find((e) => !e.closest('.review-widget'));
    if (!editor) return [];
    return [...editor.querySelectorAll('.view-lines .view-line')]
      .filter((l) => !l.closest('.review-widget'))
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

async function widgetText(page) {
  const w = page.locator('.review-widget');
  return (await w.count()) ? (await w.last().innerText()).replace(/\u00a0/g, ' ') : '';
}

async function lensTitles(page) {
  return page.locator('.contentWidgets .codelens-decoration a, .codelens-decoration a').allInnerTexts();
}

/** Clicks into the main editor's text (keybindings for the diff need the editor focused). */
async function focusEditor(page, lineText) {
  const line = page.locator('.editor-instance .view-lines .view-line', { hasText: lineText }).first();
  await line.click();
}

async function selectLines(page, count) {
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < count; i++) await page.keyboard.press('Shift+ArrowDown');
}


/** Where the prompt widget and the main editor's lines are on screen (px), lines by text. */
async function layoutOf(page) {
  return page.evaluate(() => {
    const widgets = [...document.querySelectorAll('.review-widget')].map((w) => w.getBoundingClientRect()).filter((r) => r.height > 0);
    const editor = [...document.querySelectorAll('.editor-instance .monaco-editor')].find((e) => !e.closest('.review-widget'));
    const lines = editor
      ? [...editor.querySelectorAll('.view-lines .view-line')]
          .filter((l) => !l.closest('.review-widget'))
          .map((l) => {
            const r = l.getBoundingClientRect();
            return { text: (l.textContent ?? '').replace(/\u00a0/g, ' '), top: r.top, bottom: r.bottom };
          })
          .sort((a, b) => a.top - b.top)
      : [];
    return { widgets: widgets.map((r) => ({ top: r.top, bottom: r.bottom })), lines };
  });
}

/** Throws unless every line whose text is in `texts` is on one side of the (only) prompt widget. */
function assertNotSplit(layout, texts, what) {
  if (layout.widgets.length !== 1) throw new Error(`${what}: expected one ARC widget, found ${layout.widgets.length}`);
  const w = layout.widgets[0];
  // Each text's topmost line (a '}' further down belongs to other code).
  const mine = texts.map((t) => layout.lines.find((l) => l.text === t)).filter(Boolean);
  if (mine.length < texts.length) throw new Error(`${what}: lines not shown: ${JSON.stringify(texts.filter((t) => !layout.lines.some((l) => l.text === t)))}`);
  const above = mine.filter((l) => l.bottom <= w.top + 1);
  const below = mine.filter((l) => l.top >= w.bottom - 1);
  if (above.length !== mine.length && below.length !== mine.length) {
    throw new Error(`${what}: the widget (${Math.round(w.top)}–${Math.round(w.bottom)} px) splits the lines: above ${JSON.stringify(above.map((l) => l.text))}, below ${JSON.stringify(below.map((l) => l.text))}`);
  }
}

/** What has the keyboard: its tag, and whether it is inside ARC's comment widget. */
async function focusInfo(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName ?? '', inWidget: !!a?.closest('.review-widget'), inMainEditor: !!a?.closest('.editor-instance') && !a?.closest('.review-widget') };
  });
}

/** The widget's title (the thread label the editor shows in its header). */
async function widgetTitle(page) {
  const head = page.locator('.review-widget .head').last();
  return (await head.count()) ? (await head.innerText()).trim() : '';
}

// ---- specs

export default {
  'a selection starting on line 1 gets its prompt, titled by ARC, below the selected code; the streamed diff is never split by it': async (page, ctx) => {
    await withLoopback(page, ctx, async () => {
      await openFile(page, ctx, 'inline-line1.js', SOURCE);
      ctx.log('inline-line1.js open');
      await focusEditor(page, 'function add');
      await selectLines(page, 3);
      await page.keyboard.press('Control+i');
      await until('the prompt widget', async () => (await page.locator('.review-widget').count()) > 0, 20_000);
      await ctx.screenshot('prompt widget for a selection on line 1');
      await until('the prompt box focused', async () => (await focusInfo(page)).inWidget, 20_000);
      await sleep(400);
      await ctx.screenshot('prompt for a selection on line 1');
      const title = await widgetTitle(page);
      if (!/^ARC · /.test(title) || /Start discussion/i.test(title)) throw new Error(`the widget's title is not ARC's: ${JSON.stringify(title)}`);
      const selected = ['function add(a, b) {', '  return a + b;', '}'];
      assertNotSplit(await layoutOf(page), selected, 'the empty prompt');
      server.enqueue(textStream('```js\n' + EDITED + '```\n', { pieces: 40, tokenDelayMs: 60 }));
      await page.keyboard.type('/edit rename a and b in add to left and right', { delay: 3 });
      await page.keyboard.press('Control+Enter');
      const diff = ['function add(a, b) {', '  return a + b;', 'function add(left, right) {', '  return left + right;'];
      // Mid-stream and once complete: every line of the diff on one side of the widget.
      let checks = 0;
      await until('the proposal streaming in', async () => (await editorLines(page)).includes('function add(left, right) {'), 20_000, 50);
      await ctx.screenshot('line-1 diff while streaming');
      for (let i = 0; i < 200; i++) {
        const shown = await editorLines(page);
        if (diff.every((l) => shown.includes(l))) {
          assertNotSplit(await layoutOf(page), diff, `the streaming diff (check ${++checks})`);
        }
        if ((await lensTitles(page)).some((t) => t.includes('Accept All'))) break;
        await sleep(50);
      }
      await until('Accept All lens', async () => (await lensTitles(page)).some((t) => t.includes('Accept All')), 20_000);
      await sleep(700);
      await ctx.screenshot('line-1 diff complete');
      assertNotSplit(await layoutOf(page), diff, 'the final diff');
      ctx.log(`the diff was checked unsplit ${checks} times while it streamed`);
      await focusEditor(page, 'function sub');
      await page.keyboard.press('Control+Shift+Backspace');
      await until('the original back', async () => (await editorLines(page)).join('\n') === SOURCE, 10_000);
    });
  },

  'invoking inline chat again while its prompt is open puts the keyboard in the prompt, not in the code': async (page, ctx) => {
    await withLoopback(page, ctx, async () => {
      await openFile(page, ctx, 'inline-again.js', SOURCE);
      ctx.log('inline-again.js open');
      await focusEditor(page, 'function sub');
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Control+Alt+i');
      await until('the prompt widget', async () => (await page.locator('.review-widget').count()) > 0, 20_000);
      await until('the prompt box focused the first time', async () => (await focusInfo(page)).inWidget, 20_000);
      await ctx.screenshot('first prompt');
      await sleep(500);
      // Back in the code with the same lines selected, the prompt still open.
      await focusEditor(page, 'function sub');
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
      const before = await focusInfo(page);
      if (!before.inMainEditor) throw new Error(`the code editor should have the keyboard before the second invocation: ${JSON.stringify(before)}`);
      await page.keyboard.press('Control+Alt+i');
      await until('the prompt focused again', async () => (await focusInfo(page)).inWidget, 20_000);
      const after = await focusInfo(page);
      if (after.tag !== 'TEXTAREA') throw new Error(`the keyboard is not in the prompt's text box: ${JSON.stringify(after)}`);
      if ((await page.locator('.review-widget').count()) !== 1) throw new Error('a second prompt was opened instead of focusing the first');
      await page.keyboard.type('zzz', { delay: 5 });
      await sleep(300);
      await ctx.screenshot('typed into the prompt after invoking again');
      const lines = await editorLines(page);
      if (lines.join('\n') !== SOURCE) throw new Error(`typing changed the code: ${JSON.stringify(lines)}`);
      if (!(await widgetText(page)).includes('zzz')) throw new Error('the typed text is not in the prompt');
      if (await page.locator('.tab.active.dirty').count()) throw new Error('the editor is dirty');
      // Leave the keyboard in the code, as a person would before moving on: the settings are restored
      // through the command palette next, which a focused comment box would keep from opening.
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Backspace');
      await focusEditor(page, 'function sub');
    });
  },
  'Ctrl+I opens the prompt at the selection; a question is answered in it and the file stays as it was': async (page, ctx) => {
    await withLoopback(page, ctx, async () => {
      await openFile(page, ctx, 'inline-question.js', SOURCE);
      await focusEditor(page, 'function add');
      await selectLines(page, 3);
      await page.keyboard.press('Control+i');
      await until('the prompt widget', async () => (await page.locator('.review-widget').count()) > 0, 30_000);
      await until('the prompt box focused', async () => (await focusInfo(page)).inWidget, 20_000);
      await sleep(300);
      await ctx.screenshot('prompt widget at the selection');
      const header = await widgetText(page);
      if (!/ARC · (Auto|Instant|Reasoning|Agentic)/.test(header)) throw new Error(`the widget does not show the mode: ${header.slice(0, 300)}`);
      if (!/effort 1\.0×/.test(header)) throw new Error(`the widget does not show the effort: ${header.slice(0, 300)}`);
      server.enqueue(textStream(ANSWER, { pieces: 6, tokenDelayMs: 60 }));
      await page.keyboard.type('What does this function return?', { delay: 5 });
      await ctx.screenshot('question typed');
      await page.keyboard.press('Control+Enter');
      await until('the answer in the widget', async () => (await widgetText(page)).includes(ANSWER), 20_000);
      await sleep(300);
      await ctx.screenshot('answer in the widget');
      const lines = await editorLines(page);
      // The editor shows the empty line after the final newline too.
      if (lines.join('\n') !== SOURCE) throw new Error(`the file changed: ${JSON.stringify(lines)}`);
      if (await page.locator('.tab.active.dirty').count()) throw new Error('the editor is dirty: something was written');
      const asked = server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
      const user = asked?.body?.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      if (!user.includes('What does this function return?') || !user.includes('return a + b;')) throw new Error(`the request lacked the question or the selection: ${user.slice(0, 300)}`);
      if (fs.readFileSync(path.join(ctx.workspace, 'inline-question.js'), 'utf8') !== SOURCE) throw new Error('the file on disk changed');
    });
  },

  'an edit streams as a vertical diff with Accept / Reject lenses; a lens rejects a hunk, Ctrl+Shift+Enter accepts, Ctrl+Z undoes': async (page, ctx) => {
    await withLoopback(page, ctx, async () => {
      await openFile(page, ctx, 'inline-edit.js', SOURCE);
      await focusEditor(page, 'function add');
      await selectLines(page, 7);
      await page.keyboard.press('Control+i');
      await until('the prompt widget', async () => (await page.locator('.review-widget').count()) > 0, 30_000);
      await until('the prompt box focused', async () => (await focusInfo(page)).inWidget, 20_000);
      await sleep(300);
      server.enqueue(textStream('```js\n' + EDITED + '```\n', { pieces: 40, tokenDelayMs: 70 }));
      await page.keyboard.type('/instant rename a and b in add to left and right, and comment sub', { delay: 3 });
      await page.keyboard.press('Control+Enter');
      // Mid-stream: the new lines are in the buffer next to the ones they replace.
      await until('the proposal streaming in', async () => (await editorLines(page)).includes('function add(left, right) {'), 20_000, 50);
      await ctx.screenshot('diff while streaming');
      await until('Accept All lens', async () => (await lensTitles(page)).some((t) => t.includes('Accept All')), 20_000);
      await sleep(400);
      await ctx.screenshot('diff with accept and reject lenses');
      const shown = await editorLines(page);
      for (const l of ['function add(a, b) {', '  return a + b;', 'function add(left, right) {', '  return left + right;', '  // difference']) {
        if (!shown.includes(l)) throw new Error(`the diff does not show ${JSON.stringify(l)}: ${JSON.stringify(shown)}`);
      }
      const lenses = await lensTitles(page);
      for (const want of ['Accept All changes (Ctrl+Shift+Enter)', 'Reject All changes (Ctrl+Shift+Backspace)', 'Accept (Ctrl+Alt+Y)', 'Reject (Ctrl+Alt+N)']) {
        if (!lenses.some((t) => t.includes(want))) throw new Error(`no "${want}" lens: ${JSON.stringify(lenses)}`);
      }
      // Icons render as glyphs, never as stray characters in the label.
      if (lenses.some((t) => /[@$]/.test(t))) throw new Error(`a lens shows a stray character: ${JSON.stringify(lenses)}`);
      for (const label of ['Accept All Changes', 'Reject All Changes']) {
        if (!(await page.locator(`.editor-actions [aria-label^="${label}"]`).count())) throw new Error(`no "${label}" button in the editor title`);
      }
      const widget = await widgetText(page);
      if (!/Proposed 2 changes/.test(widget)) throw new Error(`the widget does not summarise the proposal: ${widget.slice(0, 400)}`);
      // Reject the second hunk (the comment) with its own lens.
      const rejects = page.locator('.codelens-decoration a', { hasText: /^\S*\s*Reject \(/ });
      await rejects.last().click();
      await until('the comment line gone', async () => !(await editorLines(page)).includes('  // difference'), 10_000);
      await ctx.screenshot('second hunk rejected');
      // Accept what is left with the keyboard.
      await focusEditor(page, 'function sub');
      await page.keyboard.press('Control+Shift+Enter');
      const final = 'function add(left, right) {\n  return left + right;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}';
      await until('the accepted text', async () => (await editorLines(page)).join('\n') === `${final}\n`, 10_000);
      await sleep(300);
      await ctx.screenshot('accepted');
      await until('the lenses to go once the proposal is resolved', async () => !(await lensTitles(page)).some((t) => /Accept|Reject/.test(t)), 10_000);
      await page.keyboard.press('Control+z');
      await until('one undo back to the original', async () => (await editorLines(page)).join('\n') === SOURCE, 10_000);
      await ctx.screenshot('one undo restores the original');
      const disk = fs.readFileSync(path.join(ctx.workspace, 'inline-edit.js'), 'utf8');
      if (disk !== SOURCE) throw new Error(`the file on disk changed: ${JSON.stringify(disk)}`);
    });
  },

  'Esc while the edit streams stops it and removes the proposal': async (page, ctx) => {
    await withLoopback(page, ctx, async () => {
      await openFile(page, ctx, 'inline-stop.js', SOURCE);
      await focusEditor(page, 'function add');
      await selectLines(page, 3);
      await page.keyboard.press('Control+i');
      await until('the prompt widget', async () => (await page.locator('.review-widget').count()) > 0, 30_000);
      await until('the prompt box focused', async () => (await focusInfo(page)).inWidget, 20_000);
      await sleep(300);
      const slow = 'function add(left, right) {\n' + Array.from({ length: 20 }, (_, i) => `  // step ${i}\n`).join('') + '  return left + right;\n}\n';
      server.enqueue(textStream('```js\n' + slow + '```\n', { pieces: 80, tokenDelayMs: 120 }));
      await page.keyboard.type('/edit rename the parameters', { delay: 3 });
      await page.keyboard.press('Control+Enter');
      await until('the proposal streaming in', async () => (await editorLines(page)).includes('function add(left, right) {'), 20_000, 50);
      await ctx.screenshot('streaming before Esc');
      // Sending put the keyboard back in the code (clicking a line now could hit a moving target).
      await page.keyboard.press('Escape');
      await until('the proposal removed', async () => (await editorLines(page)).join('\n') === SOURCE, 10_000);
      await until('the widget to say it stopped', async () => /Stopped/.test(await widgetText(page)), 10_000);
      await ctx.screenshot('stopped and removed');
    });
  },
};
