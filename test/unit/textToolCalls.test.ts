// The parser of tool calls written as text, over every way a stream can cut its input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonEnd, TextToolCallParser, type TextToolCall, type TextToolPart } from '../../src/core/model/textToolCalls';
import { promptedToolMessages } from '../../src/core/model/promptedTools';

const OFFERED = ['read_file', 'edit_file', 'list_files'];

interface Read {
  text: string;
  calls: TextToolCall[];
  /** Text emitted before the stream ended (what a person saw while it streamed). */
  streamed: string;
}

function run(pieces: string[], offered = OFFERED): Read {
  const p = new TextToolCallParser(offered);
  const parts: TextToolPart[] = [];
  for (const piece of pieces) parts.push(...p.push(piece));
  const streamed = parts.map((x) => (x.type === 'text' ? x.text : '')).join('');
  parts.push(...p.flush());
  return {
    text: parts.map((x) => (x.type === 'text' ? x.text : '')).join(''),
    calls: parts.flatMap((x) => (x.type === 'call' ? [x.call] : [])),
    streamed,
  };
}

/** The input whole, cut once at every position, and one character at a time. */
function splits(input: string): string[][] {
  const out: string[][] = [[input], Array.from(input)];
  for (let i = 1; i < input.length; i++) out.push([input.slice(0, i), input.slice(i)]);
  return out;
}

function everySplit(input: string, expect: { text: string; calls: TextToolCall[] }, offered = OFFERED): void {
  for (const pieces of splits(input)) {
    const r = run(pieces, offered);
    assert.deepEqual({ text: r.text, calls: r.calls }, expect, `split ${JSON.stringify(pieces.length === 2 ? pieces : pieces.length)}`);
  }
}

const read = { name: 'read_file', arguments: '{"path":"src/a.ts"}' };

describe('Hermes / Qwen <tool_call>', () => {
  test('one call, alone', () => {
    everySplit('<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n</tool_call>', { text: '', calls: [read] });
  });

  test('text before, two calls, layout whitespace dropped', () => {
    everySplit(
      'I will read both.\n\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n</tool_call>\n<tool_call>\n{"name": "list_files", "arguments": {}}\n</tool_call>\n',
      { text: 'I will read both.', calls: [read, { name: 'list_files', arguments: '{}' }] },
    );
  });

  test('the closing tag eaten by a stop sequence: read at the end', () => {
    everySplit('<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n', { text: '', calls: [read] });
  });

  test('arguments given as a JSON string are kept as that string', () => {
    everySplit('<tool_call>{"name":"read_file","arguments":"{\\"path\\":\\"src/a.ts\\"}"}</tool_call>', {
      text: '',
      calls: [{ name: 'read_file', arguments: '{"path":"src/a.ts"}' }],
    });
  });

  test('braces and tags inside strings do not confuse it', () => {
    const args = { path: 'x.ts', text: 'if (a) { b("</tool_call>") } [TOOL_CALLS]' };
    everySplit(`<tool_call>{"name":"edit_file","arguments":${JSON.stringify(args)}}</tool_call>`, {
      text: '',
      calls: [{ name: 'edit_file', arguments: JSON.stringify(args) }],
    });
  });

  test('Qwen3-Coder XML parameters', () => {
    everySplit('<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a.ts\n</parameter>\n<parameter=startLine>\n3\n</parameter>\n</function>\n</tool_call>', {
      text: '',
      calls: [{ name: 'read_file', arguments: '{"path":"src/a.ts","startLine":3}' }],
    });
  });

  test('an unreadable block stays text, nothing lost', () => {
    const input = 'See <tool_call>not json</tool_call> here.';
    everySplit(input, { text: input, calls: [] });
  });
});

