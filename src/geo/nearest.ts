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
import { DEG, M_MIN, meridionalRadius, primeVerticalRadius, WGS84_E2 } from './ellipsoid.js';
import type { LineSet } from './line-set.js';
import { copyHit, emptyHit, makeProbe, nearestOnGeodesicSegment, nearestOnLonLatSegment, type Probe, type SegmentHit } from './segment.js';

export interface NearestResult extends SegmentHit {
  /** Segment the nearest point is on. */
  segment: number;
}

/** Traversal stack: at most (tree height × node size) entries are ever on it. */
const stackIds = new Int32Array(4096);
const stackKeys = new Float64Array(4096);
/** Candidate segments and their keys, gathered before any exact distance is computed. */
let candSeg = new Int32Array(1024);
let candKey = new Float64Array(1024);
const scratch = emptyHit();

export function emptyNearest(): NearestResult {
  return { ...emptyHit(), segment: -1 };
}

/**
 * Finds the nearest point of `set` to (latDeg, lonDeg) within maxDistanceM. Returns false when there is none.
 * `probe` may be passed when the caller already made one for this position.
 *
 * Two phases. (1) Depth-first over the tree, children nearest-first, gathering every segment whose key
 * (squared planar distance with the scales at the probe) is within the limit; each candidate's planar foot
 * also gives a proven upper bound U (the length of the lon/lat-straight path to it), which tightens the
 * limit (r·U)². (2) Exact distances for the candidates in key order until a key exceeds the limit set by
 * the best exact distance. Exact distances, the expensive part, are computed once or twice per query.
 */
export function nearestPoint(set: LineSet, latDeg: number, lonDeg: number, out: NearestResult, maxDistanceM = Infinity, probe?: Probe): boolean {
  out.segment = -1;
  out.distanceM = Infinity;
  if (set.segmentCount === 0) return false;
  const p = probe ?? makeProbe(latDeg, lonDeg);
  const lonP = wrapTowards(lonDeg, (set.minLon + set.maxLon) / 2);
  const boxes = set.index._boxes;
  const indices = set.index._indices;
  const levelBounds = set.index._levelBounds;
  const nodeSize4 = set.index.nodeSize * 4;
  const numItems4 = set.index.numItems * 4;
  const lon = set.lonDeg, lat = set.latDeg, segStart = set.segStart;
  // Keys use the scales at the probe (metres per degree there). They are within a factor r of the proven
  // lower bound (scales at the band's extremes), so a key above (r·U)² proves the box is farther than U.
  const sx = primeVerticalRadius(p.sinPhi) * p.cosPhi * DEG, sy = meridionalRadius(p.sinPhi) * DEG;
  const tanPhi = Math.abs(p.sinPhi / p.cosPhi);
  let limit2 = limitSquared(tanPhi, maxDistanceM);
  let upper = maxDistanceM;
  let minKey2 = Infinity;
  let count = 0;

  let sp = 0;
  stackIds[sp] = boxes.length - 4;
  stackKeys[sp++] = 0;
  while (sp > 0) {
    const nodeIndex = stackIds[--sp];
    if (stackKeys[sp] > limit2) continue;
    const end = Math.min(nodeIndex + nodeSize4, upperBound(nodeIndex, levelBounds));
    const leafLevel = nodeIndex < numItems4;
    const base = sp;
    for (let pos = nodeIndex; pos < end; pos += 4) {
      // Squared scaled-plane distance to the box: no sqrt and no Math.max in the hottest loop.
      const x0 = boxes[pos] - lonP, x1 = lonP - boxes[pos + 2];
      const dx = (x0 > 0 ? x0 : x1 > 0 ? x1 : 0) * sx;
      const y0 = boxes[pos + 1] - latDeg, y1 = latDeg - boxes[pos + 3];
      const dy = (y0 > 0 ? y0 : y1 > 0 ? y1 : 0) * sy;
      let key2 = dx * dx + dy * dy;
      if (key2 > limit2) continue;
      const child = indices[pos >> 2] | 0;
      if (!leafLevel) {
        // Every point of the line inside the box is no farther than its farthest corner: an upper bound
        // that tightens the limit on the way down, before any segment is reached (R-tree MAXDIST).
        const fy = y0 < y1 ? -y0 : -y1;
        const fx = (x0 < x1 ? -x0 : -x1) * sx, fyM = fy * sy;
        const far2 = fx * fx + fyM * fyM;
        if (far2 < minKey2) {
          minKey2 = far2;
          const u = pathUpperBound(Math.sqrt(far2), fy * DEG, tanPhi);
          if (u < upper) {
            upper = u;
            limit2 = limitSquared(tanPhi, upper);
          }
        }
      }
      if (leafLevel) {
        if (!set.hasGeodesic || set.edgesOf(child) !== 'geodesic') {
          const a = segStart[child];
          const t = planarT(lon[a], lat[a], lon[a + 1], lat[a + 1], lonP, latDeg, sx, sy);
          const fLon = lon[a] + t * (lon[a + 1] - lon[a]), fLat = lat[a] + t * (lat[a + 1] - lat[a]);
          const ex = (fLon - lonP) * sx, ny = (fLat - latDeg) * sy;
          key2 = ex * ex + ny * ny;
          if (key2 > limit2) continue;
          // Only the nearest-looking foot so far can tighten the bound; skip the trigonometry otherwise.
          if (key2 < minKey2) {
            minKey2 = key2;
            const u = pathUpperBound(Math.sqrt(key2), Math.abs(fLat - latDeg) * DEG, tanPhi);
            if (u < upper) {
              upper = u;
              limit2 = limitSquared(tanPhi, upper);
            }
          }
        }
        if (count === candSeg.length) count = compactCandidates(count, limit2);
        candSeg[count] = child;
        candKey[count++] = key2;
        continue;
      }
      // Insert keeping [base, sp) in descending key order, so the nearest child is on top.
      let i = sp++;
      while (i > base && stackKeys[i - 1] < key2) {
        stackKeys[i] = stackKeys[i - 1];
        stackIds[i] = stackIds[i - 1];
        i--;
      }
      stackKeys[i] = key2;
      stackIds[i] = child;
    }
  }

  // Most candidates gathered before the limit tightened are out of it by now: drop them before sorting.
  count = compactCandidates(count, limit2);
  sortCandidates(count);
  for (let k = 0; k < count; k++) {
    if (candKey[k] > limit2) break;
    const seg = candSeg[k];
    exactDistance(set, seg, p, lonP, latDeg, scratch);
    if (scratch.distanceM < out.distanceM) {
      copyHit(scratch, out);
      out.segment = seg;
      limit2 = Math.min(limit2, limitSquared(tanPhi, out.distanceM));
    }
  }
  return out.segment >= 0 && out.distanceM <= maxDistanceM;
}

