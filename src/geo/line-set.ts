import Flatbush from 'flatbush';
import { DEG, meridionalRadius, primeVerticalRadius, WGS84_GEODESIC } from './ellipsoid.js';
import { ChordIndex } from './far.js';
import { SegmentGrid, type SegmentGridParts } from './segment-grid.js';
import type { EdgeMode } from './types.js';

export { WGS84_GEODESIC };

/** A line as compiled into a LineSet: the labels of its two sides and where its vertices sit. */
export interface CompiledLine {
  name: string;
  /** Label on the left when walking in coordinate order (a territory code for boundaries). */
  left: string;
  right: string;
  edges: EdgeMode;
  /** The line's own positional uncertainty, 1-sigma metres (0 when its layer does not state one). */
  uncertaintyM: number;
  /** How far from the line its sides are its territories, metres, when its feature says (else the layers'). */
  coverageM?: number;
  /** Index of the line's first and last vertex in the set's vertex arrays. */
  firstVertex: number;
  lastVertex: number;
}

/**
 * Children per tree node. A winding river's stretches have overlapping boxes; smaller nodes overlap less,
 * and 8 needs the fewest box tests per query on the default line (measured: 130 against 175 for 16).
 */
const NODE_SIZE = 8;

/** Queries a set answers with the tree alone before it builds its grid (which takes as long as ~100 of them). */
const GRID_AFTER_QUERIES = 64;

export interface LineInput {
  name: string;
  coordinates: [number, number][];
  left: string;
  right: string;
  edges: EdgeMode;
  uncertaintyM?: number;
  coverageM?: number;
}

/** What a LineSet is made of, apart from what it computes on first use: the parts a saved set restores. */
export interface LineSetParts {
  lines: CompiledLine[];
  lonDeg: Float64Array;
  latDeg: Float64Array;
  segStart: Uint32Array;
  segLine: Uint32Array;
  junctionOf: Int32Array;
  junctions: number[][];
  index: Flatbush;
  /** Derived from the above; a saved set brings them along rather than computing them at start-up. */
  centredBoxes?: Float64Array;
  minLon?: number;
  maxLon?: number;
  /** The grid of the segments (a saved set brings it along, so no thread builds it again). */
  grid?: SegmentGridParts;
}

function compileLines(inputs: LineInput[]): LineSetParts {
  let vertexCount = 0;
  let segmentCount = 0;
  for (const l of inputs) {
    vertexCount += l.coordinates.length;
    segmentCount += l.coordinates.length - 1;
  }
  const lonDeg = new Float64Array(vertexCount);
  const latDeg = new Float64Array(vertexCount);
  const segStart = new Uint32Array(segmentCount);
  const segLine = new Uint32Array(segmentCount);
  const lines: CompiledLine[] = [];
  let v = 0;
  let s = 0;
  for (let li = 0; li < inputs.length; li++) {
    const l = inputs[li];
    const first = v;
    for (const [lon, lat] of l.coordinates) {
      lonDeg[v] = lon;
      latDeg[v] = lat;
      v++;
    }
    for (let k = first; k < v - 1; k++) {
      segStart[s] = k;
      segLine[s] = li;
      s++;
    }
    lines.push({
      name: l.name, left: l.left, right: l.right, edges: l.edges, uncertaintyM: l.uncertaintyM ?? 0,
      ...(l.coverageM === undefined ? {} : { coverageM: l.coverageM }), firstVertex: first, lastVertex: v - 1,
    });
  }
  const { junctionOf, junctions } = findJunctions(lonDeg, latDeg);
  const index = buildIndex(lonDeg, latDeg, segStart, (seg) => lines[segLine[seg]].edges === 'geodesic');
  return { lines, lonDeg, latDeg, segStart, segLine, junctionOf, junctions, index };
}

