// Keyboard for a role="tree" of rows (the run tree): one row in the tab order at a time (roving
// tabindex); Up/Down move between visible tree items, Home/End to the first and last. Rows added later
// stay out of the tab order until focus reaches them.
const ITEMS = '[role="treeitem"]';

function items(tree: HTMLElement): HTMLElement[] {
  return Array.from(tree.querySelectorAll<HTMLElement>(ITEMS)).filter((e) => e.offsetParent !== null || e === document.activeElement);
}

/** Makes sure exactly one item is tabbable: the focused one, else the current one, else the first. */
export function syncTabStop(tree: HTMLElement): void {
  const all = Array.from(tree.querySelectorAll<HTMLElement>(ITEMS));
  const current = all.find((e) => e.tabIndex === 0) ?? all[0];
  for (const e of all) e.tabIndex = e === current ? 0 : -1;
}

export function rovingTree<T extends HTMLElement>(tree: T): T {
  tree.addEventListener('keydown', (e: KeyboardEvent) => {
    const list = items(tree);
    const at = list.indexOf(document.activeElement as HTMLElement);
    if (at < 0 || e.target !== list[at]) return;
    const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? list.length - 1 : -2;
    if (to === -2) return;
    e.preventDefault();
    const next = list[Math.max(0, Math.min(list.length - 1, to))];
    if (!next) return;
    for (const x of list) x.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  tree.addEventListener('focusin', (e) => {
    const item = (e.target as HTMLElement).closest?.(ITEMS) as HTMLElement | null;
    if (!item || !tree.contains(item) || item !== e.target) return;
    for (const x of Array.from(tree.querySelectorAll<HTMLElement>(ITEMS))) x.tabIndex = x === item ? 0 : -1;
  });
  return tree;
}
