import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEpochTime, parseIsoTime, parseTimeField } from './time.js';

test('an ISO 8601 time with Z, an offset or fractional seconds gives the UTC instant', () => {
  assert.equal(parseIsoTime('2024-03-05T16:20:00Z'), Date.UTC(2024, 2, 5, 16, 20));
  assert.equal(parseIsoTime('2024-03-05T09:20:00-07:00'), Date.UTC(2024, 2, 5, 16, 20));
  assert.equal(parseIsoTime('2024-03-05 22:05:00+0545'), Date.UTC(2024, 2, 5, 16, 20));
  assert.equal(parseIsoTime('2024-03-05T16:20:00.25Z'), Date.UTC(2024, 2, 5, 16, 20, 0, 250));
  assert.equal(parseIsoTime('2024-02-29T00:00Z'), Date.UTC(2024, 1, 29));
});

test('a time without an offset is refused unless the format says it is UTC', () => {
  assert.match(String(parseIsoTime('2024-03-05T16:20:00')), /no UTC offset/);
  assert.equal(parseIsoTime('2024-03-05T16:20:00', true), Date.UTC(2024, 2, 5, 16, 20));
});

test('impossible dates and non-ISO text are refused with the value quoted', () => {
  assert.match(String(parseIsoTime('2023-02-29T00:00:00Z')), /"2023-02-29T00:00:00Z" is not a real date/);
  assert.match(String(parseIsoTime('2024-13-01T00:00:00Z')), /not a real date/);
  assert.match(String(parseIsoTime('2024-03-05T24:00:00Z')), /not a real date/);
  assert.match(String(parseIsoTime('05/03/2024 16:20')), /not an ISO 8601 date-time/);
  assert.match(String(parseIsoTime('2024-03-05')), /not an ISO 8601 date-time/);
  assert.match(String(parseIsoTime('2024-03-05T16:20:00+25:00')), /impossible UTC offset/);
});

test('epoch numbers below 1e11 are seconds and from 1e11 on milliseconds', () => {
  assert.equal(parseEpochTime(1709655600), 1709655600000);
  assert.equal(parseEpochTime(1709655600.5), 1709655600500);
  assert.equal(parseEpochTime(1709655600000), 1709655600000);
  assert.equal(parseEpochTime(99_999_999_999), 99_999_999_999_000);
  assert.equal(parseEpochTime(100_000_000_000), 100_000_000_000);
  assert.match(String(parseEpochTime(1709655600000000)), /too large/);
  assert.match(String(parseEpochTime(-5)), /not a positive epoch time/);
});

test('a time field may be ISO text, a number, or digits in text', () => {
  assert.equal(parseTimeField('1709655600'), 1709655600000);
  assert.equal(parseTimeField(1709655600000), 1709655600000);
  assert.equal(parseTimeField(' 2024-03-05T16:20:00Z '), Date.UTC(2024, 2, 5, 16, 20));
  assert.match(String(parseTimeField('')), /empty/);
  assert.match(String(parseTimeField(true)), /neither a date-time string nor a number/);
});

test('any instant written as toISOString reads back to the same millisecond', () => {
  fc.assert(fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
    assert.equal(parseIsoTime(new Date(ms).toISOString()), ms);
  }), { seed: 8601, numRuns: 500 });
});

test('fractions of a second of any length, an offset and a lower-case z give the same instant as Date.UTC', () => {
  fc.assert(fc.property(
    fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.stringMatching(/^[0-9]{1,7}$/), fc.constantFrom('Z', 'z', '+01:00', '-0730'),
    (ms, fraction, zone) => {
      const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
      const offsetMs = zone.length > 1 ? (zone[0] === '-' ? 1 : -1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) * 60_000 : 0;
      const expected = Date.parse(`${whole}Z`) + Math.round(Number(`.${fraction}`) * 1000) + offsetMs;
      assert.equal(parseIsoTime(`${whole}.${fraction}${zone}`), expected);
    },
  ), { seed: 1601, numRuns: 2000 });
});
