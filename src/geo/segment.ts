// Nearest point of one segment to a position, for both edge interpretations.
import { chordToArc, DEG, meridionalRadius, primeVerticalRadius, WGS84_E2, WGS84_GEODESIC } from './ellipsoid.js';

/** A position prepared once per query: radians, sines, ECEF. */
export interface Probe {
  latDeg: number;
  lonDeg: number;
  phi: number;
  lam: number;
  sinPhi: number;
  cosPhi: number;
  sinLam: number;
  cosLam: number;
  x: number;
  y: number;
  z: number;
}

/** Prepares a position for a query; fills `out` when given (no allocation on the hot path). */
export function makeProbe(latDeg: number, lonDeg: number, out?: Probe): Probe {
  const phi = latDeg * DEG, lam = lonDeg * DEG;
  const sinPhi = Math.sin(phi), cosPhi = Math.cos(phi), sinLam = Math.sin(lam), cosLam = Math.cos(lam);
  const N = primeVerticalRadius(sinPhi);
  const p = out ?? ({} as Probe);
  p.latDeg = latDeg; p.lonDeg = lonDeg; p.phi = phi; p.lam = lam;
  p.sinPhi = sinPhi; p.cosPhi = cosPhi; p.sinLam = sinLam; p.cosLam = cosLam;
  p.x = N * cosPhi * cosLam;
  p.y = N * cosPhi * sinLam;
  p.z = N * (1 - WGS84_E2) * sinPhi;
  return p;
}

/** Result of a nearest-point computation on one segment (reused: no allocation per call). */
export interface SegmentHit {
  /** Geodesic distance from the probe to the nearest point, metres. */
  distanceM: number;
  /** Parameter along the segment: 0 at its start, 1 at its end (exactly 0 or 1 when the nearest point is a vertex). */
  t: number;
  latDeg: number;
  lonDeg: number;
  /** Azimuth at the probe towards the nearest point, degrees (-180, 180]. */
  azFromProbe: number;
  /** Azimuth at the nearest point towards the probe, degrees. */
  azToProbe: number;
  /** Azimuth of the segment's forward direction at the nearest point, degrees. */
  segmentAz: number;
}

export function emptyHit(): SegmentHit {
  return { distanceM: Infinity, t: 0, latDeg: 0, lonDeg: 0, azFromProbe: 0, azToProbe: 0, segmentAz: 0 };
}

export function copyHit(from: SegmentHit, to: SegmentHit): void {
  to.distanceM = from.distanceM; to.t = from.t; to.latDeg = from.latDeg; to.lonDeg = from.lonDeg;
  to.azFromProbe = from.azFromProbe; to.azToProbe = from.azToProbe; to.segmentAz = from.segmentAz;
}

/** Beyond this chord the closed-form distance hands over to GeographicLib's inverse solution. */
const FAR_CHORD_M = 100_000;
/** Newton steps stop once they move the point by less than this, metres. */
const STEP_TOLERANCE_M = 1e-7;

/**
 * Nearest point of a segment that is straight in longitude/latitude (RFC 7946), found by minimising the
 * chord |X(t) − P| with Gauss–Newton steps from the planar guess t0. The chord's minimiser lies within
 * millimetres of the geodesic's (the two differ only through the direction-dependence of curvature),
 * and the distance is stationary there, so the error in distance is far below a micrometre.
 */
