// KML 2.2 (OGC 07-147r2) placemarks to GeoJSON features, via @tmcw/togeojson.
// togeojson silently drops coordinates it cannot parse and lines that end up too short, so every
// <coordinates> is checked here first, with its source line, and a bad one is refused instead.
import { kml } from '@tmcw/togeojson';
import type { Document, Element } from '@xmldom/xmldom';
import type { Geometry, LineString, Polygon } from 'geojson';
import { LinderoError } from '../model/index.js';
import { checkLonLat } from './geometry-check.js';
import type { SourcedFeature } from './layer.js';
import { elementsByLocalName, lineOf } from './xml-guard.js';

// KML 2.2 §16.9: tuples "lon,lat[,alt]" separated by white space; each number an xsd:double.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Fewest tuples each geometry needs: a LinearRing closes on its first point, so three distinct ones suffice. */
const MIN_TUPLES: Record<string, number> = { Point: 1, LineString: 2, LinearRing: 3 };

/**
 * Converts a parsed KML document's placemarks to features, each tagged with the line its <Placemark> starts on.
 * Returns none for a document without placemarks; the caller decides whether that is an error (see emptyKmlError).
 */
export function kmlFeatures(doc: Document, file: string): SourcedFeature[] {
  for (const element of elementsByLocalName(doc, 'coordinates')) checkCoordinates(element, file);
  for (const element of elementsByLocalName(doc, 'coord')) checkGxCoord(element, file);
  const placemarks = Array.from(doc.getElementsByTagName('Placemark'));
  if (placemarks.length === 0) return [];
  // togeojson yields one feature per Placemark, in document order, before any overlays or links.
  const features = kml(doc).features.slice(0, placemarks.length);
  return features.map((feature, i) => ({
    feature: { ...feature, geometry: simplifyMultiGeometry(feature.geometry) },
    line: lineOf(placemarks[i]),
    file,
  }));
}

/** The href of every <NetworkLink>, in document order. */
export function kmlNetworkLinks(doc: Document): string[] {
  return elementsByLocalName(doc, 'NetworkLink')
    .map((link) => elementsByLocalName(link, 'href')[0]?.textContent?.trim() ?? '')
    .filter((href) => href !== '');
}

/** The error for KML with nothing to draw, naming links it would have had to fetch. */
export function emptyKmlError(doc: Document, file: string): LinderoError {
  const links = kmlNetworkLinks(doc).length;
  const detail = links > 0
    ? `it only links to other KML (${links} NetworkLink${links === 1 ? '' : 's'}), which lindero does not fetch; save the linked file and load that`
    : 'no <Placemark> elements';
  return new LinderoError('layer-empty', `contains no features: ${detail}`, { file });
}

/**
 * togeojson turns a KML <MultiGeometry> into a GeometryCollection. One made only of lines (or only of polygons)
 * says exactly what a MultiLineString (MultiPolygon) says, and that is the form boundary and fence layers use.
 */
function simplifyMultiGeometry(geometry: Geometry | null): Geometry | null {
  if (geometry?.type !== 'GeometryCollection' || geometry.geometries.length === 0) return geometry;
  const members = geometry.geometries;
  if (members.every((g): g is LineString => g.type === 'LineString')) return { type: 'MultiLineString', coordinates: members.map((g) => g.coordinates) };
  if (members.every((g): g is Polygon => g.type === 'Polygon')) return { type: 'MultiPolygon', coordinates: members.map((g) => g.coordinates) };
  return geometry;
}

function checkCoordinates(element: Element, file: string): void {
  const line = lineOf(element);
  const tuples = (element.textContent ?? '').trim().split(/\s+/).filter((t) => t.length > 0);
  tuples.forEach((tuple, i) => {
    const parts = tuple.split(',');
    // A trailing comma ("lon,lat,") is common in exported KML and harmless.
    if (parts.length > 2 && parts[parts.length - 1] === '') parts.pop();
    const field = `coordinates (tuple ${i + 1}: "${tuple.length > 60 ? `${tuple.slice(0, 60)}…` : tuple}")`;
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => NUMBER.test(p))) {
      throw new LinderoError('layer-coordinates', 'is not a "longitude,latitude[,altitude]" tuple of numbers', { file, line, field });
    }
    checkLonLat(Number(parts[0]), Number(parts[1]), { file, line }, field);
  });
  const geometry = element.parentNode?.nodeType === 1 ? ((element.parentNode as Element).localName ?? '') : '';
  const needed = MIN_TUPLES[geometry] ?? 1;
  // An empty <coordinates/> (a place Google's location history could not put, a placeholder) is no geometry,
  // which togeojson makes null and the layer leaves out; only a geometry that starts and stops short is refused.
  if (tuples.length > 0 && tuples.length < needed) {
    throw new LinderoError(
      'layer-coordinates',
      `<${geometry}> has ${tuples.length} coordinate tuple${tuples.length === 1 ? '' : 's'}; it needs at least ${needed}`,
      { file, line, field: 'coordinates' },
    );
  }
}

// Google's gx:Track extension: <gx:coord>lon lat alt</gx:coord>, space separated.
function checkGxCoord(element: Element, file: string): void {
  const line = lineOf(element);
  const parts = (element.textContent ?? '').trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => NUMBER.test(p))) {
    throw new LinderoError('layer-coordinates', 'is not a "longitude latitude [altitude]" triple of numbers', { file, line, field: 'gx:coord' });
  }
  checkLonLat(Number(parts[0]), Number(parts[1]), { file, line }, 'gx:coord');
}
