// ESRI shapefiles: the .shp geometry with its .dbf attributes, the .prj naming the coordinate system and
// the optional .cpg (or GeoServer's .cst) naming the text encoding; read by the `shapefile` package after shp-check.ts.
import type { Feature, Geometry } from 'geojson';
import { open } from 'shapefile';
import { LinderoError } from '../model/index.js';
import { describeValue } from './geometry-check.js';
import type { ReadFeatures, SourcedFeature } from './layer.js';
import { readWktCrs, type LayerCrs } from './crs.js';
import { reprojectFeatures } from './reproject.js';
import { checkDbf, checkShp } from './shp-check.js';

/** One shapefile's parts, already in memory, each with the label used in error messages. */
export interface ShapefileParts {
  shp: Uint8Array;
  shpLabel: string;
  dbf?: Uint8Array;
  dbfLabel: string;
  prj?: Uint8Array;
  prjLabel: string;
  cpg?: Uint8Array;
  cpgLabel: string;
}

/**
 * Reads every record as a feature, in longitude/latitude: a projected .prj is undone, a datum near WGS 84
 * taken as it (noted); refuses any other .prj, a missing .dbf and any structural damage.
 */
export async function shapefileFeatures(parts: ShapefileParts): Promise<ReadFeatures> {
  const { shp, shpLabel, dbf, dbfLabel } = parts;
  if (!dbf) {
    throw new LinderoError('layer-structure', `has no attribute table: ${dbfLabel} is missing (a shapefile is a .shp, .shx and .dbf together)`, { file: shpLabel });
  }
  const crs = coordinateSystem(parts);
  const shapes = checkShp(shp, shpLabel);
  const table = checkDbf(dbf, dbfLabel);
  if (table.records !== shapes) {
    throw new LinderoError('layer-corrupt', `has ${table.records} attribute record${table.records === 1 ? '' : 's'} but ${shpLabel} has ${shapes} shape${shapes === 1 ? '' : 's'}; they must match one to one`, { file: dbfLabel });
  }
  const encoding = dbfEncoding(parts);
  const features: SourcedFeature[] = [];
  try {
    const source = await open(shp, dbf, { encoding });
    for (let result = await source.read(); !result.done; result = await source.read()) {
      features.push({ feature: withoutNul(result.value) });
    }
  } catch (e) {
    if (e instanceof LinderoError) throw e;
    throw new LinderoError('layer-corrupt', `cannot be read: ${(e as Error).message}`, { file: shpLabel, feature: features.length });
  }
  if (!crs) return { features, notes: [] };
  return { features, notes: reprojectFeatures(features, crs, shpLabel) };
}

/** The .prj's coordinate system; null without one (the coordinates are taken as WGS84 degrees, and geometry-check.ts refuses them if they are out of range). */
function coordinateSystem({ prj, prjLabel }: ShapefileParts): LayerCrs | null {
  if (!prj) return null;
  const wkt = new TextDecoder('utf-8').decode(prj);
  if (wkt.trim() === '') return null;
  const verdict = readWktCrs(wkt);
  if ('refused' in verdict) {
    throw new LinderoError(
      'layer-projection',
      `names a coordinate system lindero cannot read: ${verdict.refused}. Convert the layer to WGS84 longitude/latitude first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp in.shp`,
      { file: prjLabel },
    );
  }
  return verdict.crs;
}

/**
 * Some writers (GeoServer among them) pad dBASE text with NUL bytes where dBASE pads with spaces: they are
 * padding, not text, and a field of nothing but padding is empty (null), as the reader makes a blank one.
 */
function withoutNul(feature: Feature<Geometry | null>): Feature<Geometry | null> {
  const properties = feature.properties;
  if (!properties) return feature;
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string' && value.includes('\0')) properties[key] = value.replace(/\0/g, '').trim() || null;
  }
  return feature;
}

// ESRI .cpg files (and GeoServer's .cst) hold an encoding name ("UTF-8") or a Windows code page number ("1252"); dBASE's default is Windows-1252.
function dbfEncoding({ cpg, cpgLabel }: ShapefileParts): string {
  if (!cpg) return 'windows-1252';
  const declared = new TextDecoder('latin1').decode(cpg).trim();
  const label = cpgLabelToEncoding(declared);
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new LinderoError('layer-encoding', `names the text encoding ${describeValue(declared)}, which is not supported`, { file: cpgLabel });
  }
}

function cpgLabelToEncoding(declared: string): string {
  const plain = declared.toLowerCase().replace(/^ansi\s*/, '');
  if (plain === '' || plain === 'system') return 'windows-1252';
  if (plain === '65001') return 'utf-8';
  if (/^\d+$/.test(plain)) return `windows-${plain}`;
  const iso = /^(?:iso[-_ ]?)?8859[-_ ]?(\d+)$/.exec(plain);
  return iso ? `iso-8859-${iso[1]}` : plain;
}
