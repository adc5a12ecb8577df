// Syntax colours for code blocks in answers: highlight.js's core with the languages people ask about
// most, registered one by one (the whole library would triple the page's bundle). The colours are
// not here: media/sidebar.css maps highlight.js's classes to the theme's own token colours, so light,
// dark and high-contrast themes all apply. highlight.js escapes what it emits; its output replaces
// text that DOMPurify already cleaned.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, lang] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, lang);
hljs.configure({ ignoreUnescapedHTML: true });

/** Blocks longer than this stay plain: colouring them on every streamed frame would cost more than it gives. */
const MAX_CHARS = 20_000;

/** Colours one `<code>` element when its fence names a language we know (```ts, ```python …). */
export function highlightCode(code: HTMLElement): void {
  const fence = Array.from(code.classList).find((c) => c.startsWith('language-'))?.slice('language-'.length);
  const text = code.textContent ?? '';
  if (!fence || text.length > MAX_CHARS || !hljs.getLanguage(fence)) return;
  const out = hljs.highlight(text, { language: fence, ignoreIllegals: true });
  code.innerHTML = out.value;
  code.classList.add('hljs');
}
