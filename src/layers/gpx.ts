// GPX 1.0/1.1 tracks, routes and waypoints to GeoJSON features, via @tmcw/togeojson.
// togeojson silently skips points with bad lat/lon and segments under two points; both are refused here
// first, with the source line, so nothing the file says is dropped without a word.
import { gpx } from '@tmcw/togeojson';
import type { Document, Element } from '@xmldom/xmldom';
import type { Feature, Geometry } from 'geojson';
import { LinderoError } from '../model/index.js';
import { checkLonLat } from './geometry-check.js';
import type { ReadFeatures } from './layer.js';
import { LAYER_PROPERTIES } from './properties.js';
import { lineOf } from './xml-guard.js';

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const GPX_NAMESPACES = new Set(['http://www.topografix.com/GPX/1/1', 'http://www.topografix.com/GPX/1/0']);
/** Properties a GPX file can carry for lindero in <extensions> (any namespace); <name> is GPX's own. */
const EXTENSION_PROPERTIES = new Set<string>(LAYER_PROPERTIES.filter((p) => p !== 'name'));

/**
 * Converts a parsed GPX document: each track and route a line (tracks with several segments a
 * MultiLineString), each waypoint a point. A track segment or route of a single point (a receiver that lost
 * its fix) draws no line: togeojson leaves it out, and the notes say where.
 */
export function gpxFeatures(doc: Document, file: string): ReadFeatures {
  const tracks = Array.from(doc.getElementsByTagName('trk'));
  const routes = Array.from(doc.getElementsByTagName('rte'));
  const waypoints = Array.from(doc.getElementsByTagName('wpt'));
  for (const point of waypoints) checkPoint(point, file);
  const single: number[] = [];
  // togeojson yields tracks, then routes, then waypoints, leaving out any with no line; an empty one holds nothing to lose.
  const lines = [
    ...tracks.filter((track) => checkTrack(track, file, single)),
    ...routes.filter((route) => checkLine(route, 'rtept', file, single)),
  ];
  const features = gpx(doc).features;
  if (features.length !== lines.length + waypoints.length) {
    throw new LinderoError('layer-structure', `could not be read consistently: ${features.length} features from ${lines.length} lines and ${waypoints.length} waypoints`, { file });
  }
  const sources = [...lines, ...waypoints];
  const notes = single.length === 0 ? [] : [
    `${file}: ${single.length} track segment${single.length === 1 ? '' : 's'} or route${single.length === 1 ? '' : 's'} of a single point (no line) left out, at line${single.length === 1 ? '' : 's'} ${single.slice(0, 5).join(', ')}${single.length > 5 ? ', …' : ''}`,
  ];
  return { features: features.map((feature, i) => ({ feature: withExtensions(feature, sources[i]), line: lineOf(sources[i]) })), notes };
}

/** True when the track has a line to draw; throws on a bad point. */
function checkTrack(track: Element, file: string, single: number[]): boolean {
  let drawable = false;
  for (const segment of Array.from(track.getElementsByTagName('trkseg'))) {
    if (checkLine(segment, 'trkpt', file, single)) drawable = true;
  }
  return drawable;
}

/** True when the segment or route has a line (two points or more); one of a single point is listed in `single` by its line. */
function checkLine(line: Element, pointTag: string, file: string, single: number[]): boolean {
  const points = Array.from(line.getElementsByTagName(pointTag));
  for (const point of points) checkPoint(point, file);
  if (points.length === 1) single.push(lineOf(line) ?? 0);
  return points.length >= 2;
}

// GPX 1.1 schema: lat is xsd:decimal in [-90, 90], lon in [-180, 180).
function checkPoint(point: Element, file: string): void {
  const line = lineOf(point);
  for (const axis of ['lat', 'lon']) {
    const text = point.getAttribute(axis);
    if (text === null || !NUMBER.test(text)) {
      const found = text === null ? 'missing' : `"${text}", not a number`;
      throw new LinderoError('layer-coordinates', `<${point.tagName}> ${axis} is ${found}`, { file, line, field: axis });
    }
  }
  checkLonLat(Number(point.getAttribute('lon')), Number(point.getAttribute('lat')), { file, line }, point.tagName);
}

/** Adds lindero properties found in the element's <extensions> (or, GPX 1.0 style, as foreign-namespace children). */
function withExtensions(feature: Feature<Geometry | null>, source: Element): Feature<Geometry | null> {
  const properties: Record<string, unknown> = { ...(feature.properties ?? {}) };
  for (const element of extensionElements(source)) {
    const key = element.localName ?? '';
    if (!EXTENSION_PROPERTIES.has(key.toLowerCase())) continue;
    // togeojson copies namespaced children as "prefix_name"; the plain name replaces that copy.
    delete properties[element.tagName.replace(':', '_')];
    properties[key.toLowerCase()] = (element.textContent ?? '').trim();
  }
  return { ...feature, properties };
}

function extensionElements(source: Element): Element[] {
  const found: Element[] = [];
  for (let child = source.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== 1) continue;
    const element = child as Element;
    if (element.localName === 'extensions') {
      for (let inner = element.firstChild; inner; inner = inner.nextSibling) if (inner.nodeType === 1) found.push(inner as Element);
    } else if (element.namespaceURI && !GPX_NAMESPACES.has(element.namespaceURI)) {
      found.push(element);
    }
  }
  return found;
}
