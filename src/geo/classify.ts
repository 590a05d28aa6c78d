import { sideConfidence } from './confidence.js';
import { normalizeAzimuth } from './ellipsoid.js';
import type { Layers } from './layers.js';
import { emptyNearest, nearestPoint } from './nearest.js';
import { makeProbe } from './segment.js';
import { sideLabel } from './side.js';
import type { ClassifyOptions, Determination, FenceDetermination, Position } from './types.js';

export const DEFAULT_ACCURACY_M = 5;
export const DEFAULT_CERTAINTY = 0.997;
export const DEFAULT_FENCE_REACH_M = 20_000;

const boundaryHit = emptyNearest();
const probeScratch = makeProbe(0, 0);
const fenceHit = emptyNearest();

/** Which side of the boundary, how far, how sure. Pure: no I/O, no clock. */
export function classify(position: Position, layers: Layers, options: ClassifyOptions = {}): Determination {
  const { lat, lon } = position;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    throw new RangeError(`position (${lat}, ${lon}) is not a valid WGS84 latitude/longitude`);
  }
  const accuracyM = position.accuracyM !== undefined && position.accuracyM > 0 ? position.accuracyM : (options.defaultAccuracyM ?? DEFAULT_ACCURACY_M);
  const probe = makeProbe(lat, lon, probeScratch);
  nearestPoint(layers.boundary, lat, lon, boundaryHit, Infinity, probe);
  const set = layers.boundary;
  const line = set.lines[set.segLine[boundaryHit.segment]];
  const territory = sideLabel(set, boundaryHit);
  const confidence = sideConfidence(boundaryHit.distanceM, accuracyM);
  const fence = layers.fences ? nearestFence(layers, lat, lon, probe, options.fenceReachM ?? DEFAULT_FENCE_REACH_M) : null;
  const fenceTerritory = fence ? layers.fenceInfo[fence.line].territory : null;
  return {
    lat,
    lon,
    territory,
    boundary: {
      distanceM: boundaryHit.distanceM,
      nearest: { lat: boundaryHit.latDeg, lon: boundaryHit.lonDeg },
      bearingDeg: boundaryHit.distanceM > 0 ? normalizeAzimuth(boundaryHit.azFromProbe) : 0,
      otherTerritory: territory === line.left ? line.right : line.left,
      name: line.name,
    },
    accuracyM,
    confidence,
    certain: confidence >= (options.certainty ?? DEFAULT_CERTAINTY),
    fence: fence ? fence.determination : null,
    zone: fence && fence.determination.side === 'boundary' && fenceTerritory === territory ? 'strip' : 'inland',
  };
}

function nearestFence(layers: Layers, lat: number, lon: number, probe: ReturnType<typeof makeProbe>, reachM: number) {
  const fences = layers.fences;
  if (!fences || !nearestPoint(fences, lat, lon, fenceHit, reachM, probe)) return null;
  const line = fences.segLine[fenceHit.segment];
  const info = layers.fenceInfo[line];
  const side = sideLabel(fences, fenceHit);
  const determination: FenceDetermination = {
    name: info.name,
    side: side === info.boundarySide ? 'boundary' : 'inland',
    distanceM: fenceHit.distanceM,
    illustrative: info.illustrative,
  };
  return { line, determination };
}
