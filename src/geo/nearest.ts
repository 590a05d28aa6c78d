// Nearest point of a LineSet to a position: best-first search over the flatbush tree with a proven lower bound.
//
// The bound. On the ellipsoid ds² = M²dφ² + p²dλ² (M meridional radius, p = N·cosφ radius of the parallel).
// 1. Any path between latitudes φ1, φ2 is at least M_MIN·|φ2 − φ1| long (M ≥ M_MIN everywhere).
// 2. So a path shorter than U from the probe stays in the band |φ − φP| ≤ U / M_MIN.
// 3. Inside that band M ≥ M_lo and p ≥ p_lo (their minima over the band), so such a path is at least as long
//    as the straight line in the plane x = p_lo·λ, y = M_lo·φ between its ends.
// Hence for any target nearer than U, its geodesic distance ≥ the scaled-plane distance to it, and the
// scaled-plane distance to a box (or to a lon/lat-straight segment, which is straight in that plane) is a
// lower bound. U starts as the distance to the nearest of a few landmark vertices (a true upper bound on
// the answer), so the band is fixed before the search and no segment nearer than the answer is pruned.
import FlatQueue from 'flatqueue';
import { DEG, M_MIN, meridionalRadius, parallelRadius, WGS84_E2 } from './ellipsoid.js';
import type { LineSet } from './line-set.js';
import { copyHit, emptyHit, makeProbe, nearestOnGeodesicSegment, nearestOnLonLatSegment, type Probe, type SegmentHit } from './segment.js';

export interface NearestResult extends SegmentHit {
  /** Segment the nearest point is on. */
  segment: number;
}

const queue = new FlatQueue<number>();
const scratch = emptyHit();

export function emptyNearest(): NearestResult {
  return { ...emptyHit(), segment: -1 };
}

/**
 * Finds the nearest point of `set` to (latDeg, lonDeg) within maxDistanceM. Returns false when there is none.
 * `probe` may be passed when the caller already made one for this position.
 */
export function nearestPoint(set: LineSet, latDeg: number, lonDeg: number, out: NearestResult, maxDistanceM = Infinity, probe?: Probe): boolean {
  const p = probe ?? makeProbe(latDeg, lonDeg);
  const lonP = wrapTowards(lonDeg, (set.minLon + set.maxLon) / 2);
  const upper = Math.min(landmarkUpperBound(set, p), maxDistanceM);
  let best = upper * (1 + 1e-9) + 1e-6;
  out.segment = -1;
  out.distanceM = Infinity;

  const halfBand = best / M_MIN;
  const phiLo = p.phi - halfBand, phiHi = p.phi + halfBand;
  const mLo = phiLo <= 0 && phiHi >= 0 ? M_MIN : meridionalRadius(Math.sin(Math.min(Math.abs(phiLo), Math.abs(phiHi))));
  const extreme = Math.max(Math.abs(phiLo), Math.abs(phiHi));
  const pLo = extreme >= Math.PI / 2 ? 0 : parallelRadius(extreme);
  // Metres per degree, lower bounds valid in the band.
  const sx = pLo * DEG, sy = mLo * DEG;

  const boxes = set.index._boxes;
  const indices = set.index._indices;
  const levelBounds = set.index._levelBounds;
  const nodeSize4 = set.index.nodeSize * 4;
  const numItems4 = set.index.numItems * 4;
  const lonArr = set.lonDeg, latArr = set.latDeg, segStart = set.segStart;
  if (set.segmentCount === 0) return false;

  queue.clear();
  queue.push((boxes.length - 4) << 1, 0);
  while (queue.length > 0) {
    const key = queue.peekValue() as number;
    if (key > best) break;
    const id = queue.pop() as number;
    if (id & 1) {
      const seg = id >> 1;
      const a = segStart[seg];
      if (set.edgesOf(seg) === 'geodesic') {
        nearestOnGeodesicSegment(p, lonArr[a], latArr[a], lonArr[a + 1], latArr[a + 1], scratch);
      } else {
        const t0 = planarT(lonArr[a], latArr[a], lonArr[a + 1], latArr[a + 1], lonP, latDeg, sx, sy);
        nearestOnLonLatSegment(p, lonArr[a], latArr[a], lonArr[a + 1], latArr[a + 1], t0, scratch);
      }
      if (scratch.distanceM < best || (out.segment < 0 && scratch.distanceM <= best)) {
        best = scratch.distanceM;
        copyHit(scratch, out);
        out.segment = seg;
      }
      continue;
    }
    const nodeIndex = id >> 1;
    const isLeafLevel = nodeIndex < numItems4;
    const end = Math.min(nodeIndex + nodeSize4, upperBound(nodeIndex, levelBounds));
    for (let pos = nodeIndex; pos < end; pos += 4) {
      const dx = Math.max(boxes[pos] - lonP, lonP - boxes[pos + 2], 0) * sx;
      const dy = Math.max(boxes[pos + 1] - latDeg, latDeg - boxes[pos + 3], 0) * sy;
      let bound = Math.sqrt(dx * dx + dy * dy);
      if (bound > best) continue;
      const child = indices[pos >> 2] | 0;
      if (isLeafLevel) {
        if (set.edgesOf(child) !== 'geodesic') {
          const a = segStart[child];
          bound = planarDistance(lonArr[a], latArr[a], lonArr[a + 1], latArr[a + 1], lonP, latDeg, sx, sy);
          if (bound > best) continue;
        }
        queue.push((child << 1) | 1, bound);
      } else {
        queue.push(child << 1, bound);
      }
    }
  }
  queue.clear();
  return out.segment >= 0;
}

