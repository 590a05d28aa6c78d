// Tells a track file's format from its first bytes, not its name.
import { LinderoError } from '../../model/index.js';

export type TrackFormat = 'gpx' | 'kml' | 'kmz' | 'geojson' | 'nmea' | 'csv';
/** Text encodings the readers decode (WHATWG names, as TextDecoder takes them). */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedFormat {
  format: TrackFormat;
  encoding: TextEncodingName;
}

/** How many leading bytes detectFormat needs to decide. */
export const SNIFF_BYTES = 4096;

/** Sniffs the first bytes of a file (SNIFF_BYTES or the whole file if shorter). */
export function detectFormat(head: Uint8Array, file: string): DetectedFormat {
  const b = head;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return { format: 'kmz', encoding: 'utf-8' };
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    throw new LinderoError('unknown-format', 'the file is gzip-compressed; decompress it first', { file });
  }
  let encoding: TextEncodingName = 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) encoding = 'utf-16le';
  else if (b[0] === 0xfe && b[1] === 0xff) encoding = 'utf-16be';
  else if (b.includes(0)) {
    throw new LinderoError('unknown-format', 'the file holds binary data, not a track (GPX, KML, KMZ, GeoJSON, NMEA or CSV)', { file, byte: b.indexOf(0) });
  }
  const text = new TextDecoder(encoding).decode(b).replace(/^\uFEFF/, '').trimStart();
  if (text === '') throw new LinderoError('unknown-format', 'the file is empty', { file });
  if (text.startsWith('<')) return detectXml(text, encoding, file);
  if (text.startsWith('{')) return { format: 'geojson', encoding };
  // An NMEA log may open with '#' comment lines (every log in gpsd's test suite does).
  if (/^(?:#[^\n]*\n\s*)*[$!][A-Z]{2}/.test(text)) return { format: 'nmea', encoding };
  const firstLine = text.split(/\r?\n/, 1)[0];
  if (/[,;\t]/.test(firstLine) && !/[\x00-\x08\x0e-\x1f]/.test(firstLine)) return { format: 'csv', encoding };
  throw new LinderoError('unknown-format', `cannot tell the track format from the start of the file: ${JSON.stringify(firstLine.slice(0, 40))} (expected GPX, KML, KMZ, GeoJSON, NMEA or CSV/TSV)`, { file, line: 1 });
}

function detectXml(text: string, encoding: TextEncodingName, file: string): DetectedFormat {
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text)?.[1]?.toLowerCase();
  if (declared && encoding === 'utf-8') encoding = xmlEncoding(declared, file);
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
  const root = /<(?!\?|!)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(withoutComments)?.[1];
  if (root === 'gpx') return { format: 'gpx', encoding };
  if (root === 'kml') return { format: 'kml', encoding };
  throw new LinderoError('unknown-format', root ? `XML whose root is <${root}>, neither GPX <gpx> nor KML <kml>` : 'XML without a root element in its first bytes', { file });
}

function xmlEncoding(declared: string, file: string): TextEncodingName {
  if (declared === 'utf-8' || declared === 'utf8' || declared === 'us-ascii' || declared === 'ascii') return 'utf-8';
  // Old Garmin and Windows exports declare Latin-1; WHATWG decodes it as windows-1252, a superset.
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252'].includes(declared)) return 'windows-1252';
  throw new LinderoError('unsupported-encoding', `the XML declares encoding "${declared}"; lindero reads UTF-8, UTF-16 and Latin-1`, { file, line: 1 });
}
