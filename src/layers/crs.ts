// The coordinate system a shapefile's .prj or a GeoPackage's spatial reference names (OGC WKT 1, ESRI WKT or
// WKT 2), and turning a layer's coordinates into the longitude/latitude lindero works in.
//
// Projections (Transverse Mercator with UTM, Lambert Conformal Conic, Albers, Mercator) are undone by proj4
// (proj4js), held in tests to GeographicLib's Transverse Mercator and to the closed forms of the others.
// A datum is not shifted: a datum whose difference from WGS 84 is known to be small (NAD83, the ITRF-aligned
// national frames, GDA94) is taken as WGS 84 and that difference joins the layer's positional uncertainty
// (DATUMS: the size and the evidence); any other datum (NAD27, OSGB36, ED50…) is refused, since its shift is
// tens or hundreds of metres and needs a grid lindero does not carry.
import proj4 from 'proj4';

/** What a datum taken as WGS 84 adds to a layer's 1-sigma positional uncertainty, and why that much. */
export interface DatumRule {
  /** The family's name as said to the user ("NAD83"). */
  family: string;
  /** Metres, 1-sigma, joined to the layer's own uncertainty as σ² = σ_layer² + σ_datum². */
  uncertaintyM: number;
  /** The evidence, said with the note. */
  why: string;
}

/**
 * The datums read as WGS 84, by their normalised WKT names (ESRI's "D_North_American_1983", OGC's
 * "North_American_Datum_1983", "NAD83_National_Spatial_Reference_System_2011"…). Each must be on the GRS 1980
 * or WGS 84 ellipsoid. The figures are each frame's drift from the current WGS 84 (which ITRF realises to a
 * few centimetres), taken as a conservative 1-sigma:
 */
const DATUMS: { names: RegExp; rule: DatumRule; sphere?: true }[] = [
  { names: /^d?(wgs1984|wgs84|worldgeodeticsystem1984)/, rule: { family: 'WGS 84', uncertaintyM: 0, why: '' } },
  // EPSG's first definition of Web Mercator (EPSG:3785, as older GeoPackages hold it): WGS 84's longitude and
  // latitude projected as if on a sphere of WGS 84's semi-major axis.
  { names: /^popularvisualisationdatum$/, rule: { family: 'WGS 84', uncertaintyM: 0, why: '' }, sphere: true },
  {
    // NGS: NAD 83 (2011) and WGS 84 (G1762) differ by about 1–2 m across the conterminous United States
    // (the North American plate's rotation since NAD 83's 1986 origin and its offset geocentre).
    names: /^d?(northamerican(datum)?1983|nad(19)?83)/,
    rule: { family: 'NAD83', uncertaintyM: 2, why: 'NAD83 and WGS 84 differ by 1–2 m across North America' },
  },
  {
    // Fixed to ITRF at an epoch (Mexico ITRF92 at 1988.0, ITRF2008 at 2010.0, SIRGAS 2000 at 2000.4, ETRS89 at
    // 1989.0, GDA2020 at 2020.0): the plate has moved since by 1–3 cm a year, under a metre by 2030.
    names: /^d?(itrf|internationalterrestrialreferenceframe|mexicoitrf|sirgas|sistemadereferenciageocentrico|etrs1989|etrs89|europeanterrestrialreferencesystem1989|gda2020|geocentricdatumofaustralia2020)/,
    rule: { family: 'an ITRF-aligned frame', uncertaintyM: 1, why: 'a frame fixed to ITRF at an epoch drifts from WGS 84 with its plate, under 1 m by 2030' },
  },
  {
    // GDA94 was fixed to ITRF92 at 1994.0; Australia moves ~7 cm a year (GDA2020 moved coordinates 1.8 m).
    names: /^d?(gda1994|gda94|geocentricdatumofaustralia1994)/,
    rule: { family: 'GDA94', uncertaintyM: 2.5, why: 'GDA94 lies about 1.8 m from GDA2020 and moves 7 cm a year from WGS 84' },
  },
];

const GEOGRAPHIC = new Set(['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS']);
const PROJECTED = new Set(['PROJCS', 'PROJCRS', 'PROJECTEDCRS']);

