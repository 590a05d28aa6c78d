// Other people's shapefiles (test/fixtures/layers/captures/SOURCES): the shapefile package's own test files,
// with the GeoJSON its authors expect, and shapefile-js's collection of files from the field — a state-plane
// layer, a GeoServer download, an Australian layer on GDA94, zero-padded files and broken companions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Feature, Geometry } from 'geojson';
import geodesicLib from 'geographiclib-geodesic';
import { expectLayerError } from '../../test/helpers/layer-errors.js';
import { finishLayer, type LoadedLayer } from './layer.js';
import { loadLayerFile } from './node.js';

const geod = geodesicLib.Geodesic.WGS84;
const captures = (path: string) => fileURLToPath(new URL(`../../test/fixtures/layers/captures/${path}`, import.meta.url));
const load = (path: string): Promise<LoadedLayer> => loadLayerFile(captures(path));

/** Geodesic area of a polygon's rings on WGS 84, holes subtracted, square metres. */
function areaM2(g: Geometry): number {
  assert.ok(g.type === 'Polygon' || g.type === 'MultiPolygon');
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let total = 0;
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      const p = geod.Polygon(false);
      for (const [lon, lat] of ring.slice(0, -1)) p.AddPoint(lat, lon);
      const a = Math.abs(p.Compute(false, true).area as number);
      total += i === 0 ? a : -a;
    });
  }
  return total;
}

function bboxOf(features: Feature[]): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of features) visit((f.geometry as { coordinates: unknown }).coordinates);
  return box;
}

describe("the shapefile package's own test files (mbostock/shapefile)", () => {
  const expected = (name: string) => JSON.parse(readFileSync(captures(`mbostock-shapefile/${name}.json`), 'utf8')) as { features: Feature[] };
  for (const name of ['points', 'multipoints', 'polylines', 'polygons', 'null', 'boolean-property', 'date-property', 'mixed-properties', 'number-null-property', 'utf8-property', 'latin1-property']) {
    it(`${name}: the geometries its authors expect, records without a shape left out`, async () => {
      const layer = await load(`mbostock-shapefile/${name}.shp`);
      const want = expected(name).features.filter((f) => f.geometry !== null).map((f) => f.geometry);
      assert.deepEqual(layer.features.map((f) => f.geometry), want);
    });
  }

  it('text in UTF-8 (named by its .cpg) and in dBASE\'s default Windows-1252 is read as written', async () => {
    assert.equal((await load('mbostock-shapefile/utf8-property.shp')).features[0].properties?.['☃'], 'ηελλο ςορλδ');
    assert.equal((await load('mbostock-shapefile/latin1-property.shp')).features[0].properties?.name, 'México');
  });

  it('a shapefile with no records is an empty layer, said so', async () => {
    await expectLayerError(() => load('mbostock-shapefile/empty.shp'), { code: 'layer-empty', message: /no records/ });
  });
});

