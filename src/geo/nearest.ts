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
import { DEG, M_MIN, meridionalRadius, primeVerticalRadius, WGS84_E2, WGS84_GEODESIC } from './ellipsoid.js';
import geodesicLib from 'geographiclib-geodesic';
import type { LineSet } from './line-set.js';
import type { SegmentGrid } from './segment-grid.js';
import { copyHit, emptyHit, makeProbe, nearestOnGeodesicSegment, nearestOnLonLatSegment, type NearestResult, type Probe, type SegmentHit } from './segment.js';

export type { NearestResult };

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
 * Two phases. (1) Gathering every segment whose key (squared planar distance with the scales at the probe)
 * is within the limit: from the position's grid cell when the limit proves that enough (segment-grid.ts),
 * else depth-first over the tree, children nearest-first. Each candidate's planar foot also gives a proven
 * upper bound U (the length of the lon/lat-straight path to it), which tightens the limit (r·U)².
 * (2) Exact distances for the candidates in key order until a key exceeds the limit set by the best exact
 * distance. Exact distances, the expensive part, are computed once or twice per query.
 */
export function nearestPoint(set: LineSet, latDeg: number, lonDeg: number, out: NearestResult, maxDistanceM = Infinity, probe?: Probe): boolean {
  out.segment = -1;
  out.distanceM = Infinity;
  if (set.segmentCount === 0) return false;
  const p = probe ?? makeProbe(latDeg, lonDeg);
  const lonP = wrapTowards(lonDeg, (set.minLon + set.maxLon) / 2);
  // Keys use the scales at the probe (metres per degree there). They are within a factor r of the proven
  // lower bound (scales at the band's extremes), so a key above (r·U)² proves the box is farther than U.
  const sx = primeVerticalRadius(p.sinPhi) * p.cosPhi * DEG, sy = meridionalRadius(p.sinPhi) * DEG;
  const tanPhi = Math.abs(p.sinPhi / p.cosPhi);
  search.limit2 = limitSquared(tanPhi, maxDistanceM);
  search.upper = maxDistanceM;
  search.minKey2 = Infinity;
  search.count = 0;
  const grid = set.grid;
  if (!(grid && gatherFromCell(set, grid, lonP, latDeg, sx, sy, tanPhi))) {
    gatherFromTree(set, lonP, latDeg, sx, sy, tanPhi);
  }

  // Most candidates gathered before the limit tightened are out of it by now: drop them before sorting.
  let limit2 = search.limit2;
  const count = compactCandidates(search.count, limit2);
  sortCandidates(count);
  for (let k = 0; k < count; k++) {
    if (candKey[k] > limit2) break;
    const seg = candSeg[k];
    // A segment through several cells may be listed more than once (with the same key: next to itself).
    if (k > 0 && candSeg[k - 1] === seg) continue;
    exactDistance(set, seg, p, lonP, latDeg, scratch);
    if (scratch.distanceM < out.distanceM) {
      copyHit(scratch, out);
      out.segment = seg;
      limit2 = Math.min(limit2, limitSquared(tanPhi, out.distanceM));
    }
  }
  return out.segment >= 0 && out.distanceM <= maxDistanceM;
}

const GEODESIC_DISTANCE = geodesicLib.Geodesic.DISTANCE;

/** State of the gathering phase, shared by its two ways (module-level: no allocation per query). */
const search = { limit2: Infinity, upper: Infinity, minKey2: Infinity, count: 0 };

/**
 * Key of a lon/lat-straight segment (its planar foot), adding it as a candidate when within the limit and
 * tightening the limit when its foot is the nearest so far.
 */
function considerSegment(set: LineSet, seg: number, lonP: number, latP: number, sx: number, sy: number, tanPhi: number): void {
  const lon = set.lonDeg, lat = set.latDeg;
  const a = set.segStart[seg];
  const t = planarT(lon[a], lat[a], lon[a + 1], lat[a + 1], lonP, latP, sx, sy);
  const fLon = lon[a] + t * (lon[a + 1] - lon[a]), fLat = lat[a] + t * (lat[a + 1] - lat[a]);
  const ex = (fLon - lonP) * sx, ny = (fLat - latP) * sy;
  const key2 = ex * ex + ny * ny;
  if (key2 > search.limit2) return;
  // Only the nearest-looking foot so far can tighten the bound; skip the trigonometry otherwise.
  if (key2 < search.minKey2) {
    search.minKey2 = key2;
    let u = pathUpperBound(Math.sqrt(key2), Math.abs(fLat - latP) * DEG, tanPhi);
    // Hundreds of kilometres from the line the scale bound gives out, and with no upper bound nothing was
    // pruned (every segment a candidate: tens of milliseconds a query). The foot is a point of the segment
    // (it is straight in lon/lat), so the geodesic distance to it is an upper bound on the answer too.
    if (u === Infinity) u = WGS84_GEODESIC.Inverse(latP, lonP, fLat, fLon, GEODESIC_DISTANCE).s12 as number;
    if (u < search.upper) {
      search.upper = u;
      search.limit2 = limitSquared(tanPhi, u);
    }
  }
  addCandidate(seg, key2);
}

