// Nearest point of a line set to a position far from it (tens of kilometres to the antipodes), in a few
// microseconds: the search near the line (nearest.ts) proves its answer with planar bounds that give out
// hundreds of kilometres away, where every segment becomes a candidate (milliseconds a query).
//
// Far away the straight-line (chord) distance in Earth-centred coordinates picks the segment: chunks of
// consecutive segments are bounded by spheres, so a chunk whose sphere is farther than the nearest chunk's
// far side is never opened, and within the opened chunks each segment's chord distance is a few flops. The
// segments whose chord distance is within a tie window of the least are then measured exactly (the same
// per-segment routine as near the line: GeographicLib's distance to the segment's nearest point), and the
// least geodesic distance wins. The answer is a point of the line and its exact geodesic distance, so it is
// never nearer than the truth; how much farther it can be (the chord and the geodesic weigh directions on the
// ellipsoid slightly differently) is measured against an exhaustive search in far.test.ts and stated in
// the README: the search near the line is used within FAR_FROM_M, where the contract is 1 mm.
import { DEG, meridionalRadius, primeVerticalRadius, WGS84_E2 } from './ellipsoid.js';
import { copyHit, emptyHit, nearestOnLonLatSegment, nearestOnGeodesicSegment, type NearestResult, type Probe, type SegmentHit } from './segment.js';
import type { EdgeMode } from './types.js';

/** What the far search reads of a line set (line-set.ts): its vertices, segments and how each is drawn. */
export interface ChordLines {
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  readonly segStart: Uint32Array;
  readonly hasGeodesic: boolean;
  edgesOf(seg: number): EdgeMode;
}

/** Beyond this chord distance from the line the far search answers; nearer, the proven search does. */
export const FAR_FROM_M = 50_000;
/** Segments per chunk: 360 chunks on the default line, a microsecond to scan them all. */
const CHUNK = 32;
/**
 * Segments whose chord distance is within this fraction (plus the segments' own bulge) of the least are
 * measured exactly. The chord and geodesic distances to nearby points of a line differ by a factor that
 * varies by far less than this over the few kilometres where two stretches of line can be nearly tied.
 */
const TIE_FRACTION = 2e-6;

/**
 * Earth-centred coordinates of the vertices, and an oriented box around each chunk of segments; built on first use.
 *
 * Why boxes and not spheres: far away the distance to the line changes slowly along it (quadratically about the
 * nearest point, a few hundred metres over a hundred kilometres), so a sphere of a few kilometres around a chunk
 * cannot tell it from its neighbours and dozens of chunks are opened. A chunk is long along the line, narrow
 * across it and nearly flat; about the nearest point the direction to a far position is across the line, where
 * the box is thin, so its distance bound is within metres of the truth and one or two chunks are opened.
 */
export class ChordIndex {
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly z: Float64Array;
  /** Per segment: how far the surface curve can stray from the straight chord between its ends, metres. */
  private readonly bulge: Float64Array;
  /** Per chunk: centre (3), three orthonormal axes (9), half-extents along them (3), largest bulge (1). */
  private readonly boxes: Float64Array;
  private readonly chunkCount: number;
  /** The same for groups of GROUP chunks, searched first. */
  private readonly groupBoxes: Float64Array;
  private readonly groupCount: number;
  private readonly groupBound: Float64Array;
  /** Per chunk, the lower bound on the chord distance from the current probe. */
  private readonly lowerBound: Float64Array;
  private candidates = new Int32Array(64);
  private candidateChord = new Float64Array(64);
  private candidateT = new Float64Array(64);
  /** Parameter along the chord of the point chordToSegment found. */
  private chordT = 0;

