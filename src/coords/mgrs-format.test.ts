import assert from 'node:assert/strict';
import { test } from 'node:test';
import mgrsLib from 'mgrs';
import { formatMgrs } from './mgrs.js';
import { utmMgrs } from './mgrs-utm.js';
import { parsePosition } from './parse-position.js';
import { distanceM, geoConvert, seededRandom } from '../../test/helpers/coords.js';
import { LinderoError } from '../model/index.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

test('MGRS references match GeographicLib GeoConvert at 5, 3 and 1 digits', () => {
  for (const point of geoConvert.border) {
    assert.equal(formatMgrs(point.lat, point.lon), point.mgrs5);
    assert.equal(formatMgrs(point.lat, point.lon, 3), point.mgrs3);
    assert.equal(formatMgrs(point.lat, point.lon, 1), point.mgrs1);
  }
});

test('the default reference has 5 digits and no spaces', () => {
  assert.equal(formatMgrs(31.5603, -106.2237), '13RCQ8386292349');
});

test('a spaced reference groups zone and band, square, easting and northing', () => {
  assert.equal(formatMgrs(31.5603, -106.2237, 5, { spaced: true }), '13R CQ 83862 92349');
  assert.equal(formatMgrs(31.5603, -106.2237, 2, { spaced: true }), '13R CQ 83 92');
  assert.equal(formatMgrs(31.5603, -106.2237, 0, { spaced: true }), '13R CQ');
});

test('a zone below 10 is written without a leading zero', () => {
  const honolulu = formatMgrs(21.40980115781444, -157.91607631748587);
  assert.equal(honolulu, '4QFJ1234567890');
});

test('a polar position gets a UPS reference that reads back', () => {
  const reference = formatMgrs(84.70939343869318, 1.20349799695445);
  assert.equal(reference, 'ZAB1234512345');
  assert.ok(distanceM(parsePosition(reference), { lat: 84.70939343869318, lon: 1.20349799695445 }) < 0.71);
});

test('a 5-digit reference of any border point reads back within 0.71 m, the half-diagonal of its 1 m square', (t) => {
  // The square's centre is at most sqrt(2)/2 m of grid distance away; the UTM scale factor
  // is at least 0.9996, so the ground distance is at most 0.7071 / 0.9996 = 0.7074 m.
  const random = seededRandom(2024);
  let worstM = 0;
  for (let i = 0; i < 3000; i++) {
    const point = { lat: 25 + 8 * random(), lon: -120 + 30 * random() };
    const parsed = parsePosition(formatMgrs(point.lat, point.lon));
    worstM = Math.max(worstM, distanceM(point, parsed));
  }
  t.diagnostic(`worst round trip over 3000 points: ${worstM.toFixed(4)} m`);
  assert.ok(worstM <= 0.7074, `worst ${worstM} m`);
});

test('a reference at lower precision names the square that contains the point', () => {
  const random = seededRandom(99);
  for (let i = 0; i < 300; i++) {
    const point = { lat: 25 + 8 * random(), lon: -120 + 30 * random() };
    for (const digits of [1, 2, 3, 4]) {
      const reference = formatMgrs(point.lat, point.lon, digits);
      const precisionM = 10 ** (5 - digits);
      // Centre to corner, with the scale factor's 0.04 % allowance.
      assert.ok(distanceM(point, parsePosition(reference)) <= (precisionM * Math.SQRT1_2) / 0.9996, reference);
    }
  }
});

test('formatting refuses out-of-range positions and impossible precisions', () => {
  assert.throws(() => formatMgrs(91, 0), (e: unknown) => e instanceof LinderoError && /latitude 91 is out of range/.test(e.message));
  assert.throws(() => formatMgrs(Number.NaN, 0), (e: unknown) => e instanceof LinderoError && /not a finite number/.test(e.message));
  for (const digits of [-1, 6, 2.5]) {
    assert.throws(() => formatMgrs(31, -106, digits), (e: unknown) => e instanceof LinderoError && e.code === 'bad-position');
  }
});

test('in UTM latitudes the fast formatter writes exactly what GeographicLib writes (5,000 seeded border points, every precision)', async () => {
  const { default: GeographicLib } = await import('geographiclib-mgrs');
  const rnd = seeded(7);
  for (let i = 0; i < 5000; i++) {
    const lat = 25 + rnd() * 8, lon = -118 + rnd() * 22, digits = 1 + (i % 5);
    assert.equal(formatMgrs(lat, lon, digits), GeographicLib.forward([lon, lat], digits).replace(/^0/, ''), `${lat}, ${lon}, ${digits} digits`);
  }
});

test('the fast UTM formatter writes what the proj4js mgrs package writes, over the globe and at every zone and band edge', () => {
  const rnd = seededRandom(20261206);
  const points: [number, number][] = [];
  for (let i = 0; i < 300_000; i++) points.push([-80 + rnd() * 164, -180 + rnd() * 360]);
  // Zone and band edges, Norway's and Svalbard's zones, the antimeridian, a hair either side of each.
  for (const lat of [-80, -72, -8, -1e-9, 0, 1e-9, 8, 55.9999999, 56, 63.9999999, 64, 71.9999999, 72, 83.9999999]) {
    for (let lon = -180; lon <= 180; lon += 3) for (const d of [-1e-9, 0, 1e-9]) if (lon + d >= -180 && lon + d <= 180) points.push([lat, lon + d]);
  }
  for (const [lat, lon] of points) {
    for (const digits of [5, 3, 1]) {
      const expected = mgrsLib.forward([lon, lat], digits);
      assert.equal(utmMgrs(lat, lon, digits), expected, `${lat}, ${lon} at ${digits} digits`);
    }
  }
});
