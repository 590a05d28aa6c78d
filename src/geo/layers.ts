import type { Feature, FeatureCollection, Geometry, Position as GeoJsonPosition } from 'geojson';
import { LinderoError } from '../model/index.js';
import { LineSet, type LineInput } from './line-set.js';
import { emptyNearest, nearestPoint } from './nearest.js';
import { sharedEdgeLines, type TerritoryPolygon } from './polygon-edges.js';
import { sideLabel } from './side.js';
import { TerritoryGrid } from './territory-grid.js';
import type { EdgeMode } from './types.js';

export interface LayerSources {
  /** File name (or label) the boundary came from, for error messages and provenance. */
  boundaryFile?: string;
  fenceFile?: string;
  /** How far from a boundary line its sides are taken as the territories, metres (default DEFAULT_COVERAGE_M). */
  coverageM?: number;
  /** What loading the files found for the user to know (a datum taken as WGS 84): the layers' notes begin with them. */
  notes?: string[];
}

import { DEFAULT_COVERAGE_M } from '../model/index.js';

export { DEFAULT_COVERAGE_M };

export interface FenceInfo {
  name: string;
  illustrative: boolean;
  provenance?: string;
  /** Territory the fence stands in. */
  territory: string;
  /** Side label ('L' or 'R' walking the fence in coordinate order) that faces the boundary. */
  boundarySide: 'L' | 'R';
}

/** Compiled boundary and fence layers, ready for classify(). Build with buildLayers(). */
export interface Layers {
  boundary: LineSet;
  /** Names and provenance of the boundary lines, for display. */
  boundaryInfo: { name: string; left: string; right: string; provenance?: string }[];
  fences: LineSet | null;
  fenceInfo: FenceInfo[];
  /** The territory codes the boundary separates. */
  territories: string[];
  /** The territory polygons, when the boundary layer has them: they decide beyond the line's coverage. */
  territoryGrid: TerritoryGrid | null;
  /** How far from a line its sides are the territories, metres. */
  coverageM: number;
  /** What was left out while building, e.g. waypoints in a KML or GPX layer, for the user to see. */
  notes: string[];
}

/**
 * Builds layers from GeoJSON. Boundary: LineString/MultiLineString features with `left`/`right`,
 * or Polygon/MultiPolygon features with `territory` (the boundary is their shared edges).
 * Optional `edges`: "lonlat" (default, RFC 7946) or "geodesic". Fences: LineString features with `name`.
 * Throws LinderoError naming the file, feature and field.
 */
export function buildLayers(boundary: FeatureCollection, fences?: FeatureCollection | null, sources: LayerSources = {}): Layers {
  const file = sources.boundaryFile;
  const features = featuresOf(boundary, file, 'boundary');
  const lines: LineInput[] = [];
  const polygons: TerritoryPolygon[] = [];
  const coverageM = sources.coverageM ?? DEFAULT_COVERAGE_M;
  if (!(coverageM > 0)) throw new LinderoError('layer-bad-coverage', `the coverage distance must be a positive number of metres, got ${coverageM}`, { file, field: 'coverage' });
  const info: Layers['boundaryInfo'] = [];
  const notes: string[] = [...(sources.notes ?? [])];
  features.forEach((f, i) => {
    const g = f.geometry;
    if (!g) throw new LinderoError('boundary-no-geometry', 'feature has no geometry', { file, feature: i });
    if (isPointLike(g)) {
      notes.push(pointNote(file, i, 'boundary'));
      return;
    }
    const props = f.properties ?? {};
    const edges = edgeMode(props.edges, file, i);
    const uncertaintyM = metres(props.uncertainty_m, 'uncertainty_m', "the line's 1-sigma positional uncertainty in metres, 0 or more", file, i) ?? 0;
    const lineCoverageM = metres(props.coverage_m, 'coverage_m', 'how far from the line its sides are its territories, in metres, more than 0', file, i);
    if (lineCoverageM === 0) throw new LinderoError('layer-bad-coverage', "'coverage_m' is 0: a line covers some distance beside it", { file, feature: i, field: 'coverage_m' });
    if (g.type === 'LineString' || g.type === 'MultiLineString') {
      const left = territoryCode(props.left, 'left', file, i);
      const right = territoryCode(props.right, 'right', file, i);
      if (left === right) throw new LinderoError('boundary-same-sides', `'left' and 'right' are both ${left}: a boundary separates two territories`, { file, feature: i, field: 'right' });
      const name = typeof props.name === 'string' && props.name ? props.name : `boundary ${i + 1}`;
      for (const coords of lineParts(g, file, i)) lines.push({ name, coordinates: coords, left, right, edges, uncertaintyM, coverageM: lineCoverageM });
      info.push({ name, left, right, provenance: provenanceOf(props) });
    } else if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      const territory = territoryCode(props.territory, 'territory', file, i);
      const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (const rings of parts) polygons.push({ territory, rings: rings.map((r) => checkedCoords(r, file, i, true)), feature: i, edges, uncertaintyM });
    } else {
      throw new LinderoError('boundary-bad-geometry', `geometry type ${g.type} cannot be a boundary: use LineString/MultiLineString with 'left' and 'right', or Polygon/MultiPolygon with 'territory'`, { file, feature: i, field: 'geometry' });
    }
  });
  // Polygons give the territories. Their shared edges are the boundary unless the layer draws the boundary
  // as lines too (the shipped layer does: its line is the polygons' shared edge, proven when it is built).
  if (polygons.length > 0 && lines.length === 0) {
    const fromPolygons = sharedEdgeLines(polygons, file);
    lines.push(...fromPolygons);
    for (const l of fromPolygons) info.push({ name: l.name, left: l.left, right: l.right, provenance: file });
  }
  const territoryGrid = polygons.length > 0
    ? new TerritoryGrid(polygons.flatMap((p) => p.rings.map((coordinates) => ({ territory: p.territory, coordinates }))))
    : null;
  checkLongitudeSpan(lines, file);
  const set = new LineSet(lines);
  const territories = [...new Set(lines.flatMap((l) => [l.left, l.right]))];
  if (lines.length === 0) throw new LinderoError('boundary-no-lines', 'the boundary layer has only points: a boundary must be lines or territory polygons', { file });
  const layers: Layers = { boundary: set, boundaryInfo: info, fences: null, fenceInfo: [], territories, territoryGrid, coverageM, notes };
  if (fences) addFences(layers, fences, sources.fenceFile);
  return layers;
}

