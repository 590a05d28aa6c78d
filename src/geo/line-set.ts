import Flatbush from 'flatbush';
import geodesicLib from 'geographiclib-geodesic';
import { DEG, meridionalRadius, primeVerticalRadius } from './ellipsoid.js';
import type { EdgeMode } from './types.js';

const { Geodesic } = geodesicLib;
export const WGS84_GEODESIC = Geodesic.WGS84;

/** A line as compiled into a LineSet: the labels of its two sides and where its vertices sit. */
export interface CompiledLine {
  name: string;
  /** Label on the left when walking in coordinate order (a territory code for boundaries). */
  left: string;
  right: string;
  edges: EdgeMode;
  /** Index of the line's first and last vertex in the set's vertex arrays. */
  firstVertex: number;
  lastVertex: number;
}

/**
 * Children per tree node. A winding river's stretches have overlapping boxes; smaller nodes overlap less,
 * and 8 needs the fewest box tests per query on the default line (measured: 130 against 175 for 16).
 */
const NODE_SIZE = 8;

export interface LineInput {
  name: string;
  coordinates: [number, number][];
  left: string;
  right: string;
  edges: EdgeMode;
}

/**
 * A set of polylines in flat typed arrays with a spatial index over their segments.
 * Segment i runs from vertex segStart[i] to segStart[i] + 1.
 */
export class LineSet {
  readonly lines: CompiledLine[];
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
  readonly minLon: number;
  readonly maxLon: number;
  /** Whether any line is drawn with geodesic edges (lets the search skip the check for lon/lat-only sets). */
  readonly hasGeodesic: boolean;

  constructor(inputs: LineInput[]) {
    let vertexCount = 0;
    let segmentCount = 0;
    for (const l of inputs) {
      vertexCount += l.coordinates.length;
      segmentCount += l.coordinates.length - 1;
    }
    this.lonDeg = new Float64Array(vertexCount);
    this.latDeg = new Float64Array(vertexCount);
    this.segStart = new Uint32Array(segmentCount);
    this.segLine = new Uint32Array(segmentCount);
    this.azAtStart = new Float64Array(segmentCount).fill(NaN);
    this.azAtEnd = new Float64Array(segmentCount).fill(NaN);
    this.segLengthM = new Float64Array(segmentCount).fill(NaN);
    this.lines = [];
    this.hasGeodesic = inputs.some((l) => l.edges === 'geodesic');
    let v = 0;
    let s = 0;
    for (let li = 0; li < inputs.length; li++) {
      const l = inputs[li];
      const first = v;
      for (const [lon, lat] of l.coordinates) {
        this.lonDeg[v] = lon;
        this.latDeg[v] = lat;
        v++;
      }
      for (let k = first; k < v - 1; k++) {
        this.segStart[s] = k;
        this.segLine[s] = li;
        s++;
      }
      this.lines.push({ name: l.name, left: l.left, right: l.right, edges: l.edges, firstVertex: first, lastVertex: v - 1 });
    }
    const { junctionOf, junctions } = findJunctions(this.lonDeg, this.latDeg);
    this.junctionOf = junctionOf;
    this.junctions = junctions;
    this.index = this.buildIndex();
    let minLon = Infinity;
    let maxLon = -Infinity;
    for (let i = 0; i < vertexCount; i++) {
      minLon = Math.min(minLon, this.lonDeg[i]);
      maxLon = Math.max(maxLon, this.lonDeg[i]);
    }
    this.minLon = minLon;
    this.maxLon = maxLon;
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

  private buildIndex(): Flatbush {
    const index = new Flatbush(Math.max(1, this.segStart.length), NODE_SIZE);
    for (let s = 0; s < this.segStart.length; s++) {
      const a = this.segStart[s];
      let minLon = Math.min(this.lonDeg[a], this.lonDeg[a + 1]);
      let maxLon = Math.max(this.lonDeg[a], this.lonDeg[a + 1]);
      let minLat = Math.min(this.latDeg[a], this.latDeg[a + 1]);
      let maxLat = Math.max(this.latDeg[a], this.latDeg[a + 1]);
      if (this.edgesOf(s) === 'geodesic') {
        // A geodesic bulges poleward of its chord in lon/lat: include its extreme latitude and longitudes.
        [minLon, minLat, maxLon, maxLat] = geodesicBox(this.latDeg[a], this.lonDeg[a], this.latDeg[a + 1], this.lonDeg[a + 1]);
      }
      index.add(minLon, minLat, maxLon, maxLat);
    }
    if (this.segStart.length === 0) index.add(0, 0, 0, 0);
    index.finish();
    return index;
  }
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
