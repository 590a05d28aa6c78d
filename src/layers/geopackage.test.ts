import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LineString } from 'geojson';
import { fixtureFeatures, writeBinaryFixtures } from '../../test/helpers/layer-fixtures.js';
import { assertSameVertices } from '../../test/helpers/reprojected.js';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const scratch = mkdtempSync(join(tmpdir(), 'lindero-gpkg-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const gpkg = (name: string) => join(scratch, 'geopackage', name);

before(() => writeBinaryFixtures(scratch));

describe('GeoPackage layers', () => {
  it('boundary lines keep left/right/name/edges/provenance columns and the fid as id', async () => {
    const layer = await loadLayerFile(gpkg('boundary.gpkg'), { role: 'boundary' });
    assert.deepEqual(layer.features.map((f) => [f.id, f.properties?.name, f.properties?.left, f.properties?.right, f.properties?.edges]), [
      [1, 'Parallel 31°47′ N', 'US', 'MX', 'lonlat'], [2, 'Rio Grande at El Paso', 'US', 'MX', 'geodesic'],
    ]);
    assert.deepEqual((layer.features[0].geometry as LineString).coordinates, [[-108.208333, 31.783333], [-107.5, 31.783333], [-106.528, 31.783889]]);
  });

  it('territory polygons keep their territory column and hole', async () => {
    const layer = await loadLayerFile(gpkg('territories.gpkg'));
    assert.deepEqual(layer.features.map((f) => [f.properties?.territory, f.geometry.type]), [['US', 'Polygon'], ['MX', 'MultiPolygon']]);
  });

  it('fences keep names; a text "true" illustrative becomes a boolean', async () => {
    const layer = await loadLayerFile(gpkg('fences.gpkg'), { role: 'fence' });
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.properties?.illustrative]), [['Sunland Park fence', false], ['Vehicle barrier west', true]]);
  });

  it('every feature table is read, in gpkg_contents order', async () => {
    const layer = await loadLayerFile(gpkg('two-tables.gpkg'));
    assert.deepEqual(layer.features.map((f) => f.properties?.name), ['Parallel 31°47′ N', 'Rio Grande at El Paso', 'Sunland Park fence', 'Vehicle barrier west']);
  });

  it('a GeoPackage written by @ngageoint/geopackage (big-endian geometry header) is read', async () => {
    const { GeoPackageAPI } = await import('@ngageoint/geopackage');
    const path = join(scratch, 'ngageoint.gpkg');
    const writer = await GeoPackageAPI.create(path);
    writer.createFeatureTableFromProperties('fences', [{ name: 'name', dataType: 'TEXT' }, { name: 'illustrative', dataType: 'BOOLEAN' }]);
    for (const feature of fixtureFeatures('fences.geojson')) writer.addGeoJSONFeatureToGeoPackage(feature, 'fences');
    writer.close();
    const layer = await loadLayerFile(path);
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.properties?.illustrative]), [['Sunland Park fence', false], ['Vehicle barrier west', true]]);
    assert.deepEqual((layer.features[0].geometry as LineString).coordinates, [[-106.6, 31.7843], [-106.56, 31.7845], [-106.53, 31.7848]]);
  });

  it('the file is opened read-only: its bytes are unchanged, no journal appears, and a read-only file loads', async () => {
    const path = join(scratch, 'readonly.gpkg');
    copyFileSync(gpkg('fences.gpkg'), path);
    chmodSync(path, 0o444);
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const mtimeMs = statSync(path).mtimeMs;
    assert.equal((await loadLayerFile(path)).features.length, 2);
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), before);
    assert.equal(statSync(path).mtimeMs, mtimeMs);
    for (const suffix of ['-wal', '-shm', '-journal']) assert.equal(existsSync(path + suffix), false, suffix);
  });

  it('a table in UTM (EPSG:32613, as GDAL defines it) is read where it was drawn, to 1 mm, and said so', async () => {
    const layer = await loadLayerFile(gpkg('utm.gpkg'));
    assertSameVertices(layer.features, fixtureFeatures('fences.geojson'));
    assert.match(layer.notes?.[0] ?? '', /utm\.gpkg \(table 'fences'\): its Transverse Mercator projection \("WGS 84 \/ UTM zone 13N"\) undone/);
  });

  it('a table on a datum lindero does not convert (NAD27) is refused, naming table, system and datum', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('nad27.gpkg')), { code: 'layer-projection', field: 'fences', message: /'fences' is in "NAD27" \(EPSG:4267\).*North_American_Datum_1927/ });
  });

  it('a damaged geometry blob is refused, naming the table, row and column', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('bad-geometry.gpkg')), { code: 'layer-corrupt', feature: 1, field: 'geom', message: /fid = 2 of table 'fences'/ });
  });

  it('a WKB geometry claiming two billion points is refused without allocating them', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('huge-wkb-count.gpkg')), { code: 'layer-corrupt', feature: 0, message: /WKB is damaged/ });
  });

  it('an out-of-range coordinate is refused with the feature', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('bad-coordinates.gpkg')), {
      code: 'layer-coordinates', feature: 1, field: 'geometry.coordinates[1]', file: `${gpkg('bad-coordinates.gpkg')} (row fid = 2 of table 'fences')`,
    });
  });

  it('a feature table with no rows is refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('no-rows.gpkg')), { code: 'layer-empty' });
  });

  it('a truncated GeoPackage is refused as damaged', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('truncated.gpkg')), { code: 'layer-corrupt', message: /malformed/ });
  });

  it('a header claiming two billion pages, or a file cut after its header, is refused as damaged', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('page-count-huge.gpkg')), { code: 'layer-corrupt', file: gpkg('page-count-huge.gpkg') });
    await expectLayerError(() => loadLayerFile(gpkg('header-only.gpkg')), { code: 'layer-corrupt' });
  });

  it('a PNG renamed .gpkg and an empty .gpkg are refused by content', async () => {
    await expectLayerError(() => loadLayerFile(gpkg('picture.gpkg')), { code: 'layer-format', message: /PNG/ });
    await expectLayerError(() => loadLayerFile(gpkg('empty.gpkg')), { code: 'layer-empty' });
  });

  it('a SQLite database that is not a GeoPackage is refused', async () => {
    const path = join(scratch, 'plain.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE fixes (lat REAL, lon REAL)');
    db.close();
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-format', message: /not a GeoPackage/ });
  });

  it('a GeoPackage with only tiles is refused as having no feature tables', async () => {
    const path = join(scratch, 'tiles.gpkg');
    copyFileSync(gpkg('fences.gpkg'), path);
    const db = new Database(path);
    db.exec("UPDATE gpkg_contents SET data_type = 'tiles'");
    db.close();
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-empty', message: /fences \(tiles\)/ });
  });

  it('a feature "table" that is a SQL view is refused', async () => {
    const path = join(scratch, 'view.gpkg');
    copyFileSync(gpkg('fences.gpkg'), path);
    const db = new Database(path);
    db.exec("CREATE VIEW spin AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS fid, NULL AS geom FROM n; UPDATE gpkg_contents SET table_name = 'spin'; UPDATE gpkg_geometry_columns SET table_name = 'spin'");
    db.close();
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-structure', field: 'spin', message: /view/ });
  });
});
