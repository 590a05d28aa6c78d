import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import geodesicLib from 'geographiclib-geodesic';
import GeographicLibMGRS from 'geographiclib-mgrs';
import { seeded } from '../../test/helpers/geodesic-oracle.js';
import { epsgCodeOf, epsgWkt, readWktCrs, type LayerCrs } from './crs.js';

const geod = geodesicLib.Geodesic.WGS84;
const captures = new URL('../../test/fixtures/layers/captures/', import.meta.url);
const capture = (name: string) => readFileSync(new URL(name, captures), 'utf8');

function crsOf(wkt: string): LayerCrs {
  const verdict = readWktCrs(wkt);
  if ('refused' in verdict) assert.fail(`refused: ${verdict.refused}`);
  return verdict.crs;
}

function refusal(wkt: string): string {
  const verdict = readWktCrs(wkt);
  if ('crs' in verdict) assert.fail(`accepted as ${verdict.crs.name}`);
  return verdict.refused;
}

/** Metres between where the layer's CRS puts (x, y) and where the oracle says it is. */
function missM(crs: LayerCrs, x: number, y: number, lat: number, lon: number): number {
  const [gotLon, gotLat] = crs.toLonLat!(x, y);
  return geod.Inverse(lat, lon, gotLat, gotLon).s12 as number;
}

const WGS84_A = 6378137, WGS84_F = 1 / 298.257223563, GRS80_F = 1 / 298.257222101;
const rad = (deg: number) => (deg * Math.PI) / 180;

// EPSG Guidance Note 7-2's forward formulas, written here independently of proj4, as the oracle for the
// projections GeographicLib's JavaScript port does not have.
function conicTerms(f: number) {
  const e = Math.sqrt(f * (2 - f));
  const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - e * e * Math.sin(phi) ** 2);
  const t = (phi: number) => Math.tan(Math.PI / 4 - phi / 2) / ((1 - e * Math.sin(phi)) / (1 + e * Math.sin(phi))) ** (e / 2);
  const q = (phi: number) => {
    const s = Math.sin(phi);
    return (1 - e * e) * (s / (1 - e * e * s * s) - (1 / (2 * e)) * Math.log((1 - e * s) / (1 + e * s)));
  };
  return { e, m, t, q };
}

/** Lambert Conic Conformal (2SP), GN 7-2 §3.2.1.1. */
function lcc2sp(f: number, lat0: number, lon0: number, lat1: number, lat2: number, fe: number, fn: number) {
  const { m, t } = conicTerms(f);
  const [p0, p1, p2] = [rad(lat0), rad(lat1), rad(lat2)];
  const n = (Math.log(m(p1)) - Math.log(m(p2))) / (Math.log(t(p1)) - Math.log(t(p2)));
  const F = m(p1) / (n * t(p1) ** n);
  const r0 = WGS84_A * F * t(p0) ** n;
  return (lat: number, lon: number): [number, number] => {
    const r = WGS84_A * F * t(rad(lat)) ** n, theta = n * (rad(lon) - rad(lon0));
    return [fe + r * Math.sin(theta), fn + r0 - r * Math.cos(theta)];
  };
}

/** Albers Equal Area, GN 7-2 §3.4.1. */
function albers(f: number, lat0: number, lon0: number, lat1: number, lat2: number, fe: number, fn: number) {
  const { m, q } = conicTerms(f);
  const [p0, p1, p2] = [rad(lat0), rad(lat1), rad(lat2)];
  const n = (m(p1) ** 2 - m(p2) ** 2) / (q(p2) - q(p1));
  const C = m(p1) ** 2 + n * q(p1);
  const rho0 = (WGS84_A * Math.sqrt(C - n * q(p0))) / n;
  return (lat: number, lon: number): [number, number] => {
    const theta = n * (rad(lon) - rad(lon0));
    const rho = (WGS84_A * Math.sqrt(C - n * q(rad(lat)))) / n;
    return [fe + rho * Math.sin(theta), fn + rho0 - rho * Math.cos(theta)];
  };
}