describe('Mistral [TOOL_CALLS]', () => {
  test('array form (v3 tokenizers)', () => {
    everySplit('[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "src/a.ts"}, "id": "abc123def"}]', { text: '', calls: [read] });
  });

  test('name[ARGS]{…} form (v11+ tokenizers), two calls', () => {
    everySplit('[TOOL_CALLS]read_file[ARGS]{"path":"src/a.ts"}[TOOL_CALLS]list_files[ARGS]{}', {
      text: '',
      calls: [read, { name: 'list_files', arguments: '{}' }],
    });
  });

  test('with [CALL_ID], and with [ARGS] stripped by the server', () => {
    everySplit('[TOOL_CALLS]read_file[CALL_ID]x1y2z3[ARGS]{"path":"src/a.ts"}', { text: '', calls: [read] });
    everySplit('[TOOL_CALLS]read_file{"path":"src/a.ts"}', { text: '', calls: [read] });
  });

  test('prose quoting the tag is text', () => {
    const input = 'Mistral writes [TOOL_CALLS] before its calls, as you asked.';
    everySplit(input, { text: input, calls: [] });
  });
});

describe('bare JSON', () => {
  test('one object naming an offered tool is a call', () => {
    everySplit('{"name": "read_file", "arguments": {"path": "src/a.ts"}}', { text: '', calls: [read] });
    everySplit('  [{"name": "read_file", "parameters": {"path": "src/a.ts"}}]\n', { text: '', calls: [read] });
  });

  test('a tool that was not offered, or more after the object, is an answer', () => {
    for (const input of ['{"name": "rm_rf", "arguments": {}}', '{"name": "read_file", "arguments": {}} and then', '{"a": 1}', '[1, 2]']) {
      everySplit(input, { text: input, calls: [] });
    }
  });

  test('never without offered tools', () => {
    const input = '{"name": "read_file", "arguments": {}}';
    assert.deepEqual(run([input], []).calls, []);
  });
});

describe('streaming', () => {
  test('text streams at once; only a possible tag start is held back', () => {
    const p = new TextToolCallParser(OFFERED);
    assert.deepEqual(p.push('Hello there'), [{ type: 'text', text: 'Hello there' }]);
    assert.deepEqual(p.push(', see <tool'), [{ type: 'text', text: ', see' }], 'the space and the tag start wait');
    assert.deepEqual(p.push('box> ok'), [{ type: 'text', text: ' <toolbox> ok' }]);
    assert.deepEqual(p.flush(), []);
  });

  test('plain answers come through whole at every split', () => {
    const input = 'Use `x < y` and [brackets]; <b>bold</b> stays.\n\n';
    everySplit(input, { text: input, calls: [] });
    assert.equal(run(['No tools here, just an answer.']).streamed, 'No tools here, just an answer.');
  });
});

test('jsonEnd finds the end of one value, string-aware', () => {
  assert.equal(jsonEnd('{"a":"}"} tail'), 9);
  assert.equal(jsonEnd('  [1,[2]]'), 9);
  assert.equal(jsonEnd('{"a":'), -1);
  assert.equal(jsonEnd('x{}'), -1);
});

test('prompted tools: tools in the system prompt, tool traffic as tags, results merged in one user turn', () => {
  const msgs = promptedToolMessages(
    [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Fix a.ts' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }, { id: 'c2', name: 'list_files', arguments: '' }] },
      { role: 'tool', toolCallId: 'c1', content: 'one' },
      { role: 'tool', toolCallId: 'c2', content: 'two' },
    ],
    [{ name: 'read_file', description: 'Reads a file.', parameters: { type: 'object' } }],
  );
  assert.equal(msgs.length, 4);
  assert.match((msgs[0] as { content: string }).content, /^Be brief\.\n\n# Tools[\s\S]*"name":"read_file"[\s\S]*<tool_call>/);
  assert.equal(
    (msgs[2] as { content: string }).content,
    '<tool_call>\n{"name":"read_file","arguments":{"path":"a.ts"}}\n</tool_call>\n<tool_call>\n{"name":"list_files","arguments":{}}\n</tool_call>',
  );
  assert.deepEqual(msgs[3], { role: 'user', content: '<tool_response>\none\n</tool_response>\n<tool_response>\ntwo\n</tool_response>' });
  // Whatever the model wrote back in that form reads as the same calls.
  const r = run([(msgs[2] as { content: string }).content]);
  assert.deepEqual(r.calls.map((c) => c.name), ['read_file', 'list_files']);
});
