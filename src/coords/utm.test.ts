import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinderoError } from '../model/index.js';
import { parsePosition } from './parse-position.js';
import { distanceM, geoConvert, refusal } from '../../test/helpers/coords.js';
import { formatUtm, toUtm } from './utm.js';

// GeoConvert: "13n 385000 3494000" -> 31.57530561894861 -106.21191241531392 (and the others below).
const NORTH_31 = { lat: 31.57530561894861, lon: -106.21191241531392 };
const NORTH_35 = { lat: 35.18238890121062, lon: -106.26302549389766 };
const SOUTH_58 = { lat: -58.67890980427416, lon: -106.98340966052515 };
const MM = 0.001;

test('UTM with zone and latitude band is read: 13R 385000 3494000', () => {
  const parsed = parsePosition('13R 385000 3494000');
  assert.equal(parsed.form, 'utm');
  assert.ok(distanceM(parsed, NORTH_31) < MM);
});

test('a hemisphere letter N after the zone is read as the northern hemisphere, with or without a space', () => {
  for (const text of ['13N 385000 3494000', '13 N 385000 3494000', '13n 385000 3494000']) {
    assert.ok(distanceM(parsePosition(text), NORTH_31) < MM, text);
  }
});

test('S is first read as band S (32°N-40°N) when the latitude falls in that band', () => {
  assert.ok(distanceM(parsePosition('13S 385000 3894000'), NORTH_35) < MM);
});

test('S whose northing is not in band S is read as the southern hemisphere', () => {
  assert.ok(distanceM(parsePosition('13S 385000 3494000'), SOUTH_58) < MM);
});

test('a band letter that does not match the northing is refused, naming the band and the latitude', () => {
  assert.match(refusal('13R 385000 4494000').message, /latitude 40.5888, which is not in band R \(24°N to 32°N\)/);
  assert.match(refusal('13C 385000 3494000').message, /not in band C \(80°S to 72°S\)/);
});

test('UTM written with mE and mN suffixes is read', () => {
  assert.ok(distanceM(parsePosition('13R 385000mE 3494000mN'), NORTH_31) < MM);
  assert.ok(distanceM(parsePosition('13 385000mE 3494000mN N'), NORTH_31) < MM);
  assert.ok(distanceM(parsePosition('13 385000 mE 3494000 mN S'), SOUTH_58) < MM);
});

test('UTM coordinates with decimals of a metre are read', () => {
  const point = geoConvert.border[0];
  const { zone, eastingM, northingM } = point.utm;
  assert.ok(distanceM(parsePosition(`${zone}N ${eastingM} ${northingM}`), point) < MM);
});

test('every border point read back from its GeoConvert UTM coordinate, by band or by hemisphere, is the same point', () => {
  for (const point of geoConvert.border) {
    const { zone, hemisphere, eastingM, northingM } = point.utm;
    const band = point.lat < 32 ? 'R' : 'S';
    assert.ok(distanceM(parsePosition(`${zone}${band} ${eastingM} ${northingM}`), point) < MM);
    assert.ok(distanceM(parsePosition(`${zone}${hemisphere} ${eastingM} ${northingM}`), point) < MM);
  }
});

test('toUtm matches GeoConvert to the millimetre and names the latitude band', () => {
  for (const point of geoConvert.border) {
    const utm = toUtm(point.lat, point.lon);
    assert.equal(utm.zone, point.utm.zone);
    assert.equal(utm.hemisphere, point.utm.hemisphere);
    assert.equal(utm.band, point.lat < 32 ? 'R' : 'S');
    assert.ok(Math.abs(utm.eastingM - point.utm.eastingM) <= 0.0005 + 1e-9);
    assert.ok(Math.abs(utm.northingM - point.utm.northingM) <= 0.0005 + 1e-9);
  }
});

test(`GeographicLib's documented example: the centre of 38SMB4488 is 38n 444500 3688500`, () => {
  const centre = parsePosition('38SMB4488');
  const utm = toUtm(centre.lat, centre.lon);
  assert.equal(utm.zone, 38);
  assert.equal(utm.band, 'S');
  assert.ok(Math.abs(utm.eastingM - 444500) < MM && Math.abs(utm.northingM - 3688500) < MM);
});

test('formatUtm writes zone, band, and metres rounded to the nearest metre', () => {
  assert.equal(formatUtm(31.5603, -106.2237), '13R 383863 3492349');
  assert.ok(distanceM(parsePosition(formatUtm(31.5603, -106.2237)), { lat: 31.5603, lon: -106.2237 }) < 0.71);
});

test('UTM of a polar position is refused: UTM stops at 84°N and 80°S', () => {
  assert.throws(() => toUtm(85, 10), (e: unknown) => e instanceof LinderoError && /UTM covers 80°S to 84°N/.test(e.message));
  assert.throws(() => toUtm(-81, 10), (e: unknown) => e instanceof LinderoError && e.code === 'bad-position');
});

test('a letter after the zone that is neither a band nor a hemisphere is refused', () => {
  assert.match(refusal('13A 385000 3494000').message, /A after the zone is neither a latitude band/);
  assert.match(refusal('13I 385000 3494000').message, /I after the zone is neither a latitude band/);
});

test('a zone outside 1-60 is refused', () => {
  assert.match(refusal('61R 385000 3494000').message, /zone 61 is not a UTM zone \(1-60\)/);
  assert.match(refusal('0N 385000 3494000').message, /zone 0 is not a UTM zone/);
});

test('an easting or northing outside the UTM grid is refused with the allowed range', () => {
  assert.match(refusal('13R 1385000 3494000').message, /easting 1385000 m is outside the UTM range \[0, 1000000\] m/);
  assert.match(refusal('13X 385000 9700000').message, /northing 9700000 m is outside the UTM range \[0, 9600000\] m for the northern hemisphere/);
  assert.match(refusal('13S 385000 800000').message, /latitude 7.2363, which is not in band S \(32°N to 40°N\), nor in the southern hemisphere/);
  assert.match(refusal('13 385000mE 800000mN S').message, /northing 800000 m is outside the UTM range \[900000, 10000000\] m for the southern hemisphere/);
});

test('UTM without a band or hemisphere letter is refused with an example', () => {
  assert.match(refusal('13 385000 3494000').message, /put a latitude band or hemisphere letter after the zone, e.g. '13R 385000 3494000'/);
});
