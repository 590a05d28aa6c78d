// A small GeoPackage writer (OGC 12-128r18) for test fixtures: the required metadata tables, feature
// tables, and geometry blobs with the "GP" header, written with better-sqlite3 and wkx.
import Database from 'better-sqlite3';
import type { Feature, Geometry } from 'geojson';
import wkx from 'wkx';

export interface GpkgTable {
  name: string;
  features: Feature[];
  /** Text attribute columns; values come from the feature properties of the same name. */
  columns: string[];
  srsId?: number; // default 4326
  /** Replace a row's geometry blob with these bytes (for damaged-geometry fixtures), by row index. */
  rawGeometry?: Map<number, Uint8Array>;
}

const WGS84_WKT = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]';
const NAD27_WKT = 'GEOGCS["NAD27",DATUM["North_American_Datum_1927",SPHEROID["Clarke 1866",6378206.4,294.978698213898,AUTHORITY["EPSG","7008"]],AUTHORITY["EPSG","6267"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4267"]]';
// As GDAL writes EPSG:32613 into gpkg_spatial_ref_sys.
const UTM13N_WKT = 'PROJCS["WGS 84 / UTM zone 13N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-105],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32613"]]';

/** Writes a GeoPackage holding the given feature tables (an existing file is replaced). */
export function writeGeoPackage(path: string, tables: GpkgTable[]): void {
  const db = new Database(path);
  try {
    db.exec('PRAGMA journal_mode = DELETE');
    db.pragma('application_id = 1196444487'); // "GPKG"
    db.pragma('user_version = 10300');
    db.exec(SCHEMA);
    const insertSrs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    insertSrs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude in degrees');
    insertSrs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null);
    insertSrs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null);
    insertSrs.run('WGS 84 / UTM zone 13N', 32613, 'EPSG', 32613, UTM13N_WKT, null);
    insertSrs.run('NAD27', 4267, 'EPSG', 4267, NAD27_WKT, null);
    for (const table of tables) writeTable(db, table);
  } finally {
    db.close();
  }
}

function writeTable(db: Database.Database, table: GpkgTable): void {
  const srsId = table.srsId ?? 4326;
  const quoted = `"${table.name.replace(/"/g, '""')}"`;
  const columns = table.columns.map((c) => `, "${c}" TEXT`).join('');
  db.exec(`CREATE TABLE ${quoted} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom GEOMETRY${columns})`);
  db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, ?)").run(table.name, table.name, srsId);
  db.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', ?, 0, 0)").run(table.name, srsId);
  const names = ['geom', ...table.columns].map((c) => `"${c}"`).join(', ');
  const insert = db.prepare(`INSERT INTO ${quoted} (${names}) VALUES (${['geom', ...table.columns].map(() => '?').join(', ')})`);
  table.features.forEach((feature, i) => {
    const blob = table.rawGeometry?.get(i) ?? geometryBlob(feature.geometry, srsId);
    const values = table.columns.map((c) => {
      const value = feature.properties?.[c];
      return value === undefined || value === null ? null : String(value);
    });
    insert.run(blob, ...values);
  });
}

/** GeoPackage binary: "GP", version 0, flags (little-endian, xy envelope), srs_id, envelope, ISO WKB. */
export function geometryBlob(geometry: Geometry | null, srsId = 4326): Uint8Array | null {
  if (geometry === null) return null;
  // Written in 2D: wkx sizes a geometry from its first position and overflows on mixed 2D/3D positions.
  const flat = JSON.parse(JSON.stringify(geometry, (_key, value) => (Array.isArray(value) && typeof value[0] === 'number' ? value.slice(0, 2) : value)));
  const wkb = wkx.Geometry.parseGeoJSON(flat).toWkb();
  const header = new DataView(new ArrayBuffer(40));
  header.setUint8(0, 0x47);
  header.setUint8(1, 0x50);
  header.setUint8(2, 0);
  header.setUint8(3, 0b0000_0011);
  header.setInt32(4, srsId, true);
  const xs: number[] = [];
  const ys: number[] = [];
  JSON.stringify(flat, (_key, value) => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      xs.push(value[0]);
      ys.push(value[1]);
    }
    return value;
  });
  [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)].forEach((v, i) => header.setFloat64(8 + 8 * i, v, true));
  return Buffer.concat([new Uint8Array(header.buffer), wkb]);
}

const SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT '2024-03-01T00:00:00.000Z',
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
`;