  constructor(private readonly set: ChordLines) {
    const n = set.lonDeg.length;
    this.x = new Float64Array(n); this.y = new Float64Array(n); this.z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const phi = set.latDeg[i] * DEG, lam = set.lonDeg[i] * DEG;
      const s = Math.sin(phi), c = Math.cos(phi), N = primeVerticalRadius(s);
      this.x[i] = N * c * Math.cos(lam); this.y[i] = N * c * Math.sin(lam); this.z[i] = N * (1 - WGS84_E2) * s;
    }
    const segs = set.segStart.length;
    this.bulge = new Float64Array(segs);
    for (let k = 0; k < segs; k++) this.bulge[k] = this.segmentBulge(k);
    this.chunkCount = Math.ceil(segs / CHUNK);
    this.boxes = new Float64Array(this.chunkCount * BOX);
    this.lowerBound = new Float64Array(this.chunkCount);
    for (let c = 0; c < this.chunkCount; c++) this.boundSegments(c * CHUNK, Math.min(segs, (c + 1) * CHUNK), this.boxes, c * BOX);
    this.groupCount = Math.ceil(this.chunkCount / GROUP);
    this.groupBoxes = new Float64Array(this.groupCount * BOX);
    this.groupBound = new Float64Array(this.groupCount);
    for (let g = 0; g < this.groupCount; g++) {
      this.boundSegments(g * GROUP * CHUNK, Math.min(segs, (g + 1) * GROUP * CHUNK), this.groupBoxes, g * BOX);
    }
  }

  /**
   * The nearest point by the far search, into `out`; `p` carries the position's Earth-centred coordinates.
   * Returns the least chord distance (metres), so the caller can tell near from far.
   */
  nearest(p: Probe, out: NearestResult): number {
    const count = this.gather(p);
    this.measure(p, count, out);
    return this.least;
  }

  private least = Infinity;

  /**
   * Candidates: the groups of chunks nearest first, then their chunks nearest first; a box is opened while it
   * may hold a segment within the window of the least chord distance found so far.
   */
  private gather(p: Probe): number {
    const { groupBoxes, groupBound, groupCount } = this;
    let first = 0;
    for (let g = 0; g < groupCount; g++) {
      groupBound[g] = boxDistance(groupBoxes, g * BOX, p);
      if (groupBound[g] < groupBound[first]) first = g;
    }
    this.least = Infinity;
    let count = this.openGroup(p, first, 0);
    for (let g = 0; g < groupCount; g++) {
      if (g !== first && groupBound[g] <= this.window(groupBoxes[g * BOX + BULGE])) count = this.openGroup(p, g, count);
    }
    return count;
  }

  /** How far a box may be and still hold a candidate, given the largest bulge of the segments in it. */
  private window(bulge: number): number {
    return this.least * (1 + TIE_FRACTION) + 2 * bulge;
  }

  private openGroup(p: Probe, g: number, count: number): number {
    const { boxes, lowerBound } = this;
    const from = g * GROUP, to = Math.min(this.chunkCount, from + GROUP);
    let first = from;
    for (let c = from; c < to; c++) {
      lowerBound[c] = boxDistance(boxes, c * BOX, p);
      if (lowerBound[c] < lowerBound[first]) first = c;
    }
    if (lowerBound[first] <= this.window(boxes[first * BOX + BULGE])) count = this.openChunk(p, first, count);
    for (let c = from; c < to; c++) {
      if (c !== first && lowerBound[c] <= this.window(boxes[c * BOX + BULGE])) count = this.openChunk(p, c, count);
    }
    return count;
  }

  private openChunk(p: Probe, c: number, count: number): number {
    const end = Math.min(this.set.segStart.length, (c + 1) * CHUNK);
    for (let k = c * CHUNK; k < end; k++) {
      const chord = this.chordToSegment(p, k);
      if (chord > this.window(this.bulge[k])) continue;
      if (chord < this.least) this.least = chord;
      count = this.addCandidate(count, k, chord, this.chordT);
    }
    return count;
  }

  /** Exact distances for the candidates still within the window of the least chord distance. */
  private measure(p: Probe, count: number, out: NearestResult): void {
    out.distanceM = Infinity;
    out.segment = -1;
    for (let i = 0; i < count; i++) {
      const k = this.candidates[i];
      if (this.candidateChord[i] > this.window(this.bulge[k])) continue;
      exactOnSegment(this.set, k, p, scratch, this.candidateT[i]);
      if (scratch.distanceM < out.distanceM) {
        copyHit(scratch, out);
        out.segment = k;
      }
    }
  }

  private addCandidate(count: number, k: number, chord: number, t: number): number {
    if (count === this.candidates.length) {
      const seg = new Int32Array(count * 2), key = new Float64Array(count * 2), ts = new Float64Array(count * 2);
      seg.set(this.candidates); key.set(this.candidateChord); ts.set(this.candidateT);
      this.candidates = seg; this.candidateChord = key; this.candidateT = ts;
    }
    this.candidates[count] = k;
    this.candidateChord[count] = chord;
    this.candidateT[count] = t;
    return count + 1;
  }

  /** Distance from the probe to the straight chord between the segment's ends, metres. */
  private chordToSegment(p: Probe, k: number): number {
    const a = this.set.segStart[k];
    const ax = this.x[a], ay = this.y[a], az = this.z[a];
    const ux = this.x[a + 1] - ax, uy = this.y[a + 1] - ay, uz = this.z[a + 1] - az;
    const wx = p.x - ax, wy = p.y - ay, wz = p.z - az;
    const len2 = ux * ux + uy * uy + uz * uz;
    let t = len2 > 0 ? (wx * ux + wy * uy + wz * uz) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    this.chordT = t;
    return dist3(wx - t * ux, wy - t * uy, wz - t * uz);
  }

  /**
   * How far a segment's surface curve strays from the chord between its ends: a curve of length L whose
   * curvature in space is at most κ stays within κL²/8 of its chord. A lon/lat-straight or geodesic curve on
   * the ellipsoid bends at most as sharply as the parallel through its poleward end (radius N·cosφ) or the
   * meridian (radius ≥ M), whichever is sharper; the bound is doubled for safety and for the length estimate.
   */
  private segmentBulge(k: number): number {
    const a = this.set.segStart[k];
    const L = dist3(this.x[a + 1] - this.x[a], this.y[a + 1] - this.y[a], this.z[a + 1] - this.z[a]) * 1.01;
    const phi = Math.max(Math.abs(this.set.latDeg[a]), Math.abs(this.set.latDeg[a + 1])) * DEG;
    const s = Math.sin(phi);
    const radius = Math.min(meridionalRadius(0), primeVerticalRadius(s) * Math.max(Math.cos(phi), 1e-6));
    return (2 * L * L) / (8 * radius) + 1e-6;
  }

  /** The box of segments [firstSeg, end): axes along them (first to last vertex), up (the surface normal), and across. */
  private boundSegments(firstSeg: number, end: number, out: Float64Array, at: number): void {
    const v0 = this.set.segStart[firstSeg], v1 = this.set.segStart[end - 1] + 1;
    let cx = 0, cy = 0, cz = 0, n = 0, bulge = 0;
    for (let k = firstSeg; k < end; k++) {
      const a = this.set.segStart[k];
      cx += this.x[a] + this.x[a + 1]; cy += this.y[a] + this.y[a + 1]; cz += this.z[a] + this.z[a + 1]; n += 2;
      bulge = Math.max(bulge, this.bulge[k]);
    }
    cx /= n; cy /= n; cz /= n;
    // Up: the direction of the centre (close enough to the normal; any orthonormal axes give a valid box).
    let ux = cx, uy = cy, uz = cz;
    const ul = dist3(ux, uy, uz) || 1;
    ux /= ul; uy /= ul; uz /= ul;
    // Along: first to last vertex, made perpendicular to up; across: up × along.
    let ax = this.x[v1] - this.x[v0], ay = this.y[v1] - this.y[v0], az = this.z[v1] - this.z[v0];
    const dot = ax * ux + ay * uy + az * uz;
    ax -= dot * ux; ay -= dot * uy; az -= dot * uz;
    let al = dist3(ax, ay, az);
    if (!(al > 0)) { ax = -uy; ay = ux; az = 0; al = dist3(ax, ay, az) || 1; if (al === 1 && ax === 0 && ay === 0) { ax = 1; al = 1; } }
    ax /= al; ay /= al; az /= al;
    const bx = uy * az - uz * ay, by = uz * ax - ux * az, bz = ux * ay - uy * ax;
    let h1 = 0, h2 = 0, h3 = 0;
    for (let k = firstSeg; k < end; k++) {
      for (const v of [this.set.segStart[k], this.set.segStart[k] + 1]) {
        const dx = this.x[v] - cx, dy = this.y[v] - cy, dz = this.z[v] - cz;
        h1 = Math.max(h1, Math.abs(dx * ax + dy * ay + dz * az));
        h2 = Math.max(h2, Math.abs(dx * bx + dy * by + dz * bz));
        h3 = Math.max(h3, Math.abs(dx * ux + dy * uy + dz * uz));
      }
    }
    // The curves between vertices stray from their chords by at most their bulge, in any direction.
    const pad = bulge + 1e-3;
    out.set([cx, cy, cz, ax, ay, az, bx, by, bz, ux, uy, uz, h1 + pad, h2 + pad, h3 + pad, bulge], at);
  }
}

