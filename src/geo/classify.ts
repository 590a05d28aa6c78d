import { positionSigmaM, sideConfidence } from './confidence.js';
import { DEG, meridionalRadius, normalizeAzimuth, primeVerticalRadius } from './ellipsoid.js';
import { FAR_FROM_M } from './far.js';
import type { Layers } from './layers.js';
import type { LineSet } from './line-set.js';
import { emptyNearest, nearestPoint, type NearestResult } from './nearest.js';
import { makeProbe, type Probe } from './segment.js';
import type { TerritoryGrid } from './territory-grid.js';
import { isOpenEnd, sideLabel } from './side.js';
import type { ClassifyOptions, Determination, FenceDetermination, Position } from './types.js';
import { ASSUMED_ACCURACY_M, DEFAULT_CERTAINTY } from '../model/index.js';

export { ASSUMED_ACCURACY_M, DEFAULT_CERTAINTY };

export const DEFAULT_FENCE_REACH_M = 20_000;

const boundaryHit = emptyNearest();
/** The options when none are given (one object, not one per call). */
const NO_OPTIONS: ClassifyOptions = Object.freeze({});
const probeScratch = makeProbe(0, 0);
const fenceHit = emptyNearest();

/** Which side of the boundary, how far, how sure. Pure: no I/O, no clock. */
export function classify(position: Position, layers: Layers, options: ClassifyOptions = NO_OPTIONS): Determination {
  const { lat, lon } = position;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    throw new RangeError(`position (${lat}, ${lon}) is not a valid WGS84 latitude/longitude`);
  }
  const given = position.accuracyM;
  const accuracyAssumed = !(typeof given === 'number' && given > 0 && Number.isFinite(given));
  const accuracyM = accuracyAssumed ? assumedAccuracyM(position, options) : (given as number);
  const probe = makeProbe(lat, lon, probeScratch);
  const set = layers.boundary;
  nearestOnBoundary(set, lat, lon, probe, boundaryHit);
  const lineIndex = set.segLine[boundaryHit.segment];
  const line = set.lines[lineIndex];
  const lineSide = sideLabel(set, boundaryHit);
  const territory = territoryAt(layers, lat, lon, lineSide, boundaryHit);
  const lineUncertaintyM = line.uncertaintyM;
  const squareM = position.squareM;
  const positionSigma = positionSigmaM(accuracyM, squareM);
  const uncertaintyM = Math.hypot(positionSigma, lineUncertaintyM);
  const edgeM = territory === null ? Infinity : territoryEdgeM(lat, lon, probe, uncertaintyM, boundaryHit.distanceM);
  const confidence = territory === null ? 0 : sideConfidence(Math.min(boundaryHit.distanceM, edgeM), uncertaintyM);
  const fence = layers.fences ? nearestFence(layers, lat, lon, probe, options.fenceReachM ?? DEFAULT_FENCE_REACH_M) : null;
  const fenceTerritory = fence ? layers.fenceInfo[fence.line].territory : null;
  const det: Determination = {
    lat,
    lon,
    territory,
    outside: territory === null,
    boundary: {
      distanceM: boundaryHit.distanceM,
      nearest: { lat: boundaryHit.latDeg, lon: boundaryHit.lonDeg },
      bearingDeg: boundaryHit.distanceM > 0 ? normalizeAzimuth(boundaryHit.azFromProbe) : 0,
      otherTerritory: territory === null ? null : lineSide === line.left ? line.right : line.left,
      name: line.name,
      between: set.between[lineIndex],
    },
    accuracyM,
    accuracyAssumed,
    lineUncertaintyM,
    uncertaintyM,
    uncertaintyDominant: lineUncertaintyM > positionSigma ? 'line' : 'position',
    confidence,
    certain: territory !== null && confidence >= (options.certainty ?? DEFAULT_CERTAINTY),
    fence: fence ? fence.determination : null,
    zone: territory !== null && fence && fence.determination.side === 'boundary' && fenceTerritory === territory ? 'strip' : 'inland',
  };
  if (edgeM < Infinity) det.territoryEdgeM = edgeM;
  if (squareM !== undefined) det.squareM = squareM;
  return det;
}

