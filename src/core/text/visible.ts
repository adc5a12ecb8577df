// PLACEHOLDER until the sanitiser lands from the UI branch: control characters shown, never sent.
export function visible(s: string, opts: { oneLine?: boolean } = {}): string {
  return s.replace(opts.oneLine ? /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g : /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}