/**
 * Upper bound on the geodesic distance to a point whose key distance (probe scales) is keyM and whose
 * latitude differs by dPhi radians: the path straight in lon/lat is no longer than keyM times the largest
 * ratio of the ellipsoid's scales along it to those at the probe. Towards the equator the parallel radius
 * p = N·cosφ grows by at most a factor 1 + tan|φ|·dPhi; the meridional radius M by at most 1 + 3e²·dPhi.
 */
function pathUpperBound(keyM: number, dPhi: number, tanPhi: number): number {
  if (dPhi > 0.05 || tanPhi > 100) return Infinity;
  return keyM * (1 + Math.max(tanPhi, 3 * WGS84_E2) * dPhi) * (1 + 1e-12) + 1e-9;
}

/** Drops candidates that the current limit already rules out; grows the buffer when none can go. */
function compactCandidates(count: number, limit2: number): number {
  let kept = 0;
  for (let k = 0; k < count; k++) {
    if (candKey[k] <= limit2) {
      candSeg[kept] = candSeg[k];
      candKey[kept++] = candKey[k];
    }
  }
  if (kept === candSeg.length) {
    const seg = new Int32Array(candSeg.length * 2), key = new Float64Array(candKey.length * 2);
    seg.set(candSeg);
    key.set(candKey);
    candSeg = seg;
    candKey = key;
  }
  return kept;
}

/** Insertion sort by key (the list is short and mostly ordered). */
function sortCandidates(count: number): void {
  for (let k = 1; k < count; k++) {
    const key = candKey[k], seg = candSeg[k];
    let i = k;
    while (i > 0 && candKey[i - 1] > key) {
      candKey[i] = candKey[i - 1];
      candSeg[i] = candSeg[i - 1];
      i--;
    }
    candKey[i] = key;
    candSeg[i] = seg;
  }
}

/**
 * (r·U)², where U is an upper bound on the answer and r bounds the ratio of the probe's scales to the
 * smallest scales in the band |φ − φP| ≤ h = U/M_MIN (see the top of this file): poleward, the parallel
 * radius shrinks by at most cos h − tan|φ|·sin h ≥ 1 − h²/2 − tan|φ|·h; the meridional radius by at most
 * a factor 1 + 3e²·h.
 */
function limitSquared(tanPhi: number, upper: number): number {
  if (upper === Infinity) return Infinity;
  const u = upper * (1 + 1e-9) + 1e-6;
  const h = u / M_MIN;
  const shrink = 1 - (h * h) / 2 - tanPhi * h;
  if (shrink < 0.5) return Infinity;
  const r = Math.max(1 / shrink, 1 + 3 * WGS84_E2 * h);
  const limit = r * u;
  return limit * limit;
}

/** Exact nearest point of one segment, whichever way its edges are drawn. */
function exactDistance(set: LineSet, seg: number, p: Probe, lonP: number, latP: number, hit: SegmentHit): void {
  const a = set.segStart[seg];
  const lon = set.lonDeg, lat = set.latDeg;
  if (set.hasGeodesic && set.edgesOf(seg) === 'geodesic') {
    nearestOnGeodesicSegment(p, lon[a], lat[a], lon[a + 1], lat[a + 1], hit);
  } else {
    const s = Math.sin(p.phi);
    const t0 = planarT(lon[a], lat[a], lon[a + 1], lat[a + 1], lonP, latP, primeVerticalRadius(s) * p.cosPhi, meridionalRadius(s));
    nearestOnLonLatSegment(p, lon[a], lat[a], lon[a + 1], lat[a + 1], t0, hit);
  }
}

/** Parameter of the foot of the perpendicular in the scaled plane, clamped to [0, 1]. */
function planarT(lonA: number, latA: number, lonB: number, latB: number, lonP: number, latP: number, sx: number, sy: number): number {
  const ux = (lonB - lonA) * sx, uy = (latB - latA) * sy;
  const len2 = ux * ux + uy * uy;
  if (len2 === 0) return 0;
  const t = ((lonP - lonA) * sx * ux + (latP - latA) * sy * uy) / len2;
  return t < 0 ? 0 : t > 1 ? 1 : t;
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
