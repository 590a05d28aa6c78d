// GeoPackage (OGC 12-128r18): every feature table listed in gpkg_contents, opened read-only with better-sqlite3.
// @ngageoint/geopackage was tried first; it opens files read-write (and creates a missing one), logs to the
// console on a bad geometry, and rejects columns SQLite allows (untyped, TIMESTAMP), so the few tables a
// reader needs are queried here directly and the geometry blobs decoded by gpkg-geometry.ts.
import Database from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { decodeGpkgGeometry } from './gpkg-geometry.js';
import { readWktCrs, type LayerCrs } from './crs.js';
import type { ReadFeatures, SourcedFeature } from './layer.js';
import { reprojectFeatures } from './reproject.js';

interface FeatureTable {
  table: string;
  column: string;
  srsId: number;
  /** Its spatial reference system when it is not EPSG:4326 (crs.ts). */
  crs: LayerCrs | null;
}

/**
 * Reads all feature tables of the GeoPackage at `path`, in longitude/latitude: a table in a projection
 * lindero undoes, or on a datum near WGS 84, is converted and noted (crs.ts); any other is refused.
 */
export function geopackageFeatures(path: string, file: string): ReadFeatures {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw sqliteError(e, file);
  }
  try {
    // A hostile file may hold views or triggers that call functions; they must not run with the reader's trust.
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
    const features: SourcedFeature[] = [];
    const notes: string[] = [];
    for (const table of featureTables(db, file)) {
      const first = features.length;
      readTable(db, table, file, features);
      if (!table.crs) continue;
      const label = `${file} (table '${table.table}')`;
      notes.push(...reprojectFeatures(features.slice(first), table.crs, label));
    }
    return { features, notes };
  } catch (e) {
    throw sqliteError(e, file);
  } finally {
    db.close();
  }
}

function featureTables(db: Database.Database, file: string): FeatureTable[] {
  const hasContents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'").get();
  if (!hasContents) throw new LinderoError('layer-format', 'is a SQLite database but not a GeoPackage (it has no gpkg_contents table)', { file });
  const rows = db.prepare('SELECT table_name AS name, data_type AS type FROM gpkg_contents').all() as { name: string; type: string }[];
  const tables = rows.filter((row) => String(row.type).toLowerCase() === 'features');
  if (tables.length === 0) {
    const others = rows.length === 0 ? 'no tables at all' : `only ${rows.map((r) => `${r.name} (${r.type})`).join(', ')}`;
    throw new LinderoError('layer-empty', `is a GeoPackage with no feature tables: gpkg_contents lists ${others}`, { file });
  }
  return tables.map(({ name }) => {
    const kind = db.prepare('SELECT type FROM sqlite_master WHERE name = ?').get(name) as { type: string } | undefined;
    if (!kind) throw new LinderoError('layer-corrupt', `gpkg_contents lists the feature table '${name}', which does not exist`, { file, field: name });
    if (kind.type !== 'table') {
      throw new LinderoError('layer-structure', `feature table '${name}' is a SQL ${kind.type}; only plain tables are read (a view can run arbitrary queries)`, { file, field: name });
    }
    const geometry = db.prepare('SELECT column_name AS column, srs_id AS srsId FROM gpkg_geometry_columns WHERE table_name = ?').get(name) as
      | { column: string; srsId: number }
      | undefined;
    if (!geometry) throw new LinderoError('layer-corrupt', `feature table '${name}' has no row in gpkg_geometry_columns`, { file, field: name });
    return { table: name, column: geometry.column, srsId: geometry.srsId, crs: tableCrs(db, name, geometry.srsId, file) };
  });
}

/** The table's coordinate system: null for EPSG:4326, else read from its WKT definition; refused when lindero cannot read it. */
function tableCrs(db: Database.Database, table: string, srsId: number, file: string): LayerCrs | null {
  const srs = db.prepare('SELECT srs_name AS name, organization AS org, organization_coordsys_id AS code, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srsId) as
    | { name: string; org: string; code: number; definition: unknown }
    | undefined;
  if (srs && String(srs.org).toUpperCase() === 'EPSG' && Number(srs.code) === 4326) return null;
  // srs_id 0 and -1 are the specification's "undefined geographic" and "undefined Cartesian" systems.
  const undefinedSrs = srs !== undefined && String(srs.definition).trim().toLowerCase() === 'undefined';
  const verdict = srs && !undefinedSrs && typeof srs.definition === 'string' ? readWktCrs(srs.definition) : undefined;
  if (verdict && 'crs' in verdict) return verdict.crs;
  const what = srs ? `"${srs.name}" (${srs.org}:${srs.code})` : `srs_id ${srsId}, which gpkg_spatial_ref_sys does not define`;
  const why = verdict ? verdict.refused : undefinedSrs ? 'the GeoPackage leaves it undefined, so its datum and units are unknown' : 'it has no WKT definition';
  throw new LinderoError(
    'layer-projection',
    `feature table '${table}' is in ${what}, which lindero cannot read: ${why}. Convert it to WGS84 longitude/latitude first (e.g. ogr2ogr -t_srs EPSG:4326)`,
    { file, field: table },
  );
}

function readTable(db: Database.Database, { table, column, srsId }: FeatureTable, file: string, out: SourcedFeature[]): void {
  const key = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk = 1`).get(table) as { name: string } | undefined)?.name;
  const rows = db.prepare(`SELECT * FROM ${quote(table)}`).iterate() as IterableIterator<Record<string, unknown>>;
  for (const row of rows) {
    const index = out.length;
    const id = key !== undefined ? row[key] : undefined;
    const where = `row ${id !== undefined ? `${key} = ${String(id)}` : index + 1} of table '${table}'`;
    const blob = row[column];
    let geometry = null;
    if (blob !== null && blob !== undefined) {
      if (!(blob instanceof Uint8Array)) throw new LinderoError('layer-corrupt', `${where}: geometry is ${typeof blob}, not a GeoPackage geometry blob`, { file, feature: index, field: column });
      const decoded = decodeGpkgGeometry(blob);
      if (!decoded.ok) throw new LinderoError(decoded.unsupported ? 'layer-structure' : 'layer-corrupt', `${where}: geometry cannot be read: ${decoded.reason}`, { file, feature: index, field: column });
      if (decoded.srsId !== srsId && decoded.geometry !== null) {
        throw new LinderoError('layer-projection', `${where}: geometry says srs_id ${decoded.srsId} but its column is srs_id ${srsId}`, { file, feature: index, field: column });
      }
      geometry = decoded.geometry;
    }
    const properties: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      // Binary attributes have no GeoJSON form and say nothing about sides or fences.
      if (name !== column && name !== key && !(value instanceof Uint8Array)) properties[name] = value;
    }
    // The table and row name the feature in the checks that follow (its index runs on across tables).
    out.push({ feature: { type: 'Feature', ...(id !== undefined && id !== null ? { id: id as number } : {}), properties, geometry }, file: `${file} (${where})` });
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function sqliteError(e: unknown, file: string): LinderoError {
  if (e instanceof LinderoError) return e;
  const code = (e as { code?: string }).code ?? '';
  const message = (e as Error).message;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return new LinderoError('layer-corrupt', `is a damaged SQLite/GeoPackage file: ${message}`, { file });
  if (code === 'SQLITE_CANTOPEN') return new LinderoError('layer-unreadable', `cannot be opened: ${message}`, { file });
  return new LinderoError('layer-corrupt', `cannot be read as a GeoPackage: ${message}`, { file });
}
