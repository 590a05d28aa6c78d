// Positions on the default boundary, computed the way test/places.test.ts does: offsets at right angles
// to the Rio Grande channel near Clint, with GeographicLib.
import type { WhereJson } from '../../src/answer/index.js';
import { loadDefaultBoundary } from '../../src/layers/index.js';
import { direct, inverse } from '../helpers/geodesic-oracle.js';
import { runInProcess } from '../helpers/cli.js';

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

/** What `lindero where --json` says for the position (same default boundary, same accuracy). */
export async function lindero(lat: number, lon: number, accuracyM: number): Promise<WhereJson> {
  const result = await runInProcess(['where', `${lat},${lon}`, '--accuracy', String(accuracyM), '--json']);
  if (result.code !== 0) throw new Error(`lindero where failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as WhereJson;
}
