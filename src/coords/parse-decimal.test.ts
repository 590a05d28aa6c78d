import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatDecimal } from './format.js';
import { parsePosition } from './parse-position.js';
import { pointOf, refusal } from '../../test/helpers/coords.js';

const CLINT = { lat: 31.5603, lon: -106.2237, form: 'decimal' };

test('"lat,lon" in decimal degrees is read as latitude then longitude', () => {
  assert.deepEqual(pointOf('31.5603,-106.2237'), CLINT);
});

test('a comma and a space, a lone space, a tab or a leading plus sign read the same position', () => {
  for (const text of ['31.5603, -106.2237', '31.5603 -106.2237', '+31.5603 -106.2237', '31.5603\t-106.2237', '31.5603 , -106.2237', '+31.5603,-106.2237']) {
    assert.deepEqual(pointOf(text), CLINT, text);
  }
});

test('surrounding whitespace, a Windows line ending and a byte-order mark are ignored', () => {
  assert.deepEqual(pointOf('  31.5603,-106.2237\r\n'), CLINT);
  assert.deepEqual(pointOf('\uFEFF31.5603 -106.2237'), CLINT);
});

test('whole degrees and numbers with a bare leading or trailing point are decimal degrees', () => {
  assert.deepEqual(pointOf('31,-106'), { lat: 31, lon: -106, form: 'decimal' });
  assert.deepEqual(pointOf('.5 -.25'), { lat: 0.5, lon: -0.25, form: 'decimal' });
  assert.deepEqual(pointOf('31. -106.'), { lat: 31, lon: -106, form: 'decimal' });
});

test('the poles and the antimeridian are in range', () => {
  assert.deepEqual(pointOf('90,-180'), { lat: 90, lon: -180, form: 'decimal' });
  assert.deepEqual(pointOf('-90 180'), { lat: -90, lon: 180, form: 'decimal' });
});

test('no-break spaces pasted from a web page separate like spaces', () => {
  assert.deepEqual(pointOf('31.5603\u00a0-106.2237'), CLINT);
});

test('a latitude beyond 90 is refused, saying which number and the range', () => {
  assert.match(refusal('95, 10').message, /^latitude 95 is out of range \[-90, 90\]/);
});

test('a longitude beyond 180 is refused, saying which number and the range', () => {
  assert.equal(refusal('31.5, -181').message, 'longitude -181 is out of range [-180, 180]');
});

test('longitude written first is refused as an out-of-range latitude, with a hint about the order', () => {
  const message = refusal('-106.2, 31.5').message;
  assert.match(message, /^latitude -106.2 is out of range \[-90, 90\]/);
  assert.match(message, /longitude, latitude/);
});

test('any position formatted as decimal degrees reads back to the same point', () => {
  fc.assert(
    fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lon) => {
      const parsed = parsePosition(formatDecimal(lat, lon, 9));
      assert.ok(Math.abs(parsed.lat - lat) <= 5e-10 && Math.abs(parsed.lon - lon) <= 5e-10);
      assert.equal(parsed.form, 'decimal');
    }),
    { seed: 7, numRuns: 2000 },
  );
});

test('seventeen significant digits survive as the nearest double', () => {
  const parsed = parsePosition('31.560312345678901,-106.22371234567890');
  assert.equal(parsed.lat, 31.560312345678901);
  assert.equal(parsed.lon, -106.2237123456789);
});