/**
 * Beyond this many σ, Φ(d/σ) is 1 in double precision (1 − Φ(8.3) < 2^−53): a polygon edge farther away
 * cannot change the confidence, so none is looked for.
 */
const EDGE_REACH_SIGMAS = 9;

/** Which grid decided the last territoryAt: the edges that could change its answer (null: the line alone). */
let decidingGrid: TerritoryGrid | null = null;

/**
 * Distance to the nearest edge of the territory polygons that decided the answer (the union's outer limits
 * where the line decides the side, every territory's edges beyond it), when nearer than the line and near
 * enough to lower the confidence; else Infinity. A position 5 m inside the territorial sea's limit is no more
 * certain of being in the territory than one 5 m from the line.
 */
function territoryEdgeM(lat: number, lon: number, probe: Probe, uncertaintyM: number, lineM: number): number {
  if (!decidingGrid) return Infinity;
  const reachM = Math.min(EDGE_REACH_SIGMAS * uncertaintyM, lineM);
  const sx = primeVerticalRadius(probe.sinPhi) * probe.cosPhi * DEG, sy = meridionalRadius(probe.sinPhi) * DEG;
  const edgeM = decidingGrid.nearestEdgeM(lon, lat, reachM, sx, sy);
  return edgeM < lineM ? edgeM : Infinity;
}

function assumedAccuracyM(position: Position, options: ClassifyOptions): number {
  const bySource = position.source === undefined ? undefined : options.assumedAccuracyBySourceM?.[position.source];
  return bySource ?? options.defaultAccuracyM ?? ASSUMED_ACCURACY_M;
}

/**
 * The nearest point of the boundary: the proven search when the line is within FAR_FROM_M (it answers "none"
 * quickly otherwise), else the far search. A position whose latitude alone puts it beyond FAR_FROM_M goes
 * straight to the far search (near the poles the proven search's bounds give out).
 */
function nearestOnBoundary(set: LineSet, lat: number, lon: number, probe: ReturnType<typeof makeProbe>, out: NearestResult): void {
  const south = set.index.minY, north = set.index.maxY;
  const marginDeg = FAR_FROM_M / 110_000 + 0.05;
  if (lat > south - marginDeg && lat < north + marginDeg && nearestPoint(set, lat, lon, out, FAR_FROM_M, probe)) return;
  set.chordIndex.nearest(probe, out);
}

/**
 * Who decides the territory. Within the line's coverage (and not beyond one of its open ends) the line does,
 * exactly, by the side of its nearest point. Elsewhere the territory polygons do, when the layers have them;
 * outside every polygon, and beyond a line's coverage when there are none, the answer is "outside" (null).
 * With polygons present, a position in none of them is outside even near the line (past the sea's limit).
 */
function territoryAt(layers: Layers, lat: number, lon: number, lineSide: string, hit: NearestResult): string | null {
  const set = layers.boundary;
  const coverageM = set.lines[set.segLine[hit.segment]].coverageM ?? layers.coverageM;
  const lineDecides = hit.distanceM <= coverageM && !isOpenEnd(set, hit);
  const grid = layers.territoryGrid;
  decidingGrid = null;
  if (!grid) return lineDecides ? lineSide : null;
  // Where the line decides, the polygons need only say whether the position is in any of them.
  if (lineDecides) {
    decidingGrid = grid.union;
    return grid.insideAny(lon, lat) ? lineSide : null;
  }
  decidingGrid = grid;
  const t = grid.territoryAt(lon, lat);
  return t < 0 ? null : grid.territories[t];
}

function nearestFence(layers: Layers, lat: number, lon: number, probe: ReturnType<typeof makeProbe>, reachM: number) {
  const fences = layers.fences;
  if (!fences) return null;
  const south = fences.index.minY, north = fences.index.maxY;
  const marginDeg = reachM / 110_000 + 0.05;
  if (lat < south - marginDeg || lat > north + marginDeg || !nearestPoint(fences, lat, lon, fenceHit, reachM, probe)) return null;
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
