// loadLayerFile(): any supported layer file in, one GeoJSON FeatureCollection out.
// Each format's reader (and its libraries) is imported only when a file of that format arrives, so that
// importing this module stays cheap on the CLI's cold-start path, which only needs the default boundary.
import { basename, dirname, extname, join } from 'node:path';
import { LinderoError } from '../model/index.js';
import { detectContainer } from './detect.js';
import { finishLayer, type LoadedLayer } from './layer.js';
import { readCompanion, readLayerBytes } from './read-file.js';
import { decodeText } from './text.js';
import type { ShapefileParts } from './shapefile.js';
import type { SafeZip } from './zip.js';

export type LayerRole = 'boundary' | 'fence';

export interface LoadLayerOptions {
  /** What the layer will be used for; only changes the wording of errors. */
  role?: LayerRole;
}

/**
 * Reads a GeoJSON, KML, KMZ, GPX, shapefile (.shp or .zip) or GeoPackage file, recognised by its content,
 * and returns its features as RFC 7946 GeoJSON ([lon, lat], WGS84). Checks the container (readable, right
 * type, parseable, non-empty, coordinates numeric and in range) but not what left/right/territory mean.
 * Throws LinderoError naming the file and the line, feature or field.
 */
export async function loadLayerFile(path: string, opts: LoadLayerOptions = {}): Promise<LoadedLayer> {
  try {
    return await loadByContent(path);
  } catch (e) {
    if (e instanceof LinderoError && opts.role) e.message = `${e.message} (loading the ${opts.role} layer)`;
    throw e;
  }
}

async function loadByContent(path: string): Promise<LoadedLayer> {
  const file = path;
  const bytes = await readLayerBytes(path);
  switch (detectContainer(bytes, file)) {
    case 'json': {
      const { parseGeoJsonText } = await import('./geojson.js');
      const text = decodeText(bytes, file);
      // A 2008 `crs` member naming another system is read with proj4 (crs.ts), loaded only for such a file.
      const namedCrs = text.includes('"crs"') ? (await import('./reproject.js')).convertNamedCrs : undefined;
      return parseGeoJsonText(text, file, namedCrs);
    }
    case 'xml': {
      const { xmlLayer } = await import('./read-text.js');
      return xmlLayer(decodeText(bytes, file), file);
    }
    case 'zip': {
      const { openZip } = await import('./zip.js');
      return loadZip(await openZip(bytes, file), file);
    }
    case 'shapefile':
      return loadShapefileFromDisk(path, bytes);
    case 'dbf': {
      const shp = await shpBesideDbf(path);
      return loadShapefileFromDisk(shp.path, shp.bytes);
    }
    case 'sqlite': {
      const { geopackageFeatures } = await import('./geopackage.js');
      const { features, notes } = geopackageFeatures(path, file);
      return finishLayer(features, file, 'its feature tables have no rows', notes);
    }
  }
}

/** A zip is a KMZ when it holds KML, a zipped shapefile when it holds .shp files. */
async function loadZip(zip: SafeZip, file: string): Promise<LoadedLayer> {
  const { hasExtension } = await import('./zip.js');
  const names = zip.names.filter((name) => !name.startsWith('__MACOSX/'));
  const kmls = names.filter((name) => hasExtension(name, '.kml'));
  const shps = names.filter((name) => hasExtension(name, '.shp'));
  if (kmls.length > 0) {
    const { kmzFeatures } = await import('./kmz.js');
    return finishLayer(await kmzFeatures(zip, names, file), file, 'no placemarks');
  }
  if (shps.length > 0) {
    const { shapefileFeatures } = await import('./shapefile.js');
    const features = [], notes = [];
    for (const shp of shps) {
      const read = await shapefileFeatures(await zipShapefileParts(zip, names, shp, file));
      features.push(...read.features);
      notes.push(...read.notes);
    }
    return finishLayer(features, file, 'the shapefiles have no records', notes);
  }
  const listed = names.length === 0 ? 'nothing' : names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  throw new LinderoError('layer-format', `is a zip holding neither KML (a KMZ) nor a shapefile (.shp); it holds ${listed}`, { file });
}

