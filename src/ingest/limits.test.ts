import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCourse, checkTime, parseDecimal, parseIsoTime } from './limits.js';

test('RFC 3339 times with any fraction digits, lower-case separators and offsets read as UTC', () => {
  assert.equal(parseIsoTime('2024-05-14T17:32:08Z', 't'), Date.UTC(2024, 4, 14, 17, 32, 8));
  assert.equal(parseIsoTime('2024-05-14t17:32:08.1z', 't'), Date.UTC(2024, 4, 14, 17, 32, 8, 100));
  assert.equal(parseIsoTime('2024-05-14T17:32:08.123456789Z', 't'), Date.UTC(2024, 4, 14, 17, 32, 8, 123));
  assert.equal(parseIsoTime('2024-05-14T23:32:08+05:30', 't'), Date.UTC(2024, 4, 14, 18, 2, 8));
  assert.equal(parseIsoTime('2016-12-31T23:59:60Z', 't'), Date.UTC(2017, 0, 1, 0, 0, 0));
  assert.equal(parseIsoTime('2024-02-29T00:00:00Z', 't'), Date.UTC(2024, 1, 29));
});

test('impossible dates, missing zones and other formats are refused with the field named', () => {
  for (const text of ['2023-02-29T00:00:00Z', '2024-05-14T24:00:00Z', '2024-05-14T17:32:08', '2024-05-14T17:32:08+25:00', '14/05/2024 17:32', '', 'x'.repeat(10_000)]) {
    assert.throws(() => parseIsoTime(text, 'when'), { code: 'invalid-field', place: { field: 'when' } }, text.slice(0, 30));
  }
});

test('decimal text: what Number() would quietly accept is refused', () => {
  assert.equal(parseDecimal('-106.4869513', 'n'), -106.4869513);
  assert.equal(parseDecimal('.5', 'n'), 0.5);
  assert.equal(parseDecimal('1e3', 'n'), 1000);
  for (const text of ['', ' 1', '1 ', '0x10', '0b1', 'Infinity', 'NaN', '1,5', '1e99999', '--1', '1' + '0'.repeat(50)]) {
    assert.throws(() => parseDecimal(text, 'n'), { code: 'invalid-field' }, text);
  }
});

test('the plausibility window: ten minutes ahead and a year back by default', () => {
  const now = Date.UTC(2024, 4, 14);
  assert.equal(checkTime(now + 9 * 60_000, 't', { now }), now + 9 * 60_000);
  assert.throws(() => checkTime(now + 11 * 60_000, 't', { now }), { code: 'implausible-time' });
  assert.throws(() => checkTime(now - 367 * 86_400_000, 't', { now }), { code: 'implausible-time' });
  assert.equal(checkTime(now - 2 * 366 * 86_400_000, 't', { now, maxAgeMs: 3 * 366 * 86_400_000 }), now - 2 * 366 * 86_400_000);
  assert.throws(() => checkTime(Number.NaN, 't', { now }), { code: 'invalid-field' });
});

test('course 360 is north', () => {
  assert.equal(checkCourse(360, 'c'), 0);
  assert.throws(() => checkCourse(-0.5, 'c'), { code: 'invalid-field' });
});
