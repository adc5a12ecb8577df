// Answers as sanitized Markdown: `marked` turns Markdown into HTML and DOMPurify removes anything
// that could run or load (scripts, event handlers, styles, forms, frames, images); the CSP would
// block them anyway. Code blocks get theme-coloured syntax (highlight.ts) and Copy and Insert at
// Cursor buttons.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { highlightCode } from './highlight';

const md = new Marked({ gfm: true, breaks: false, async: false });

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'video', 'audio', 'svg', 'math', 'link', 'meta'],
  FORBID_ATTR: ['style', 'srcset', 'src', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
};

export function markdownToSafeHtml(text: string): string {
  const html = md.parse(text) as string;
  return DOMPurify.sanitize(html, PURIFY) as unknown as string;
}

/** Renders into `el`, then adds code-block actions. */
export function renderMarkdownInto(el: HTMLElement, text: string, actions: { copy(code: string): void; insert(code: string): void }): void {
  el.innerHTML = markdownToSafeHtml(text);
  for (const a of Array.from(el.querySelectorAll('a'))) {
    a.setAttribute('rel', 'noopener noreferrer');
  }
  for (const pre of Array.from(el.querySelectorAll('pre'))) {
    const codeEl = pre.querySelector('code');
    const code = codeEl?.textContent ?? pre.textContent ?? '';
    if (codeEl) highlightCode(codeEl);
    // A scrolling block must be reachable by keyboard (axe: scrollable-region-focusable).
    pre.tabIndex = 0;
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    const copy = document.createElement('button');
    copy.className = 'mini';
    copy.textContent = 'Copy';
    copy.title = 'Copy the code';
    copy.addEventListener('click', () => actions.copy(code));
    const insert = document.createElement('button');
    insert.className = 'mini';
    insert.textContent = 'Insert at cursor';
    insert.title = 'Insert the code at the cursor of the active editor';
    insert.addEventListener('click', () => actions.insert(code));
    bar.append(copy, insert);
    pre.before(bar);
  }
}
