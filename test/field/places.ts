// Positions on the default boundary, computed the way test/places.test.ts does: offsets at right angles
// to the Rio Grande channel near Clint, with GeographicLib.
import type { WhereJson } from '../../src/answer/index.js';
import { loadDefaultBoundary } from '../../src/layers/node.js';
import { direct, inverse } from '../helpers/geodesic-oracle.js';

const line = (loadDefaultBoundary().features[0].geometry as unknown as { coordinates: [number, number][] }).coordinates;

/** The foot of the boundary segment crossing a meridian near a latitude, and the segment's azimuth. */
function channelAt(lon: number, nearLat: number): { foot: { lat: number; lon: number }; az: number } {
  for (let i = 0; i + 1 < line.length; i++) {
    const [a, b] = [line[i], line[i + 1]];
    if ((a[0] - lon) * (b[0] - lon) <= 0 && a[0] !== b[0] && Math.abs(a[1] - nearLat) < 0.05) {
      const t = (lon - a[0]) / (b[0] - a[0]);
      return { foot: { lat: a[1] + t * (b[1] - a[1]), lon }, az: inverse(a[1], a[0], b[1], b[0]).azi1 as number };
    }
  }
  throw new Error(`no boundary segment crosses ${lon} near ${nearLat}`);
}

const clint = channelAt(-106.23, 31.5);

/**
 * A point `metres` from the Rio Grande near Clint, at right angles to the channel: positive is north (the U.S.,
 * left of the line as it runs west to east), negative south (Mexico).
 */
export function nearClint(metres: number): { lat: number; lon: number } {
  return direct(clint.foot.lat, clint.foot.lon, metres >= 0 ? clint.az - 90 : clint.az + 90, Math.abs(metres));
}

/** What `lindero where --json` says for the position: the server's GET /api/v1/where, the same object by contract. */
export async function lindero(origin: string, lat: number, lon: number, accuracyM: number): Promise<WhereJson> {
  const response = await fetch(`${origin}/api/v1/where?lat=${lat}&lon=${lon}&accuracy_m=${accuracyM}`);
  if (response.status !== 200) throw new Error(`GET /api/v1/where answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as WhereJson;
}

/**
 * Signed offset from the river near Clint (as nearClint takes it) at which the phone is `distanceM` from the
 * line, found by bisection on classify's own distance (the river bends, so offset and distance differ a little).
 */
export function offsetAtDistance(distanceM: number, distanceOf: (p: { lat: number; lon: number }) => number): number {
  let low = 0;
  let high = distanceM * 2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (distanceOf(nearClint(mid)) < distanceM) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
