// The shipped boundary line against the polygons it was derived from: wherever exactly one
// source polygon covers a point, classify() must put the point in that polygon's country.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FeatureCollection, LineString } from 'geojson';
import { buildLayers, classify } from '../src/geo/index.js';
import { TerritoryIndex, type CorridorCollection } from '../data/scripts/territory-index.js';
import { direct, inverse, seeded } from './helpers/geodesic-oracle.js';

const BOUNDARY_FILE = 'data/us-mx-boundary.geojson';
const boundary = JSON.parse(readFileSync(BOUNDARY_FILE, 'utf8')) as FeatureCollection<LineString>;
const corridor = JSON.parse(readFileSync('test/fixtures/us-mx-corridor.geojson', 'utf8')) as CorridorCollection;
const line = boundary.features[0].geometry.coordinates as [number, number][];

const SAMPLE_COUNT = 200_000;
const MIN_OFFSET_M = 0.001;
const MAX_OFFSET_M = 60_000;

/** Cumulative geodesic length at each vertex, so that places on the line are drawn by length, not by vertex. */
function cumulativeLengthsM(coords: [number, number][]): Float64Array {
  const along = new Float64Array(coords.length);
  for (let i = 1; i < coords.length; i++) {
    along[i] = along[i - 1] + (inverse(coords[i - 1][1], coords[i - 1][0], coords[i][1], coords[i][0]).s12 as number);
  }
  return along;
}

/** Index of the segment that holds the place `targetM` metres along the line. */
function segmentAt(along: Float64Array, targetM: number): number {
  let lo = 0, hi = along.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (along[mid] <= targetM) lo = mid; else hi = mid - 1;
  }
  return lo;
}

interface Sample { lat: number; lon: number; offsetM: number }

/** A random place on the line, then a log-uniform 1 mm … 60 km step across it, to either side. */
function* samples(count: number, seed: number): Generator<Sample> {
  const random = seeded(seed);
  const along = cumulativeLengthsM(line);
  const totalM = along[along.length - 1];
  for (let n = 0; n < count; n++) {
    const k = segmentAt(along, random() * totalM);
    const [a, b] = [line[k], line[k + 1]];
    const t = random();
    // A lon/lat segment (RFC 7946) passes through the linear interpolation of its ends.
    const lat = a[1] + t * (b[1] - a[1]), lon = a[0] + t * (b[0] - a[0]);
    const headingDeg = (Math.atan2((b[0] - a[0]) * Math.cos((lat * Math.PI) / 180), b[1] - a[1]) * 180) / Math.PI;
    const offsetM = MIN_OFFSET_M * (MAX_OFFSET_M / MIN_OFFSET_M) ** random();
    const p = direct(lat, lon, headingDeg + (random() < 0.5 ? -90 : 90), offsetM);
    yield { lat: p.lat, lon: p.lon, offsetM };
  }
}

describe('the default U.S.–Mexico boundary', () => {
  it('names its sides, edge mode, source, licence and attribution', () => {
    const props = boundary.features[0].properties ?? {};
    assert.deepEqual(boundary.features.map((f) => f.properties?.territory ?? 'line'), ['line', 'US', 'MX'], 'the line, then its two territories');
    assert.equal(props.left, 'US');
    assert.equal(props.right, 'MX');
    assert.equal(props.edges, 'lonlat');
    assert.equal(props.license, 'ODbL-1.0');
    assert.equal(props.attribution, '© OpenStreetMap contributors');
    assert.match(String(props.source), /^@geo-maps\/countries-maritime-10m@\d+\.\d+\.\d+$/);
    assert.ok(line[0][0] < -117.4 && line[line.length - 1][0] > -97, 'the line runs from the territorial sea\'s limit in the Pacific to its limit in the Gulf of Mexico');
  });

  it('puts 200,000 corridor points in the country whose source polygon alone covers them', (t) => {
    const layers = buildLayers(boundary, null, { boundaryFile: BOUNDARY_FILE });
    const territories = new TerritoryIndex(corridor);
    const mismatches: string[] = [];
    let checked = 0, neither = 0, both = 0, outside = 0, within50M = 0, within1M = 0;
    for (const { lat, lon, offsetM } of samples(SAMPLE_COUNT, 20_240_601)) {
      const determination = classify({ lat, lon }, layers);
      if (determination.boundary.distanceM <= 50) within50M++;
      if (determination.boundary.distanceM <= 1) within1M++;
      const { territories: covering, inCorridor } = territories.at(lon, lat);
      if (!inCorridor) { outside++; continue; }
      if (covering.size === 0) { neither++; continue; }
      if (covering.size === 2) { both++; continue; }
      checked++;
      const [truth] = covering;
      if (determination.territory !== truth) {
        mismatches.push(`${lat.toFixed(9)},${lon.toFixed(9)} (${offsetM.toPrecision(3)} m off the line, ${determination.boundary.distanceM.toPrecision(3)} m from it): source says ${truth}, classify says ${determination.territory}`);
      }
    }
    t.diagnostic(`${checked} points in exactly one polygon, ${neither} in neither (sea, rivers, reservoirs), ${both} in both, ${outside} outside the corridor`);
    t.diagnostic(`${within50M} points within 50 m of the line, ${within1M} within 1 m`);
    assert.equal(outside, 0, 'every sample lies in the corridor the fixture covers');
    assert.ok(within50M >= 20_000, `${within50M} points within 50 m`);
    assert.ok(within1M >= 2_000, `${within1M} points within 1 m`);
    assert.ok(checked >= 150_000, `${checked} points decided by the polygons`);
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} points disagree with the source polygons`);
  });
});
