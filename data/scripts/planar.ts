// Plane geometry in longitude/latitude degrees: RFC 7946 segments are straight in lon/lat.
import geodesic from 'geographiclib-geodesic';

export type LonLat = [number, number];

const WGS84 = geodesic.Geodesic.WGS84;

/** Geodesic length of a path on WGS84, metres. */
export function pathLengthM(path: LonLat[]): number {
  let lengthM = 0;
  for (let i = 0; i + 1 < path.length; i++) {
    lengthM += WGS84.Inverse(path[i][1], path[i][0], path[i + 1][1], path[i + 1][0]).s12 ?? 0;
  }
  return lengthM;
}

/** Metres per degree at latitude `lat`, good to a fraction of a percent: for margins, not results. */
export function metresPerDegree(lat: number): { lonM: number; latM: number } {
  return { lonM: 111_320 * Math.cos((lat * Math.PI) / 180), latM: 110_950 };
}

/** Approximate distance from p to segment ab in metres (local flat projection). For corridor margins only. */
export function approxSegmentDistanceM(p: LonLat, a: LonLat, b: LonLat): number {
  const { lonM, latM } = metresPerDegree(p[1]);
  const ax = (a[0] - p[0]) * lonM, ay = (a[1] - p[1]) * latM;
  const bx = (b[0] - p[0]) * lonM, by = (b[1] - p[1]) * latM;
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/**
 * Parameters t in [0, 1] along ab where segment cd meets it (a crossing, a touch, or the ends of
 * a collinear overlap). Exact orientation tests on the source's coordinates decide which case.
 */
export function meetingParameters(a: LonLat, b: LonLat, c: LonLat, d: LonLat): number[] {
  const abx = b[0] - a[0], aby = b[1] - a[1];
  const o1 = abx * (c[1] - a[1]) - aby * (c[0] - a[0]);
  const o2 = abx * (d[1] - a[1]) - aby * (d[0] - a[0]);
  const cdx = d[0] - c[0], cdy = d[1] - c[1];
  const o3 = cdx * (a[1] - c[1]) - cdy * (a[0] - c[0]);
  const o4 = cdx * (b[1] - c[1]) - cdy * (b[0] - c[0]);
  const len2 = abx * abx + aby * aby;
  const along = (p: LonLat) => ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby) / len2;
  if (o1 === 0 && o2 === 0) {
    return [along(c), along(d)].filter((t) => t >= 0 && t <= 1);
  }
  if ((o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0) || (o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0)) return [];
  const s = o1 / (o1 - o2);
  return [Math.max(0, Math.min(1, along([c[0] + s * cdx, c[1] + s * cdy])))];
}

/** Signed area of a closed ring, square degrees: negative when clockwise. */
export function signedAreaDeg2(ring: LonLat[]): number {
  let area = 0;
  for (let i = 0; i + 1 < ring.length; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return area / 2;
}
