// A small ESRI shapefile writer (ESRI Shapefile Technical Description, July 1998) for test fixtures.
// The `shapefile` package only reads, so fixtures are written here from GeoJSON features.
import type { Feature, Geometry, Position } from 'geojson';

export interface DbfField {
  name: string; // at most 10 characters (dBASE III)
  /** Feature property the value comes from; default the field name in lower case. */
  property?: string;
  type: 'C' | 'N' | 'L';
  length: number;
  decimals?: number;
}

export interface ShapefileBytes {
  shp: Uint8Array;
  shx: Uint8Array;
  dbf: Uint8Array;
}

const SHAPE_TYPE = { Point: 1, LineString: 3, MultiLineString: 3, Polygon: 5, MultiPolygon: 5 } as const;

/** Encodes features (all points, all lines or all polygons) and their properties as .shp, .shx and .dbf bytes. */
export function encodeShapefile(features: Feature[], fields: DbfField[], textEncoding: 'utf-8' | 'latin1' = 'latin1', emptyShapeType = 3): ShapefileBytes {
  const types = new Set(features.map((f) => SHAPE_TYPE[f.geometry.type as keyof typeof SHAPE_TYPE]));
  if (types.size > 1) throw new Error('a shapefile holds one shape type');
  const shapeType = types.size === 1 ? [...types][0] : emptyShapeType;
  const contents = features.map((f) => shapeContent(f.geometry, shapeType));
  const bbox = features.length > 0 ? boundingBox(features.map((f) => f.geometry)) : [0, 0, 0, 0];
  const shpLength = 100 + contents.reduce((sum, c) => sum + 8 + c.length, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * contents.length);
  writeMainHeader(new DataView(shp.buffer), shpLength, shapeType, bbox);
  writeMainHeader(new DataView(shx.buffer), shx.length, shapeType, bbox);
  const shpView = new DataView(shp.buffer);
  const shxView = new DataView(shx.buffer);
  let offset = 100;
  contents.forEach((content, i) => {
    shpView.setInt32(offset, i + 1, false);
    shpView.setInt32(offset + 4, content.length / 2, false);
    shp.set(content, offset + 8);
    shxView.setInt32(100 + 8 * i, offset / 2, false);
    shxView.setInt32(104 + 8 * i, content.length / 2, false);
    offset += 8 + content.length;
  });
  return { shp, shx, dbf: encodeDbf(features.map((f) => f.properties ?? {}), fields, textEncoding) };
}

function writeMainHeader(view: DataView, lengthBytes: number, shapeType: number, bbox: number[]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, lengthBytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  bbox.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
}

function shapeContent(geometry: Geometry, shapeType: number): Uint8Array {
  if (geometry.type === 'Point') {
    const out = new DataView(new ArrayBuffer(20));
    out.setInt32(0, 1, true);
    out.setFloat64(4, geometry.coordinates[0], true);
    out.setFloat64(12, geometry.coordinates[1], true);
    return new Uint8Array(out.buffer);
  }
  const parts = partsOf(geometry);
  const points = parts.flat();
  const out = new DataView(new ArrayBuffer(44 + 4 * parts.length + 16 * points.length));
  out.setInt32(0, shapeType, true);
  boundingBox([geometry]).forEach((v, i) => out.setFloat64(4 + 8 * i, v, true));
  out.setInt32(36, parts.length, true);
  out.setInt32(40, points.length, true);
  let start = 0;
  parts.forEach((part, i) => {
    out.setInt32(44 + 4 * i, start, true);
    start += part.length;
  });
  points.forEach((p, i) => {
    out.setFloat64(44 + 4 * parts.length + 16 * i, p[0], true);
    out.setFloat64(52 + 4 * parts.length + 16 * i, p[1], true);
  });
  return new Uint8Array(out.buffer);
}

// ESRI rings run clockwise around an area and counter-clockwise around a hole (RFC 7946 §3.1.6 says the reverse).
function partsOf(geometry: Geometry): Position[][] {
  switch (geometry.type) {
    case 'LineString': return [geometry.coordinates];
    case 'MultiLineString': return geometry.coordinates;
    case 'Polygon': return esriRings(geometry.coordinates);
    case 'MultiPolygon': return geometry.coordinates.flatMap(esriRings);
    default: throw new Error(`cannot write ${geometry.type}`);
  }
}

function esriRings(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? ring : [...ring].reverse();
  });
}

/** Shoelace sum: positive for counter-clockwise rings in x/y. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

function boundingBox(geometries: Geometry[]): number[] {
  const points = geometries.flatMap((g) => (g.type === 'Point' ? [g.coordinates] : partsOf(g).flat()));
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** dBASE III table: 32-byte header, 32-byte field descriptors, 0x0D, fixed-width records, 0x1A. */
export function encodeDbf(rows: Record<string, unknown>[], fields: DbfField[], textEncoding: 'utf-8' | 'latin1'): Uint8Array {
  const headerBytes = 32 + 32 * fields.length + 1;
  const recordBytes = 1 + fields.reduce((sum, f) => sum + f.length, 0);
  const out = new Uint8Array(headerBytes + rows.length * recordBytes + 1);
  const view = new DataView(out.buffer);
  out[0] = 0x03;
  [out[1], out[2], out[3]] = [124, 3, 1]; // last update 2024-03-01, fixed so fixtures are reproducible
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerBytes, true);
  view.setUint16(10, recordBytes, true);
  fields.forEach((field, i) => {
    const at = 32 + 32 * i;
    out.set(Buffer.from(field.name, 'latin1').subarray(0, 10), at);
    out[at + 11] = field.type.charCodeAt(0);
    out[at + 16] = field.length;
    out[at + 17] = field.decimals ?? 0;
  });
  out[headerBytes - 1] = 0x0d;
  rows.forEach((row, r) => {
    let at = headerBytes + r * recordBytes;
    out[at++] = 0x20;
    for (const field of fields) {
      out.set(fieldBytes(row[field.property ?? field.name.toLowerCase()], field, textEncoding), at);
      at += field.length;
    }
  });
  out[out.length - 1] = 0x1a;
  return out;
}

function fieldBytes(value: unknown, field: DbfField, textEncoding: 'utf-8' | 'latin1'): Uint8Array {
  const cell = new Uint8Array(field.length).fill(0x20);
  if (value === undefined || value === null) return cell;
  if (field.type === 'L') {
    cell[0] = value ? 0x54 : 0x46;
    return cell;
  }
  if (field.type === 'N') {
    const text = Buffer.from((value as number).toFixed(field.decimals ?? 0), 'latin1');
    cell.set(text.subarray(0, field.length), Math.max(0, field.length - text.length));
    return cell;
  }
  cell.set(Buffer.from(String(value), textEncoding).subarray(0, field.length));
  return cell;
}
