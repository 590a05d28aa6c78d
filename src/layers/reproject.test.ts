import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Feature, LineString, Position } from 'geojson';
import GeographicLibMGRS from 'geographiclib-mgrs';
import { readWktCrs, type LayerCrs } from './crs.js';
import type { SourcedFeature } from './layer.js';
import { DENSIFY_TOLERANCE_M, MAX_ADDED_VERTICES, reprojectFeatures } from './reproject.js';

const utmWkt = (zone: number) => `PROJCS["WGS 84 / UTM zone ${zone}N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${zone * 6 - 183}],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]`;

function crs(wkt: string): LayerCrs {
  const verdict = readWktCrs(wkt);
  if ('refused' in verdict) assert.fail(verdict.refused);
  return verdict.crs;
}

const utm = (zone: number) => (lat: number, lon: number): Position => {
  const p = GeographicLibMGRS.UTMUPS.forward(lat, lon, zone);
  return [p.x, p.y];
};

function line(coordinates: Position[], properties: Record<string, unknown> = {}): SourcedFeature {
  return { feature: { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } } };
}

/** Metres from p to the straight segment a–b (all in projected metres). */
function offSegment(p: Position, a: Position, b: Position): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

describe('undoing a projection, segment by segment', () => {
  it('a 66 km segment straight in UTM stays straight in UTM: every point added lies within the tolerance of it', () => {
    const toUtm = utm(13);
    const [a, b] = [toUtm(31.783333, -108.208333), toUtm(31.783333, -107.5)];
    const features = [line([a, b])];
    reprojectFeatures(features, crs(utmWkt(13)), 'l.shp');
    const out = (features[0].feature.geometry as LineString).coordinates;
    assert.ok(out.length > 10, `${out.length} vertices`);
    // Each point, put back into UTM by GeographicLib, is on the segment as drawn (UTM's scale is 0.9996 there).
    const worst = Math.max(...out.map(([lon, lat]) => offSegment(toUtm(lat, lon), a, b)));
    assert.ok(worst < DENSIFY_TOLERANCE_M * 1.01, `${worst} m`);
    // Halfway, the straight UTM segment is some 50 m off the parallel both ends are on.
    assert.ok(Math.max(...out.map(([, lat]) => Math.abs(lat - 31.783333))) > 0.0004);
  });

  it('a feature whose edges are geodesics keeps only its vertices', () => {
    const toUtm = utm(13);
    const features = [line([toUtm(31.783333, -108.208333), toUtm(31.783333, -107.5)], { EDGES: 'geodesic' })];
    reprojectFeatures(features, crs(utmWkt(13)), 'l.shp');
    assert.equal((features[0].feature.geometry as LineString).coordinates.length, 2);
  });

  it('a segment across the antimeridian (UTM zone 60, the Bering Strait) is compared the short way round', () => {
    const toUtm = utm(60);
    const features = [line([toUtm(65.5, 179.5), toUtm(65.6, -179.5)])];
    // Its mirror image across the zone's central meridian (177°E), which crosses nothing, is divided alike.
    const mirror = [line([toUtm(65.5, 174.5), toUtm(65.6, 173.5)])];
    reprojectFeatures(features, crs(utmWkt(60)), 'bering.shp');
    reprojectFeatures(mirror, crs(utmWkt(60)), 'mirror.shp');
    const out = (features[0].feature.geometry as LineString).coordinates;
    assert.equal(out.length, (mirror[0].feature.geometry as LineString).coordinates.length);
    assert.ok(out.every(([lon]) => Math.abs(lon) > 179), JSON.stringify(out));
  });

  it('a layer whose segments would need millions of points to stay where drawn is refused, not grown without end', () => {
    const webMercator = crs('PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0.0 +lon_0=0.0 +x_0=0.0 +y_0=0 +k=1.0 +units=m +nadgrids=@null +wktext +no_defs"]]');
    // Diagonals across the map: straight in Web Mercator, far from straight in longitude/latitude.
    const zigzag: Position[] = Array.from({ length: 1_000 }, (_, i) => [i % 2 ? 19e6 : -19e6, i % 2 ? 15e6 : -15e6]);
    assert.throws(() => reprojectFeatures([line(zigzag)], webMercator, 'world.shp'), { code: 'layer-too-large', message: new RegExp(`more than ${MAX_ADDED_VERTICES}`) });
  });

  it('points and a third ordinate are kept; longitude/latitude on NAD83 only gains the datum uncertainty', () => {
    const features: SourcedFeature[] = [{ feature: { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...utm(13)(31.7, -106.5), 1200] } } }];
    reprojectFeatures(features, crs(utmWkt(13)), 'p.shp');
    const [lon, lat, z] = (features[0].feature as Feature<{ type: 'Point'; coordinates: Position }>).geometry.coordinates;
    assert.ok(Math.abs(lon + 106.5) < 1e-9 && Math.abs(lat - 31.7) < 1e-9 && z === 1200);
    const geographic = [line([[-106.5, 31.7], [-106.4, 31.8]])];
    reprojectFeatures(geographic, crs('GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'), 'g.shp');
    assert.deepEqual((geographic[0].feature.geometry as LineString).coordinates, [[-106.5, 31.7], [-106.4, 31.8]]);
    assert.equal(geographic[0].datumUncertaintyM, 2);
  });
});
