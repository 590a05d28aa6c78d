// Checks that geometries are RFC 7946 shaped and their coordinates are WGS84 degrees.
// This is container validation; what the lines mean (left/right, territory) is buildLayers()'s job.
import { LinderoError, type Place } from '../model/index.js';
import { MAX_GEOMETRY_COLLECTION_DEPTH } from './limits.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Where a geometry sits, for error messages: the file, the feature index, and (for KML/GPX) the source line. */
export interface GeometryPlace {
  file: string;
  feature?: number;
  line?: number;
}

/** Throws LinderoError('layer-structure' | 'layer-coordinates') unless `geometry` is a valid GeoJSON geometry in WGS84 degrees. */
export function checkGeometry(geometry: unknown, where: GeometryPlace, field = 'geometry', depth = 0): void {
  if (!isObject(geometry)) fail('layer-structure', `must be a GeoJSON geometry object or null, not ${describeValue(geometry)}`, where, field);
  const type = geometry.type;
  if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) {
    fail('layer-structure', `has geometry type ${describeValue(type)}; expected one of ${[...GEOMETRY_TYPES].join(', ')}`, where, `${field}.type`);
  }
  if (type === 'GeometryCollection') {
    if (depth >= MAX_GEOMETRY_COLLECTION_DEPTH) fail('layer-structure', `nests GeometryCollections more than ${MAX_GEOMETRY_COLLECTION_DEPTH} deep`, where, field);
    const members = geometry.geometries;
    if (!Array.isArray(members)) fail('layer-structure', `GeometryCollection has no 'geometries' array`, where, `${field}.geometries`);
    members.forEach((member, i) => checkGeometry(member, where, `${field}.geometries[${i}]`, depth + 1));
    return;
  }
  const coordinates = geometry.coordinates;
  const path = `${field}.coordinates`;
  switch (type) {
    case 'Point': return checkPosition(coordinates, where, path);
    case 'MultiPoint': return checkPositions(coordinates, where, path);
    case 'LineString': return checkLine(coordinates, where, path);
    case 'MultiLineString': return eachOf(coordinates, where, path, 1, checkLine);
    case 'Polygon': return checkPolygon(coordinates, where, path);
    case 'MultiPolygon': return eachOf(coordinates, where, path, 1, checkPolygon);
  }
}

type Check = (value: unknown, where: GeometryPlace, field: string) => void;

function eachOf(value: unknown, where: GeometryPlace, field: string, minCount: number, check: Check): void {
  if (!Array.isArray(value)) fail('layer-structure', `must be an array, not ${describeValue(value)}`, where, field);
  if (value.length < minCount) fail('layer-structure', `is empty`, where, field);
  for (let i = 0; i < value.length; i++) check(value[i], where, `${field}[${i}]`);
}

/** Positions are checked in a tight loop; the field path is only built for the one that fails (the default boundary has 10^4 of them). */
function checkPositions(value: unknown, where: GeometryPlace, field: string): asserts value is number[][] {
  if (!Array.isArray(value)) fail('layer-structure', `must be an array, not ${describeValue(value)}`, where, field);
  for (let i = 0; i < value.length; i++) {
    if (!isGoodPosition(value[i])) checkPosition(value[i], where, `${field}[${i}]`);
  }
}

function isGoodPosition(p: unknown): boolean {
  if (!Array.isArray(p) || p.length < 2) return false;
  for (let i = 0; i < p.length; i++) if (typeof p[i] !== 'number' || !Number.isFinite(p[i])) return false;
  return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90;
}

// RFC 7946 §3.1.4: a LineString has two or more positions.
function checkLine(value: unknown, where: GeometryPlace, field: string): void {
  checkPositions(value, where, field);
  const count = value.length;
  if (count < 2) fail('layer-structure', `is a line with ${count} position${count === 1 ? '' : 's'}; a line needs at least 2`, where, field);
}

// RFC 7946 §3.1.6: a linear ring is closed and has four or more positions.
function checkPolygon(value: unknown, where: GeometryPlace, field: string): void {
  eachOf(value, where, field, 1, (ring, w, ringField) => {
    checkPositions(ring, w, ringField);
    if (ring.length < 4) fail('layer-structure', `is a polygon ring with ${ring.length} positions; a ring needs at least 4`, w, ringField);
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      fail('layer-structure', `is a polygon ring that is not closed: it starts at [${first[0]}, ${first[1]}] but ends at [${last[0]}, ${last[1]}]`, w, ringField);
    }
  });
}

function checkPosition(value: unknown, where: GeometryPlace, field: string): void {
  if (!Array.isArray(value)) fail('layer-structure', `must be a position [longitude, latitude], not ${describeValue(value)}`, where, field);
  for (let i = 0; i < value.length; i++) {
    const n = value[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      fail('layer-coordinates', `${['longitude', 'latitude', 'altitude'][i] ?? `element ${i}`} is ${describeValue(n)}, not a finite number`, where, field);
    }
  }
  if (value.length < 2) fail('layer-coordinates', `has ${value.length} number${value.length === 1 ? '' : 's'}; a position needs longitude and latitude`, where, field);
  checkLonLat(value[0], value[1], where, field);
}

/** Throws unless lon is in [-180, 180] and lat in [-90, 90]; suggests reprojection when the numbers look like metres. */
export function checkLonLat(lon: number, lat: number, where: GeometryPlace, field: string): void {
  if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) return;
  const axis = lon < -180 || lon > 180 ? `longitude ${lon} is outside -180..180` : `latitude ${lat} is outside -90..90`;
  const hint = Math.abs(lon) > 360 || Math.abs(lat) > 360
    ? ': the coordinates look projected (metres), not WGS84 degrees; reproject the layer to EPSG:4326 (WGS84 longitude/latitude)'
    : Math.abs(lat) > 90 && Math.abs(lat) <= 180 && Math.abs(lon) <= 90
      ? ': latitude and longitude may be swapped (GeoJSON order is [longitude, latitude])'
      : '';
  fail('layer-coordinates', `${axis}${hint}`, where, field);
}

function fail(code: string, message: string, where: GeometryPlace, field: string): never {
  const place: Place = { file: where.file };
  if (where.line !== undefined) place.line = where.line;
  if (where.feature !== undefined) place.feature = where.feature;
  place.field = field;
  throw new LinderoError(code, message, place);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