async function zipShapefileParts(zip: SafeZip, names: string[], shp: string, file: string): Promise<ShapefileParts> {
  const stem = shp.slice(0, -4).toLowerCase();
  const find = (extension: string) => names.find((name) => name.toLowerCase() === stem + extension);
  const part = async (extension: string) => {
    const name = find(extension);
    return name === undefined ? undefined : zip.read(name);
  };
  const label = (extension: string) => `${file} (${find(extension) ?? shp.slice(0, -4) + extension})`;
  const cpg = find('.cpg') !== undefined || find('.cst') === undefined ? '.cpg' : '.cst';
  return {
    shp: await zip.read(shp), shpLabel: label('.shp'),
    dbf: await part('.dbf'), dbfLabel: label('.dbf'),
    prj: await part('.prj'), prjLabel: label('.prj'),
    cpg: await part(cpg), cpgLabel: label(cpg),
  };
}

async function loadShapefileFromDisk(shpPath: string, shpBytes: Buffer | undefined): Promise<LoadedLayer> {
  // A .shx index has the same header as the .shp, so a path ending in .shx is read as its .shp.
  const mainPath = extname(shpPath).toLowerCase() === '.shx' ? siblingPath(shpPath, '.shp') : shpPath;
  const shp = mainPath === shpPath && shpBytes ? shpBytes : await readLayerBytes(mainPath);
  const companion = async (extension: string) => {
    // Shapefile sets copied between systems often mix cases (roads.shp beside ROADS.DBF).
    const candidates = [...new Set([siblingPath(mainPath, extension), replaceExtension(mainPath, extension), replaceExtension(mainPath, extension.toUpperCase())])];
    for (const path of candidates) {
      const bytes = await readCompanion(path, path);
      if (bytes) return { bytes, label: path };
    }
    return { bytes: undefined, label: candidates[0] };
  };
  const dbf = await companion('.dbf');
  const prj = await companion('.prj');
  const cpgFile = await companion('.cpg');
  const cstFile = cpgFile.bytes ? undefined : await companion('.cst');
  const cpg = cstFile?.bytes ? cstFile : cpgFile;
  const { shapefileFeatures } = await import('./shapefile.js');
  const { features, notes } = await shapefileFeatures({
    shp, shpLabel: mainPath, dbf: dbf.bytes, dbfLabel: dbf.label, prj: prj.bytes, prjLabel: prj.label, cpg: cpg.bytes, cpgLabel: cpg.label,
  });
  return finishLayer(features, mainPath, 'the shapefile has no records', notes);
}

/**
 * The .shp a dBASE table given as the layer goes with. A dBASE table named .shp (or .zip) is no shapefile,
 * and a table whose .shp is missing is only the attributes: each is said as such.
 */
async function shpBesideDbf(path: string): Promise<{ path: string; bytes: Buffer }> {
  const shp = siblingPath(path, '.shp');
  if (shp === path) {
    throw new LinderoError('layer-format', "holds a dBASE attribute table (a shapefile's .dbf), not the shapefile's geometry (.shp)", { file: path });
  }
  const bytes = await readCompanion(shp, shp);
  if (!bytes) {
    throw new LinderoError('layer-not-found', `holds a dBASE attribute table (a shapefile's .dbf) and the geometry it goes with, ${shp}, is not beside it`, { file: path });
  }
  return { path: shp, bytes };
}

/** The file beside `path` with the same name and another extension; the extension's case follows the given path's. */
function siblingPath(path: string, extension: string): string {
  const current = extname(path);
  const stem = basename(path, current);
  const upper = current !== '' && current === current.toUpperCase();
  return join(dirname(path), stem + (upper ? extension.toUpperCase() : extension));
}

function replaceExtension(path: string, extension: string): string {
  return join(dirname(path), basename(path, extname(path)) + extension);
}
