// Chooses the line through each gap, where the two source polygons leave water, slivers or
// spikes between them: a middle course when the gap is a channel between two shores, else the
// shorter shore; every choice must keep U.S.-only land on the left and Mexico-only land on the right.
import Flatbush from 'flatbush';
import { meetingParameters, pathLengthM, type LonLat } from './planar.js';
import { insideRing, ringSegments, type LineSides, type OneCountryPoint } from './side-check.js';
import type { CountryPolygons } from './source-map.js';
import type { TerritoryIndex } from './territory-index.js';

export type GapMethod = 'middle course' | 'Mexican edge' | 'U.S. edge';

export interface GapResolution {
  method: GapMethod;
  coords: LonLat[];
  usLengthM: number;
  mxLengthM: number | null;
}

/** Two shores count as a channel when neither is more than this many times longer than the other. */
const CHANNEL_LENGTH_RATIO = 2;
/** How far to step off a segment to see what lies on each side, degrees (about 1 mm). */
const SIDE_STEP_DEG = 1e-8;
/** New coordinates (middle courses) are rounded to 1e-7 degrees, finer than the source's 1e-5. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

export class GapResolver {
  private readonly edges: [LonLat, LonLat][] = [];
  private readonly edgeIndex: Flatbush;
  private readonly pointIndex: Flatbush;

  /**
   * `points`: land covered by one polygon only; `usEdgeSides`: sides of the line that follows the
   * U.S. polygon's edge through every gap, which a gap's choice then flips inside the loop it makes.
   */
  constructor(us: CountryPolygons, mx: CountryPolygons, private readonly territories: TerritoryIndex,
    private readonly points: OneCountryPoint[], private readonly usEdgeSides: LineSides) {
    this.pointIndex = new Flatbush(Math.max(1, points.length));
    for (const p of points) this.pointIndex.add(p.lon, p.lat, p.lon, p.lat);
    if (points.length === 0) this.pointIndex.add(0, 0, 0, 0);
    this.pointIndex.finish();
    for (const polygon of [...us, ...mx]) for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) this.edges.push([ring[i], ring[i + 1]]);
    }
    this.edgeIndex = new Flatbush(this.edges.length);
    for (const [a, b] of this.edges) this.edgeIndex.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    this.edgeIndex.finish();
  }

  resolve(us: LonLat[], mx: LonLat[] | null): GapResolution {
    const usLengthM = pathLengthM(us);
    const mxLengthM = mx ? pathLengthM(mx) : null;
    const candidates: [GapMethod, LonLat[]][] = [];
    if (mx && mxLengthM !== null && Math.max(usLengthM, mxLengthM) <= CHANNEL_LENGTH_RATIO * Math.min(usLengthM, mxLengthM)) {
      candidates.push(['middle course', middleCourse(us, mx)]);
    }
    const shores: [GapMethod, LonLat[], number][] = [['U.S. edge', us, usLengthM]];
    if (mx && mxLengthM !== null) shores.push(['Mexican edge', mx, mxLengthM]);
    shores.sort((a, b) => a[2] - b[2]);
    for (const [method, coords] of shores) candidates.push([method, coords]);
    for (const [method, coords] of candidates) {
      if (this.keepsSides(coords) && this.keepsIslands(coords, us, mx)) return { method, coords, usLengthM, mxLengthM };
    }
    throw new Error(`no way through the gap from ${us[0]} to ${us[us.length - 1]} keeps each country on its side`);
  }

  /**
   * True when no part of `path` has U.S.-only land on its right or Mexico-only land on its left.
   * Each segment is cut wherever a source edge meets it, and each cut piece is tested just off its middle.
   */
  keepsSides(path: LonLat[]): boolean {
    for (let i = 0; i + 1 < path.length; i++) {
      const a = path[i], b = path[i + 1];
      const cuts = [0, 1];
      const near = this.edgeIndex.search(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
      for (const e of near) cuts.push(...meetingParameters(a, b, this.edges[e][0], this.edges[e][1]));
      cuts.sort((x, y) => x - y);
      const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const leftX = (-(b[1] - a[1]) / length) * SIDE_STEP_DEG, leftY = ((b[0] - a[0]) / length) * SIDE_STEP_DEG;
      for (let k = 0; k + 1 < cuts.length; k++) {
        if (cuts[k + 1] - cuts[k] < 1e-9) continue;
        const t = (cuts[k] + cuts[k + 1]) / 2;
        const x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
        const left = this.territories.at(x + leftX, y + leftY).territories;
        const right = this.territories.at(x - leftX, y - leftY).territories;
        if ((left.has('MX') && !left.has('US')) || (right.has('US') && !right.has('MX'))) return false;
      }
    }
    return true;
  }

  /**
   * True when, with `path` instead of the U.S. edge through this gap, every one-country point in
   * the gap is on its country's side. Swapping the U.S. edge for `path` moves exactly the points
   * inside the loop path + reversed U.S. edge to the other side; the gap is the loop the
   * Mexican edge makes the same way.
   */
  keepsIslands(path: LonLat[], usEdge: LonLat[], mxEdge: LonLat[] | null): boolean {
    const loop = closedLoop(path, usEdge);
    const gap = mxEdge ? closedLoop(mxEdge, usEdge) : loop;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [[x, y]] of [...loop, ...gap]) {
      if (x < minX) minX = x; if (x > maxX) maxX = x;
      if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
    for (const i of this.pointIndex.search(minX, minY, maxX, maxY)) {
      const p = this.points[i];
      if (!p) continue;
      const flipped = insideRing(loop, loop.keys(), [p.lon, p.lat]);
      if (!flipped && !insideRing(gap, gap.keys(), [p.lon, p.lat])) continue;
      const right = this.usEdgeSides.isRight(p.lon, p.lat) !== flipped;
      if (right !== (p.territory === 'MX')) return false;
    }
    return true;
  }
}