/** The projections lindero undoes, by proj4's name for them: the ones its tests hold to an independent oracle. */
const PROJECTIONS = new Map<string, string>([
  ['transverse_mercator', 'Transverse Mercator'], ['tmerc', 'Transverse Mercator'], ['utm', 'Transverse Mercator'],
  ['lambert_conformal_conic', 'Lambert Conformal Conic'], ['lambert_conformal_conic_1sp', 'Lambert Conformal Conic'],
  ['lambert_conformal_conic_2sp', 'Lambert Conformal Conic'], ['lcc', 'Lambert Conformal Conic'],
  ['albers', 'Albers Equal Area'], ['albers_conic_equal_area', 'Albers Equal Area'], ['albers_equal_area', 'Albers Equal Area'], ['aea', 'Albers Equal Area'],
  ['mercator', 'Mercator'], ['mercator_1sp', 'Mercator'], ['mercator_2sp', 'Mercator'], ['mercator_auxiliary_sphere', 'Mercator'],
  ['popular_visualisation_pseudo_mercator', 'Mercator'], ['merc', 'Mercator'],
]);

/** A coordinate system lindero reads: longitude/latitude, or a projection it undoes; on a datum taken as WGS 84. */
export interface LayerCrs {
  /** Its name as the file gives it. */
  name: string;
  datum: DatumRule;
  /** The datum's name as the file gives it. */
  datumName: string;
  /** [x, y] in the layer's units to [longitude, latitude] degrees; null when the coordinates already are. */
  toLonLat: ((x: number, y: number) => [number, number]) | null;
  /** The projection's name, when projected. */
  projection?: string;
}

export type CrsVerdict = { crs: LayerCrs } | { refused: string };

