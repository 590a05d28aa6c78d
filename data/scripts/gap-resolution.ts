// Chooses the line through each gap, where the two source polygons leave water, slivers or
// spikes between them: a course between the shores when the gap is a channel, else the
// shorter shore; every choice must keep U.S.-only land on the left and Mexico-only land on the right.
import Flatbush from 'flatbush';
import { chordalAxis } from './chordal-axis.js';
import { meetingParameters, pathLengthM, type LonLat } from './planar.js';
import { insideRing, ringSegments, type LineSides, type OneCountryPoint } from './side-check.js';
import type { CountryPolygons } from './source-map.js';
import type { TerritoryIndex } from './territory-index.js';

export type GapMethod = 'middle course' | 'halfway course' | 'Mexican edge' | 'U.S. edge' | 'straight bridge';

export interface GapResolution {
  method: GapMethod;
  coords: LonLat[];
  usLengthM: number | null;
  mxLengthM: number | null;
}

/** Two shores count as a channel when neither is more than this many times longer than the other. */
const CHANNEL_LENGTH_RATIO = 2;
/** A polygon edge longer than this between two shared vertices is a coast or a lake shore, not a way through the gap. */
const MAX_SHORE_M = 200_000;
/** How far to step off a segment to see what lies on each side, degrees (about 1 mm). */
const SIDE_STEP_DEG = 1e-8;
/** New coordinates (middle courses) are rounded to 1e-7 degrees, finer than the source's 1e-5. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

export class GapResolver {
  private readonly edges: [LonLat, LonLat][] = [];
  private readonly edgeIndex: Flatbush;
  private readonly pointIndex: Flatbush;

  /**
   * `points`: land covered by one polygon only; `bridgeSides`: sides of the line that crosses every
   * gap by a straight bridge, which a gap's choice then flips inside the loop it makes with the bridge.
   */
  constructor(us: CountryPolygons, mx: CountryPolygons, private readonly territories: TerritoryIndex,
    private readonly points: OneCountryPoint[], private readonly bridgeSides: LineSides) {
    for (const polygon of [...us, ...mx]) for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) this.edges.push([ring[i], ring[i + 1]]);
    }
    this.edgeIndex = new Flatbush(this.edges.length);
    for (const [a, b] of this.edges) this.edgeIndex.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    this.edgeIndex.finish();
    this.pointIndex = new Flatbush(Math.max(1, points.length));
    for (const p of points) this.pointIndex.add(p.lon, p.lat, p.lon, p.lat);
    if (points.length === 0) this.pointIndex.add(0, 0, 0, 0);
    this.pointIndex.finish();
  }

  /** The first candidate that keeps every country's land on its side: middle course (channels), shorter edge, longer edge, straight bridge. */
  resolve(from: LonLat, to: LonLat, us: LonLat[] | null, mx: LonLat[] | null): GapResolution {
    const usLengthM = us ? pathLengthM(us) : null;
    const mxLengthM = mx ? pathLengthM(mx) : null;
    const candidates: [GapMethod, LonLat[]][] = [];
    if (us && mx && usLengthM !== null && mxLengthM !== null && Math.max(usLengthM, mxLengthM) <= CHANNEL_LENGTH_RATIO * Math.min(usLengthM, mxLengthM)) {
      const axis = chordalAxis(us, mx);
      if (axis) candidates.push(['middle course', axis]);
      candidates.push(['halfway course', courseBetween(us, mx, 0.5)]);
    }
    const shores: [GapMethod, LonLat[], number][] = [];
    if (us && usLengthM! <= MAX_SHORE_M) shores.push(['U.S. edge', us, usLengthM!]);
    if (mx && mxLengthM! <= MAX_SHORE_M) shores.push(['Mexican edge', mx, mxLengthM!]);
    shores.sort((a, b) => a[2] - b[2]);
    for (const [method, coords] of shores) candidates.push([method, coords]);
    candidates.push(['straight bridge', [from, to]]);
    const islands = this.islandPoints(candidates.map(([, coords]) => coords));
    for (const [method, coords] of candidates) {
      if (this.keepsSides(coords) && this.keepsIslands(coords, islands)) return { method, coords, usLengthM, mxLengthM };
    }
    throw new Error(`no way through the gap from ${from} to ${to} keeps each country's land on its side`);
  }

  /** One-country points whose side some candidate changes: those inside a loop candidate + reversed bridge. */
  private islandPoints(candidates: LonLat[][]): OneCountryPoint[] {
    const loops = candidates.map(bridgeLoop);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [x, y] of candidates.flat()) {
      if (x < minX) minX = x; if (x > maxX) maxX = x;
      if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
    return this.pointIndex.search(minX, minY, maxX, maxY).map((i) => this.points[i])
      .filter((p) => p && loops.some((loop) => insideRing(loop, loop.keys(), [p.lon, p.lat])));
  }

  /** True when, with `path` through this gap, each of `islands` is on its country's side. */
  keepsIslands(path: LonLat[], islands: OneCountryPoint[]): boolean {
    const loop = bridgeLoop(path);
    return islands.every((p) => {
      const right = this.bridgeSides.isRight(p.lon, p.lat) !== insideRing(loop, loop.keys(), [p.lon, p.lat]);
      return right === (p.territory === 'MX');
    });
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
}

/** The ring `path` and then straight back to its start: the area whose side changes when `path` replaces the bridge. */
function bridgeLoop(path: LonLat[]): [LonLat, LonLat][] {
  return ringSegments([...path, path[0]]);
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

/**
 * A path between two shores that start and end at the same vertices, matched by fraction of
 * length: `shareToMx` of the way from the U.S. shore to the Mexican one (0.5: the middle).
 */
export function courseBetween(us: LonLat[], mx: LonLat[], shareToMx: number): LonLat[] {
  const usAlong = fractions(us), mxAlong = fractions(mx);
  const stops = [...new Set([...usAlong, ...mxAlong])].sort((a, b) => a - b);
  const course: LonLat[] = [us[0]];
  for (const f of stops.slice(1, -1)) {
    const p = pointAt(us, usAlong, f), q = pointAt(mx, mxAlong, f);
    const mid: LonLat = [round7(p[0] + shareToMx * (q[0] - p[0])), round7(p[1] + shareToMx * (q[1] - p[1]))];
    const prev = course[course.length - 1];
    if (mid[0] !== prev[0] || mid[1] !== prev[1]) course.push(mid);
  }
  course.push(us[us.length - 1]);
  return course;
}
