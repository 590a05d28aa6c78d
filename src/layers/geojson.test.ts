import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LineString, MultiLineString } from 'geojson';
import { PNG_BYTES, TEXT_FIXTURES, fixtureFeatures, inUtm13n } from '../../test/helpers/layer-fixtures.js';
import { assertSameVertices } from '../../test/helpers/reprojected.js';
import { parseGeoJsonText } from './geojson.js';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const fixture = (name: string) => join(TEXT_FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'lindero-geojson-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('GeoJSON layers', () => {
  it('boundary lines keep left, right, edges, provenance, name, id and other properties', async () => {
    const layer = await loadLayerFile(fixture('boundary-lines.geojson'), { role: 'boundary' });
    assert.equal(layer.features.length, 2);
    const [parallel, river] = layer.features;
    assert.equal(parallel.id, 'parallel-31-47');
    assert.deepEqual(parallel.properties, {
      name: 'Parallel 31°47′ N', left: 'US', right: 'MX', edges: 'lonlat',
      provenance: 'test fixture, simplified from the 1853 treaty line', monuments: 40,
    });
    assert.deepEqual((parallel.geometry as LineString).coordinates, [[-108.208333, 31.783333], [-107.5, 31.783333], [-106.528, 31.783889]]);
    assert.equal(river.geometry.type, 'MultiLineString');
    assert.deepEqual((river.geometry as MultiLineString).coordinates[1][1], [-106.3, 31.68, 1100]);
  });

  it('territory polygons, with a hole and as a MultiPolygon, keep their territory codes', async () => {
    const layer = await loadLayerFile(fixture('territories.geojson'));
    assert.deepEqual(layer.features.map((f) => [f.geometry.type, f.properties?.territory]), [['Polygon', 'US'], ['MultiPolygon', 'MX']]);
  });

  it('fences keep their names and the illustrative flag', async () => {
    const layer = await loadLayerFile(fixture('fences.geojson'), { role: 'fence' });
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.properties?.illustrative]), [['Sunland Park fence', false], ['Vehicle barrier west', true]]);
  });

  it('a single Feature or a bare geometry becomes a one-feature collection', async () => {
    const feature = scratchFile('feature.geojson', JSON.stringify({ type: 'Feature', properties: { NAME: 'x' }, geometry: { type: 'LineString', coordinates: [[-106.6, 31.78], [-106.5, 31.78]] } }));
    assert.deepEqual((await loadLayerFile(feature)).features[0].properties, { name: 'x' });
    const bare = scratchFile('bare.json', JSON.stringify({ type: 'LineString', coordinates: [[-106.6, 31.78], [-106.5, 31.78]] }));
    const layer = await loadLayerFile(bare);
    assert.deepEqual(layer.features, [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[-106.6, 31.78], [-106.5, 31.78]] } }]);
  });

  it('the format is recognised by content: GeoJSON named .kml is read as GeoJSON', async () => {
    const path = scratchFile('really-geojson.kml', `\n\n  ${JSON.stringify({ type: 'LineString', coordinates: [[0, 0], [1, 1]] })}`);
    assert.equal((await loadLayerFile(path)).features.length, 1);
  });

  it('a UTF-16 GeoJSON file with a byte-order mark is read', async () => {
    const text = JSON.stringify({ type: 'Feature', properties: { name: 'México' }, geometry: { type: 'Point', coordinates: [-106.45, 31.76] } });
    const path = scratchFile('utf16.geojson', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.equal((await loadLayerFile(path)).features[0].properties?.name, 'México');
  });

  it('a feature with a null geometry is left out; the others are kept', async () => {
    const path = scratchFile('null-geometry.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'nothing' }, geometry: null },
      { type: 'Feature', properties: { name: 'fence' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
    ] }));
    assert.deepEqual((await loadLayerFile(path)).features.map((f) => f.properties?.name), ['fence']);
  });

  it('a JSON syntax error names the line and column', async () => {
    await expectLayerError(() => loadLayerFile(fixture('syntax-error.geojson')), { code: 'layer-syntax', line: 7, column: 7, message: /^is not valid JSON: the character "\\"" where "," or "}" was expected$/ });
  });

  it('an unexpected token is located and named in lindero\'s words', async () => {
    const path = scratchFile('token.geojson', '{\n  "type": "FeatureCollection",\n  "features": [tru\n]}');
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-syntax', line: 3, column: 19, message: /^is not valid JSON: a line break where "true" was expected$/ });
  });

  it('a truncated GeoJSON file is reported at its end', async () => {
    const path = scratchFile('truncated.geojson', '{"type": "FeatureCollection",\n "features": [{"type": "Feature", "geom');
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-syntax', line: 2, message: /^is not valid JSON: the text ends early: a string is not closed$/ });
  });

  it('JSON that is not GeoJSON is refused, naming what it is', async () => {
    await expectLayerError(() => loadLayerFile(fixture('not-geojson.json')), { code: 'layer-not-geojson', field: 'type', message: /no 'type' member/ });
    await expectLayerError(() => loadLayerFile(scratchFile('array.json', '[1, 2, 3]')), { code: 'layer-not-geojson', message: /top level is an array/ });
    await expectLayerError(() => loadLayerFile(scratchFile('topo.json', '{"type": "Topology", "objects": {}}')), { code: 'layer-not-geojson', message: /TopoJSON/ });
  });

  it('an empty file, a blank file and an empty FeatureCollection are each refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(fixture('empty.geojson')), { code: 'layer-empty', message: /0 bytes/ });
    await expectLayerError(() => loadLayerFile(scratchFile('blank.geojson', ' \n\t\n')), { code: 'layer-empty' });
    await expectLayerError(() => loadLayerFile(fixture('empty-collection.geojson')), { code: 'layer-empty', message: /no features/ });
    const allNull = scratchFile('all-null.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}');
    await expectLayerError(() => loadLayerFile(allNull), { code: 'layer-empty', message: /none has a geometry/ });
  });

  it('projected coordinates in metres are refused with advice to reproject', async () => {
    await expectLayerError(() => loadLayerFile(fixture('projected.geojson')), {
      code: 'layer-coordinates', feature: 0, field: 'geometry.coordinates[0]', message: /look projected.*EPSG:4326/,
    });
  });

  it("a 2008 crs member naming a UTM zone (as GDAL's GeoJSON writer keeps a shapefile's) is read to 1 mm; field mode's reader refuses it", async () => {
    const layer = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::26913' } }, features: inUtm13n(fixtureFeatures('fences.geojson')) };
    const utm = scratchFile('utm.geojson', JSON.stringify(layer));
    const read = await loadLayerFile(utm);
    assertSameVertices(read.features, fixtureFeatures('fences.geojson'));
    assert.match(read.notes?.[0] ?? '', /its Transverse Mercator projection \("NAD83 \/ UTM zone 13N"\) undone; its datum .* \(NAD83\) taken as WGS 84, adding ±2 m/);
    assert.throws(() => parseGeoJsonText(JSON.stringify(layer), 'utm.geojson'), { code: 'layer-projection', message: /'urn:ogc:def:crs:EPSG::26913'; only WGS84 longitude\/latitude/ });
  });

  it('a crs member naming a system lindero does not know by number is refused, naming it; the CRS84 name is accepted', async () => {
    const swiss = scratchFile('swiss.geojson', JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:2056' } }, features: [] }));
    await expectLayerError(() => loadLayerFile(swiss), { code: 'layer-projection', field: 'crs', message: /'EPSG:2056', which lindero cannot read/ });
    const crs84 = scratchFile('crs84.geojson', JSON.stringify({ type: 'LineString', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, coordinates: [[0, 0], [1, 1]] }));
    assert.equal((await loadLayerFile(crs84)).features.length, 1);
  });

  it('coordinates that are strings, NaN-like or out of range are refused with the feature and position', async () => {
    const cases: [string, RegExp, string][] = [
      ['[[-106.6, 31.78], [-106.5, "31.79"]]', /latitude is "31.79", not a finite number/, 'geometry.coordinates[1]'],
      ['[[-106.6, 31.78], [-106.5, null]]', /latitude is null/, 'geometry.coordinates[1]'],
      ['[[-106.6, 31.78], [-106.5]]', /needs longitude and latitude/, 'geometry.coordinates[1]'],
      ['[[-106.6, 31.78], [-106.5, 91]]', /latitude 91 is outside -90..90/, 'geometry.coordinates[1]'],
      ['[[-106.6, 31.78], [31.78, -106.5]]', /may be swapped/, 'geometry.coordinates[1]'],
      ['[[-106.6, 31.78]]', /needs at least 2/, 'geometry.coordinates'],
      ['[[-106.6, 31.78], 5]', /must be a position/, 'geometry.coordinates[1]'],
    ];
    for (const [coordinates, message, field] of cases) {
      const path = scratchFile('bad.geojson', `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}},{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":${coordinates}}}]}`);
      await expectLayerError(() => loadLayerFile(path), { code: message.source.includes('position') || message.source.includes('at least') ? 'layer-structure' : 'layer-coordinates', feature: 1, field, message });
    }
  });

  it('rings collapsed to a point or a line (no area) are left out and said; a short ring with an area is still refused', async () => {
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    const layer = {
      type: 'FeatureCollection', features: [
        { type: 'Feature', properties: { name: 'island gone to a point' }, geometry: { type: 'Polygon', coordinates: [[[5, 5], [5, 5], [5, 5]]] } },
        { type: 'Feature', properties: { name: 'mainland' }, geometry: { type: 'MultiPolygon', coordinates: [[square, [[0.5, 0.5], [0.6, 0.6], [0.5, 0.5]]], [[[7, 7], [7, 7], [7, 7]]]] } },
      ],
    };
    const read = await loadLayerFile(scratchFile('collapsed.geojson', JSON.stringify(layer)));
    assert.deepEqual(read.features.map((f) => [f.properties?.name, f.geometry]), [['mainland', { type: 'MultiPolygon', coordinates: [[square]] }]]);
    assert.match(read.notes?.[0] ?? '', /collapsed\.geojson: 3 polygon rings collapsed to a point or a line \(no area; fewer than 4 positions\) left out, in features 0, 1$/);
    const triangle = scratchFile('triangle.geojson', '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}');
    await expectLayerError(() => loadLayerFile(triangle), { code: 'layer-structure', field: 'geometry.coordinates[0]', message: /3 positions; a ring needs at least 4/ });
  });

  it('an unclosed polygon ring and an unknown geometry type are refused', async () => {
    const open = scratchFile('open-ring.geojson', '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}');
    await expectLayerError(() => loadLayerFile(open), { code: 'layer-structure', field: 'geometry.coordinates[0]', message: /not closed/ });
    const circle = scratchFile('circle.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}]}');
    await expectLayerError(() => loadLayerFile(circle), { code: 'layer-structure', feature: 0, field: 'geometry.type', message: /"Circle"/ });
  });

  it('GeometryCollections nested without bound are refused', async () => {
    let geometry = '{"type":"Point","coordinates":[0,0]}';
    for (let i = 0; i < 50; i++) geometry = `{"type":"GeometryCollection","geometries":[${geometry}]}`;
    await expectLayerError(() => loadLayerFile(scratchFile('nested.geojson', geometry)), { code: 'layer-structure', message: /more than 8 deep/ });
  });

  it('deeply nested JSON arrays are refused as a bad geometry, not a crash', async () => {
    const deep = `{"type":"LineString","coordinates":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expectLayerError(() => loadLayerFile(scratchFile('deep.geojson', deep)), { code: 'layer-coordinates', field: 'geometry.coordinates[0]', message: /longitude is an array/ });
  });

  it('a PNG renamed .geojson is refused as a PNG image', async () => {
    await expectLayerError(() => loadLayerFile(scratchFile('picture.geojson', PNG_BYTES)), { code: 'layer-format', message: /PNG image/ });
  });

  it('binary garbage named .geojson is refused as not a layer file', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    await expectLayerError(() => loadLayerFile(scratchFile('garbage.geojson', garbage)), { code: 'layer-format', message: /not a layer file/ });
  });

  it('a JSON file with invalid UTF-8 is refused with the line of the bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('{"type": "Feature",\n "properties": {"name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    await expectLayerError(() => loadLayerFile(scratchFile('latin.geojson', bytes)), { code: 'layer-encoding', line: 2 });
  });

  it('a file over the size cap is refused before it is read', async () => {
    const path = scratchFile('huge.geojson', '');
    truncateSync(path, 300 * 1024 * 1024); // sparse: no disk space used
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-too-large', message: /300 MiB/ });
  });

  it('a missing file and a directory are refused with the path', async () => {
    const missing = join(scratch, 'no-such.geojson');
    await expectLayerError(() => loadLayerFile(missing), { code: 'layer-not-found', file: missing });
    await expectLayerError(() => loadLayerFile(scratch), { code: 'layer-unreadable', file: scratch, message: /directory/ });
  });

  it('the role appears in the message', async () => {
    await expectLayerError(() => loadLayerFile(fixture('empty.geojson'), { role: 'fence' }), { code: 'layer-empty', message: /fence layer/ });
  });
});
