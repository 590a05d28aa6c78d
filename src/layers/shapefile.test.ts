import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LineString, Polygon } from 'geojson';
import { fixtureFeatures, writeBinaryFixtures } from '../../test/helpers/layer-fixtures.js';
import { assertSameVertices } from '../../test/helpers/reprojected.js';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const scratch = mkdtempSync(join(tmpdir(), 'lindero-shp-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const shp = (name: string) => join(scratch, 'shapefile', name);

before(() => writeBinaryFixtures(scratch));

describe('shapefile layers', () => {
  it('boundary lines keep LEFT/RIGHT/NAME/EDGES/PROVENANCE under lower-case names, decoded as the .cpg says (UTF-8)', async () => {
    const layer = await loadLayerFile(shp('boundary.shp'), { role: 'boundary' });
    assert.deepEqual(layer.features[0].properties, {
      name: 'Parallel 31°47′ N', left: 'US', right: 'MX', edges: 'lonlat', provenance: 'test fixture, simplified from the 1853 treaty line',
    });
    assert.deepEqual((layer.features[0].geometry as LineString).coordinates, [[-108.208333, 31.783333], [-107.5, 31.783333], [-106.528, 31.783889]]);
    assert.equal(layer.features[1].geometry.type, 'MultiLineString');
    assert.equal(layer.features[1].properties?.edges, 'geodesic');
  });

  it('territory polygons keep TERRITORY and their hole; without a .cpg text is Windows-1252', async () => {
    const layer = await loadLayerFile(shp('territories.shp'));
    assert.deepEqual(layer.features.map((f) => [f.properties?.territory, f.properties?.name]), [['US', 'United States (part)'], ['MX', 'México (parte)']]);
    const mexico = layer.features[1].geometry as Polygon;
    assert.equal(mexico.type, 'Polygon');
    assert.equal(mexico.coordinates.length, 2, 'outer ring and hole');
  });

  it('fences without a .prj are taken as WGS84; the 10-character ILLUSTRATI field becomes illustrative', async () => {
    const layer = await loadLayerFile(shp('fences.shp'), { role: 'fence' });
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.properties?.illustrative, f.properties?.HEIGHT_M]), [
      ['Sunland Park fence', false, 4.5], ['Vehicle barrier west', true, 5.5],
    ]);
  });

  it('the .shx or .dbf path of a shapefile loads the shapefile', async () => {
    assert.equal((await loadLayerFile(shp('fences.shx'))).features.length, 2);
    assert.equal((await loadLayerFile(shp('fences.dbf'))).features.length, 2);
  });

  it('upper-case file names (FENCES.SHP with FENCES.DBF) are found', async () => {
    assert.equal((await loadLayerFile(shp('FENCES_UPPER.SHP'))).features[0].properties?.name, 'Sunland Park fence');
  });

  it('a zipped shapefile in a folder is read, ignoring __MACOSX resource forks', async () => {
    const layer = await loadLayerFile(join(scratch, 'zip', 'boundary-shapefile.zip'));
    assert.deepEqual(layer.features.map((f) => f.properties?.name), ['Parallel 31°47′ N', 'Rio Grande at El Paso']);
  });

  it('a layer in UTM (a projected .prj) is read where it was drawn, to 1 mm, in a folder or a zip; long segments stay straight in UTM', async () => {
    const fences = await loadLayerFile(shp('utm.shp'));
    assertSameVertices(fences.features, fixtureFeatures('fences.geojson'));
    assert.match(fences.notes?.[0] ?? '', /utm\.shp: its Transverse Mercator projection \("WGS_1984_UTM_Zone_13N"\) undone$/);
    const boundary = await loadLayerFile(join(scratch, 'zip', 'utm-shapefile.zip'));
    // The 66 km along the parallel 31°47′ N is straight in UTM, so no longer the parallel: points are added
    // along it, and none strays more than the tolerance from the straight UTM segment.
    assert.ok(assertSameVertices(boundary.features, fixtureFeatures('boundary-lines.geojson')) > 10);
  });

  it('a geographic .prj on another datum (NAD27) is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('nad27.shp')), { code: 'layer-projection', message: /North_American_1927.*does not convert/ });
  });

  it('metre coordinates without a .prj are refused with advice to reproject', async () => {
    await expectLayerError(() => loadLayerFile(shp('metres-no-prj.shp')), { code: 'layer-coordinates', feature: 0, message: /reproject/ });
  });

  it('a header claiming a 2 GB file is refused without allocating it', async () => {
    await expectLayerError(() => loadLayerFile(shp('header-2gb.shp')), { code: 'layer-corrupt', byte: 24, message: /2147483648 bytes long/ });
  });

  it('a record claiming gigabytes of content is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('record-huge.shp')), { code: 'layer-corrupt', byte: 104, message: /record 1 claims 2147483646 bytes/ });
  });

  it('a record claiming two billion points is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('parts-huge.shp')), { code: 'layer-corrupt', message: /2147483647 points/ });
  });

  it('a truncated .shp is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('truncated.shp')), { code: 'layer-corrupt', message: /truncated/ });
  });

  it('a .dbf claiming two billion records is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('dbf-count-huge.shp')), { code: 'layer-corrupt', file: shp('dbf-count-huge.dbf'), message: /2147483648 records/ });
  });

  it('a .dbf with fewer records than shapes is refused', async () => {
    await expectLayerError(() => loadLayerFile(shp('dbf-fewer.shp')), { code: 'layer-corrupt', message: /1 attribute record but .* 2 shapes/ });
  });

  it('a .shp without its .dbf is refused, naming the missing file', async () => {
    await expectLayerError(() => loadLayerFile(shp('no-dbf.shp')), { code: 'layer-structure', message: /no-dbf\.dbf is missing/ });
  });

  it('a shapefile with no records is refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(shp('no-records.shp')), { code: 'layer-empty', message: /no records/ });
  });

  it('an empty .shp file is refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(shp('empty.shp')), { code: 'layer-empty', message: /0 bytes/ });
  });

  it('a PNG renamed .shp is refused as a PNG image', async () => {
    await expectLayerError(() => loadLayerFile(shp('picture.shp')), { code: 'layer-format', message: /PNG/ });
  });
});
