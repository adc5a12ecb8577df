// The few toolkit components the sidebar uses, behind wrappers of ours (DESIGN §7): the toolkit
// (@vscode/webview-ui-toolkit 1.4.0) was archived in January 2025 and still works in VS Code 1.100; a
// move to @vscode-elements/elements should touch this file only. It has no slider: the effort control
// is a native range input styled with theme variables (media/sidebar.css); the mode is a native select.
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDivider,
  vsCodeProgressRing,
  vsCodeTextArea,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextArea(), vsCodeProgressRing(), vsCodeBadge(), vsCodeDivider());
}

export type Appearance = 'primary' | 'secondary' | 'icon';

export function button(label: string, opts: { appearance?: Appearance; title?: string; onClick?: () => void; className?: string; ariaLabel?: string; disabled?: boolean } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('appearance', opts.appearance ?? 'secondary');
  if (opts.title) b.title = opts.title;
  if (opts.ariaLabel) b.setAttribute('aria-label', opts.ariaLabel);
  if (opts.className) b.className = opts.className;
  if (opts.disabled) b.setAttribute('disabled', '');
  if (opts.onClick) b.addEventListener('click', () => opts.onClick!());
  return b;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  if (disabled) el.setAttribute('disabled', '');
  else el.removeAttribute('disabled');
}

export interface TextArea extends HTMLElement {
  value: string;
}

export function textArea(opts: { placeholder?: string; rows?: number; ariaLabel?: string; id?: string }): TextArea {
  const t = document.createElement('vscode-text-area') as TextArea;
  if (opts.placeholder) t.setAttribute('placeholder', opts.placeholder);
  t.setAttribute('rows', String(opts.rows ?? 3));
  t.setAttribute('resize', 'vertical');
  if (opts.ariaLabel) t.setAttribute('aria-label', opts.ariaLabel);
  if (opts.id) t.id = opts.id;
  return t;
}

export function progressRing(label = 'running'): HTMLElement {
  const p = document.createElement('vscode-progress-ring');
  p.setAttribute('aria-label', label);
  p.className = 'arc-ring';
  return p;
}

export function badge(text: string, className?: string): HTMLElement {
  const b = document.createElement('vscode-badge');
  b.textContent = text;
  if (className) b.className = className;
  return b;
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}
