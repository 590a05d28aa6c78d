// KML and GPX on the phone: the same guarded XML reader as the server (src/layers/xml-guard.ts: DTDs refused,
// nesting bounded, syntax errors with the reader's line and column), then @tmcw/togeojson.
// Not the browser's DOMParser: its errors are a browser's own text, different in each browser and version,
// and the phone must say the same thing about a file as the server does.
import { gpx, kml } from '@tmcw/togeojson';
import type { FeatureCollection } from 'geojson';
import { LinderoError } from '../../../../src/model/index.js';
import { parseXml } from '../../../../src/layers/xml-guard.js';
import { collection } from './geojson.js';

export function xmlLayer(text: string, file: string): FeatureCollection {
  const doc = parseXml(text, file);
  const root = doc.documentElement!.localName;
  // togeojson reads any DOM with the standard interface; xmldom's types are its own.
  if (root === 'kml') return collection(kml(doc as unknown as Document).features, file);
  if (root === 'gpx') return collection(gpx(doc as unknown as Document).features, file);
  throw new LinderoError('layer-format', `is XML with root element <${root}>, not KML (<kml>) or GPX (<gpx>)`, { file, line: 1 });
}
