import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GPS_EPOCH_MS, buildFix, parseDecimal } from './make-fix.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

test('parseDecimal accepts exactly plain decimal numbers', () => {
  for (const ok of ['31.5603', '-106.2237', '+0.5', '.5', '5.', '1e-3', '2E+2', ' 7 ', '0', '00.10']) {
    assert.equal(parseDecimal(ok), Number(ok), ok);
  }
  for (const bad of ['', ' ', '0x1F', '0b11', '0o7', 'Infinity', '-Infinity', '31,5', '1_000', 'e5', '1e', '--1', 'NaN', '12abc']) {
    assert.equal(parseDecimal(bad), undefined, bad);
  }
});

test('parseDecimal agrees with the decimal grammar (spaces around allowed) on any short text', () => {
  const chars = fc.constantFrom(...'0123456789.+-eExXbBoO, _I'.split(''));
  fc.assert(fc.property(fc.array(chars, { maxLength: 8 }).map((a) => a.join('')), (s) => {
    const expected = DECIMAL.test(s.trim()) && Number.isFinite(Number(s)) ? Number(s) : undefined; // 6e900 overflows
    assert.equal(parseDecimal(s), expected, JSON.stringify(s));
  }), { seed: 31, numRuns: 3000 });
});

test('parseDecimal gives exactly the double Number() gives for coordinates of any length', () => {
  const digitString = fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: 1, maxLength: 19 }).map((a) => a.join(''));
  fc.assert(fc.property(fc.constantFrom('', '-', '+'), digitString, fc.nat(20), (sign, digits, point) => {
    const at = Math.min(point, digits.length);
    const s = `${sign}${digits.slice(0, at)}.${digits.slice(at)}`;
    assert.ok(Object.is(parseDecimal(s), Number(s)), s);
    assert.ok(Object.is(parseDecimal(sign + digits), Number(sign + digits)), sign + digits);
  }), { seed: 7, numRuns: 5000 });
  fc.assert(fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.integer({ min: 0, max: 15 }), (x, places) => {
    const s = x.toFixed(places);
    assert.ok(Object.is(parseDecimal(s), Number(s)), s);
  }), { seed: 8, numRuns: 5000 });
});

test('a fix keeps honest optional values and drops placeholders', () => {
  const T = Date.UTC(2024, 0, 1);
  const fix = buildFix({ unit: 'u', time: T, lat: 31.5, lon: -106.2, accuracyM: 0, altM: -12, speedMps: -1, courseDeg: 370 });
  // The shared range rules: accuracy 0 is "not reported", speed -1 "unknown", course 370 has no clear meaning.
  assert.deepEqual(fix, {
    unit: 'u', time: T, lat: 31.5, lon: -106.2, altM: -12, source: 'file',
    notes: ['accuracy is 0, which senders use for "not reported"; accuracy taken as unknown', 'course is 370, outside -180..360 degrees; left off'],
  });
  assert.equal((buildFix({ unit: 'u', time: T, lat: 31.5, lon: -106.2, courseDeg: -90 }) as { courseDeg?: number }).courseDeg, 270);
  assert.match(String(buildFix({ unit: 'u', time: T, lat: -90.5, lon: 0 })), /latitude -90.5 is outside/);
  assert.match(String(buildFix({ unit: 'u', time: NaN, lat: 0, lon: 0 })), /time is not a number/);
});

test('a time before GPS began (1980-01-06) is a placeholder, refused; from that instant on, times are read', () => {
  const at = (time: number) => buildFix({ unit: 'u', time, lat: 31.5, lon: -106.2 });
  for (const placeholder of [Date.UTC(1901, 11, 13, 20, 45, 52), 0, 1000, GPS_EPOCH_MS - 1]) {
    const refused = at(placeholder);
    assert.equal(typeof refused, 'string', String(placeholder));
    assert.match(refused as string, /is before GPS time began \(1980-01-06\): a placeholder/);
  }
  assert.match(at(-(2 ** 31) * 1000) as string, /^time 1901-12-13T20:45:52\.000Z is before GPS/);
  assert.equal(typeof at(GPS_EPOCH_MS), 'object');
});
