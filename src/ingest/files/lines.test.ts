import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type LineItem } from './lines.js';

function split(chunks: string[], max = 100): LineItem[] {
  const s = new LineSplitter(max);
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

test('LF and CRLF lines come out numbered and without their endings', () => {
  assert.deepEqual(split(['a,b\r\nc', 'd\n', 'last']), [
    { line: 1, text: 'a,b' }, { line: 2, text: 'cd' }, { line: 3, text: 'last' },
  ]);
});

test('a line longer than the limit is reported with its length, and the next line goes on', () => {
  const out = split(['ok\n', 'x'.repeat(3000), 'x'.repeat(2000), '\nnext\n'], 4096);
  assert.deepEqual(out, [{ line: 1, text: 'ok' }, { line: 2, oversizeChars: 5000 }, { line: 3, text: 'next' }]);
});

test('however the text is cut into chunks, the lines are the same', () => {
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 6 }), (lines, cuts) => {
    const text = lines.map((l) => l.replace(/[\r\n]/g, '')).join('\n');
    const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
    const chunks = [0, ...points].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length));
    assert.deepEqual(split(chunks), split([text]));
  }), { seed: 20240305, numRuns: 300 });
});
