// Is a shapefile's .prj (OGC WKT 1, ESRI WKT or WKT 2) plain WGS84 longitude/latitude in degrees?
// lindero does not reproject, so anything else is refused with the name of what it is.

export type PrjVerdict = { wgs84: true } | { wgs84: false; reason: string };

const GEOGRAPHIC = new Set(['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS']);
const PROJECTED = new Set(['PROJCS', 'PROJCRS', 'PROJECTEDCRS']);
const WGS84_DATUMS = new Set(['wgs1984', 'dwgs1984', 'wgs84', 'worldgeodeticsystem1984', 'worldgeodeticsystem1984ensemble']);

/** Reads the outermost CRS keyword, datum, prime meridian and angular unit of a WKT string. */
export function judgePrj(wkt: string): PrjVerdict {
  const text = wkt.trim();
  const keyword = /^([A-Za-z_]+)\s*[[(]/.exec(text)?.[1]?.toUpperCase();
  const name = /^[A-Za-z_]+\s*[[(]\s*"([^"]*)"/.exec(text)?.[1] ?? 'unnamed';
  if (!keyword) return { wgs84: false, reason: 'it is not a WKT coordinate system definition' };
  if (PROJECTED.has(keyword)) return { wgs84: false, reason: `it is the projected coordinate system "${name}" (x/y in metres or feet, not longitude/latitude)` };
  if (!GEOGRAPHIC.has(keyword)) return { wgs84: false, reason: `it is a ${keyword} coordinate system ("${name}"), not WGS84 longitude/latitude` };
  const datum = /(?:DATUM|ENSEMBLE)\s*[[(]\s*"([^"]*)"/i.exec(text)?.[1];
  if (!datum || !WGS84_DATUMS.has(normalise(datum))) {
    return { wgs84: false, reason: `it is geographic but on the datum "${datum ?? 'unknown'}", not WGS 1984 (a datum shift of metres is not applied by lindero)` };
  }
  const meridian = /PRIMEM\s*[[(]\s*"([^"]*)"\s*,\s*([-+0-9.eE]+)/i.exec(text);
  if (meridian && Number(meridian[2]) !== 0) return { wgs84: false, reason: `its prime meridian "${meridian[1]}" is not Greenwich` };
  const units = [...text.matchAll(/(?:ANGLEUNIT|UNIT)\s*[[(]\s*"([^"]*)"/gi)].map((m) => normalise(m[1]));
  const unit = units[units.length - 1];
  if (unit && unit !== 'degree' && unit !== 'degrees' && unit !== 'degreesupplierdefined') {
    return { wgs84: false, reason: `its angular unit is "${unit}", not degrees` };
  }
  return { wgs84: true };
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
