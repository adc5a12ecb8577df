// ARC against a scripted OpenAI-compatible server on loopback (not a model): Test Connection lists
// its models, and Ask… streams an answer into a document beside the editor.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Compiled by `tsc -p tsconfig.json` (npm run test:e2e does it first).
const { startScriptedServer, textStream } = require(path.join(root, 'out/test/fixtures/scriptedServer.js'));

const server = await startScriptedServer({ models: ['scripted-a', 'scripted-b'] });
const ANSWER = 'Loopback answer: a rebase replays your commits on top of another branch.';
server.respond(() => textStream(ANSWER, { pieces: 6, tokenDelayMs: 30, usage: { prompt_tokens: 12, completion_tokens: 14 } }));

export const userSettings = {
  'arc.endpoints': [{ id: 'loopback', baseUrl: server.url }],
  'arc.models.instant': 'loopback/scripted-a',
};

export const teardown = () => server.close();

export default {
  'Test Connection reports the loopback server\'s models': async (page, ctx) => {
    await ctx.runCommand('ARC: Test Connection');
    const n = await ctx.waitForNotification('Connected to "loopback"', 20_000);
    await ctx.screenshot('connected');
    if (!/2 models: scripted-a, scripted-b/.test(n.message)) throw new Error(`unexpected message: ${n.message}`);
    if (!server.requests.some((r) => r.path.endsWith('/models'))) throw new Error('the server saw no /models request');
  },

  'Ask… streams the answer into a document beside the editor': async (page, ctx) => {
    await ctx.runCommand('ARC: Ask…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await ctx.sleep(500);
    await input.pressSequentially('What does git rebase do?', { delay: 5 });
    await ctx.screenshot('question typed');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await page.locator('.monaco-editor .view-lines').evaluateAll((els) => els.map((e) => e.textContent ?? '').join('\n'));
      if (text.includes('Loopback answer') && /completion tokens/.test(text)) break;
      await ctx.sleep(250);
    }
    await ctx.screenshot('answer shown');
    // The editor renders spaces as non-breaking ones.
    const flat = text.replace(/\u00a0/g, ' ');
    if (!flat.includes(ANSWER)) throw new Error(`answer not shown; editor text: ${flat.slice(0, 500)}`);
    if (!/12 prompt \+ 14 completion tokens/.test(flat)) throw new Error(`usage line not shown; editor text: ${flat.slice(0, 500)}`);
    const asked = server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    if (!asked?.body?.messages?.some((m) => m.role === 'user' && m.content.includes('What does git rebase do?'))) {
      throw new Error('the server did not get the question');
    }
  },
};