function addCandidate(seg: number, key2: number): void {
  let count = search.count;
  if (count === candSeg.length) count = compactCandidates(count, search.limit2);
  candSeg[count] = seg;
  candKey[count] = key2;
  search.count = count + 1;
}

/**
 * The segments through the probe's cell as candidates. True when that is provably all of them: the limit's
 * reach (a key distance) ends inside the cell, so every point within it lies in the cell and every segment
 * through such a point is listed there. Failing that (near the cell's edge, or an empty cell), the same
 * with the 3×3 block of cells around it. False leaves the gathered candidates and the tightened limit in place.
 */
function gatherFromCell(set: LineSet, grid: SegmentGrid, lonP: number, latP: number, sx: number, sy: number, tanPhi: number): boolean {
  const cell = grid.cellOf(lonP, latP);
  if (cell < 0) return false;
  const col = cell % grid.cols, row = (cell - col) / grid.cols;
  const west = grid.minLon + col * grid.cellDeg, south = grid.minLat + row * grid.cellDeg;
  const slot = grid.slotOf(cell);
  if (slot >= 0) {
    considerCell(set, grid, slot, lonP, latP, sx, sy, tanPhi);
    if (reachInside(west, south, grid.cellDeg, lonP, latP, sx, sy)) return true;
  }
  if (col < 1 || row < 1 || col + 2 > grid.cols || row + 2 > grid.rows) return false;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      if (dr === 0 && dc === 0) continue;
      const s = grid.slotOf(cell + dr * grid.cols + dc);
      if (s >= 0) considerCell(set, grid, s, lonP, latP, sx, sy, tanPhi);
    }
  }
  return reachInside(west - grid.cellDeg, south - grid.cellDeg, 3 * grid.cellDeg, lonP, latP, sx, sy);
}

function considerCell(set: LineSet, grid: SegmentGrid, slot: number, lonP: number, latP: number, sx: number, sy: number, tanPhi: number): void {
  const items = grid.items;
  for (let k = grid.start(slot), end = k + grid.count(slot); k < end; k++) considerSegment(set, items[k], lonP, latP, sx, sy, tanPhi);
}

/** Whether the limit's reach from the probe stays inside the square of side `size` degrees at (west, south). */
function reachInside(west: number, south: number, size: number, lonP: number, latP: number, sx: number, sy: number): boolean {
  const edgeX = Math.min(lonP - west, west + size - lonP) * sx;
  const edgeY = Math.min(latP - south, south + size - latP) * sy;
  const edge = Math.min(edgeX, edgeY);
  return edge > 0 && search.limit2 < edge * edge;
}

/** Depth-first over the tree, children nearest-first, pruning by the limit as it tightens. */
function gatherFromTree(set: LineSet, lonP: number, latDeg: number, sx: number, sy: number, tanPhi: number): void {
  const boxes = set.centredBoxes;
  const indices = set.index._indices;
  const levelBounds = set.index._levelBounds;
  const nodeSize4 = set.index.nodeSize * 4;
  const numItems4 = set.index.numItems * 4;
  const hsx = sx / 2, hsy = sy / 2;
  let sp = 0;
  stackIds[sp] = boxes.length - 4;
  stackKeys[sp++] = 0;
  while (sp > 0) {
    const nodeIndex = stackIds[--sp];
    if (stackKeys[sp] > search.limit2) continue;
    const end = Math.min(nodeIndex + nodeSize4, upperBound(nodeIndex, levelBounds));
    const leafLevel = nodeIndex < numItems4;
    const base = sp;
    for (let pos = nodeIndex; pos < end; pos += 4) {
      // Squared scaled-plane distance to the box, without branches: with a = |x − centre| − half-size,
      // a + |a| is twice the distance along x outside the box (0 inside), hence the half scales.
      const ox = Math.abs(lonP - boxes[pos]), oy = Math.abs(latDeg - boxes[pos + 1]);
      const ax = ox - boxes[pos + 2], ay = oy - boxes[pos + 3];
      const dx = (ax + Math.abs(ax)) * hsx, dy = (ay + Math.abs(ay)) * hsy;
      const key2 = dx * dx + dy * dy;
      if (key2 > search.limit2) continue;
      const child = indices[pos >> 2] | 0;
      if (leafLevel) {
        if (set.hasGeodesic && set.edgesOf(child) === 'geodesic') addCandidate(child, key2);
        else considerSegment(set, child, lonP, latDeg, sx, sy, tanPhi);
        continue;
      }
      // Every point of the line inside the box is no farther than its farthest corner: an upper bound
      // that tightens the limit on the way down, before any segment is reached (R-tree MAXDIST).
      const fy = oy + boxes[pos + 3];
      const fx = (ox + boxes[pos + 2]) * sx, fyM = fy * sy;
      const far2 = fx * fx + fyM * fyM;
      if (far2 < search.minKey2) {
        search.minKey2 = far2;
        const u = pathUpperBound(Math.sqrt(far2), fy * DEG, tanPhi);
        if (u < search.upper) {
          search.upper = u;
          search.limit2 = limitSquared(tanPhi, u);
        }
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