describe("shapefiles from the field (calvinmetcalf/shapefile-js's test data)", () => {
  it('Massachusetts senate districts in NAD83 / Massachusetts Mainland (Lambert Conformal Conic) are read in longitude/latitude, and said so', async () => {
    const layer = await load('shapefile-js/senate.shp');
    assert.equal(layer.features.length, 40);
    const [west, south, east, north] = bboxOf(layer.features);
    assert.ok(west > -73.6 && east < -69.8 && south > 41.2 && north < 43, `bbox ${[west, south, east, north]}`);
    // The file's own SHAPE_AREA is each district's area in the projection (whose scale is within 1e-4 of 1
    // there); the geodesic areas of the districts as read agree to within 0.2 %, half of them within 0.05 %.
    const misses = layer.features.map((f) => Math.abs(areaM2(f.geometry) / (f.properties?.SHAPE_AREA as number) - 1)).sort((a, b) => a - b);
    assert.ok(misses[misses.length - 1] < 2e-3 && misses[misses.length >> 1] < 5e-4, `area misses ${misses[misses.length >> 1]}, ${misses[misses.length - 1]}`);
    assert.equal(layer.notes?.length, 1);
    assert.match(layer.notes![0], /senate\.shp: its Lambert Conformal Conic projection .* undone; its datum "D_North_American_1983" \(NAD83\) taken as WGS 84, adding ±2 m/);
    for (const f of layer.features) assert.equal(f.properties?.uncertainty_m, 2);
  });

  it('the same districts zipped with an upper-case .DBF give the same features', async () => {
    const zipped = await load('shapefile-js/mixedcase.zip');
    const plain = await load('shapefile-js/senate.shp');
    assert.deepEqual(zipped.features.map((f) => [f.properties?.SEN_DIST, f.geometry]), plain.features.map((f) => [f.properties?.SEN_DIST, f.geometry]));
  });

  it("a GeoServer download (.cst for the encoding, text padded with NUL bytes, GeoTools' WKT) reads clean", async () => {
    const layer = await load('shapefile-js/train_stations.zip');
    assert.equal(layer.features.length, 361);
    const river = layer.features.find((f) => f.properties?.station === 'RIVER WORKS');
    assert.equal(river?.properties?.amtrak, null);
    assert.equal(river?.properties?.c_railstat, 'Y');
    const [west, south, east, north] = bboxOf(layer.features);
    assert.ok(west > -73.6 && east < -69.8 && south > 41.2 && north < 43, `bbox ${[west, south, east, north]}`);
    assert.match(layer.notes![0], /train_stations\.shp\): its Lambert Conformal Conic projection \("NAD83 \/ Massachusetts Mainland"\) undone/);
  });

  it('an Australian layer on GDA94 is taken as WGS 84 with 2.5 m added; its area agrees with the file\'s own to 1e-7', async () => {
    const layer = await load('shapefile-js/LGA_2013_AUST.shp');
    const [island] = layer.features;
    assert.equal(island.properties?.LGA_NAME13, 'Kangaroo Island (DC)');
    assert.ok(Math.abs(areaM2(island.geometry) / ((island.properties?.AREA_SQKM as number) * 1e6) - 1) < 1e-7);
    assert.equal(island.properties?.uncertainty_m, 2.5);
    assert.match(layer.notes![0], /GDA94/);
  });

  it("a datum's uncertainty joins the one a feature states (σ² = σ_stated² + σ_datum²), under its dBASE name too", () => {
    const line = (properties: Record<string, unknown>) => ({
      feature: { type: 'Feature' as const, properties, geometry: { type: 'LineString' as const, coordinates: [[0, 0], [1, 1]] } },
      datumUncertaintyM: 2.5,
    });
    const layer = finishLayer([line({ UNCERTAINT: 6 }), line({ uncertainty_m: '6' }), line({}), line({ uncertainty_m: 'about 6' })], 'f.shp', '');
    assert.deepEqual(layer.features.map((f) => f.properties?.uncertainty_m), [6.5, 6.5, 2.5, 'about 6']);
  });

  it('files padded with zero bytes after their last record are read whole (a German and a Canadian export)', async () => {
    assert.equal((await load('shapefile-js/ipra_dresden_polygon.shp')).features.length, 1);
    const zipped = await load('shapefile-js/T8Th4_6n.zip');
    assert.equal(zipped.features.length, 1);
    assert.equal(zipped.features[0].geometry.type, 'LineString');
  });

  it('text in UTF-8 and in Windows-1250 (named by code page) is read as written', async () => {
    assert.equal((await load('shapefile-js/utf.shp')).features[0].properties?.field, '💩');
    assert.equal((await load('shapefile-js/codepage.shp')).features[1].properties?.field, 'Hněvošický háj');
  });

  it('a pipeline along the border with a zero-length record loads as a fence beside the shipped boundary', async () => {
    const layer = await load('shapefile-js/zero-len-line.zip');
    assert.equal(layer.features.length, 2);
    assert.equal(layer.features[0].properties?.Operator, 'El Paso Natural Gas Co');
  });

  it('broken companions are named: an HTML page saved as the .prj, or as the .cpg (quoted short), a dBASE table named .zip', async () => {
    await expectLayerError(() => load('shapefile-js/htmlprj.shp'), { code: 'layer-projection', file: captures('shapefile-js/htmlprj.prj'), message: /not a WKT coordinate system/ });
    const error = await expectLayerError(() => load('shapefile-js/htmlcpg.shp'), { code: 'layer-encoding', file: captures('shapefile-js/htmlcpg.cpg'), message: /names the text encoding "<!DOCTYPE html>/ });
    assert.ok(error.message.length < 200, error.message);
    await expectLayerError(() => load('shapefile-js/badzip.zip'), { code: 'layer-not-found', file: captures('shapefile-js/badzip.zip'), message: /dBASE attribute table.*badzip\.shp, is not beside it/ });
  });
});
