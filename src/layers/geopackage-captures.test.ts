// GeoPackages written by other tools (test/fixtures/layers/captures/SOURCES): geopackage-js's test files,
// one holding an older EPSG definition of Web Mercator, one a GDAL sample in an undefined system.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Position } from 'geojson';
import geodesicLib from 'geographiclib-geodesic';
import { expectLayerError } from '../../test/helpers/layer-errors.js';
import { decodeGpkgGeometry } from './gpkg-geometry.js';
import { loadLayerFile } from './node.js';

const geod = geodesicLib.Geodesic.WGS84;
const capture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/layers/captures/geopackage-js/${name}`, import.meta.url));

describe('GeoPackages from other tools (ngageoint/geopackage-js test data)', () => {
  it('a multipolygon with holes keeps every ring', async () => {
    const layer = await loadLayerFile(capture('multipleholes.gpkg'));
    const g = layer.features[0].geometry as MultiPolygon;
    assert.deepEqual(g.coordinates.map((polygon) => polygon.length), [3, 2]);
  });

  it('one table of polygons, a line and points is read feature by feature with its names', async () => {
    const layer = await loadLayerFile(capture('test_shapes_two_points.gpkg'));
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.geometry.type]), [
      ['box1', 'Polygon'], ['box2', 'Polygon'], ['line', 'LineString'], ['point', 'Point'], ['point2', 'Point'],
    ]);
  });

  it("Natural Earth's rivers in EPSG's first Web Mercator (a sphere, 'Popular Visualisation Datum') are read where the rivers are", async () => {
    const layer = await loadLayerFile(capture('rivers.gpkg'));
    assert.equal(layer.features.length, 357);
    assert.match(layer.notes?.[0] ?? '', /table 'FEATURESriversds'\): its Mercator projection \("WGS 84 \/ Pseudo-Mercator"\) undone$/);
    // The 1:110 million rivers pass within a few km of the cities on them; read as ellipsoidal Mercator they
    // would be 15–20 km north or south.
    const nearest = (river: string, lat: number, lon: number) => Math.min(...layer.features
      .filter((f) => f.properties?.property_1 === river)
      .flatMap((f) => (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : (f.geometry as { coordinates: Position[][] }).coordinates))
      .flat()
      .map(([x, y]) => geod.Inverse(lat, lon, y, x).s12 as number));
    assert.ok(nearest('Thames', 51.5074, -0.1278) < 5_000);
    assert.ok(nearest('Rio Grande', 31.7619, -106.485) < 5_000);
  });

  it("a table in GDAL's 'undefined geographic' system is refused, saying the datum is unknown", async () => {
    await expectLayerError(() => loadLayerFile(capture('gdal_sample.gpkg')), { code: 'layer-projection', message: /'point2d' is in "Undefined geographic SRS" \(NONE:0\).*undefined, so its datum and units are unknown/ });
  });

  it('a curved geometry (a CircularString) is refused as a type lindero does not read, not as damage', () => {
    const wkb = Buffer.alloc(5 + 4 + 3 * 16);
    wkb.writeUInt8(1, 0);
    wkb.writeUInt32LE(8, 1);
    wkb.writeUInt32LE(3, 5);
    const blob = Buffer.concat([Buffer.from([0x47, 0x50, 0, 1, 0xe6, 0x10, 0, 0]), wkb]);
    const decoded = decodeGpkgGeometry(blob);
    assert.equal(decoded.ok, false);
    if (!decoded.ok) {
      assert.equal(decoded.unsupported, true);
      assert.match(decoded.reason, /CircularString \(WKB type 8\).*CONVERT_TO_LINEAR/);
    }
  });
});
