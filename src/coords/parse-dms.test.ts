import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMgrs } from './mgrs.js';
import { parsePosition } from './parse-position.js';
import { pointOf, refusal } from '../../test/helpers/coords.js';

// 31°33'37.1"N 106°13'25.3"W, computed the long way round.
const LAT = 31 + 33 / 60 + 37.1 / 3600;
const LON = -(106 + 13 / 60 + 25.3 / 3600);
const CLINT_DMS = { lat: LAT, lon: LON, form: 'dms' };

test(`degrees, minutes and seconds with symbols are read: 31°33'37.1"N 106°13'25.3"W`, () => {
  assert.deepEqual(pointOf(`31°33'37.1"N 106°13'25.3"W`), CLINT_DMS);
});

test('degrees, minutes and seconds separated by spaces are read: 31 33 37.1 N 106 13 25.3 W', () => {
  assert.deepEqual(pointOf('31 33 37.1 N 106 13 25.3 W'), CLINT_DMS);
  assert.deepEqual(pointOf('N 31 33 37.1 W 106 13 25.3'), CLINT_DMS);
});

test('d, m and s letters mark degrees, minutes and seconds: 31d33m37.1sN 106d13m25.3sW', () => {
  assert.deepEqual(pointOf('31d33m37.1sN 106d13m25.3sW'), CLINT_DMS);
  assert.deepEqual(pointOf('31D33M37.1S N 106D13M25.3S W'), CLINT_DMS);
});

test('prime, right-quote and acute marks write minutes; double prime, two apostrophes and closing quotes write seconds', () => {
  for (const text of [
    `31°33′37.1″N 106°13′25.3″W`,
    `31°33’37.1”N 106°13’25.3”W`,
    `31°33'37.1''N 106°13'25.3''W`,
    `31°33´37.1"N 106°13´25.3"W`,
    `31º33'37.1"N 106º13'25.3"O`,
  ]) {
    assert.deepEqual(pointOf(text), CLINT_DMS, text);
  }
});

test(`degrees and decimal minutes are read: 31°33.618'N 106°13.42'W`, () => {
  assert.deepEqual(pointOf(`31°33.618'N 106°13.42'W`), { lat: 31 + 33.618 / 60, lon: -(106 + 13.42 / 60), form: 'dms' });
  assert.deepEqual(pointOf('31 33.618 -106 13.42'), { lat: 31 + 33.618 / 60, lon: -(106 + 13.42 / 60), form: 'dms' });
});

test('without hemisphere letters a minus sign makes the whole coordinate south or west', () => {
  assert.deepEqual(pointOf(`31°33'37.1" -106°13'25.3"`), CLINT_DMS);
  assert.deepEqual(pointOf('31 33 37.1, -106 13 25.3'), CLINT_DMS);
  assert.deepEqual(pointOf('31 33 37.1 \u2212106 13 25.3'), CLINT_DMS);
  assert.deepEqual(pointOf('-0 30 0 0 30 0'), { lat: -0.5, lon: 0.5, form: 'dms' });
});

test('the seconds letter is told apart from south by the degree and minute marks before it', () => {
  assert.deepEqual(pointOf('31d33m37.1s N 106d13m25.3s W'), CLINT_DMS);
  assert.deepEqual(pointOf('31d33m37.1sS 106d13m25.3sW'), { ...CLINT_DMS, lat: -LAT });
});

test(`GeographicLib's documented "E44d24 N33d20" is the point in MGRS square 38SMB4488`, () => {
  const parsed = parsePosition('E44d24 N33d20');
  assert.deepEqual(pointOf('E44d24 N33d20'), { lat: 33 + 20 / 60, lon: 44 + 24 / 60, form: 'dms' });
  // Written to the minute: a cell 1.85 km along the meridian, as GeographicLib's own 1 km square suggests.
  assert.ok(Math.abs(parsed.precisionM! - 1848.5) < 0.5, String(parsed.precisionM));
  assert.equal(formatMgrs(parsed.lat, parsed.lon, 2), '38SMB4488');
});

test('minutes of 60 or more are refused', () => {
  assert.match(refusal('31 60 0 N 106 0 0 W').message, /minutes 60 must be less than 60/);
  assert.equal(refusal('31 75 0 N 106 0 0 W').place.column, 4);
});

test('seconds of 60 or more are refused', () => {
  assert.match(refusal(`31°33'60"N 106°13'25"W`).message, /seconds 60 must be less than 60/);
});

test('fractional degrees followed by minutes are refused', () => {
  assert.match(refusal('31.5 33 N 106 0 W').message, /degrees 31.5 must be a whole number when minutes follow/);
});

test('fractional minutes followed by seconds are refused', () => {
  assert.match(refusal(`31°33.5'10"N 106°13'25"W`).message, /minutes 33.5 must be a whole number when seconds follow/);
});

test('a sign on minutes or seconds is refused', () => {
  assert.match(refusal('31 -33 37 106 13 25').message, /minutes -33 cannot carry a sign/);
});

test('seconds without minutes, or marks out of order, are refused', () => {
  assert.match(refusal(`31°37"N 106°25"W`).message, /seconds mark at column 6 where minutes were expected/);
  assert.match(refusal(`31'33°N 106'13°W`).message, /minutes mark at column 3 where degrees were expected/);
});

test('more than degrees, minutes and seconds in one coordinate is refused', () => {
  assert.match(refusal('31 33 37 12 N 106 13 25 W').message, /4 numbers in one coordinate/);
});

test('a degree mark that follows no number is refused', () => {
  assert.match(refusal(`°31 N 106 W`).message, /does not follow a number/);
});
