import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePosition } from './parse-position.js';
import { distanceM, geoConvert, refusal } from '../../test/helpers/coords.js';

// Reference centres come from GeographicLib's GeoConvert (fixtures/geoconvert-border.json).
const TOLERANCE_M = 0.001;
const centre = ([lat, lon]: [number, number]) => ({ lat, lon });
const withSpaces = (ref: string) => {
  const digits = ref.slice(5);
  const half = digits.length / 2;
  return `${ref.slice(0, 3)} ${ref.slice(3, 5)} ${digits.slice(0, half)} ${digits.slice(half)}`;
};

test('an MGRS reference with 5 digits means the centre of its 1 m square, as GeographicLib computes it', () => {
  for (const point of geoConvert.border) {
    const parsed = parsePosition(point.mgrs5);
    assert.equal(parsed.form, 'mgrs');
    assert.equal(parsed.precisionM, 1);
    assert.ok(distanceM(parsed, centre(point.centre5)) < TOLERANCE_M, point.mgrs5);
  }
});

test('an MGRS reference with 3-digit precision means the centre of its 100 m square', () => {
  for (const point of geoConvert.border) {
    const parsed = parsePosition(point.mgrs3);
    assert.equal(parsed.precisionM, 100);
    assert.ok(distanceM(parsed, centre(point.centre3)) < TOLERANCE_M, point.mgrs3);
  }
});

test('an MGRS reference with 1-digit precision means the centre of its 10 km square', () => {
  for (const point of geoConvert.border) {
    const parsed = parsePosition(point.mgrs1);
    assert.equal(parsed.precisionM, 10_000);
    assert.ok(distanceM(parsed, centre(point.centre1)) < TOLERANCE_M, point.mgrs1);
  }
});

test('an MGRS 100 km square alone means its centre', () => {
  const square = geoConvert.edges.find((edge) => edge.reference === '14RMU')!;
  const parsed = parsePosition('14RMU');
  assert.equal(parsed.precisionM, 100_000);
  assert.ok(distanceM(parsed, centre(square.centre)) < TOLERANCE_M);
});

test('spaces between the parts of an MGRS reference and lowercase letters are accepted', () => {
  for (const point of geoConvert.border.slice(0, 10)) {
    for (const text of [withSpaces(point.mgrs5), point.mgrs5.toLowerCase(), ` ${withSpaces(point.mgrs5).toLowerCase()} `]) {
      assert.ok(distanceM(parsePosition(text), centre(point.centre5)) < TOLERANCE_M, text);
    }
  }
});

test('a zone below 10 may be written with or without a leading zero', () => {
  const honolulu = geoConvert.edges.find((edge) => edge.reference === '04QFJ1234567890')!;
  assert.ok(distanceM(parsePosition('04QFJ1234567890'), centre(honolulu.centre)) < TOLERANCE_M);
  assert.ok(distanceM(parsePosition('4QFJ1234567890'), centre(honolulu.centre)) < TOLERANCE_M);
  assert.ok(distanceM(parsePosition('4Q FJ 12345 67890'), centre(honolulu.centre)) < TOLERANCE_M);
});

test('southern-hemisphere, neighbouring-zone and polar (UPS) references decode as GeographicLib does', () => {
  for (const reference of ['19HCC4455066770', '13RAQ6682368141', 'ZAB1234512345', 'BAN1234512345']) {
    const edge = geoConvert.edges.find((e) => e.reference === reference)!;
    assert.ok(distanceM(parsePosition(reference), centre(edge.centre)) < TOLERANCE_M, reference);
  }
});

test(`GeographicLib's documented example 38SMB4488 is 33.33424°N 44.40363°E`, () => {
  const parsed = parsePosition('38SMB4488');
  assert.equal(parsed.lat.toFixed(5), '33.33424');
  assert.equal(parsed.lon.toFixed(5), '44.40363');
  assert.equal(parsed.precisionM, 1000);
});

test('an MGRS reference with an odd number of digits is refused', () => {
  assert.match(refusal('13RCR123456789').message, /^'13RCR123456789' has an odd number of digits \(9\)/);
  assert.match(refusal('13RCR1').message, /has an odd number of digits \(1\)/);
});

test('8 digits are an even split: 4 for easting, 4 for northing, a 10 m square', () => {
  assert.equal(parsePosition('13RCR12345678').precisionM, 10);
});

test('more than 5 digits per coordinate is refused', () => {
  assert.match(refusal('13RCR123456123456').message, /has 12 digits: MGRS gives at most 5/);
});

test('easting and northing groups of different lengths are refused', () => {
  assert.match(refusal('13R CR 1234 567890').message, /easting 1234 and northing 567890 have different numbers of digits/);
});

test('a zone outside 1-60 is refused', () => {
  assert.match(refusal('61RCR12').message, /zone 61 is not a UTM zone \(1-60\)/);
  assert.match(refusal('0RCR12').message, /zone 0 is not a UTM zone/);
});

test('a latitude band that does not exist is refused', () => {
  assert.match(refusal('13ICR12').message, /I is not a latitude band letter/);
  assert.match(refusal('13ZAB12').message, /band Z is a polar \(UPS\) band and takes no zone number/);
});

test('100 km square letters that do not exist in the zone are refused', () => {
  assert.match(refusal('13RIR1234567890').message, /not a valid MGRS reference: I is not a 100 km column letter in zone 13/);
  assert.match(refusal('13RCI1234567890').message, /not a valid MGRS reference: I is not a 100 km row letter/);
});

test('a 100 km square that does not lie in the latitude band is refused', () => {
  assert.match(refusal('13XCR1234567890').message, /the 100 km square CR does not lie in zone 13 band X/);
});

test('a reference missing a square letter is refused as not MGRS', () => {
  assert.match(refusal('13RC1234567890').message, /is not an MGRS reference: expected a zone/);
});
