// Structural checks on shapefile bytes before the `shapefile` package reads them. That package trusts
// lengths and counts in the file, and quietly skips records it cannot make sense of; a header that claims
// gigabytes or a record that runs past the end must instead be a clear error, with no large allocation.
// Layouts: ESRI Shapefile Technical Description (July 1998); dBASE III table file header.
import { LinderoError } from '../model/index.js';

const SHAPE_TYPES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint',
  11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ',
  21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM',
};
const POLY_TYPES = new Set([3, 5, 13, 15, 23, 25]);
const MULTIPOINT_TYPES = new Set([8, 18, 28]);
const DBF_FIELD_TYPES = new Set(['B', 'C', 'D', 'F', 'L', 'M', 'N']);

/** Checks the .shp header and walks every record header; returns the number of records. */
export function checkShp(bytes: Uint8Array, file: string): number {
  if (bytes.length < 100) throw corrupt(file, `is truncated: a shapefile starts with a 100-byte header but the file has ${bytes.length} bytes`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0, false) !== 9994) throw corrupt(file, 'is not a shapefile\'s geometry (.shp): it does not begin with the file code 9994', 0);
  const declaredBytes = view.getInt32(24, false) * 2;
  const version = view.getInt32(28, true);
  const shapeType = view.getInt32(32, true);
  if (version !== 1000) throw corrupt(file, `has shapefile version ${version}; only version 1000 exists`, 28);
  if (declaredBytes > bytes.length || declaredBytes < 100) {
    throw corrupt(file, `header says the file is ${declaredBytes} bytes long but it is ${bytes.length} bytes (truncated, or a corrupt header)`, 24);
  }
  if (!(shapeType in SHAPE_TYPES)) throw corrupt(file, `has shape type ${shapeType}, which is not supported (MultiPatch and unknown types)`, 32);
  let offset = 100;
  let records = 0;
  // Some writers pad the file after its last record with zero bytes: no record starts with record number 0
  // and a content length of 0, so such a tail is padding, not damage.
  while (offset < declaredBytes && !allZero(bytes, offset, declaredBytes)) {
    records++;
    if (declaredBytes - offset < 12) throw corrupt(file, `record ${records} is truncated: its header needs 12 bytes and ${declaredBytes - offset} remain`, offset);
    const contentBytes = view.getInt32(offset + 4, false) * 2;
    const content = offset + 8;
    if (contentBytes < 4 || contentBytes > declaredBytes - content) {
      throw corrupt(file, `record ${records} claims ${contentBytes} bytes of content but ${declaredBytes - content} remain in the file`, offset + 4);
    }
    const recordType = view.getInt32(content, true);
    if (recordType !== 0 && recordType !== shapeType) {
      throw corrupt(file, `record ${records} has shape type ${recordType} in a file of ${SHAPE_TYPES[shapeType]} shapes`, content);
    }
    if (recordType !== 0) checkShapeContent(view, content, contentBytes, recordType, file, records);
    offset = content + contentBytes;
  }
  return records;
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

function checkShapeContent(view: DataView, at: number, length: number, type: number, file: string, record: number): void {
  const need = (bytes: number, what: string) => {
    if (bytes > length) throw corrupt(file, `record ${record} needs ${bytes} bytes for ${what} but holds ${length}`, at);
  };
  if (POLY_TYPES.has(type)) {
    need(44, 'its part and point counts');
    const parts = view.getInt32(at + 36, true);
    const points = view.getInt32(at + 40, true);
    if (parts < 1 || points < 1) throw corrupt(file, `record ${record} has ${parts} parts and ${points} points`, at + 36);
    need(44 + 4 * parts + 16 * points, `${parts} parts and ${points} points`);
    let previous = -1;
    for (let i = 0; i < parts; i++) {
      const start = view.getInt32(at + 44 + 4 * i, true);
      if (start <= previous || start >= points || (i === 0 && start !== 0)) {
        throw corrupt(file, `record ${record} part ${i + 1} starts at point ${start}, which is out of order or past its ${points} points`, at + 44 + 4 * i);
      }
      previous = start;
    }
  } else if (MULTIPOINT_TYPES.has(type)) {
    need(40, 'its point count');
    const points = view.getInt32(at + 36, true);
    if (points < 1) throw corrupt(file, `record ${record} has ${points} points`, at + 36);
    need(40 + 16 * points, `${points} points`);
  } else {
    need(20, 'a point');
  }
}

export interface DbfShape {
  records: number;
  fields: string[];
}

/** Checks a dBASE III header: field descriptors, record length, and that the records it claims are present. */
export function checkDbf(bytes: Uint8Array, file: string): DbfShape {
  if (bytes.length < 33) throw corrupt(file, `is truncated: a dBASE table needs a header of at least 33 bytes but the file has ${bytes.length}`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = view.getUint32(4, true);
  const headerBytes = view.getUint16(8, true);
  const recordBytes = view.getUint16(10, true);
  if (headerBytes < 33 || headerBytes > bytes.length) throw corrupt(file, `header claims to be ${headerBytes} bytes long in a ${bytes.length}-byte file`, 8);
  const fields: string[] = [];
  let fieldBytes = 1; // each record starts with a deletion flag
  let at = 32;
  for (; at < headerBytes && bytes[at] !== 0x0d; at += 32) {
    if (at + 32 > headerBytes) throw corrupt(file, 'field descriptors run past the end of the header', at);
    const nameBytes = bytes.subarray(at, at + 11);
    const end = nameBytes.indexOf(0);
    const name = new TextDecoder('latin1').decode(end < 0 ? nameBytes : nameBytes.subarray(0, end));
    const type = String.fromCharCode(bytes[at + 11]);
    if (!DBF_FIELD_TYPES.has(type)) {
      throw new LinderoError('layer-corrupt', `field '${name}' has dBASE type '${type}', which is not supported (use C, N, F, L or D)`, { file, field: name, byte: at + 11 });
    }
    fields.push(name);
    fieldBytes += bytes[at + 16];
  }
  if (at >= headerBytes) throw corrupt(file, 'header has no field terminator (0x0D)', at);
  if (fieldBytes !== recordBytes) throw corrupt(file, `header says records are ${recordBytes} bytes but its fields add up to ${fieldBytes}`, 10);
  const needed = headerBytes + records * recordBytes;
  if (needed > bytes.length) {
    throw corrupt(file, `header claims ${records} records of ${recordBytes} bytes (${needed} bytes) but the file has ${bytes.length} bytes (truncated, or a corrupt header)`, 4);
  }
  return { records, fields };
}

function corrupt(file: string, message: string, byte: number): LinderoError {
  return new LinderoError('layer-corrupt', message, { file, byte });
}
