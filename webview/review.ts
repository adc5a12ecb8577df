// The sidebar's review and rewind parts (issue 21): the latest agent run's changed files (per file
// +/− lines and state, open, keep, undo; keep all, undo all, the whole run in the multi-diff editor),
// and on each turn "Restore to here" — files, conversation or both, with a preview of the files that
// would be put back — plus "Undo restore" once a restore happened.
import type { CheckpointsView, ReviewView, WebviewMessage } from '../src/protocol/messages';
import { visible } from '../src/protocol/approvalDisplay';
import { el } from './dom';
import { button } from './toolkit';

type Send = (m: WebviewMessage) => void;

export function renderReview(box: HTMLElement, review: ReviewView | undefined, send: Send): void {
  box.textContent = '';
  box.hidden = !review || review.files.length === 0;
  if (!review || box.hidden) return;
  const pending = review.pending;
  box.append(
    el(
      'div',
      { class: 'row review-head' },
      el('h2', {}, `Changed files (${review.files.length})${pending ? ` · ${pending} change${pending === 1 ? '' : 's'} to review` : ''}`),
      el('span', { class: 'spacer' }),
      button('Review', { className: 'review-all', title: 'Open the whole run in the multi-diff editor', onClick: () => send({ type: 'review', action: 'showChanges' }) }),
      ...(pending
        ? [
            button('Keep all', { className: 'keep-all', appearance: 'primary', title: 'Keep every pending change of this run (saved to disk)', onClick: () => send({ type: 'review', action: 'keep' }) }),
            button('Undo all', { className: 'undo-all', title: 'Undo every pending change of this run (the files stay as they were)', onClick: () => send({ type: 'review', action: 'undo' }) }),
          ]
        : []),
    ),
  );
  const list = el('ul', { class: 'review-files' });
  for (const f of review.files) {
    const name = visible(f.path, { oneLine: true });
    const row = el(
      'li',
      { class: `review-file state-${f.state.replace(/\s+/g, '-')}`, 'data-path': f.path },
      el('a', { class: 'review-open', href: '#', title: `Open ${name}` }, name),
      el('span', { class: 'added' }, `+${f.added}`),
      el('span', { class: 'removed' }, `−${f.removed}`),
      el('span', { class: 'review-state hint' }, f.state === 'pending' ? `${f.pending} to review` : f.state),
    );
    row.querySelector('a')!.addEventListener('click', (e) => {
      e.preventDefault();
      send({ type: 'review', action: 'open', path: f.path });
    });
    if (f.state === 'pending') {
      row.append(
        button('Keep', { className: 'keep-file', title: `Keep every pending change in ${name}`, onClick: () => send({ type: 'review', action: 'keep', path: f.path }) }),
        button('Undo', { className: 'undo-file', title: `Undo every pending change in ${name}`, onClick: () => send({ type: 'review', action: 'undo', path: f.path }) }),
      );
    }
    list.append(row);
  }
  box.append(list);
}

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** "Restore to here" on a turn card: a button shown on hover that opens a small panel with the preview. */
export function attachRestore(card: HTMLElement, turnId: string, index: number, checkpoints: CheckpointsView | undefined, send: Send): void {
  card.querySelector(':scope > .restore')?.remove();
  if (!checkpoints) return;
  const point = checkpoints.points.find((p) => p.turnId === turnId);
  if (!point) return;
  const panel = el('div', { class: 'restore-panel', hidden: '' });
  const files = point.files.map((f) => visible(f, { oneLine: true }));
  panel.append(
    el('p', {}, `Restore to before turn ${index + 1}:`),
    el(
      'ul',
      { class: 'restore-preview' },
      el('li', {}, files.length ? `files: ${files.length} put back as they were (${files.slice(0, 8).join(', ')}${files.length > 8 ? ` and ${files.length - 8} more` : ''})` : 'files: none changed from this turn on'),
      el('li', {}, 'conversation: this turn and the ones after it are removed'),
    ),
    el(
      'div',
      { class: 'row' },
      button('Files and conversation', { className: 'restore-both', appearance: 'primary', onClick: () => send({ type: 'restore', turnId, what: 'both' }) }),
      button('Files', { className: 'restore-files', onClick: () => send({ type: 'restore', turnId, what: 'files' }) }),
      button('Conversation', { className: 'restore-conversation', onClick: () => send({ type: 'restore', turnId, what: 'conversation' }) }),
      button('Cancel', { className: 'restore-cancel', onClick: () => (panel.hidden = true) }),
    ),
    el('p', { class: 'hint' }, `Checkpoints are kept in ARC's storage up to ${MB(checkpoints.capBytes)} (the oldest go first) and never touch git. A restore can be undone once.`),
  );
  const open = button('Restore to here', { className: 'restore-open', title: 'Put the files and/or the conversation back as they were before this turn', onClick: () => (panel.hidden = !panel.hidden) });
  card.prepend(el('div', { class: 'restore' }, open, panel));
}

export function renderUndoRestore(box: HTMLElement, checkpoints: CheckpointsView | undefined, send: Send): void {
  box.textContent = '';
  box.hidden = !checkpoints?.undoable;
  if (!checkpoints?.undoable) return;
  box.append(el('span', {}, checkpoints.undoable), button('Undo restore', { className: 'undo-restore', onClick: () => send({ type: 'undoRestore' }) }));
}
