// GeoJSON (RFC 7946): a FeatureCollection, a Feature, or a bare geometry, as text.
import type { Feature, Geometry } from 'geojson';
import { LinderoError } from '../model/index.js';
import { describeValue, isObject } from './geometry-check.js';
import { finishLayer, type LoadedLayer, type SourcedFeature } from './layer.js';
import { jsonSyntaxProblem } from './json-syntax.js';
import { firstContentIndex, lineColumnAt } from './text.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

// RFC 7946 §4 fixes WGS84 longitude/latitude; the 2008 GeoJSON `crs` member may only restate that.
const WGS84_CRS_NAMES = new Set([
  'urn:ogc:def:crs:ogc:1.3:crs84', 'urn:ogc:def:crs:ogc::crs84', 'crs84', 'epsg:4326',
  'urn:ogc:def:crs:epsg::4326', 'urn:ogc:def:crs:epsg:6.6:4326', 'http://www.opengis.net/def/crs/ogc/1.3/crs84',
  'http://www.opengis.net/def/crs/epsg/0/4326',
]);

/**
 * Puts the features of a layer whose 2008 `crs` member names another system into longitude/latitude (in
 * place) and says how, or says why it cannot. Node's loader gives one (crs.ts); without one (field mode) such
 * a layer is refused.
 */
export type NamedCrs = (name: string, features: SourcedFeature[], file: string) => { notes: string[] } | { refused: string };

/** Parses GeoJSON text into a FeatureCollection, or throws LinderoError naming the file and the line, feature or field. */
export function parseGeoJsonText(text: string, file: string, namedCrs?: NamedCrs): LoadedLayer {
  if (firstContentIndex(text) < 0) throw new LinderoError('layer-empty', 'is empty', { file });
  const root = parseJson(text, file);
  if (!isObject(root)) {
    throw new LinderoError('layer-not-geojson', `is JSON but not GeoJSON: the top level is ${describeValue(root)}, not a GeoJSON object`, { file });
  }
  const crsName = otherCrsName(root.crs, file, namedCrs !== undefined);
  const [sourced, what] = rootFeatures(root, file);
  let notes: string[] = [];
  if (crsName !== null && namedCrs) {
    const converted = namedCrs(crsName, sourced, file);
    if ('refused' in converted) throw unreadableCrs(`'${crsName}', which lindero cannot read: ${converted.refused}`, file);
    notes = converted.notes;
  }
  return finishLayer(sourced, file, what, notes);
}

/** The root's features, and what an empty layer of that kind is called. */
function rootFeatures(root: Record<string, unknown>, file: string): [SourcedFeature[], string] {
  const type = root.type;
  if (type === 'FeatureCollection') return [collectionFeatures(root, file), 'the FeatureCollection is empty'];
  if (type === 'Feature') return [[{ feature: asFeature(root, file, 0) }], 'a Feature'];
  if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) {
    return [[{ feature: { type: 'Feature', properties: {}, geometry: root as unknown as Geometry } }], 'a geometry'];
  }
  const detail = type === undefined ? "it has no 'type' member"
    : type === 'Topology' ? 'it is TopoJSON; convert it to GeoJSON first'
      : `its 'type' is ${describeValue(type)}`;
  throw new LinderoError('layer-not-geojson', `is JSON but not GeoJSON: ${detail} (expected FeatureCollection, Feature or a geometry type)`, { file, field: 'type' });
}

function collectionFeatures(root: Record<string, unknown>, file: string): SourcedFeature[] {
  const features = root.features;
  if (!Array.isArray(features)) {
    throw new LinderoError('layer-structure', `FeatureCollection has no 'features' array (found ${describeValue(features)})`, { file, field: 'features' });
  }
  return features.map((feature, index) => ({ feature: asFeature(feature, file, index) }));
}

function asFeature(value: unknown, file: string, index: number): Feature<Geometry | null> {
  if (!isObject(value) || value.type !== 'Feature') {
    const found = isObject(value) ? `type ${describeValue(value.type)}` : describeValue(value);
    throw new LinderoError('layer-structure', `is not a Feature (found ${found})`, { file, feature: index, field: 'type' });
  }
  if (!('geometry' in value)) throw new LinderoError('layer-structure', "has no 'geometry' member (use null for none)", { file, feature: index, field: 'geometry' });
  const properties = value.properties;
  if (properties !== null && properties !== undefined && !isObject(properties)) {
    throw new LinderoError('layer-structure', `'properties' must be an object or null, not ${describeValue(properties)}`, { file, feature: index, field: 'properties' });
  }
  return { ...value, type: 'Feature', properties: properties ?? {}, geometry: value.geometry as Geometry | null };
}

/** The name of the system a `crs` member declares when it is not WGS84 longitude/latitude and can be read; else refused. */
function otherCrsName(crs: unknown, file: string, canConvert: boolean): string | null {
  if (crs === undefined || crs === null) return null;
  const name = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  if (typeof name === 'string' && WGS84_CRS_NAMES.has(name.toLowerCase())) return null;
  if (typeof name === 'string' && canConvert) return name;
  const what = typeof name === 'string' ? `'${name}'` : describeValue(crs);
  throw unreadableCrs(`${what}; only WGS84 longitude/latitude (RFC 7946) is read here`, file);
}

function unreadableCrs(what: string, file: string): LinderoError {
  return new LinderoError('layer-projection', `declares the coordinate reference system ${what}. Convert the layer to WGS84 longitude/latitude (EPSG:4326) first`, { file, field: 'crs' });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The engine's own error text differs between engines and versions: lindero finds and words the place itself.
    const found = jsonSyntaxProblem(text);
    throw new LinderoError('layer-syntax', `is not valid JSON${found ? `: ${found.problem}` : ''}`, { file, ...(found ? lineColumnAt(text, found.offset) : {}) });
  }
}
