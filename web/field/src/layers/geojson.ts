// GeoJSON (RFC 7946) as loaded on the phone: a FeatureCollection, a Feature or a bare geometry.
// Geometry and properties are checked by buildLayers(), which names the feature and field.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { LinderoError } from '../../../../src/model/index.js';
import { jsonSyntaxProblem } from './json-syntax.js';
import { lineColumnAt } from './text.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export function geoJsonLayer(text: string, file: string): FeatureCollection {
  const root = parseJson(text, file);
  if (!isObject(root)) throw new LinderoError('layer-not-geojson', 'is JSON but not GeoJSON: the top level is not an object', { file });
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw new LinderoError('layer-structure', "FeatureCollection has no 'features' array", { file, field: 'features' });
    return collection(root.features.map((f, i) => asFeature(f, file, i)), file);
  }
  if (root.type === 'Feature') return collection([asFeature(root, file, 0)], file);
  if (typeof root.type === 'string' && GEOMETRY_TYPES.has(root.type)) {
    return collection([{ type: 'Feature', properties: {}, geometry: root as unknown as Geometry }], file);
  }
  throw new LinderoError('layer-not-geojson', "is JSON but not GeoJSON: its 'type' is not FeatureCollection, Feature or a geometry type", { file, field: 'type' });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The engine's own error text differs between browsers and versions: lindero finds and words the place itself.
    const found = jsonSyntaxProblem(text);
    throw new LinderoError('layer-syntax', `is not valid JSON${found ? `: ${found.problem}` : ''}`, { file, ...(found ? lineColumnAt(text, found.offset) : {}) });
  }
}

function asFeature(value: unknown, file: string, index: number): Feature<Geometry | null> {
  if (!isObject(value) || value.type !== 'Feature') throw new LinderoError('layer-structure', 'is not a GeoJSON Feature', { file, feature: index, field: 'type' });
  if (value.properties !== null && value.properties !== undefined && !isObject(value.properties)) {
    throw new LinderoError('layer-structure', "'properties' must be an object or null", { file, feature: index, field: 'properties' });
  }
  return { type: 'Feature', properties: (value.properties as Record<string, unknown> | null) ?? {}, geometry: (value.geometry ?? null) as Geometry | null };
}

/** Features without a geometry (RFC 7946 §3.2 allows null) draw nothing and are left out. */
export function collection(features: Feature<Geometry | null>[], file: string): FeatureCollection {
  const drawable = features.filter((f): f is Feature<Geometry> => f.geometry !== null);
  if (drawable.length === 0) throw new LinderoError('layer-empty', 'contains no features with a geometry', { file });
  return { type: 'FeatureCollection', features: drawable };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
