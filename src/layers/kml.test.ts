import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LineString, MultiLineString, Polygon } from 'geojson';
import { TEXT_FIXTURES, textFixture, writeBinaryFixtures } from '../../test/helpers/layer-fixtures.js';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const fixture = (name: string) => join(TEXT_FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'lindero-kml-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const binary = (name: string) => join(scratch, 'zip', name);
function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}
const kmlDoc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n${body}\n</Document></kml>`;

before(() => writeBinaryFixtures(scratch));

describe('KML layers', () => {
  it('a boundary placemark gives a line with its <name> and ExtendedData left/right/edges/provenance', async () => {
    const layer = await loadLayerFile(fixture('boundary.kml'), { role: 'boundary' });
    const [parallel, river] = layer.features;
    assert.equal(parallel.id, 'parallel-31-47');
    assert.equal(parallel.properties?.name, 'Parallel 31°47′ N');
    assert.equal(parallel.properties?.left, 'US');
    assert.equal(parallel.properties?.right, 'MX');
    assert.equal(parallel.properties?.edges, 'lonlat');
    assert.equal(parallel.properties?.provenance, 'test fixture, simplified from the 1853 treaty line');
    assert.deepEqual((parallel.geometry as LineString).coordinates, [[-108.208333, 31.783333, 0], [-107.5, 31.783333, 0], [-106.528, 31.783889, 0]]);
    assert.equal(river.properties?.left, 'US', 'white space around an ExtendedData value is trimmed');
  });

  it('a MultiGeometry of lines becomes a MultiLineString', async () => {
    const river = (await loadLayerFile(fixture('boundary.kml'))).features[1];
    assert.equal(river.geometry.type, 'MultiLineString');
    assert.deepEqual((river.geometry as MultiLineString).coordinates, [
      [[-106.528, 31.783889], [-106.45, 31.764], [-106.38, 31.73]],
      [[-106.38, 31.73], [-106.3, 31.68, 1100]],
    ]);
  });

  it('territory polygons with holes keep territory from SchemaData', async () => {
    const layer = await loadLayerFile(fixture('territories.kml'));
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.properties?.territory]), [['United States (part)', 'US'], ['México (parte)', 'MX']]);
    assert.equal((layer.features[1].geometry as Polygon).coordinates.length, 2);
  });

  it('fence placemarks keep their names; "yes" for illustrative becomes true; a point is kept as a point', async () => {
    const layer = await loadLayerFile(fixture('fences.kml'), { role: 'fence' });
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.geometry.type]), [
      ['Sunland Park fence', 'LineString'], ['Vehicle barrier west', 'LineString'], ['Port of entry', 'Point'],
    ]);
    assert.equal(layer.features[1].properties?.illustrative, true);
  });

  it('an unclosed KML ring is closed, as KML readers do', async () => {
    const path = scratchFile('open-ring.kml', kmlDoc('<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>'));
    assert.deepEqual((await loadLayerFile(path)).features[0].geometry, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
  });

  it('an HTML description in CDATA that mentions <!DOCTYPE> is not mistaken for a DTD', async () => {
    const path = scratchFile('cdata.kml', kmlDoc('<Placemark><description><![CDATA[<!DOCTYPE html><p>x</p>]]></description><!-- <!ENTITY no> --><Point><coordinates>-106.5,31.78</coordinates></Point></Placemark>'));
    assert.equal((await loadLayerFile(path)).features.length, 1);
  });

  it('a UTF-16 KML file is read', async () => {
    const text = kmlDoc('<Placemark><name>Cañón</name><Point><coordinates>-106.5,31.78</coordinates></Point></Placemark>').replace('UTF-8', 'UTF-16');
    const path = scratchFile('utf16.kml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    assert.equal((await loadLayerFile(path)).features[0].properties?.name, 'Cañón');
  });

  it('an ISO-8859-1 KML file is decoded as it declares', async () => {
    const text = kmlDoc('<Placemark><name>México</name><Point><coordinates>-106.5,31.78</coordinates></Point></Placemark>').replace('UTF-8', 'ISO-8859-1');
    assert.equal((await loadLayerFile(scratchFile('latin1.kml', Buffer.from(text, 'latin1')))).features[0].properties?.name, 'México');
  });

  it('an external entity (XXE) is refused before parsing, naming the line', async () => {
    await expectLayerError(() => loadLayerFile(fixture('xxe.kml')), { code: 'layer-hostile', line: 2, message: /<!DOCTYPE>.*XXE/ });
  });

  it('entity expansion (billion laughs) is refused before parsing', async () => {
    await expectLayerError(() => loadLayerFile(fixture('billion-laughs.kml')), { code: 'layer-hostile', line: 2 });
  });

  it('an entity declaration hidden in UTF-16 is still refused', async () => {
    const path = scratchFile('xxe16.kml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(textFixture('xxe.kml'), 'utf16le')]));
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-hostile' });
  });

  it('an undeclared entity reference is a syntax error with its place', async () => {
    const path = scratchFile('entity.kml', kmlDoc('<Placemark><name>&secret;</name></Placemark>'));
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-syntax', line: 3, message: /entity/ });
  });

  it('elements nested thousands deep are refused', async () => {
    const path = scratchFile('deep.kml', kmlDoc(`${'<Folder>'.repeat(5000)}${'</Folder>'.repeat(5000)}`));
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-hostile', message: /more than 200 deep/ });
  });

  it('a coordinate typo is refused with its line and tuple instead of being dropped', async () => {
    await expectLayerError(() => loadLayerFile(fixture('bad-coordinates.kml')), { code: 'layer-coordinates', line: 7, field: 'coordinates (tuple 3: "-106.53;31.7848")' });
  });

  it('out-of-range and swapped coordinates are refused with their line', async () => {
    const path = scratchFile('swapped.kml', kmlDoc('<Placemark>\n<LineString><coordinates>-106.6,31.78\n31.78,-106.5</coordinates></LineString></Placemark>'));
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-coordinates', line: 4, message: /latitude -106.5 is outside -90..90/ });
  });

  it('a LineString with one coordinate is refused rather than silently dropped', async () => {
    const path = scratchFile('short.kml', kmlDoc('<Placemark><LineString><coordinates>-106.6,31.78</coordinates></LineString></Placemark>'));
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-coordinates', line: 3, message: /<LineString> has 1 coordinate tuple; it needs at least 2/ });
  });

  it('a truncated KML file is a syntax error with line and column', async () => {
    const error = await expectLayerError(() => loadLayerFile(fixture('truncated.kml')), { code: 'layer-syntax', message: /unclosed/ });
    assert.ok(error.place.line && error.place.line >= 5);
  });

  it('KML without placemarks is refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(fixture('no-placemarks.kml')), { code: 'layer-empty', message: /no <Placemark>/ });
  });

  it('XML that is neither KML nor GPX is refused, naming its root element', async () => {
    await expectLayerError(() => loadLayerFile(scratchFile('page.kml', '<html><body>hello</body></html>')), { code: 'layer-format', message: /<html>/ });
  });

  it('a PNG renamed .kml is refused as a PNG image', async () => {
    await expectLayerError(() => loadLayerFile(join(scratch, 'misc', 'picture.kml')), { code: 'layer-format', message: /PNG image/ });
  });
});

describe('KMZ layers', () => {
  it('a KMZ is read from its doc.kml, ignoring images beside it', async () => {
    const layer = await loadLayerFile(binary('fences.kmz'));
    assert.deepEqual(layer.features.map((f) => f.properties?.name), ['Sunland Park fence', 'Vehicle barrier west', 'Port of entry']);
  });

  it('a KMZ without doc.kml is read from its first .kml file', async () => {
    const layer = await loadLayerFile(binary('boundary-named.kmz'));
    assert.deepEqual(layer.features.map((f) => [f.properties?.left, f.properties?.right]), [['US', 'MX'], ['US', 'MX']]);
  });

  it('network links to KML inside the archive are followed once each; links elsewhere are not fetched', async () => {
    const layer = await loadLayerFile(binary('linked-layers.kmz'));
    assert.deepEqual(layer.features.map((f) => f.properties?.name), ['Parallel 31°47′ N', 'Rio Grande at El Paso']);
  });

  it('a KMZ that only links to the network is refused, saying so', async () => {
    await expectLayerError(() => loadLayerFile(binary('remote-link.kmz')), { code: 'layer-empty', message: /NetworkLink.*does not fetch/ });
  });

  it('XXE inside a KMZ is refused, naming the archive entry', async () => {
    await expectLayerError(() => loadLayerFile(binary('xxe.kmz')), { code: 'layer-hostile', file: `${binary('xxe.kmz')} (doc.kml)`, line: 2 });
  });

  it('a zip bomb whose entry inflates past its declared size is stopped', async () => {
    await expectLayerError(() => loadLayerFile(binary('bomb-lying.kmz')), { code: 'layer-hostile', field: 'doc.kml', message: /more than the 1000 bytes its header declares/ });
  });

  it('an entry declaring 4 GiB is refused before inflating', async () => {
    await expectLayerError(() => loadLayerFile(binary('bomb-declared.kmz')), { code: 'layer-hostile', message: /4096 MiB/ });
  });

  it('a truncated KMZ is refused as a damaged archive', async () => {
    await expectLayerError(() => loadLayerFile(binary('truncated.kmz')), { code: 'layer-corrupt', message: /damaged/ });
  });

  it('a zip with neither KML nor a shapefile is refused, listing what it holds', async () => {
    await expectLayerError(() => loadLayerFile(binary('nothing-useful.zip')), { code: 'layer-format', message: /readme.txt, photo.png/ });
  });
});
