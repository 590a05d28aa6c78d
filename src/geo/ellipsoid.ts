// WGS84 ellipsoid constants and the few closed forms the nearest-point search needs.
import geodesicLib from 'geographiclib-geodesic';

/** GeographicLib's geodesic on WGS84: the oracle every distance is held to, and the solver for the exact ones. */
export const WGS84_GEODESIC = geodesicLib.Geodesic.WGS84;

export const WGS84_A = 6378137;
export const WGS84_F = 1 / 298.257223563;
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
export const DEG = Math.PI / 180;

/**
 * Smallest meridional radius of curvature on the ellipsoid (at the equator), metres per radian.
 * Any path between latitudes φ1 and φ2 is at least M_MIN·|φ2 − φ1| long (ds² = M²dφ² + p²dλ² ≥ M²dφ²).
 */
export const M_MIN = WGS84_A * (1 - WGS84_E2);

/** Meridional radius of curvature M(φ), given sin φ. */
export function meridionalRadius(sinPhi: number): number {
  const w2 = 1 - WGS84_E2 * sinPhi * sinPhi;
  return (WGS84_A * (1 - WGS84_E2)) / (w2 * Math.sqrt(w2));
}

/** Prime-vertical radius of curvature N(φ), given sin φ. */
export function primeVerticalRadius(sinPhi: number): number {
  return WGS84_A / Math.sqrt(1 - WGS84_E2 * sinPhi * sinPhi);
}

/** Radius of the parallel, N(φ)·cos φ: metres per radian of longitude at latitude φ (radians). */
export function parallelRadius(phi: number): number {
  const s = Math.sin(phi);
  return primeVerticalRadius(s) * Math.cos(phi);
}

/**
 * Geodesic length from chord length. A geodesic's curvature in space is the normal curvature of the
 * surface in its direction, κ = cos²α/M + sin²α/N (Euler), so locally it is an arc of a circle of
 * radius 1/κ: s = (2/κ)·asin(κc/2). Checked against GeographicLib to well under 1 mm within 100 km.
 * east/north: horizontal components of the chord at the start point; sinPhi: sin of its latitude.
 */
export function chordToArc(chordM: number, east: number, north: number, sinPhi: number): number {
  const h2 = east * east + north * north;
  if (h2 === 0 || chordM === 0) return chordM;
  const kappa = (north * north) / h2 / meridionalRadius(sinPhi) + (east * east) / h2 / primeVerticalRadius(sinPhi);
  const x = (kappa * chordM) / 2;
  if (x < 0.02) {
    const x2 = x * x;
    return chordM * (1 + x2 / 6 + (3 * x2 * x2) / 40);
  }
  return (2 / kappa) * Math.asin(Math.min(1, x));
}

/**
 * The larger side of a cell `latStepDeg` by `lonStepDeg` centred at latitude `latDeg`, metres: M(φ)·Δφ along
 * the meridian, N(φ)·cos φ·Δλ along the parallel (the cell is small enough that its centre's radii serve).
 */
export function cellSideM(latDeg: number, latStepDeg: number, lonStepDeg: number): number {
  const phi = latDeg * DEG;
  return Math.max(meridionalRadius(Math.sin(phi)) * latStepDeg * DEG, parallelRadius(phi) * lonStepDeg * DEG);
}

/** Normalises degrees to [0, 360). */
export function normalizeAzimuth(deg: number): number {
  const a = deg % 360;
  return a < 0 ? a + 360 : a === 360 ? 0 : a;
}
