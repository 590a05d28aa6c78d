// The square a position's digits name: its size against GeographicLib, and what each notation's last digit is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import geodesicLib from 'geographiclib-geodesic';
import { parsePosition } from './parse-position.js';
import { lastDigitStep, writtenCellM } from './written-cell.js';
import { seededRandom } from '../../test/helpers/coords.js';

const WGS84 = geodesicLib.Geodesic.WGS84;

/** The larger side of the cell, measured by GeographicLib along its meridian and its parallel through the centre. */
function oracleSideM(lat: number, lon: number, latStep: number, lonStep: number): number {
  const south = Math.max(-90, lat - latStep / 2), north = Math.min(90, lat + latStep / 2);
  const meridian = WGS84.Inverse(south, lon, north, lon).s12 as number;
  const parallel = WGS84.Inverse(lat, lon - lonStep / 2, lat, lon + lonStep / 2).s12 as number;
  return Math.max(meridian * (latStep / (north - south)), parallel);
}

test('a cell of coarse digits is as large as GeographicLib measures it, anywhere on Earth, to 0.1 %', () => {
  const rnd = seededRandom(61);
  for (let i = 0; i < 2000; i++) {
    const lat = -89 + rnd() * 178, lon = -179 + rnd() * 358;
    const latStep = 10 ** -Math.floor(rnd() * 5), lonStep = 10 ** -Math.floor(rnd() * 5);
    const side = writtenCellM(lat, latStep, lonStep);
    const oracle = oracleSideM(lat, lon, latStep, lonStep);
    if (oracle <= 1.001) continue;
    assert.ok(side !== undefined && Math.abs(side - oracle) <= 0.001 * oracle + 0.01, `${lat} ${lon} ${latStep} ${lonStep}: ${side} against ${oracle}`);
  }
});

test('the last written digit: decimals, trailing zeros, whole numbers', () => {
  assert.deepEqual(['31', '31.', '31.7', '31.70', '-106.4850', '.5'].map(lastDigitStep), [1, 1, 0.1, 0.01, 0.0001, 0.1]);
});

test('each notation names the cell of its last digit; six decimals, hundredths of a second and MGRS/UTM metres are points', () => {
  const side = (text: string) => parsePosition(text).precisionM;
  // 0.01° at 31.76°N: 1,108.8 m along the meridian (the larger side).
  assert.ok(Math.abs(side('31.76 -106.48')! - 1108.8) < 0.5, String(side('31.76 -106.48')));
  assert.equal(side('31.76N 106.48W'), side('31.76 -106.48'));
  assert.equal(side('N31.76 W106.48'), side('31.76, -106.48'));
  // Latitude and longitude written to different places: each gives its own side, the larger is the square's.
  assert.ok(Math.abs(side('31.7612 -106.48')! - 947.4) < 0.5, String(side('31.7612 -106.48')));
  assert.equal(side('31.76 -106.4812'), side('31.76 -106.48'));
  // To the minute, to the tenth of a minute, to the second, to the tenth of a second.
  const minute = side(`31°45'N 106°29'W`)!, tenth = side(`31°45.0'N 106°29.0'W`)!, second = side(`31°45'00"N 106°29'00"W`)!, tenthSecond = side(`31°45'00.0"N 106°29'00.0"W`)!;
  assert.ok(Math.abs(minute - 1848) < 2 && Math.abs(tenth - minute / 10) < 0.02 && Math.abs(second - minute / 60) < 0.02 && Math.abs(tenthSecond - minute / 600) < 0.02, [minute, tenth, second, tenthSecond].join(' '));
  assert.equal(side(`31 45 N 106 29 W`), minute);
  // Longitude first, with letters: each coordinate keeps its own step.
  assert.equal(side(`106°29'W 31°45.0'N`), side(`31°45.0'N 106°29'W`));
  for (const point of ['31.760000 -106.480000', `31°45'00.00"N 106°29'00.00"W`, '13RCQ8386292349', '13R 385000 3494000']) {
    const p = parsePosition(point);
    assert.ok(p.precisionM === undefined || (p.form === 'mgrs' && p.precisionM === 1), `${point}: ${p.precisionM}`);
  }
  // Whole degrees near a pole: the parallel shrinks, the meridian's degree does not.
  assert.ok(Math.abs(side('89 10')! - 111_694) < 5, String(side('89 10')));
});