/** The ring `path` then back along `usEdge` (both run from the same first to the same last vertex). */
function closedLoop(path: LonLat[], usEdge: LonLat[]): [LonLat, LonLat][] {
  return ringSegments([...path, ...usEdge.slice(0, -1).reverse()]);
}

/** Cumulative lengths along a path as fractions of its whole, in a local plane (longitude scaled by cos latitude). */
function fractions(path: LonLat[]): number[] {
  const scale = Math.cos((path[0][1] * Math.PI) / 180);
  const cumulative = [0];
  for (let i = 0; i + 1 < path.length; i++) {
    cumulative.push(cumulative[i] + Math.hypot((path[i + 1][0] - path[i][0]) * scale, path[i + 1][1] - path[i][1]));
  }
  const total = cumulative[cumulative.length - 1] || 1;
  return cumulative.map((c) => c / total);
}

function pointAt(path: LonLat[], along: number[], f: number): LonLat {
  let i = 0;
  while (i + 2 < path.length && along[i + 1] < f) i++;
  const span = along[i + 1] - along[i];
  const t = span > 0 ? Math.min(1, Math.max(0, (f - along[i]) / span)) : 0;
  return [path[i][0] + t * (path[i + 1][0] - path[i][0]), path[i][1] + t * (path[i + 1][1] - path[i][1])];
}

/** The path halfway between two shores that start and end at the same vertices, matched by fraction of length. */
export function middleCourse(us: LonLat[], mx: LonLat[]): LonLat[] {
  const usAlong = fractions(us), mxAlong = fractions(mx);
  const stops = [...new Set([...usAlong, ...mxAlong])].sort((a, b) => a - b);
  const course: LonLat[] = [us[0]];
  for (const f of stops.slice(1, -1)) {
    const p = pointAt(us, usAlong, f), q = pointAt(mx, mxAlong, f);
    const mid: LonLat = [round7((p[0] + q[0]) / 2), round7((p[1] + q[1]) / 2)];
    const prev = course[course.length - 1];
    if (mid[0] !== prev[0] || mid[1] !== prev[1]) course.push(mid);
  }
  course.push(us[us.length - 1]);
  return course;
}