/** KML pins and GPX waypoints often sit beside the lines of a layer; they mark places, not lines. */
function isPointLike(g: Geometry): boolean {
  return g.type === 'Point' || g.type === 'MultiPoint';
}

function pointNote(file: string | undefined, feature: number, role: string): string {
  return `${file ?? role}: feature ${feature} is a point (a pin or waypoint), not part of the ${role}; left out`;
}

function addFences(layers: Layers, fc: FeatureCollection, file?: string): void {
  const features = featuresOf(fc, file, 'fence');
  const lines: LineInput[] = [];
  const meta: { name: string; illustrative: boolean; provenance?: string }[] = [];
  features.forEach((f, i) => {
    const g = f.geometry;
    if (g && isPointLike(g)) {
      layers.notes.push(pointNote(file, i, 'fence'));
      return;
    }
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) {
      throw new LinderoError('fence-bad-geometry', `a fence must be a LineString or MultiLineString, not ${g ? g.type : 'nothing'}`, { file, feature: i, field: 'geometry' });
    }
    const props = f.properties ?? {};
    const name = typeof props.name === 'string' && props.name ? props.name : `fence ${i + 1}`;
    const illustrative = props.illustrative === true || props.illustrative === 'true';
    for (const coords of lineParts(g, file, i)) {
      lines.push({ name, coordinates: coords, left: 'L', right: 'R', edges: edgeMode(props.edges, file, i) });
      meta.push({ name, illustrative, provenance: provenanceOf(props) });
    }
  });
  if (lines.length === 0) throw new LinderoError('fence-no-lines', 'the fence layer has no lines', { file });
  checkLongitudeSpan(lines, file);
  layers.fences = new LineSet(lines);
  layers.fenceInfo = lines.map((l, i) => ({ ...meta[i], ...fenceOrientation(layers, l, file, i) }));
}

/** Which territory a fence stands in and which of its sides faces the boundary, by majority over its vertices. */
function fenceOrientation(layers: Layers, line: LineInput, file: string | undefined, index: number) {
  const own = new LineSet([line]);
  const votes = new Map<string, number>();
  let towardsL = 0, towardsR = 0;
  const hit = emptyNearest();
  const step = Math.max(1, Math.floor(line.coordinates.length / 64));
  for (let k = 0; k < line.coordinates.length; k += step) {
    const [lon, lat] = line.coordinates[k];
    if (!nearestPoint(layers.boundary, lat, lon, hit)) continue;
    const territory = sideLabel(layers.boundary, hit);
    votes.set(territory, (votes.get(territory) ?? 0) + 1);
    const bLat = hit.latDeg, bLon = hit.lonDeg;
    if (nearestPoint(own, bLat, bLon, hit) && hit.distanceM > 0) {
      if (sideLabel(own, hit) === 'L') towardsL++;
      else towardsR++;
    }
  }
  const territory = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!territory) throw new LinderoError('fence-unplaced', `fence '${line.name}' could not be placed against the boundary`, { file, feature: index });
  return { territory, boundarySide: (towardsL >= towardsR ? 'L' : 'R') as 'L' | 'R' };
}

