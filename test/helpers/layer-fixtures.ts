// Writes the binary layer fixtures (shapefiles, GeoPackages, KMZ and zips, good and hostile) into a folder.
// Tests call writeBinaryFixtures() on a temporary folder; run directly to inspect them with other tools:
//   node --import tsx test/helpers/layer-fixtures.ts OUTDIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import GeographicLibMGRS from 'geographiclib-mgrs';
import JSZip from 'jszip';
import { writeGeoPackage } from './geopackage-writer.js';
import { encodeShapefile, type DbfField, type ShapefileBytes } from './shapefile-writer.js';

/** The committed text fixtures: the same lines and areas are written in every binary format. */
export const TEXT_FIXTURES = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));

export const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const UTM13N_PRJ = 'PROJCS["WGS_1984_UTM_Zone_13N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const NAD27_PRJ = 'GEOGCS["GCS_North_American_1927",DATUM["D_North_American_1927",SPHEROID["Clarke_1866",6378206.4,294.9786982]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * The features in UTM zone 13N metres, by GeographicLib (the oracle the projection is undone against): what
 * a layer drawn in a projected system holds.
 */
export function inUtm13n(features: Feature[]): Feature[] {
  const point = ([lon, lat]: Position): Position => {
    const p = GeographicLibMGRS.UTMUPS.forward(lat, lon, 13);
    return [p.x, p.y];
  };
  const project = (g: Geometry): Geometry => {
    switch (g.type) {
      case 'Point': return { ...g, coordinates: point(g.coordinates) };
      case 'MultiPoint': case 'LineString': return { ...g, coordinates: g.coordinates.map(point) };
      case 'MultiLineString': case 'Polygon': return { ...g, coordinates: g.coordinates.map((line) => line.map(point)) };
      case 'MultiPolygon': return { ...g, coordinates: g.coordinates.map((rings) => rings.map((ring) => ring.map(point))) };
      case 'GeometryCollection': return { ...g, geometries: g.geometries.map(project) };
    }
  };
  return features.map((f) => ({ ...f, geometry: f.geometry && project(f.geometry) }));
}

/** A 1×1 PNG, for "a picture renamed to .kml" cases. */
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export function textFixture(name: string): string {
  return readFileSync(join(TEXT_FIXTURES, name), 'utf8');
}

export function fixtureFeatures(name: string): Feature[] {
  return (JSON.parse(textFixture(name)) as FeatureCollection).features;
}

const BOUNDARY_FIELDS: DbfField[] = [
  { name: 'NAME', type: 'C', length: 40 }, { name: 'LEFT', type: 'C', length: 2 }, { name: 'RIGHT', type: 'C', length: 2 },
  { name: 'EDGES', type: 'C', length: 8 }, { name: 'PROVENANCE', type: 'C', length: 60 },
];
const TERRITORY_FIELDS: DbfField[] = [{ name: 'TERRITORY', type: 'C', length: 2 }, { name: 'NAME', type: 'C', length: 30 }];
const FENCE_FIELDS: DbfField[] = [{ name: 'NAME', type: 'C', length: 30 }, { name: 'ILLUSTRATI', type: 'L', length: 1, property: 'illustrative' }, { name: 'HEIGHT_M', type: 'N', length: 6, decimals: 1 }];

/** Writes every binary fixture under dir (shapefile/, geopackage/, zip/ and misc/). */
export async function writeBinaryFixtures(dir: string): Promise<void> {
  writeShapefileFixtures(join(dir, 'shapefile'));
  writeGeoPackageFixtures(join(dir, 'geopackage'));
  await writeZipFixtures(join(dir, 'zip'));
  mkdirSync(join(dir, 'misc'), { recursive: true });
  writeFileSync(join(dir, 'misc', 'picture.kml'), PNG_BYTES);
  writeFileSync(join(dir, 'misc', 'picture.geojson'), PNG_BYTES);
}

function writeShapefileFixtures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const boundary = encodeShapefile(fixtureFeatures('boundary-lines.geojson'), BOUNDARY_FIELDS, 'utf-8');
  const territories = encodeShapefile(fixtureFeatures('territories.geojson'), TERRITORY_FIELDS, 'latin1');
  const fences = encodeShapefile(fixtureFeatures('fences.geojson').map((f, i) => withProperty(f, 'height_m', 4.5 + i)), FENCE_FIELDS);
  saveShapefile(dir, 'boundary', boundary, { prj: WGS84_PRJ, cpg: 'UTF-8' });
  saveShapefile(dir, 'territories', territories, { prj: WGS84_PRJ });
  saveShapefile(dir, 'fences', fences, {});
  saveShapefile(dir, 'FENCES_UPPER', fences, {}, { shp: '.SHP', dbf: '.DBF' });
  const utmFences = encodeShapefile(inUtm13n(fixtureFeatures('fences.geojson')).map((f, i) => withProperty(f, 'height_m', 4.5 + i)), FENCE_FIELDS);
  saveShapefile(dir, 'utm', utmFences, { prj: UTM13N_PRJ });
  saveShapefile(dir, 'nad27', fences, { prj: NAD27_PRJ });
  const metres: Feature = { type: 'Feature', properties: { name: 'fence in UTM metres' }, geometry: { type: 'LineString', coordinates: [[348000, 3518000], [352000, 3518100]] } };
  saveShapefile(dir, 'metres-no-prj', encodeShapefile([metres], FENCE_FIELDS), {});
  saveShapefile(dir, 'header-2gb', patched(fences, 'shp', (v) => v.setInt32(24, 0x40000000, false)), {});
  saveShapefile(dir, 'record-huge', patched(fences, 'shp', (v) => v.setInt32(104, 0x3fffffff, false)), {});
  saveShapefile(dir, 'parts-huge', patched(fences, 'shp', (v) => v.setInt32(108 + 40, 0x7fffffff, true)), {});
  saveShapefile(dir, 'truncated', { ...fences, shp: fences.shp.subarray(0, fences.shp.length - 30) }, {});
  saveShapefile(dir, 'dbf-count-huge', patched(fences, 'dbf', (v) => v.setUint32(4, 0x80000000, true)), {});
  saveShapefile(dir, 'dbf-fewer', { ...fences, dbf: encodeShapefile(fixtureFeatures('fences.geojson').slice(0, 1), FENCE_FIELDS).dbf }, {});
  saveShapefile(dir, 'no-records', encodeShapefile([], FENCE_FIELDS), {});
  writeFileSync(join(dir, 'empty.shp'), new Uint8Array(0));
  writeFileSync(join(dir, 'no-dbf.shp'), fences.shp);
  writeFileSync(join(dir, 'picture.shp'), PNG_BYTES);
}

function withProperty(feature: Feature, key: string, value: unknown): Feature {
  return { ...feature, properties: { ...feature.properties, [key]: value } };
}

function patched(parts: ShapefileBytes, which: 'shp' | 'dbf', edit: (view: DataView) => void): ShapefileBytes {
  const copy = Uint8Array.from(parts[which]);
  edit(new DataView(copy.buffer));
  return { ...parts, [which]: copy };
}

function saveShapefile(dir: string, stem: string, parts: ShapefileBytes, extra: { prj?: string; cpg?: string }, ext = { shp: '.shp', dbf: '.dbf' }): void {
  writeFileSync(join(dir, stem + ext.shp), parts.shp);
  writeFileSync(join(dir, stem + (ext.shp === '.SHP' ? '.SHX' : '.shx')), parts.shx);
  writeFileSync(join(dir, stem + ext.dbf), parts.dbf);
  if (extra.prj) writeFileSync(join(dir, `${stem}.prj`), extra.prj);
  if (extra.cpg) writeFileSync(join(dir, `${stem}.cpg`), extra.cpg);
}

function writeGeoPackageFixtures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const boundary = { name: 'boundary', features: fixtureFeatures('boundary-lines.geojson'), columns: ['name', 'left', 'right', 'edges', 'provenance'] };
  const territories = { name: 'territories', features: fixtureFeatures('territories.geojson'), columns: ['territory', 'name'] };
  const fences = { name: 'fences', features: fixtureFeatures('fences.geojson'), columns: ['name', 'illustrative', 'provenance'] };
  writeGeoPackage(join(dir, 'boundary.gpkg'), [boundary]);
  writeGeoPackage(join(dir, 'territories.gpkg'), [territories]);
  writeGeoPackage(join(dir, 'fences.gpkg'), [fences]);
  writeGeoPackage(join(dir, 'two-tables.gpkg'), [boundary, fences]);
  writeGeoPackage(join(dir, 'utm.gpkg'), [{ ...fences, features: inUtm13n(fences.features), srsId: 32613 }]);
  writeGeoPackage(join(dir, 'nad27.gpkg'), [{ ...fences, srsId: 4267 }]);
  writeGeoPackage(join(dir, 'no-rows.gpkg'), [{ ...fences, features: [] }]);
  const garbage = new Map([[1, Buffer.from('GP\x00\x01\xe6\x10\x00\x00not a geometry at all', 'latin1')]]);
  writeGeoPackage(join(dir, 'bad-geometry.gpkg'), [{ ...fences, rawGeometry: garbage }]);
  writeGeoPackage(join(dir, 'huge-wkb-count.gpkg'), [{ ...fences, rawGeometry: new Map([[0, hugeCountLineBlob()]]) }]);
  const outOfRange = withGeometry(fences.features[0], [[-106.6, 31.7843], [500, 31.7845]]);
  writeGeoPackage(join(dir, 'bad-coordinates.gpkg'), [{ ...fences, features: [fences.features[1], outOfRange] }]);
  const gpkg = readFileSync(join(dir, 'fences.gpkg'));
  writeFileSync(join(dir, 'truncated.gpkg'), gpkg.subarray(0, Math.floor(gpkg.length / 2)));
  writeFileSync(join(dir, 'header-only.gpkg'), gpkg.subarray(0, 100));
  // SQLite file format §1.3: bytes 28-31 give the page count, trusted when bytes 92-95 equal the change counter at 24-27.
  const claims = Buffer.from(gpkg);
  claims.writeUInt32BE(0x7fffffff, 28);
  claims.writeUInt32BE(claims.readUInt32BE(24), 92);
  writeFileSync(join(dir, 'page-count-huge.gpkg'), claims);
  writeFileSync(join(dir, 'picture.gpkg'), PNG_BYTES);
  writeFileSync(join(dir, 'empty.gpkg'), new Uint8Array(0));
}