/** Reads a WKT coordinate system: what it is, or why lindero cannot read coordinates in it. */
export function readWktCrs(wkt: string): CrsVerdict {
  const text = wkt.trim();
  const keyword = /^([A-Za-z_]+)\s*[[(]/.exec(text)?.[1]?.toUpperCase();
  const name = /^[A-Za-z_]+\s*[[(]\s*"([^"]*)"/.exec(text)?.[1] ?? 'unnamed';
  if (!keyword) return { refused: 'it is not a WKT coordinate system definition' };
  const projected = PROJECTED.has(keyword);
  if (!projected && !GEOGRAPHIC.has(keyword)) return { refused: `it is a ${keyword} coordinate system ("${name}"), neither longitude/latitude nor a map projection` };
  const datumName = /(?:DATUM|ENSEMBLE)\s*[[(]\s*"([^"]*)"/i.exec(text)?.[1];
  const known = datumName === undefined ? undefined : DATUMS.find((d) => d.names.test(normalise(datumName)));
  const datum = known?.rule;
  if (!datumName || !datum) {
    return { refused: `it is on the datum "${datumName ?? 'unknown'}", which lindero does not convert to WGS 84 (its shift can be tens or hundreds of metres and needs a transformation grid)` };
  }
  const meridian = /PRIMEM\s*[[(]\s*"([^"]*)"\s*,\s*([-+0-9.eE]+)/i.exec(text);
  if (meridian && Number(meridian[2]) !== 0) return { refused: `its prime meridian "${meridian[1]}" is not Greenwich` };
  const ellipsoid = ellipsoidOf(text);
  const flattening = known?.sphere ? [0] : [298.257223563, 298.257222101];
  if (!ellipsoid || Math.abs(ellipsoid.a - 6378137) > 0.001 || !flattening.some((rf) => Math.abs(ellipsoid.rf - rf) < 1e-6)) {
    return { refused: `its datum "${datumName}" is given on the ellipsoid ${ellipsoid ? `a = ${ellipsoid.a}, 1/f = ${ellipsoid.rf}` : '(none stated)'}, not GRS 1980 or WGS 84` };
  }
  if (!projected) {
    const units = [...text.matchAll(/(?:ANGLEUNIT|UNIT)\s*[[(]\s*"([^"]*)"/gi)].map((m) => normalise(m[1]));
    const unit = units[units.length - 1];
    if (unit && unit !== 'degree' && unit !== 'degrees' && unit !== 'degreesupplierdefined') return { refused: `its angular unit is "${unit}", not degrees` };
    return { crs: { name, datum, datumName, toLonLat: null } };
  }
  return projectedCrs(text, name, datum, datumName);
}

function projectedCrs(text: string, name: string, datum: DatumRule, datumName: string): CrsVerdict {
  let source: proj4.Converter;
  let projName: string;
  try {
    const parsed = new proj4.Proj(text);
    const { projName: method, a, b } = parsed as unknown as { projName?: string; a: number; b: number };
    projName = String(method ?? '');
    // The destination is longitude/latitude on the layer's own ellipsoid with no datum: proj4 then shifts
    // nothing, so the only change is the projection undone (the datum is judged above, not converted). The
    // WKT parsed once, its projection handed over as it is.
    source = proj4(parsed, `+proj=longlat +a=${a} +b=${b} +no_defs`);
  } catch {
    const named = /(?:PROJECTION|METHOD)\s*[[(]\s*"([^"]*)"/i.exec(text)?.[1];
    return { refused: notUndone(name, named ?? 'unknown') };
  }
  const projection = PROJECTIONS.get(projName.toLowerCase());
  if (!projection) return { refused: notUndone(name, projName || 'unknown') };
  // A point proj4 cannot take back (outside the projection's domain) becomes NaN, which the geometry check
  // then refuses with its feature and position.
  const toLonLat = (x: number, y: number): [number, number] => {
    try {
      const [lon, lat] = source.forward([x, y]) as [number, number];
      return [lon, lat];
    } catch {
      return [NaN, NaN];
    }
  };
  return { crs: { name, datum, datumName, toLonLat, projection } };
}

function notUndone(name: string, projection: string): string {
  return `it is the projected coordinate system "${name}" in the projection "${projection}", which lindero does not undo (it reads Transverse Mercator and UTM, Lambert Conformal Conic, Albers and Mercator)`;
}

/** The ellipsoid's semi-major axis and inverse flattening (SPHEROID in WKT 1, ELLIPSOID in WKT 2). */
function ellipsoidOf(text: string): { a: number; rf: number } | null {
  const m = /(?:SPHEROID|ELLIPSOID)\s*[[(]\s*"[^"]*"\s*,\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)/i.exec(text);
  return m ? { a: Number(m[1]), rf: Number(m[2]) } : null;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The note a layer read in this coordinate system gets, or null when there is nothing to say (WGS 84 degrees). */
export function crsNote(crs: LayerCrs, file: string): string | null {
  const parts: string[] = [];
  if (crs.projection) parts.push(`its ${crs.projection} projection ("${crs.name}") undone`);
  if (crs.datum.uncertaintyM > 0) {
    parts.push(`its datum "${crs.datumName}" (${crs.datum.family}) taken as WGS 84, adding ±${crs.datum.uncertaintyM} m (1-sigma) to its positional uncertainty: ${crs.datum.why}`);
  }
  return parts.length ? `${file}: ${parts.join('; ')}` : null;
}

const WGS84_GEOGCS = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]';
const NAD83_GEOGCS = 'GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]';

function utmWkt(name: string, geogcs: string, zone: number, south: boolean): string {
  return `PROJCS["${name}",${geogcs},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${zone * 6 - 183}],` +
    `PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",${south ? 10_000_000 : 0}],UNIT["metre",1]]`;
}

/**
 * The EPSG coordinate systems a 2008 GeoJSON `crs` member names most (GDAL's GeoJSON writer names the source's
 * system and keeps its coordinates): NAD83, Web Mercator, WGS 84 and NAD83 UTM zones, NAD83 / Conus Albers.
 * Their WKT as EPSG defines them; null for any other code.
 */
export function epsgWkt(code: number): string | null {
  if (code === 4269) return NAD83_GEOGCS;
  if (code === 3857 || code === 900913) {
    // ESRI's name for it, which proj4 reads as the spherical formula without needing the EPSG code.
    return `PROJCS["WGS 84 / Pseudo-Mercator",${WGS84_GEOGCS},PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0],PARAMETER["False_Northing",0],PARAMETER["Central_Meridian",0],PARAMETER["Standard_Parallel_1",0],PARAMETER["Auxiliary_Sphere_Type",0],UNIT["metre",1]]`;
  }
  if (code >= 32601 && code <= 32660) return utmWkt(`WGS 84 / UTM zone ${code - 32600}N`, WGS84_GEOGCS, code - 32600, false);
  if (code >= 32701 && code <= 32760) return utmWkt(`WGS 84 / UTM zone ${code - 32700}S`, WGS84_GEOGCS, code - 32700, true);
  if (code >= 26901 && code <= 26923) return utmWkt(`NAD83 / UTM zone ${code - 26900}N`, NAD83_GEOGCS, code - 26900, false);
  if (code === 5070) {
    return `PROJCS["NAD83 / Conus Albers",${NAD83_GEOGCS},PROJECTION["Albers_Conic_Equal_Area"],PARAMETER["latitude_of_center",23],PARAMETER["longitude_of_center",-96],` +
      'PARAMETER["standard_parallel_1",29.5],PARAMETER["standard_parallel_2",45.5],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]';
  }
  return null;
}

/** The EPSG code in a CRS name as GeoJSON writers give it ("EPSG:26913", "urn:ogc:def:crs:EPSG::26913", "http://www.opengis.net/def/crs/EPSG/0/26913"). */
export function epsgCodeOf(name: string): number | null {
  const m = /^(?:urn:ogc:def:crs:epsg:[\d.]*:|epsg:|https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/)(\d+)$/i.exec(name.trim());
  return m ? Number(m[1]) : null;
}
