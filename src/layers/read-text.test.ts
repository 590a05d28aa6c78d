// The pure layer reader (what field mode reads a picked file with) on real files from other people's tools:
// it gives the features the server's file loader gives, and refuses a DTD the same way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadLayerFile } from './load.js';
import { readLayer } from './read-text.js';

const capture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/layers/captures/${name}`, import.meta.url));

const EXPECTED: [string, string[]][] = [
  ['togeojson-linestring.kml', ['LineString', 'LineString']],
  ['togeojson-polygon.kml', ['Polygon']],
  ['togeojson-multigeometry.kml', ['MultiLineString']],
  ['togeojson-osm.gpx', ['LineString', 'LineString', 'LineString']],
  ['togeojson-gdal.gpx', ['MultiLineString', 'LineString', 'Point', 'Point']],
];

test('real KML and GPX files (togeojson\'s test data: an OSM export, a GDAL file) read the same on the phone as on the server', async () => {
  for (const [name, types] of EXPECTED) {
    const path = capture(name);
    const phone = readLayer(readFileSync(path), name);
    const server = await loadLayerFile(path);
    assert.deepEqual(phone.features.map((f) => f.geometry.type), types, name);
    assert.deepEqual(phone.features.map((f) => f.geometry), server.features.map((f) => f.geometry), name);
  }
});

test('a real KML file with a DOCTYPE put in front is refused by the phone\'s reader, naming the declaration and its line', () => {
  const text = readFileSync(capture('togeojson-polygon.kml'), 'utf8').replace('<kml', '<!DOCTYPE kml [<!ENTITY x "y">]>\n<kml');
  assert.throws(() => readLayer(new TextEncoder().encode(text), 'polygon.kml'), (e: { code?: string; message?: string; place?: { line?: number } }) =>
    e.code === 'layer-hostile' && /<!DOCTYPE>/.test(e.message ?? '') && e.place?.line === text.slice(0, text.indexOf('<!DOCTYPE')).split('\n').length);
});
