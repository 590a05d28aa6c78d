// A layer held in memory — GeoJSON, KML or GPX, recognised by its content — to one FeatureCollection. Pure (no
// Node APIs): the CLI and server read files with it (load.ts), and field mode the files picked on the phone.
import type { FeatureCollection } from 'geojson';
import { LinderoError } from '../model/index.js';
import { parseGeoJsonText } from './geojson.js';
import { gpxFeatures } from './gpx.js';
import { emptyKmlError, kmlFeatures } from './kml.js';
import { finishLayer } from './layer.js';
import { decodeText, firstContentIndex, lineColumnAt } from './text.js';
import { parseXml } from './xml-guard.js';

/** A layer file's bytes (any text encoding the file declares) to its features. */
export function readLayer(bytes: Uint8Array, file: string): FeatureCollection {
  return readLayerText(decodeText(bytes, file), file);
}

/** GeoJSON, KML or GPX text to its features, or a LinderoError naming the file and the line, feature or field. */
export function readLayerText(text: string, file: string): FeatureCollection {
  const start = firstContentIndex(text);
  if (start < 0) throw new LinderoError('layer-empty', 'is empty', { file });
  if (text[start] === '{' || text[start] === '[') return parseGeoJsonText(text, file);
  if (text[start] === '<') return xmlLayer(text, file);
  throw new LinderoError('layer-format', 'is not GeoJSON, KML or GPX: it starts with neither "{" nor "<"', { file, ...lineColumnAt(text, start) });
}

/** KML or GPX text, through the one hostile-XML guard (xml-guard.ts), to its features. */
export function xmlLayer(text: string, file: string): FeatureCollection {
  const doc = parseXml(text, file);
  const root = doc.documentElement!.localName;
  if (root === 'kml') {
    const features = kmlFeatures(doc, file);
    if (features.length === 0) throw emptyKmlError(doc, file);
    return finishLayer(features, file, 'no placemarks');
  }
  if (root === 'gpx') {
    const { features, notes } = gpxFeatures(doc, file);
    return finishLayer(features, file, notes.length > 0 ? 'its tracks and routes are single points, which draw no line' : 'no tracks, routes or waypoints', notes);
  }
  throw new LinderoError('layer-format', `is XML with root element <${root}>, not KML (<kml>) or GPX (<gpx>)`, { file, line: 1 });
}
