// The effort hint for the question being typed (DESIGN §3.2): the page tells the host what is in the
// box — debounced, and only when it changed — and the host answers with a `settings` message whose
// hint is r × the predicted reasoning length of that question. The prediction needs effort/ and the
// router's features, which the page may not import (DESIGN §2), so it only reports the text.
import { DRAFT_HINT_CHARS, type WebviewMessage } from '../src/protocol/messages';

export const DRAFT_DEBOUNCE_MS = 300;

interface Box {
  readonly value: string;
  addEventListener(type: 'input' | 'keyup' | 'change', listener: () => void): void;
}

/** Reports `box`'s text to the host after it rests DRAFT_DEBOUNCE_MS (keyup also sees the box cleared by Enter). */
export function watchDraft(box: Box, send: (m: WebviewMessage) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent = '';
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const text = box.value.trim().slice(0, DRAFT_HINT_CHARS);
      if (text === sent) return;
      sent = text;
      send({ type: 'draftHint', text });
    }, DRAFT_DEBOUNCE_MS);
  };
  box.addEventListener('input', changed);
  box.addEventListener('keyup', changed);
  box.addEventListener('change', changed);
}
