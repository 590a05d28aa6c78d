// Which format a layer file is, from its first bytes (magic numbers, first non-blank character), not its name.
import { LinderoError } from '../model/index.js';

export type LayerContainer =
  | 'json' // GeoJSON, checked further by the GeoJSON reader
  | 'xml' // KML or GPX, told apart by the root element
  | 'zip' // KMZ or a zipped shapefile, told apart by the entries
  | 'shapefile' // the .shp main file (or its .shx index)
  | 'dbf' // a shapefile's attribute table, given instead of the .shp
  | 'sqlite'; // GeoPackage

const SQLITE_MAGIC = 'SQLite format 3\0';
// ESRI Shapefile Technical Description (1998), main file header: file code 9994, big-endian.
const SHAPEFILE_FILE_CODE = 9994;

/** Formats people rename by mistake, named so the error can say what the file really is. */
const KNOWN_OTHER_FORMATS: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a gzip-compressed file (decompress it first)', [0x1f, 0x8b]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['a RAR archive', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['a FlatGeobuf file (not supported; convert it to GeoJSON)', [0x66, 0x67, 0x62, 0x03]],
  ['a TIFF image (raster layers are not supported)', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image (raster layers are not supported)', [0x4d, 0x4d, 0x00, 0x2a]],
  ['an executable program', [0x7f, 0x45, 0x4c, 0x46]],
];

/** Decides the container format from content; throws 'layer-empty' or 'layer-format' with what the file looks like instead. */
export function detectContainer(bytes: Uint8Array, file: string): LayerContainer {
  if (bytes.length === 0) throw new LinderoError('layer-empty', 'is empty (0 bytes)', { file });
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWithText(bytes, SQLITE_MAGIC)) return 'sqlite';
  if (bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, false) === SHAPEFILE_FILE_CODE) return 'shapefile';
  if (looksLikeDbf(bytes)) return 'dbf';
  const first = firstTextChar(bytes);
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  if (first === undefined && isBlankText(bytes)) throw new LinderoError('layer-empty', 'is empty (only white space)', { file });
  for (const [name, magic] of KNOWN_OTHER_FORMATS) {
    if (startsWith(bytes, magic)) throw new LinderoError('layer-format', `is ${name}, not a layer file`, { file });
  }
  throw new LinderoError(
    'layer-format',
    'is not a layer file lindero can read (expected GeoJSON, KML, KMZ, GPX, a shapefile or a GeoPackage)',
    { file, byte: 0 },
  );
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

function startsWithText(bytes: Uint8Array, text: string): boolean {
  return startsWith(bytes, [...text].map((c) => c.charCodeAt(0)));
}

/** First non-blank character, looking through a UTF-8 BOM or UTF-16 (either byte order, with or without BOM). */
function firstTextChar(bytes: Uint8Array): string | undefined {
  let start = 0;
  let step = 1;
  let offset = 0; // where the ASCII byte sits inside a UTF-16 code unit
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) start = 3;
  else if (startsWith(bytes, [0xff, 0xfe])) [start, step, offset] = [2, 2, 0];
  else if (startsWith(bytes, [0xfe, 0xff])) [start, step, offset] = [2, 2, 1];
  else if (bytes[0] !== 0 && bytes[1] === 0) [step, offset] = [2, 0];
  else if (bytes[0] === 0 && bytes[1] !== 0) [step, offset] = [2, 1];
  for (let i = start + offset; i < bytes.length; i += step) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c < 0x80 ? String.fromCharCode(c) : undefined;
  }
  return undefined;
}

function isBlankText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x00 && c !== 0xef && c !== 0xbb && c !== 0xbf && c !== 0xff && c !== 0xfe) return false;
  }
  return true;
}

// dBASE header: version byte 0x03 (III) or 0x83 (with memo), then YY MM DD of last update, then record count.
function looksLikeDbf(bytes: Uint8Array): boolean {
  if (bytes.length < 32 || (bytes[0] !== 0x03 && bytes[0] !== 0x83 && bytes[0] !== 0x30)) return false;
  const month = bytes[2];
  const day = bytes[3];
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
