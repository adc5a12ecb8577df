import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../src/core/log/redact';

test('known secrets, bearer headers and key-shaped strings are masked', () => {
  assert.equal(redact('key=abcd1234 here', ['abcd1234']), 'key=*** here');
  assert.equal(redact('Authorization: Bearer xyz.123'), 'Authorization: Bearer ***');
  assert.equal(redact('{"authorization":"Bearer tok"}'), '{"authorization":"Bearer ***"}');
  assert.equal(redact('got sk-proj-ABCDEFGHIJKLMNOP'), 'got sk-***');
  assert.equal(redact('nothing secret'), 'nothing secret');
});