/** Numbers per box: centre, three axes, three half-extents, the largest bulge of its segments. */
const BOX = 16;
const BULGE = 15;
/** Chunks per group: 23 groups on the default line, so a query tests about 40 boxes, not 360. */
const GROUP = 16;

/** Distance from the probe to an oriented box (0 inside): a lower bound on the chord to anything in it. */
function boxDistance(boxes: Float64Array, o: number, p: Probe): number {
  const dx = p.x - boxes[o], dy = p.y - boxes[o + 1], dz = p.z - boxes[o + 2];
  const a = Math.abs(dx * boxes[o + 3] + dy * boxes[o + 4] + dz * boxes[o + 5]) - boxes[o + 12];
  const b = Math.abs(dx * boxes[o + 6] + dy * boxes[o + 7] + dz * boxes[o + 8]) - boxes[o + 13];
  const e = Math.abs(dx * boxes[o + 9] + dy * boxes[o + 10] + dz * boxes[o + 11]) - boxes[o + 14];
  const ca = a > 0 ? a : 0, cb = b > 0 ? b : 0, ce = e > 0 ? e : 0;
  return Math.sqrt(ca * ca + cb * cb + ce * ce);
}

const scratch = emptyHit();

/**
 * Exact nearest point of one segment, whichever way its edges are drawn. The search starts from `t0` when
 * given, else from the foot of the perpendicular in the plane scaled at the probe.
 */
