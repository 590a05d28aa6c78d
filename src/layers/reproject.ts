// A layer's features out of a projected coordinate system (crs.ts) into longitude/latitude. A straight segment
// in the projection is not straight in longitude/latitude (the segments lindero draws, RFC 7946): segments
// are divided until the longitude/latitude path stays within DENSIFY_TOLERANCE_M of the projected one, so a
// line is where its author drew it.
import type { Geometry, Position } from 'geojson';
import { wrapTowards } from '../geo/index.js';
import { LinderoError } from '../model/index.js';
import { crsNote, epsgCodeOf, epsgWkt, readWktCrs, type LayerCrs } from './crs.js';
import type { NamedCrs } from './geojson.js';
import type { SourcedFeature } from './layer.js';

/** How far a segment as drawn in longitude/latitude may stray from the straight segment in the projection, metres. */
export const DENSIFY_TOLERANCE_M = 0.01;

/** Halvings of one segment at most (4,096 pieces): enough for a segment across a continent. */
const MAX_DEPTH = 12;

/** Vertices the dividing may add to one layer before it is refused. */
export const MAX_ADDED_VERTICES = 2_000_000;

const M_PER_DEG = 111_320;

/**
 * Turns every feature's coordinates into [longitude, latitude] (a third ordinate is kept), dividing the
 * segments of lines and rings; sets each feature's datum uncertainty (see finishLayer). In place. Returns
 * the note that says how the layer was read (none for WGS 84 degrees).
 */
export function reprojectFeatures(features: SourcedFeature[], crs: LayerCrs, file: string): string[] {
  const toLonLat = crs.toLonLat;
  const budget = { left: MAX_ADDED_VERTICES };
  for (const sourced of features) {
    sourced.datumUncertaintyM = crs.datum.uncertaintyM;
    if (!toLonLat || !sourced.feature.geometry) continue;
    // A feature that says its edges are geodesics is drawn between its vertices wherever they are put.
    const divide = !saysGeodesic(sourced.feature.properties);
    sourced.feature.geometry = reprojectGeometry(sourced.feature.geometry, toLonLat, divide ? budget : null, file);
  }
  const note = crsNote(crs, file);
  return note ? [note] : [];
}

/** Whether the feature's `edges` property (any case: a dBASE field is EDGES) is "geodesic". */
function saysGeodesic(properties: Record<string, unknown> | null): boolean {
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (key.toLowerCase() === 'edges' && typeof value === 'string' && value.trim().toLowerCase() === 'geodesic') return true;
  }
  return false;
}

type ToLonLat = (x: number, y: number) => [number, number];

/** With a budget, segments are divided; with none, only the vertices are converted. */
function reprojectGeometry(g: Geometry, to: ToLonLat, budget: { left: number } | null, file: string): Geometry {
  const point = (p: Position): Position => converted(p, to);
  const path = (ps: Position[]): Position[] => densify(ps, to, budget, file);
  switch (g.type) {
    case 'Point': return { ...g, coordinates: point(g.coordinates) };
    case 'MultiPoint': return { ...g, coordinates: g.coordinates.map(point) };
    case 'LineString': return { ...g, coordinates: path(g.coordinates) };
    case 'MultiLineString': return { ...g, coordinates: g.coordinates.map(path) };
    case 'Polygon': return { ...g, coordinates: g.coordinates.map(path) };
    case 'MultiPolygon': return { ...g, coordinates: g.coordinates.map((rings) => rings.map(path)) };
    case 'GeometryCollection': return { ...g, geometries: g.geometries.map((m) => reprojectGeometry(m, to, budget, file)) };
  }
}

function densify(ps: Position[], to: ToLonLat, budget: { left: number } | null, file: string): Position[] {
  if (!budget || ps.length === 0) return ps.map((p) => converted(p, to));
  const out: Position[] = [converted(ps[0], to)];
  for (let i = 1; i < ps.length; i++) {
    const a = ps[i - 1], b = ps[i], bOut = converted(b, to);
    divide(a[0], a[1], out[out.length - 1] as [number, number], b[0], b[1], bOut as [number, number], 0, to, out, budget, file);
    out.push(bOut);
  }
  return out;
}

/** A position's [longitude, latitude], its third ordinate kept. */
function converted(p: Position, to: ToLonLat): Position {
  return [...to(p[0], p[1]), ...p.slice(2)];
}

/** Pushes the points strictly between a and b that keep the segment within the tolerance (no third ordinate: it is not interpolated). */
function divide(ax: number, ay: number, aLL: [number, number], bx: number, by: number, bLL: [number, number], depth: number,
  to: ToLonLat, out: Position[], budget: { left: number }, file: string): void {
  if (depth >= MAX_DEPTH) return;
  const mx = (ax + bx) / 2, my = (ay + by) / 2;
  const mLL = to(mx, my);
  // A point proj4 could not take back is NaN: the geometry check refuses it, with its feature, after this.
  if (!Number.isFinite(aLL[0] + aLL[1] + bLL[0] + bLL[1] + mLL[0] + mLL[1])) return;
  const lat = (aLL[1] + bLL[1]) / 2;
  // Longitudes compared the short way round (a segment across the antimeridian).
  const lon = (aLL[0] + wrapTowards(bLL[0], aLL[0])) / 2;
  const dy = (mLL[1] - lat) * M_PER_DEG;
  const dx = (wrapTowards(mLL[0], lon) - lon) * M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  if (Math.hypot(dx, dy) <= DENSIFY_TOLERANCE_M) return;
  if (--budget.left < 0) {
    throw new LinderoError('layer-too-large', `undoing its projection needs more than ${MAX_ADDED_VERTICES} added vertices to keep its long segments where they were drawn (divide them, or convert the layer to longitude/latitude first)`, { file });
  }
  divide(ax, ay, aLL, mx, my, mLL, depth + 1, to, out, budget, file);
  out.push(mLL);
  divide(mx, my, mLL, bx, by, bLL, depth + 1, to, out, budget, file);
}

/**
 * A GeoJSON layer whose 2008 `crs` member names an EPSG system lindero knows (crs.ts epsgWkt): its features
 * put in longitude/latitude as a shapefile's would be, and the note.
 */
export const convertNamedCrs: NamedCrs = (name, features, file) => {
  const code = epsgCodeOf(name);
  const wkt = code === null ? null : epsgWkt(code);
  if (wkt === null) return { refused: 'it is not one of the EPSG systems lindero knows by number (NAD83, Web Mercator, the WGS 84 and NAD83 UTM zones, Conus Albers)' };
  const verdict = readWktCrs(wkt);
  if ('refused' in verdict) return verdict;
  return { notes: reprojectFeatures(features, verdict.crs, file) };
};