export function nearestOnLonLatSegment(
  p: Probe, lonA: number, latA: number, lonB: number, latB: number, t0: number, hit: SegmentHit,
): void {
  const lamA = lonA * DEG, phiA = latA * DEG;
  const dLam = (lonB - lonA) * DEG, dPhi = (latB - latA) * DEG;
  let t = t0 < 0 ? 0 : t0 > 1 ? 1 : t0;
  let sp = 0, cp = 0, sl = 0, cl = 0, N = 0, M = 0, dx = 0, dy = 0, dz = 0, dn = 0, de = 0;
  for (let iter = 0; iter < 12; iter++) {
    const phi = phiA + t * dPhi, lam = lamA + t * dLam;
    sp = Math.sin(phi); cp = Math.cos(phi); sl = Math.sin(lam); cl = Math.cos(lam);
    const w2 = 1 - WGS84_E2 * sp * sp;
    N = 6378137 / Math.sqrt(w2);
    M = (N * (1 - WGS84_E2)) / w2;
    dx = N * cp * cl - p.x; dy = N * cp * sl - p.y; dz = N * (1 - WGS84_E2) * sp - p.z;
    // Components of the chord on the local north and east unit vectors at X(t).
    dn = -sp * cl * dx - sp * sl * dy + cp * dz;
    de = -sl * dx + cl * dy;
    const g = dPhi * M * dn + dLam * N * cp * de;
    const h = dPhi * dPhi * M * M + dLam * dLam * N * N * cp * cp;
    if (h === 0) break;
    let next = t - g / h;
    if (next < 0) next = 0;
    else if (next > 1) next = 1;
    if (Math.abs(next - t) * Math.sqrt(h) < STEP_TOLERANCE_M) break;
    t = next;
  }
  hit.t = t;
  hit.latDeg = latA + t * (latB - latA);
  hit.lonDeg = lonA + t * (lonB - lonA);
  hit.azToProbe = Math.atan2(-de, -dn) / DEG;
  hit.segmentAz = Math.atan2(N * cp * dLam, M * dPhi) / DEG;
  finishDistance(p, dx, dy, dz, hit);
}

/** Distance and azimuth at the probe, from the chord (dx, dy, dz) = X(nearest) − P. */
function finishDistance(p: Probe, dx: number, dy: number, dz: number, hit: SegmentHit): void {
  const chord = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const north = -p.sinPhi * p.cosLam * dx - p.sinPhi * p.sinLam * dy + p.cosPhi * dz;
  const east = -p.sinLam * dx + p.cosLam * dy;
  if (chord > FAR_CHORD_M) {
    const r = WGS84_GEODESIC.Inverse(p.latDeg, p.lonDeg, hit.latDeg, hit.lonDeg);
    hit.distanceM = r.s12 ?? chord;
    hit.azFromProbe = r.azi1 ?? Math.atan2(east, north) / DEG;
    return;
  }
  hit.distanceM = chordToArc(chord, east, north, p.sinPhi);
  hit.azFromProbe = Math.atan2(east, north) / DEG;
}

/**
 * Nearest point of a geodesic segment: Newton steps along the geodesic. At the current point X(s) with
 * forward azimuth α, GeographicLib's inverse to P gives the distance d and azimuth β; the foot of the
 * perpendicular lies Δs = R·atan(tan(d/R)·cos(β − α)) further on (exact on a sphere of radius R).
 */
export function nearestOnGeodesicSegment(
  p: Probe, lonA: number, latA: number, lonB: number, latB: number, hit: SegmentHit,
): void {
  const line = WGS84_GEODESIC.InverseLine(latA, lonA, latB, lonB);
  const length = line.s13;
  const R = Math.sqrt(meridionalRadius(p.sinPhi) * primeVerticalRadius(p.sinPhi));
  let s = length / 2;
  let pos = line.Position(s);
  let inv = WGS84_GEODESIC.Inverse(pos.lat2 ?? latA, pos.lon2 ?? lonA, p.latDeg, p.lonDeg);
  for (let iter = 0; iter < 30; iter++) {
    const d = inv.s12 ?? 0;
    const cosAngle = Math.cos(((inv.azi1 ?? 0) - (pos.azi2 ?? 0)) * DEG);
    const step = d / R < 1.5 ? R * Math.atan(Math.tan(d / R) * cosAngle) : d * cosAngle;
    let next = s + step;
    if (next < 0) next = 0;
    else if (next > length) next = length;
    if (Math.abs(next - s) < STEP_TOLERANCE_M) break;
    s = next;
    pos = line.Position(s);
    inv = WGS84_GEODESIC.Inverse(pos.lat2 ?? latA, pos.lon2 ?? lonA, p.latDeg, p.lonDeg);
  }
  hit.t = length === 0 ? 0 : s === 0 ? 0 : s === length ? 1 : s / length;
  hit.latDeg = pos.lat2 ?? latA;
  hit.lonDeg = pos.lon2 ?? lonA;
  hit.distanceM = inv.s12 ?? 0;
  hit.azToProbe = inv.azi1 ?? 0;
  hit.segmentAz = pos.azi2 ?? 0;
  const back = WGS84_GEODESIC.Inverse(p.latDeg, p.lonDeg, hit.latDeg, hit.lonDeg);
  hit.azFromProbe = back.azi1 ?? 0;
}

export interface NearestResult extends SegmentHit {
  /** Segment the nearest point is on. */
  segment: number;
}