function buildIndex(lonDeg: Float64Array, latDeg: Float64Array, segStart: Uint32Array, isGeodesic: (seg: number) => boolean): Flatbush {
  const index = new Flatbush(Math.max(1, segStart.length), NODE_SIZE);
  for (let s = 0; s < segStart.length; s++) {
    const a = segStart[s];
    let minLon = Math.min(lonDeg[a], lonDeg[a + 1]);
    let maxLon = Math.max(lonDeg[a], lonDeg[a + 1]);
    let minLat = Math.min(latDeg[a], latDeg[a + 1]);
    let maxLat = Math.max(latDeg[a], latDeg[a + 1]);
    if (isGeodesic(s)) {
      // A geodesic bulges poleward of its chord in lon/lat: include its extreme latitude and longitudes.
      [minLon, minLat, maxLon, maxLat] = geodesicBox(latDeg[a], lonDeg[a], latDeg[a + 1], lonDeg[a + 1]);
    }
    index.add(minLon, minLat, maxLon, maxLat);
  }
  if (segStart.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

/**
 * A set of polylines in flat typed arrays with a spatial index over their segments.
 * Segment i runs from vertex segStart[i] to segStart[i] + 1.
 */
export class LineSet {
  readonly lines: CompiledLine[];
  /**
   * Each line's [left, right], made once and frozen: every determination names the pair of its nearest line
   * (Determination.boundary.between) and shares it rather than making one per position.
   */
  readonly between: [string, string][];
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  readonly segStart: Uint32Array;
  readonly segLine: Uint32Array;
  /**
   * Azimuth (degrees) of each segment's direction at its start and end vertex (forward), and its length.
   * Computed on first use (NaN until then): only segments whose end is someone's nearest point need them,
   * and computing all of them was most of the start-up time of a one-shot query.
   */
  private readonly azAtStart: Float64Array;
  private readonly azAtEnd: Float64Array;
  private readonly segLengthM: Float64Array;
  /** For each vertex, the id of the junction it belongs to (vertices of several lines at one place), or -1. */
  readonly junctionOf: Int32Array;
  readonly junctions: number[][];
  readonly index: Flatbush;
  /**
   * The index's boxes in the layout of its `_boxes` (4 numbers per box, same positions), written as centre and
   * half-size: [centreLon, centreLat, halfLon, halfLat], the half-sizes padded by 1e-12° so the box drawn from
   * them contains the original despite rounding. The search tests these without branches (see nearest.ts).
   */
  readonly centredBoxes: Float64Array;
  private segmentGrid: SegmentGrid | null = null;
  private chords: ChordIndex | null = null;
  private queriesBeforeGrid: number;
  readonly minLon: number;
  readonly maxLon: number;
  /** Whether any line is drawn with geodesic edges (lets the search skip the check for lon/lat-only sets). */
  readonly hasGeodesic: boolean;

  /** Compiles lines, or takes a set's parts as they were saved (see restoreLayers). */
  constructor(source: LineInput[] | LineSetParts) {
    const parts = Array.isArray(source) ? compileLines(source) : source;
    this.lines = parts.lines;
    this.between = this.lines.map((l) => Object.freeze([l.left, l.right]) as [string, string]);
    this.lonDeg = parts.lonDeg;
    this.latDeg = parts.latDeg;
    this.segStart = parts.segStart;
    this.segLine = parts.segLine;
    this.junctionOf = parts.junctionOf;
    this.junctions = parts.junctions;
    this.index = parts.index;
    const segmentCount = this.segStart.length;
    this.azAtStart = new Float64Array(segmentCount).fill(NaN);
    this.azAtEnd = new Float64Array(segmentCount).fill(NaN);
    this.segLengthM = new Float64Array(segmentCount).fill(NaN);
    this.hasGeodesic = this.lines.some((l) => l.edges === 'geodesic');
    this.centredBoxes = parts.centredBoxes ?? centredBoxes(this.index._boxes);
    this.queriesBeforeGrid = this.hasGeodesic || segmentCount === 0 ? Infinity : GRID_AFTER_QUERIES;
    if (parts.grid && this.queriesBeforeGrid !== Infinity) this.segmentGrid = new SegmentGrid(parts.grid);
    let minLon = parts.minLon ?? Infinity;
    let maxLon = parts.maxLon ?? -Infinity;
    if (parts.minLon === undefined || parts.maxLon === undefined) {
      for (let i = 0; i < this.lonDeg.length; i++) {
        minLon = Math.min(minLon, this.lonDeg[i]);
        maxLon = Math.max(maxLon, this.lonDeg[i]);
      }
    }
    this.minLon = minLon;
    this.maxLon = maxLon;
  }

  /**
   * Cells of the segments, for the search near the line (lon/lat-straight sets only; see segment-grid.ts).
   * Built once the set has answered a few queries: a one-shot query is faster without building it.
   */
  get grid(): SegmentGrid | null {
    if (this.segmentGrid === null && --this.queriesBeforeGrid <= 0) {
      this.segmentGrid = new SegmentGrid(this.lonDeg, this.latDeg, this.segStart);
    }
    return this.segmentGrid;
  }

  /** The grid now, whatever the number of queries so far (before saving the set); null for sets without one. */
  builtGrid(): SegmentGrid | null {
    if (this.queriesBeforeGrid !== Infinity) this.queriesBeforeGrid = 0;
    return this.grid;
  }

  /** Earth-centred bounds of the segments, for the search far from the line (far.ts); built on first use. */
  get chordIndex(): ChordIndex {
    return (this.chords ??= new ChordIndex(this));
  }

  /** Latitude range of the vertices (a geodesic segment may bulge a little beyond it). */
  get latRange(): [number, number] {
    return [this.index.minY, this.index.maxY];
  }

  get segmentCount(): number {
    return this.segStart.length;
  }

  edgesOf(seg: number): EdgeMode {
    return this.lines[this.segLine[seg]].edges;
  }

  /** Azimuth of segment `seg` at its start vertex, degrees. */
  azimuthAtStart(seg: number): number {
    if (Number.isNaN(this.azAtStart[seg])) this.computeSegment(seg);
    return this.azAtStart[seg];
  }

  /** Forward azimuth of segment `seg` at its end vertex, degrees. */
  azimuthAtEnd(seg: number): number {
    if (Number.isNaN(this.azAtEnd[seg])) this.computeSegment(seg);
    return this.azAtEnd[seg];
  }

  /** Length of segment `seg`, metres (geodesic for geodesic segments, approximate for lon/lat ones). */
  lengthM(seg: number): number {
    if (Number.isNaN(this.segLengthM[seg])) this.computeSegment(seg);
    return this.segLengthM[seg];
  }

  private computeSegment(s: number): void {
    const a = this.segStart[s];
    const lon1 = this.lonDeg[a], lat1 = this.latDeg[a], lon2 = this.lonDeg[a + 1], lat2 = this.latDeg[a + 1];
    if (this.edgesOf(s) === 'geodesic') {
      const r = WGS84_GEODESIC.Inverse(lat1, lon1, lat2, lon2);
      this.azAtStart[s] = r.azi1 ?? 0;
      this.azAtEnd[s] = r.azi2 ?? 0;
      this.segLengthM[s] = r.s12 ?? 0;
    } else {
      // A lon/lat-straight segment has direction (Δλ, Δφ); in metres east/north that is (N·cosφ·Δλ, M·Δφ).
      const dLam = (lon2 - lon1) * DEG, dPhi = (lat2 - lat1) * DEG;
      this.azAtStart[s] = lonLatAzimuth(lat1 * DEG, dLam, dPhi);
      this.azAtEnd[s] = lonLatAzimuth(lat2 * DEG, dLam, dPhi);
      const mid = ((lat1 + lat2) / 2) * DEG;
      const sm = Math.sin(mid);
      const e = primeVerticalRadius(sm) * Math.cos(mid) * dLam, n = meridionalRadius(sm) * dPhi;
      this.segLengthM[s] = Math.hypot(e, n);
    }
  }
}

/** Boxes [minX, minY, maxX, maxY]… as [centreX, centreY, halfX, halfY]… (see LineSet.centredBoxes). */
export function centredBoxes(boxes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    const x0 = boxes[i], y0 = boxes[i + 1], x1 = boxes[i + 2], y1 = boxes[i + 3];
    out[i] = (x0 + x1) / 2;
    out[i + 1] = (y0 + y1) / 2;
    // The centre is rounded to within 1e-14° (|x| ≤ 180); the padding covers that many times over.
    out[i + 2] = ((x1 - x0) / 2) * (1 + 1e-12) + 1e-12;
    out[i + 3] = ((y1 - y0) / 2) * (1 + 1e-12) + 1e-12;
  }
  return out;
}

/** Azimuth in degrees of a lon/lat-straight direction (Δλ, Δφ in radians) at latitude phi (radians). */
export function lonLatAzimuth(phi: number, dLam: number, dPhi: number): number {
  const s = Math.sin(phi);
  const east = primeVerticalRadius(s) * Math.cos(phi) * dLam;
  const north = meridionalRadius(s) * dPhi;
  return Math.atan2(east, north) / DEG;
}

/** Bounding box of a geodesic segment, sampled densely and padded by the sampling error bound. */
function geodesicBox(lat1: number, lon1: number, lat2: number, lon2: number): [number, number, number, number] {
  const line = WGS84_GEODESIC.InverseLine(lat1, lon1, lat2, lon2);
  const lengthM = line.s13;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  const steps = 64;
  for (let i = 0; i <= steps; i++) {
    const p = line.Position((lengthM * i) / steps);
    const lat = p.lat2 ?? lat1, lon = p.lon2 ?? lon1;
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
  }
  // Between samples the curve departs from the sampled chord by at most ~ (step)²/(8R); pad by twice that.
  const stepM = lengthM / steps;
  const padDeg = ((2 * stepM * stepM) / (8 * 6.3e6) / 6.3e6) / DEG + 1e-9;
  const padLon = padDeg / Math.max(0.01, Math.cos(Math.max(Math.abs(minLat), Math.abs(maxLat)) * DEG));
  return [minLon - padLon, minLat - padDeg, maxLon + padLon, maxLat + padDeg];
}

function findJunctions(lon: Float64Array, lat: Float64Array) {
  // Vertices at exactly the same place (line ends meeting, a closed ring's ends, a line touching itself)
  // join several rays. Sorting vertex numbers by position finds them without a string per vertex.
  const order = new Uint32Array(lon.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => lon[a] - lon[b] || lat[a] - lat[b]);
  const junctionOf = new Int32Array(lon.length).fill(-1);
  const junctions: number[][] = [];
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && lon[order[j]] === lon[order[i]] && lat[order[j]] === lat[order[i]]) j++;
    if (j - i > 1) {
      const members = Array.from(order.subarray(i, j));
      for (const v of members) junctionOf[v] = junctions.length;
      junctions.push(members);
    }
    i = j;
  }
  return { junctionOf, junctions };
}
