import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgePrj } from './prj.js';

describe('.prj coordinate systems', () => {
  const accepted: [string, string][] = [
    ['ESRI WKT for WGS 84', 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'],
    ['OGC WKT 1 for EPSG:4326', 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'],
    ['WKT 2 with the WGS 84 datum ensemble', 'GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north],AXIS["geodetic longitude (Lon)",east],ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",4326]]'],
  ];
  for (const [what, wkt] of accepted) {
    it(`${what} is WGS84 longitude/latitude`, () => assert.deepEqual(judgePrj(wkt), { wgs84: true }));
  }

  const refused: [string, string, RegExp][] = [
    ['UTM zone 13N', 'PROJCS["WGS_1984_UTM_Zone_13N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]', /projected.*UTM_Zone_13N/],
    ['Web Mercator (WKT 2)', 'PROJCRS["WGS 84 / Pseudo-Mercator",BASEGEOGCRS["WGS 84",DATUM["World Geodetic System 1984"]]]', /projected/],
    ['NAD83 geographic', 'GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', /D_North_American_1983/],
    ['WGS 84 in grads', 'GEOGCS["WGS 84 grads",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["grad",0.015707963267949]]', /"grad"/],
    ['WGS 84 from Paris', 'GEOGCS["WGS 84 Paris",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Paris",2.33722917],UNIT["degree",0.0174532925199433]]', /Paris/],
    ['a compound CRS', 'COMPD_CS["WGS 84 + EGM96 height",GEOGCS["WGS 84",DATUM["WGS_1984"]],VERT_CS["EGM96 height"]]', /COMPD_CS/],
    ['not WKT at all', 'EPSG:4326 please', /not a WKT/],
  ];
  for (const [what, wkt, reason] of refused) {
    it(`${what} is refused with a reason`, () => {
      const verdict = judgePrj(wkt);
      assert.equal(verdict.wgs84, false);
      if (!verdict.wgs84) assert.match(verdict.reason, reason);
    });
  }
});
