import type { LatLon } from '../geo/index.js';

/** Largest radius of curvature of the WGS84 ellipsoid (meridional and prime vertical, at the poles), metres. */
const MAX_RADIUS_M = 6_399_593.626;
const RAD = Math.PI / 180;

/**
 * An upper bound on the geodesic distance between two positions, cheap enough to compute for every fix.
 * The lon/lat-straight path between them has ds² = M²dφ² + (N·cosφ)²dλ², with M, N ≤ MAX_RADIUS_M and
 * cosφ at most its value at the latitude nearest the equator; the geodesic is no longer than that path.
 * Over a few kilometres at 31°N it overstates by under 1%.
 */
export function distanceUpperBoundM(a: LatLon, b: LatLon): number {
  const minAbsLat = (a.lat > 0) === (b.lat > 0) ? Math.min(Math.abs(a.lat), Math.abs(b.lat)) : 0;
  let dLon = Math.abs(a.lon - b.lon);
  if (dLon > 180) dLon = 360 - dLon;
  const north = (b.lat - a.lat) * RAD;
  const east = dLon * RAD * Math.cos(minAbsLat * RAD);
  return MAX_RADIUS_M * Math.sqrt(north * north + east * east);
}
