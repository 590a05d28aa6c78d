// Checks a line against the source polygons everywhere in the corridor, not just along it:
// land that only one polygon covers must lie on that country's side of the line.
import Flatbush from 'flatbush';
import type { LonLat } from './planar.js';
import type { CountryPolygons } from './source-map.js';
import type { TerritoryIndex } from './territory-index.js';

/** True when `p` is inside the closed ring (even-odd rule), casting a ray southward over the ring's segments. */
export function insideRing(segments: [LonLat, LonLat][], candidates: Iterable<number>, p: LonLat): boolean {
  let inside = false;
  for (const i of candidates) {
    const [a, b] = segments[i];
    if ((a[0] > p[0]) === (b[0] > p[0])) continue;
    const y = a[1] + ((p[0] - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);
    if (y < p[1]) inside = !inside;
  }
  return inside;
}

export function ringSegments(ring: LonLat[]): [LonLat, LonLat][] {
  const segments: [LonLat, LonLat][] = [];
  for (let i = 0; i + 1 < ring.length; i++) segments.push([ring[i], ring[i + 1]]);
  return segments;
}

/**
 * Side of an open line running west to east, closed into a ring by a loop far to the south
 * (out to sea at both ends, then round through latitude 0), so the ring encloses the right side.
 */
export class LineSides {
  private readonly segments: [LonLat, LonLat][];
  private readonly index: Flatbush;

  constructor(line: LonLat[]) {
    const west = line[0], east = line[line.length - 1];
    this.segments = ringSegments([...line, [east[0] + 20, east[1]], [east[0] + 20, 0], [west[0] - 20, 0], [west[0] - 20, west[1]], west]);
    this.index = new Flatbush(this.segments.length);
    for (const [a, b] of this.segments) this.index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    this.index.finish();
  }

  /** True when [lon, lat] is on the right of the line (south: Mexico). */
  isRight(lon: number, lat: number): boolean {
    return insideRing(this.segments, this.index.search(lon, -90, lon, lat), [lon, lat]);
  }
}

export interface OneCountryPoint { lon: number; lat: number; territory: 'US' | 'MX' }

export interface SidePoints {
  /** Points covered by one source polygon only. */
  points: OneCountryPoint[];
  neither: number;
  both: number;
}

/**
 * Points just off the middle of every source edge in the corridor, both sides: every piece of
 * land covered by one polygon only is bounded by such edges, so each piece is visited, however small.
 */
export function sidePoints(us: CountryPolygons, mx: CountryPolygons, index: TerritoryIndex, stepDeg = 1e-7): SidePoints {
  const result: SidePoints = { points: [], neither: 0, both: 0 };
  for (const polygon of [...us, ...mx]) for (const ring of polygon) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i], b = ring[i + 1];
      const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (length === 0) continue;
      const midX = (a[0] + b[0]) / 2, midY = (a[1] + b[1]) / 2;
      const nx = (-(b[1] - a[1]) / length) * stepDeg, ny = ((b[0] - a[0]) / length) * stepDeg;
      for (const [lon, lat] of [[midX + nx, midY + ny], [midX - nx, midY - ny]]) {
        const { territories, inCorridor } = index.at(lon, lat);
        if (!inCorridor) continue;
        if (territories.size === 0) result.neither++;
        else if (territories.size === 2) result.both++;
        else result.points.push({ lon, lat, territory: territories.has('US') ? 'US' : 'MX' });
      }
    }
  }
  return result;
}

/** The one-country points that lie on the other country's side of the line. */
export function wrongSide(line: LonLat[], points: OneCountryPoint[]): OneCountryPoint[] {
  const sides = new LineSides(line);
  return points.filter((p) => (p.territory === 'MX') !== sides.isRight(p.lon, p.lat));
}