/** Geodesic distance to the nearest landmark vertex: an upper bound on the distance to the set. */
function landmarkUpperBound(set: LineSet, p: Probe): number {
  const lm = set.landmarks;
  let bestChord2 = Infinity;
  for (let i = 0; i < lm.length; i += 3) {
    const dx = lm[i] - p.x, dy = lm[i + 1] - p.y, dz = lm[i + 2] - p.z;
    const c2 = dx * dx + dy * dy + dz * dz;
    if (c2 < bestChord2) bestChord2 = c2;
  }
  const chord = Math.sqrt(bestChord2);
  // Curvature of any geodesic is at most 1/M_MIN; by Schur's comparison the arc over a chord c is then at
  // most that of a circle of radius M_MIN. Past a quarter of the globe, give up bounding the band.
  const x = chord / (2 * M_MIN);
  if (!(x < 0.7)) return Infinity;
  return 2 * M_MIN * Math.asin(x) * (1 + WGS84_E2);
}

/** Parameter of the foot of the perpendicular in the scaled plane, clamped to [0, 1]. */
function planarT(lonA: number, latA: number, lonB: number, latB: number, lonP: number, latP: number, sx: number, sy: number): number {
  const ux = (lonB - lonA) * sx, uy = (latB - latA) * sy;
  const len2 = ux * ux + uy * uy;
  if (len2 === 0) return 0;
  const t = ((lonP - lonA) * sx * ux + (latP - latA) * sy * uy) / len2;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

function planarDistance(lonA: number, latA: number, lonB: number, latB: number, lonP: number, latP: number, sx: number, sy: number): number {
  const t = planarT(lonA, latA, lonB, latB, lonP, latP, sx, sy);
  const x = (lonA + t * (lonB - lonA) - lonP) * sx;
  const y = (latA + t * (latB - latA) - latP) * sy;
  return Math.sqrt(x * x + y * y);
}

/** Longitude shifted by whole turns to lie within 180° of `centre` (layers span less than 180°). */
function wrapTowards(lon: number, centre: number): number {
  let l = lon;
  while (l - centre > 180) l -= 360;
  while (l - centre < -180) l += 360;
  return l;
}

/** First value in the level bounds greater than `value` (as flatbush does). */
function upperBound(value: number, arr: number[]): number {
  let i = 0, j = arr.length - 1;
  while (i < j) {
    const m = (i + j) >> 1;
    if (arr[m] > value) j = m;
    else i = m + 1;
  }
  return arr[i];
}