function withGeometry(feature: Feature, coordinates: number[][]): Feature {
  return { ...feature, geometry: { type: 'LineString', coordinates } };
}

/** A geometry blob whose WKB LineString claims 2^31-1 points but holds two. */
function hugeCountLineBlob(): Uint8Array {
  const blob = new DataView(new ArrayBuffer(8 + 9 + 32));
  [0x47, 0x50, 0, 0x01].forEach((b, i) => blob.setUint8(i, b));
  blob.setInt32(4, 4326, true);
  blob.setUint8(8, 1);
  blob.setUint32(9, 2, true);
  blob.setUint32(13, 0x7fffffff, true);
  [-106.6, 31.7843, -106.56, 31.7845].forEach((v, i) => blob.setFloat64(17 + 8 * i, v, true));
  return new Uint8Array(blob.buffer);
}

async function writeZipFixtures(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const fencesKml = textFixture('fences.kml');
  writeFileSync(join(dir, 'fences.kmz'), await zip({ 'doc.kml': fencesKml, 'files/icon.png': PNG_BYTES }));
  writeFileSync(join(dir, 'boundary-named.kmz'), await zip({ 'files/readme.txt': 'see Boundary.kml', 'Boundary.kml': textFixture('boundary.kml') }));
  const link = (href: string) => `<NetworkLink><Link><href>${href}</href></Link></NetworkLink>`;
  const rootKml = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>${link('layers/boundary.kml')}${link('https://example.invalid/remote.kml')}${link('doc.kml')}</Document></kml>`;
  writeFileSync(join(dir, 'linked-layers.kmz'), await zip({ 'doc.kml': rootKml, 'layers/boundary.kml': textFixture('boundary.kml').replace('</Document>', `${link('../doc.kml')}</Document>`) }));
  const onlyRemote = `<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">${link('https://example.invalid/remote.kml')}</kml>`;
  writeFileSync(join(dir, 'remote-link.kmz'), await zip({ 'doc.kml': onlyRemote }));
  writeFileSync(join(dir, 'xxe.kmz'), await zip({ 'doc.kml': textFixture('xxe.kml') }));
  writeFileSync(join(dir, 'nothing-useful.zip'), await zip({ 'readme.txt': 'hello', 'photo.png': PNG_BYTES }));
  const padded = fencesKml.replace('<Document>', `<Document><!--${' '.repeat(4 * 1024 * 1024)}-->`);
  writeFileSync(join(dir, 'bomb-lying.kmz'), withDeclaredSize(await zip({ 'doc.kml': padded }), 1000));
  writeFileSync(join(dir, 'bomb-declared.kmz'), withDeclaredSize(await zip({ 'doc.kml': fencesKml }), 0xfffffff0));
  const kmz = await zip({ 'doc.kml': fencesKml });
  writeFileSync(join(dir, 'truncated.kmz'), kmz.subarray(0, kmz.length - 40));
  const shp = encodeShapefile(fixtureFeatures('boundary-lines.geojson'), BOUNDARY_FIELDS, 'utf-8');
  writeFileSync(join(dir, 'boundary-shapefile.zip'), await zip({
    'layers/boundary.shp': shp.shp, 'layers/boundary.shx': shp.shx, 'layers/boundary.dbf': shp.dbf,
    'layers/boundary.prj': WGS84_PRJ, 'layers/boundary.cpg': 'UTF-8', '__MACOSX/layers/._boundary.shp': PNG_BYTES,
  }));
  const utm = encodeShapefile(inUtm13n(fixtureFeatures('boundary-lines.geojson')), BOUNDARY_FIELDS, 'utf-8');
  writeFileSync(join(dir, 'utm-shapefile.zip'), await zip({ 'utm.shp': utm.shp, 'utm.dbf': utm.dbf, 'utm.prj': UTM13N_PRJ }));
}

export async function zip(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const archive = new JSZip();
  // A fixed date keeps the archive bytes the same on every run.
  for (const [name, data] of Object.entries(entries)) archive.file(name, data, { date: new Date(Date.UTC(2024, 2, 1)) });
  return archive.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A zip of empty stored entries, written directly (PKWARE APPNOTE 4.3): quick even for tens of thousands of names. */
export function emptyEntriesZip(names: string[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(10, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Rewrites every entry's uncompressed size in the local headers and the central directory (PKWARE APPNOTE 4.3.7, 4.3.12). */
export function withDeclaredSize(archive: Uint8Array, sizeBytes: number): Uint8Array {
  const copy = Uint8Array.from(archive);
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 4 <= copy.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint32(at + 22, sizeBytes, true);
    if (signature === 0x02014b50) view.setUint32(at + 24, sizeBytes, true);
  }
  return copy;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node --import tsx test/helpers/layer-fixtures.ts OUTDIR');
    process.exit(2);
  }
  await writeBinaryFixtures(out);
  console.log(`fixtures written to ${out}`);
}