function featuresOf(fc: FeatureCollection, file: string | undefined, role: string): Feature<Geometry | null>[] {
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new LinderoError(`${role}-not-feature-collection`, `a ${role} layer must be a GeoJSON FeatureCollection`, { file });
  }
  if (fc.features.length === 0) throw new LinderoError(`${role}-empty`, `the ${role} layer has no features`, { file });
  return fc.features as Feature<Geometry | null>[];
}

function territoryCode(value: unknown, field: string, file: string | undefined, feature: number): string {
  if (value === undefined || value === null || value === '') {
    throw new LinderoError('boundary-missing-territory', `'${field}' is missing: give the ISO 3166-1 alpha-2 code of the territory on that side (e.g. "US")`, { file, feature, field });
  }
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value.trim())) {
    throw new LinderoError('boundary-bad-territory', `'${field}' is ${JSON.stringify(value)}: expected an ISO 3166-1 alpha-2 code such as "US" or "MX"`, { file, feature, field });
  }
  return value.trim().toUpperCase();
}

function edgeMode(value: unknown, file: string | undefined, feature: number): EdgeMode {
  if (value === undefined || value === null || value === 'lonlat') return 'lonlat';
  if (value === 'geodesic') return 'geodesic';
  throw new LinderoError('layer-bad-edges', `'edges' is ${JSON.stringify(value)}: expected "lonlat" or "geodesic"`, { file, feature, field: 'edges' });
}

/** A distance property in metres (a number or numeric text, 0 or more), or undefined when absent. */
function metres(value: unknown, field: string, meaning: string, file: string | undefined, feature: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new LinderoError(`layer-bad-${field.replace('_m', '')}`, `'${field}' is ${JSON.stringify(value)}: expected ${meaning}`, { file, feature, field });
  }
  return n;
}

function provenanceOf(props: Record<string, unknown>): string | undefined {
  const parts = [props.provenance, props.source, props.attribution].filter((v) => typeof v === 'string' && v);
  return parts.length ? parts.join('; ') : undefined;
}

function lineParts(g: Geometry, file: string | undefined, feature: number): [number, number][][] {
  const parts = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
  return parts.map((part) => {
    const coords = checkedCoords(part, file, feature);
    if (coords.length < 2) throw new LinderoError('layer-short-line', 'a line needs at least two distinct vertices', { file, feature, field: 'coordinates' });
    return coords;
  });
}

/** Validated [lon, lat] pairs with consecutive repeats removed. */
function checkedCoords(positions: GeoJsonPosition[], file: string | undefined, feature: number, ring = false): [number, number][] {
  if (!Array.isArray(positions)) throw new LinderoError('layer-bad-coordinates', 'coordinates must be an array of [lon, lat] positions', { file, feature, field: 'coordinates' });
  const out: [number, number][] = [];
  positions.forEach((pos, k) => {
    if (!Array.isArray(pos) || pos.length < 2) throw new LinderoError('layer-bad-coordinates', `position ${k} is not a [lon, lat] pair`, { file, feature, field: 'coordinates' });
    const [lon, lat] = pos;
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new LinderoError('layer-bad-coordinates', `position ${k} has a non-numeric coordinate: ${JSON.stringify(pos)}`, { file, feature, field: 'coordinates' });
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw new LinderoError('layer-bad-coordinates', `position ${k} [${lon}, ${lat}] is out of range (GeoJSON order is [longitude, latitude])`, { file, feature, field: 'coordinates' });
    }
    const prev = out[out.length - 1];
    // A ring may run along ±180° (a territory split there, as RFC 7946 §3.1.9 asks) but no edge may cross it.
    if (prev && Math.abs(lon - prev[0]) > 180 && !(ring && Math.abs(lon - prev[0]) === 360)) {
      throw new LinderoError('layer-antimeridian', `the segment ending at position ${k} crosses the antimeridian: split it there (RFC 7946 §3.1.9)`, { file, feature, field: 'coordinates' });
    }
    if (!prev || prev[0] !== lon || prev[1] !== lat) out.push([lon, lat]);
  });
  return out;
}

function checkLongitudeSpan(lines: LineInput[], file?: string): void {
  let min = Infinity, max = -Infinity;
  for (const l of lines) for (const [lon] of l.coordinates) { min = Math.min(min, lon); max = Math.max(max, lon); }
  if (max - min >= 180) throw new LinderoError('layer-too-wide', `the layer spans ${(max - min).toFixed(1)}° of longitude; layers must span less than 180°`, { file });
}