/** Mercator (1SP) on the ellipsoid, GN 7-2 §3.5.1; and Popular Visualisation Pseudo Mercator on the sphere of radius a. */
function mercator(f: number, lon0: number): (lat: number, lon: number) => [number, number] {
  const { e } = conicTerms(f);
  return (lat, lon) => {
    const phi = rad(lat), s = Math.sin(phi);
    return [WGS84_A * (rad(lon) - rad(lon0)), WGS84_A * Math.log(Math.tan(Math.PI / 4 + phi / 2) * ((1 - e * s) / (1 + e * s)) ** (e / 2))];
  };
}
const pseudoMercator = (lat: number, lon: number): [number, number] => [WGS84_A * rad(lon), WGS84_A * Math.log(Math.tan(Math.PI / 4 + rad(lat) / 2))];

/** The worst miss over n random points in the box, forward by the oracle, back by the CRS. */
function worstMiss(crs: LayerCrs, forward: (lat: number, lon: number) => [number, number], box: [number, number, number, number], n = 2_000, seed = 1): number {
  const rnd = seeded(seed);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const lat = box[0] + (box[1] - box[0]) * rnd(), lon = box[2] + (box[3] - box[2]) * rnd();
    const [x, y] = forward(lat, lon);
    worst = Math.max(worst, missM(crs, x, y, lat, lon));
  }
  return worst;
}

