// Icon buttons for the sidebar's header: native buttons (keyboard and screen readers get them for
// free) holding a small inline SVG drawn in the text colour, named by aria-label and a tooltip. The
// SVG is built with DOM calls, so the page's CSP needs nothing new.
const SVG = 'http://www.w3.org/2000/svg';

/** 16×16 outlines in the spirit of VS Code's codicons (stroke only, currentColor). */
const PATHS: Record<'newChat' | 'history' | 'models', string[]> = {
  newChat: ['M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z', 'M8 5v4', 'M6 7h4'],
  history: ['M8 2.5a5.5 5.5 0 1 1-5.2 3.7', 'M2.5 2.5v3.5h3.5', 'M8 5v3.2l2.2 1.4'],
  models: ['M4.5 4.5h7v7h-7z', 'M6.5 2v2.5', 'M9.5 2v2.5', 'M6.5 11.5V14', 'M9.5 11.5V14', 'M2 6.5h2.5', 'M2 9.5h2.5', 'M11.5 6.5H14', 'M11.5 9.5H14'],
};

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name]) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

export function iconButton(name: IconName, label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `icon-btn icon-${name}`;
  b.setAttribute('aria-label', label);
  b.title = title;
  b.append(icon(name));
  b.addEventListener('click', onClick);
  return b;
}
