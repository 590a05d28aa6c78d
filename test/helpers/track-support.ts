// Shared by the track tests: a straight boundary along 31°20′N with a fence north of it, and fixes placed
// by their distance from the line.
import type { FeatureCollection } from 'geojson';
import { direct } from './geodesic-oracle.js';
import { buildLayers, classify, type Determination, type Layers } from '../../src/geo/index.js';
import type { Fix } from '../../src/model/index.js';

export const PARALLEL_LAT = 31 + 20 / 60;
/** The fence stands in the U.S., this far north of the line. */
export const FENCE_NORTH_M = 300;
export const T0 = Date.UTC(2024, 5, 1, 8, 0, 0);

/** Boundary along 31°20′N (U.S. to the north, Mexico to the south), optionally with the fence. */
export function parallelLayers(withFence = true): Layers {
  const boundary: FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: '31°20′N', left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: [[-108.2, PARALLEL_LAT], [-106.6, PARALLEL_LAT]] } }],
  };
  const fenceLat = direct(PARALLEL_LAT, -107.5, 0, FENCE_NORTH_M).lat;
  const fences: FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: 'test fence' }, geometry: { type: 'LineString', coordinates: [[-108.2, fenceLat], [-106.6, fenceLat]] } }],
  };
  return buildLayers(boundary, withFence ? fences : null, { boundaryFile: 'parallel', fenceFile: 'fence' });
}

/**
 * A fix `northM` metres north of the line (negative: south, in Mexico) at `eastM` metres east of 107.5°W.
 * Due north is the shortest way to a parallel, so northM is exactly the distance to the line.
 */
export function fixAt(unit: string, time: number, northM: number, eastM = 0, accuracyM: number | undefined = 5): Fix {
  const east = direct(PARALLEL_LAT, -107.5, 90, eastM);
  const p = direct(east.lat, east.lon, northM >= 0 ? 0 : 180, Math.abs(northM));
  return { unit, time, lat: p.lat, lon: p.lon, accuracyM, source: 'file' };
}

export function observed(fix: Fix, layers: Layers): { fix: Fix; determination: Determination } {
  return { fix, determination: classify(fix, layers) };
}

/** Normal deviate with σ = 1, redrawn beyond ±limit: GPS noise that honours the accuracy it states. */
export function boundedGaussian(rnd: () => number, limit = 3): number {
  for (;;) {
    const u = 1 - rnd(), v = rnd();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    if (Math.abs(z) < limit) return z;
  }
}
