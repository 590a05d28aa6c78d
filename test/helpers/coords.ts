// Helpers shared by this folder's tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import geodesicLib from 'geographiclib-geodesic';
import { LinderoError } from '../../src/model/index.js';
import { parsePosition } from '../../src/coords/parse-position.js';

const WGS84 = geodesicLib.Geodesic.WGS84;

/** Geodesic distance on the WGS84 ellipsoid, in metres. */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12 ?? NaN;
}

/** The error parsePosition throws for `text`; fails the test when it does not throw a bad-position error. */
export function refusal(text: string): LinderoError {
  try {
    const parsed = parsePosition(text);
    assert.fail(`expected ${JSON.stringify(text.slice(0, 60))} to be refused, got ${JSON.stringify(parsed)}`);
  } catch (error) {
    if (!(error instanceof LinderoError)) throw error;
    assert.equal(error.code, 'bad-position');
    assert.equal(error.place.field, 'position');
    return error;
  }
}

/**
 * The point parsePosition reads in `text` (its latitude, longitude and form), without the square its digits
 * name: the tests of reading numbers and marks; written-cell.test.ts holds the squares.
 */
export function pointOf(text: string): { lat: number; lon: number; form: string } {
  const { lat, lon, form } = parsePosition(text);
  return { lat, lon, form };
}

/** A seeded generator, so random tests are the same on every run (the one in geodesic-oracle.ts). */
export { seeded as seededRandom } from './geodesic-oracle.js';

export interface BorderReference {
  lat: number; lon: number;
  mgrs5: string; centre5: [number, number];
  mgrs3: string; centre3: [number, number];
  mgrs1: string; centre1: [number, number];
  utm: { zone: number; hemisphere: 'N' | 'S'; eastingM: number; northingM: number };
}

/** Values computed by GeographicLib's GeoConvert; see fixtures/make-geoconvert-fixture.mjs. */
export const geoConvert: { border: BorderReference[]; edges: { reference: string; centre: [number, number] }[] } = JSON.parse(
  readFileSync(new URL('../../src/coords/fixtures/geoconvert-border.json', import.meta.url), 'utf8'),
);
