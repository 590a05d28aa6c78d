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
  // Google location history: the places it could not put are empty <Point><coordinates/>, left out; the
  // journeys it could are gx:Tracks.
  ['togeojson-addresses.kml', ['LineString', 'Point', 'Point', 'Point', 'Point', 'Point', 'LineString']],
  ['togeojson-north_core.gpx', ['LineString', 'LineString', 'MultiLineString', 'LineString', 'LineString', 'MultiLineString', 'LineString', 'MultiLineString', 'LineString', 'LineString']],
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

test('a track segment of a single point is left out and said, at its line; a file of nothing else is empty, said why', async () => {
  const layer = await loadLayerFile(capture('togeojson-north_core.gpx'));
  assert.match(layer.notes?.[0] ?? '', /north_core\.gpx: 1 track segment or route of a single point \(no line\) left out, at line 195$/);
  await assert.rejects(loadLayerFile(capture('togeojson-unique_trkpt.gpx')), { code: 'layer-empty', message: /single points, which draw no line/ });
  await assert.rejects(loadLayerFile(capture('togeojson-selfclosing.kml')), { code: 'layer-empty', message: /none has a geometry/ });
});

test('a real KML file with a DOCTYPE put in front is refused by the phone\'s reader, naming the declaration and its line', () => {
  const text = readFileSync(capture('togeojson-polygon.kml'), 'utf8').replace('<kml', '<!DOCTYPE kml [<!ENTITY x "y">]>\n<kml');
  assert.throws(() => readLayer(new TextEncoder().encode(text), 'polygon.kml'), (e: { code?: string; message?: string; place?: { line?: number } }) =>
    e.code === 'layer-hostile' && /<!DOCTYPE>/.test(e.message ?? '') && e.place?.line === text.slice(0, text.indexOf('<!DOCTYPE')).split('\n').length);
});
