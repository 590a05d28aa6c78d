// Where a track segment between two fixes meets the lines of a layer.
//
// The track between two fixes is taken as straight in longitude/latitude with constant speed, the same
// reading RFC 7946 gives a LineString, so the crossing's place is a point of that segment and its time is
// linear in the parameter s along it. Against a lon/lat-straight boundary segment both are straight lines
// in the lon/lat plane and the intersection is exact planar algebra. Against a geodesic boundary segment
// the crossing is found by bisection on which side of the geodesic the track point lies.
import { normalizeAzimuth } from './ellipsoid.js';
import type { Layers } from './layers.js';
import { WGS84_GEODESIC } from './ellipsoid.js';
import type { LineSet } from './line-set.js';
import type { LatLon } from './types.js';

/** One place where a track segment a→b meets a line: s is 0 at a and 1 at b. */
export interface SegmentCrossing {
  s: number;
  lat: number;
  lon: number;
  /** Label of the side the track leaves (a territory code for the boundary). */
  from: string;
  /** Label of the side the track enters. */
  to: string;
}

/** Crossings of the boundary by the track segment a→b, ordered by s. */
export function segmentCrossings(layers: Layers, a: LatLon, b: LatLon): SegmentCrossing[] {
  return lineSetCrossings(layers.boundary, a, b);
}

/**
 * Crossings of any line set (the boundary, or fences with their 'L'/'R' side labels) by the segment a→b,
 * ordered by s. Each side test counts a point exactly on a line as being on its right, for every segment
 * alike, so that a track through a vertex, or a fix lying exactly on the line, is counted once and the
 * sides chain from a to b. Collinear overlaps (the track running along the line) are not crossings.
 */
export function lineSetCrossings(set: LineSet, a: LatLon, b: LatLon): SegmentCrossing[] {
  if (set.segmentCount === 0 || (a.lat === b.lat && a.lon === b.lon)) return [];
  const candidates = set.index.search(
    Math.min(a.lon, b.lon), Math.min(a.lat, b.lat), Math.max(a.lon, b.lon), Math.max(a.lat, b.lat),
  );
  const out: SegmentCrossing[] = [];
  for (const seg of candidates) {
    const hit = set.hasGeodesic && set.edgesOf(seg) === 'geodesic' ? geodesicCrossing(set, seg, a, b) : planarCrossing(set, seg, a, b);
    if (hit) out.push(hit);
  }
  if (out.length > 1) out.sort((x, y) => x.s - y.s);
  return dropTouches(out);
}

/** Intersection with a lon/lat-straight segment: both are straight in the lon/lat plane. */
function planarCrossing(set: LineSet, seg: number, a: LatLon, b: LatLon): SegmentCrossing | null {
  const v = set.segStart[seg];
  // Work relative to a: coordinates differ by fractions of a degree, so no digits are lost.
  const px = set.lonDeg[v] - a.lon, py = set.latDeg[v] - a.lat;
  const ex = set.lonDeg[v + 1] - set.lonDeg[v], ey = set.latDeg[v + 1] - set.latDeg[v];
  const dx = b.lon - a.lon, dy = b.lat - a.lat;
  // Side of a and b of the boundary segment's line (cross(e, x − P) > 0: left), and of P and Q of the track's.
  const leftA = ex * -py - ey * -px > 0;
  const leftB = ex * (dy - py) - ey * (dx - px) > 0;
  if (leftA === leftB) return null;
  const leftP = dx * py - dy * px > 0;
  const leftQ = dx * (py + ey) - dy * (px + ex) > 0;
  if (leftP === leftQ) return null;
  const denom = dx * ey - dy * ex;
  if (denom === 0) return null;
  const s = clamp01((px * ey - py * ex) / denom);
  const line = set.lines[set.segLine[seg]];
  return {
    s, lat: a.lat + s * dy, lon: a.lon + s * dx,
    from: leftA ? line.left : line.right,
    to: leftA ? line.right : line.left,
  };
}

/** Bisection stops once the bracket along the track is shorter than this fraction of it (≈ 1e-15). */
const BISECTION_STEPS = 52;

/** Intersection with a geodesic segment: bisection on the side of the geodesic, then a check it is on the segment. */
function geodesicCrossing(set: LineSet, seg: number, a: LatLon, b: LatLon): SegmentCrossing | null {
  const v = set.segStart[seg];
  const latP = set.latDeg[v], lonP = set.lonDeg[v], latQ = set.latDeg[v + 1], lonQ = set.lonDeg[v + 1];
  const az = set.azimuthAtStart(seg);
  const leftOf = (lat: number, lon: number): boolean => {
    if (lat === latP && lon === lonP) return false;
    const azi = WGS84_GEODESIC.Inverse(latP, lonP, lat, lon).azi1 ?? az;
    // Counter-clockwise of the segment's direction at P, i.e. a bearing difference in (180, 360): left.
    return normalizeAzimuth(azi - az) > 180;
  };
  const leftA = leftOf(a.lat, a.lon);
  if (leftA === leftOf(b.lat, b.lon)) return null;
  let lo = 0, hi = 1;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (leftOf(a.lat + mid * (b.lat - a.lat), a.lon + mid * (b.lon - a.lon)) === leftA) lo = mid;
    else hi = mid;
  }
  const s = (lo + hi) / 2;
  const lat = a.lat + s * (b.lat - a.lat), lon = a.lon + s * (b.lon - a.lon);
  // On the geodesic through P and Q, but between them? Then the two legs add up to the segment.
  const toP = WGS84_GEODESIC.Inverse(lat, lon, latP, lonP).s12 ?? 0;
  const toQ = WGS84_GEODESIC.Inverse(lat, lon, latQ, lonQ).s12 ?? 0;
  if (toP + toQ > set.lengthM(seg) + 1e-6) return null;
  const line = set.lines[set.segLine[seg]];
  return { s, lat, lon, from: leftA ? line.left : line.right, to: leftA ? line.right : line.left };
}

/** Removes pairs at the same place that undo each other (a track touching a spike of the line at its tip). */
function dropTouches(list: SegmentCrossing[]): SegmentCrossing[] {
  if (list.length < 2) return list;
  const out: SegmentCrossing[] = [];
  for (const c of list) {
    const prev = out[out.length - 1];
    if (prev && prev.s === c.s && prev.from === c.to && prev.to === c.from) out.pop();
    else out.push(c);
  }
  return out;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
