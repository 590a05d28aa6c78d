// A layer file picked on the phone: GeoJSON, KML or GPX, recognised by its content, to one FeatureCollection.
import type { FeatureCollection } from 'geojson';
import { LinderoError } from '../../../../src/model/index.js';
import { geoJsonLayer } from './geojson.js';
import { layerText, lineColumnAt } from './text.js';
import { xmlLayer } from './xml.js';

export function readLayer(bytes: Uint8Array, file: string): FeatureCollection {
  const text = layerText(bytes, file);
  const start = text.search(/\S/);
  if (start < 0) throw new LinderoError('layer-empty', 'is empty', { file });
  if (text[start] === '{' || text[start] === '[') return geoJsonLayer(text, file);
  if (text[start] === '<') return xmlLayer(text, file);
  throw new LinderoError('layer-format', 'is not GeoJSON, KML or GPX: it starts with neither "{" nor "<"', { file, ...lineColumnAt(text, start) });
}
