import { badPosition, quoted } from './position-error.js';
import { checkLatLon } from './range.js';
import type { ParsedPosition } from './types.js';
import { lastDigitStep, writtenCellM } from './written-cell.js';

// The fast path: plain signed decimal degrees "lat,lon", "lat, lon" or "lat lon".
// One left-to-right scan with no regular expression, because a batch of positions
// runs this once per line and almost every line has this form.

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_DOT = 46;
const CODE_PLUS = 43;
const CODE_MINUS = 45;
const CODE_COMMA = 44;
const CODE_SPACE = 32;
const CODE_TAB = 9;

const isDigit = (code: number): boolean => code >= CODE_0 && code <= CODE_9;
const isBlank = (code: number): boolean => code === CODE_SPACE || code === CODE_TAB;

/** Index just past a signed decimal number starting at `start`, or -1 when there is none. */
function numberEnd(text: string, start: number): number {
  let i = start;
  const first = text.charCodeAt(i);
  if (first === CODE_PLUS || first === CODE_MINUS) i++;
  let digits = 0;
  while (isDigit(text.charCodeAt(i))) { i++; digits++; }
  if (text.charCodeAt(i) === CODE_DOT) {
    i++;
    while (isDigit(text.charCodeAt(i))) { i++; digits++; }
  }
  return digits === 0 ? -1 : i;
}

/**
 * Reads plain decimal degrees from trimmed text. Returns undefined when the text is
 * not in that form (the caller then tries DMS, MGRS and UTM); throws when it is in
 * that form but the numbers are not a position.
 */
export function parsePlainDecimal(text: string): ParsedPosition | undefined {
  const latEnd = numberEnd(text, 0);
  if (latEnd < 0) return undefined;
  let i = latEnd;
  while (isBlank(text.charCodeAt(i))) i++;
  const comma = text.charCodeAt(i) === CODE_COMMA;
  if (comma) i++;
  while (isBlank(text.charCodeAt(i))) i++;
  if (i === latEnd) return undefined; // no separator at all
  const lonStart = i;
  const lonEnd = numberEnd(text, lonStart);
  if (lonEnd < 0 || lonEnd !== text.length) return undefined;
  const latText = text.slice(0, latEnd), lonText = text.slice(lonStart, lonEnd);
  const lat = Number(latText);
  const lon = Number(lonText);
  if (comma && lonStart === latEnd + 1 && isDecimalCommaPair(text, latEnd, lonEnd, lat, lon)) {
    throw decimalCommaError(text);
  }
  checkLatLon(lat, lon);
  const position: ParsedPosition = { lat, lon, form: 'decimal' };
  const cell = writtenCellM(lat, lastDigitStep(latText), lastDigitStep(lonText));
  if (cell !== undefined) position.precisionM = cell;
  return position;
}

/** "31,5603": a bare comma between two whole numbers that make no position reads as a decimal comma. */
function isDecimalCommaPair(text: string, latEnd: number, lonEnd: number, lat: number, lon: number): boolean {
  const wholeNumbers = text.lastIndexOf('.', lonEnd) < 0;
  const signedLon = text.charCodeAt(latEnd + 1) === CODE_MINUS || text.charCodeAt(latEnd + 1) === CODE_PLUS;
  return wholeNumbers && !signedLon && (Math.abs(lat) > 90 || Math.abs(lon) > 180);
}

export function decimalCommaError(text: string): Error {
  return badPosition(
    `${quoted(text)} uses a comma inside a number: decimal commas are not accepted, ` +
      `write decimals with a point (31.5603) and separate latitude and longitude with a comma or a space`,
  );
}