describe('coordinate systems of layer files (WKT)', () => {
  it('WGS 84 longitude/latitude in ESRI WKT, OGC WKT 1 and WKT 2 is read as it is, adding nothing', () => {
    for (const wkt of [
      capture('shapefile-js/ipra_dresden_polygon.prj'),
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      'GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north],AXIS["geodetic longitude (Lon)",east],ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",4326]]',
    ]) {
      const crs = crsOf(wkt);
      assert.equal(crs.toLonLat, null);
      assert.equal(crs.datum.uncertaintyM, 0);
    }
  });

  it('NAD83 is taken as WGS 84 with 2 m added; GDA94 with 2.5 m; the ITRF-aligned frames with 1 m', () => {
    assert.equal(crsOf('GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]').datum.uncertaintyM, 2);
    assert.equal(crsOf('GEOGCS["NAD83(2011)",DATUM["NAD83_National_Spatial_Reference_System_2011",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]').datum.family, 'NAD83');
    assert.equal(crsOf(capture('shapefile-js/LGA_2013_AUST.prj')).datum.uncertaintyM, 2.5);
    assert.equal(crsOf('GEOGCS["Mexico ITRF2008",DATUM["Mexico_ITRF2008",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]').datum.uncertaintyM, 1);
  });

  const refused: [string, string, RegExp][] = [
    ['NAD27 (Clarke 1866), whose shift needs a grid', 'GEOGCS["GCS_North_American_1927",DATUM["D_North_American_1927",SPHEROID["Clarke_1866",6378206.4,294.9786982]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', /North_American_1927.*does not convert/],
    ['OSGB 1936 (GDAL test data)', 'PROJCS["OSGB 1936 / British National Grid",GEOGCS["OSGB 1936",DATUM["OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",49],PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],PARAMETER["false_northing",-100000],UNIT["Meter",1]]', /OSGB_1936/],
    ['a NAD83 named on another ellipsoid', 'GEOGCS["odd",DATUM["North_American_Datum_1983",SPHEROID["Clarke 1866",6378206.4,294.9786982]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', /ellipsoid a = 6378206.4/],
    ['WGS 84 in grads', 'GEOGCS["WGS 84 grads",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["grad",0.015707963267949]]', /"grad"/],
    ['WGS 84 from Paris', 'GEOGCS["WGS 84 Paris",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Paris",2.33722917],UNIT["degree",0.0174532925199433]]', /Paris/],
    ['a compound CRS', 'COMPD_CS["WGS 84 + EGM96 height",GEOGCS["WGS 84",DATUM["WGS_1984"]],VERT_CS["EGM96 height"]]', /COMPD_CS/],
    ['a projection lindero does not undo (polar stereographic)', 'PROJCS["WGS 84 / Antarctic Polar Stereographic",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Polar_Stereographic"],PARAMETER["latitude_of_origin",-71],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]', /Polar.*does not undo/i],
    ['a method proj4 cannot name (the pseudo-Mercator by its EPSG method name, with no code)', 'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Popular_Visualisation_Pseudo_Mercator"],PARAMETER["central_meridian",0],UNIT["metre",1]]', /"Popular_Visualisation_Pseudo_Mercator", which lindero does not undo/],
    ['an HTML page saved as a .prj (shapefile-js test data)', capture('shapefile-js/htmlprj.prj'), /not a WKT/],
    ['not WKT at all', 'EPSG:4326 please', /not a WKT/],
  ];
  for (const [what, wkt, reason] of refused) it(`${what} is refused with the reason`, () => assert.match(refusal(wkt), reason));

  it('UTM (Transverse Mercator) is undone within 1 mm of GeographicLib, north and south, across the zone and 1° beyond it (as far as GeographicLib’s UTM goes)', () => {
    const utm = (zone: number, south: boolean) => crsOf(`PROJCS["WGS_1984_UTM_Zone_${zone}${south ? 'S' : 'N'}",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",${south ? 10000000 : 0}.0],PARAMETER["Central_Meridian",${zone * 6 - 183}.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`);
    const viaGeographicLib = (zone: number) => (lat: number, lon: number): [number, number] => {
      const p = GeographicLibMGRS.UTMUPS.forward(lat, lon, zone);
      return [p.x, p.y];
    };
    const north = utm(13, false);
    assert.equal(north.projection, 'Transverse Mercator');
    assert.ok(worstMiss(north, viaGeographicLib(13), [0, 84, -108, -102]) < 0.001);
    assert.ok(worstMiss(north, viaGeographicLib(13), [0, 70, -109, -101], 2_000, 2) < 0.001);
    assert.ok(worstMiss(utm(55, true), viaGeographicLib(55), [-80, 0, 144, 150], 2_000, 3) < 0.001);
  });

  it('Lambert Conformal Conic (a real state-plane .prj, ESRI and GeoServer WKT) is undone within 1 mm of the EPSG formulas', () => {
    // Both name NAD83 / Massachusetts Mainland (EPSG:26986); GeoServer writes the standard parallels the other way round.
    const forward = lcc2sp(GRS80_F, 41, -71.5, 41.71666666666667, 42.68333333333333, 200_000, 750_000);
    for (const prj of [capture('shapefile-js/senate.prj'), capture('shapefile-js/train_stations.prj')]) {
      const crs = crsOf(prj);
      assert.equal(crs.projection, 'Lambert Conformal Conic');
      assert.equal(crs.datum.family, 'NAD83');
      assert.ok(worstMiss(crs, forward, [40.5, 43.5, -74, -69]) < 0.001);
    }
  });

  it('Albers Equal Area (NAD83 / Conus Albers) is undone within 1 mm of the EPSG formulas', () => {
    const crs = crsOf('PROJCS["USA_Contiguous_Albers_Equal_Area_Conic_USGS_version",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Albers"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-96.0],PARAMETER["Standard_Parallel_1",29.5],PARAMETER["Standard_Parallel_2",45.5],PARAMETER["Latitude_Of_Origin",23.0],UNIT["Meter",1.0]]');
    assert.equal(crs.projection, 'Albers Equal Area');
    assert.ok(worstMiss(crs, albers(GRS80_F, 23, -96, 29.5, 45.5, 0, 0), [24, 50, -125, -66]) < 0.001);
  });

  it('Mercator on the ellipsoid, and Web Mercator in its GDAL, EPSG and ESRI forms, are undone within 1 mm', () => {
    const world = crsOf('PROJCS["WGS 84 / World Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]');
    assert.ok(worstMiss(world, mercator(WGS84_F, 0), [-80, 80, -180, 180]) < 0.001);
    const geog = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';
    for (const wkt of [
      `PROJCS["WGS 84 / Pseudo-Mercator",${geog},PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["X",EAST],AXIS["Y",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0.0 +lon_0=0.0 +x_0=0.0 +y_0=0 +k=1.0 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]`,
      // EPSG's own name for the method, with the code (proj4 knows EPSG:3857 by number; without it the name is refused).
      `PROJCS["WGS 84 / Pseudo-Mercator",${geog},PROJECTION["Popular_Visualisation_Pseudo_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",0],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","3857"]]`,
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
    ]) assert.ok(worstMiss(crsOf(wkt), pseudoMercator, [-80, 80, -180, 180]) < 0.001);
  });

  it('a state plane in US survey feet (NAD83 / Texas Central) is undone within 1 mm', () => {
    const crs = crsOf('PROJCS["NAD_1983_StatePlane_Texas_Central_FIPS_4203_Feet",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",2296583.333333333],PARAMETER["False_Northing",9842500.0],PARAMETER["Central_Meridian",-100.3333333333333],PARAMETER["Standard_Parallel_1",30.11666666666667],PARAMETER["Standard_Parallel_2",31.88333333333333],PARAMETER["Latitude_Of_Origin",29.66666666666667],UNIT["Foot_US",0.3048006096012192]]');
    const usFt = 1200 / 3937;
    const metres = lcc2sp(GRS80_F, 29.66666666666667, -100.3333333333333, 30.11666666666667, 31.88333333333333, 2296583.333333333 * usFt, 9842500 * usFt);
    assert.ok(worstMiss(crs, (lat, lon) => metres(lat, lon).map((v) => v / usFt) as [number, number], [29, 33, -104, -96]) < 0.001);
  });

  it('the EPSG systems known by number (a GeoJSON crs member) are the systems EPSG defines', () => {
    for (const name of ['EPSG:26913', 'urn:ogc:def:crs:EPSG::26913', 'urn:ogc:def:crs:EPSG:6.6:26913', 'http://www.opengis.net/def/crs/EPSG/0/26913']) assert.equal(epsgCodeOf(name), 26913, name);
    assert.equal(epsgCodeOf('urn:ogc:def:crs:OGC:1.3:CRS84'), null);
    const viaGeographicLib = (zone: number) => (lat: number, lon: number): [number, number] => {
      const p = GeographicLibMGRS.UTMUPS.forward(lat, lon, zone);
      return [p.x, p.y];
    };
    assert.ok(worstMiss(crsOf(epsgWkt(32613)!), viaGeographicLib(13), [1, 80, -108, -102], 500) < 0.001);
    assert.ok(worstMiss(crsOf(epsgWkt(32755)!), viaGeographicLib(55), [-79, -1, 144, 150], 500) < 0.001);
    const nad83Utm = crsOf(epsgWkt(26914)!);
    assert.equal(nad83Utm.datum.family, 'NAD83');
    assert.ok(worstMiss(nad83Utm, viaGeographicLib(14), [25, 49, -102, -96], 500) < 0.001);
    assert.ok(worstMiss(crsOf(epsgWkt(3857)!), pseudoMercator, [-80, 80, -180, 180], 500) < 0.001);
    assert.ok(worstMiss(crsOf(epsgWkt(5070)!), albers(GRS80_F, 23, -96, 29.5, 45.5, 0, 0), [24, 50, -125, -66], 500) < 0.001);
    assert.equal(crsOf(epsgWkt(4269)!).toLonLat, null);
    for (const code of [2056, 27700, 4267, 32600, 32661, 26924]) assert.equal(epsgWkt(code), null, String(code));
  });
});