export function exactOnSegment(set: ChordLines, seg: number, p: Probe, hit: SegmentHit, t0 = NaN): void {
  const a = set.segStart[seg];
  const lon = set.lonDeg, lat = set.latDeg;
  if (set.hasGeodesic && set.edgesOf(seg) === 'geodesic') {
    nearestOnGeodesicSegment(p, lon[a], lat[a], lon[a + 1], lat[a + 1], hit);
    return;
  }
  let t = t0;
  if (Number.isNaN(t)) {
    const lonP = wrapTowards(p.lonDeg, (lon[a] + lon[a + 1]) / 2);
    const sx = primeVerticalRadius(p.sinPhi) * p.cosPhi, sy = meridionalRadius(p.sinPhi);
    const ux = (lon[a + 1] - lon[a]) * sx, uy = (lat[a + 1] - lat[a]) * sy;
    const len2 = ux * ux + uy * uy;
    t = len2 === 0 ? 0 : ((lonP - lon[a]) * sx * ux + (p.latDeg - lat[a]) * sy * uy) / len2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
  }
  nearestOnLonLatSegment(p, lon[a], lat[a], lon[a + 1], lat[a + 1], t, hit);
}

/** Longitude shifted by whole turns to lie within 180° of `centre`. */
export function wrapTowards(lon: number, centre: number): number {
  let l = lon;
  while (l - centre > 180) l -= 360;
  while (l - centre < -180) l += 360;
  return l;
}

/** Length of a 3-vector (Math.hypot is several times slower in V8). */
function dist3(x: number, y: number, z: number): number {
  return Math.sqrt(x * x + y * y + z * z);
}
