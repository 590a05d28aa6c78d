import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LinderoError } from '../model/index.js';
import { formatDecimal, formatDms } from './format.js';
import { parsePosition } from './parse-position.js';

const isBadPosition = (e: unknown) => e instanceof LinderoError && e.code === 'bad-position';

test('decimal degrees are written "lat,lon" with 6 decimals by default', () => {
  assert.equal(formatDecimal(31.5603, -106.2237), '31.560300,-106.223700');
  assert.equal(formatDecimal(31.5603, -106.2237, 2), '31.56,-106.22');
});

test('a value that rounds to zero is written without a minus sign', () => {
  assert.equal(formatDecimal(-0.0000001, -0.0000004), '0.000000,0.000000');
});

test(`DMS is written 31°33'37.1"N 106°13'25.3"W`, () => {
  assert.equal(formatDms(31 + 33 / 60 + 37.1 / 3600, -(106 + 13 / 60 + 25.3 / 3600)), `31°33'37.1"N 106°13'25.3"W`);
});

test('DMS pads minutes and seconds to two digits and writes south and east', () => {
  assert.equal(formatDms(-(33 + 5 / 60 + 7 / 3600), 151 + 0.5 / 3600), `33°05'07.0"S 151°00'00.5"E`);
  assert.equal(formatDms(31.5, -106.25, 0), `31°30'00"N 106°15'00"W`);
});

test('rounding 59.96 seconds carries into the minutes and degrees', () => {
  assert.equal(formatDms(31.99999999, -106.99999999), `32°00'00.0"N 107°00'00.0"W`);
});

test('a coordinate that rounds to zero is written as north or east', () => {
  assert.equal(formatDms(-0.000001, -0.000001), `0°00'00.0"N 0°00'00.0"E`);
});

test('any position written as DMS reads back within half a tenth of a second', () => {
  const halfTenthDeg = 0.05 / 3600 + 1e-12;
  fc.assert(
    fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lon) => {
      const parsed = parsePosition(formatDms(lat, lon));
      assert.ok(Math.abs(parsed.lat - lat) <= halfTenthDeg && Math.abs(parsed.lon - lon) <= halfTenthDeg);
    }),
    { seed: 3, numRuns: 2000 },
  );
});

test('formatting refuses out-of-range positions and impossible numbers of decimals', () => {
  assert.throws(() => formatDecimal(0, 181), isBadPosition);
  assert.throws(() => formatDms(-91, 0), isBadPosition);
  assert.throws(() => formatDecimal(0, 0, -1), isBadPosition);
  assert.throws(() => formatDecimal(0, 0, 1.5), isBadPosition);
  assert.throws(() => formatDms(0, 0, 7), isBadPosition);
  assert.throws(() => formatDms(Number.POSITIVE_INFINITY, 0), isBadPosition);
});
