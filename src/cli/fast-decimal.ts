// The batch fast path for the commonest line, plain decimal degrees "lat,lon" / "lat, lon" / "lat lon":
// read straight from the character codes, with the value Number() would give, and no string made.
// Anything else (or anything unusual about it) is left to parsePosition, which gives the same answer.
import { decimalStep, writtenCellM } from '../coords/index.js';

/**
 * The last line read by readDecimalPair: its two values, where each number's text is, and the square its
 * digits are rounded to when over a metre (parsePosition's precisionM; none at 6 decimals or more).
 */
export const decimalPair = { lat: 0, lon: 0, latEnd: 0, lonStart: 0, precisionM: undefined as number | undefined };

/** Digits a number may have here: up to 15 significant digits make an integer below 2^53 (see readNumber). */
const MAX_SIGNIFICANT = 15;
/** parsePosition's limit on a position's length; longer lines go to it for its message. */
const MAX_CHARS = 200;

let numberValue = 0;
/** Digits after the point of the number readNumber last read. */
let numberDecimals = 0;
/** At this many decimals a degree's last digit is a point (0.11 m; written-cell.ts). */
const POINT_DECIMALS = 6;

/**
 * Reads `text` as two signed decimal numbers separated by a comma and/or blanks (spaces, tabs), in range
 * as latitude and longitude; fills decimalPair and returns true. Returns false for anything else — other
 * forms, surrounding blanks, exponents, more than 15 significant digits, out of range — for parsePosition.
 */
export function readDecimalPair(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > MAX_CHARS) return false;
  const latEnd = readNumber(text, 0, n);
  if (latEnd < 0) return false;
  const lat = numberValue, latDecimals = numberDecimals;
  let i = latEnd;
  while (i < n && isBlank(text.charCodeAt(i))) i++;
  if (i < n && text.charCodeAt(i) === 44) i++;
  while (i < n && isBlank(text.charCodeAt(i))) i++;
  if (i === latEnd) return false;
  const lonStart = i;
  if (readNumber(text, lonStart, n) !== n) return false;
  const lon = numberValue, lonDecimals = numberDecimals;
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return false;
  decimalPair.precisionM = latDecimals >= POINT_DECIMALS && lonDecimals >= POINT_DECIMALS ? undefined : writtenCellM(lat, decimalStep(latDecimals), decimalStep(lonDecimals));
  decimalPair.lat = lat;
  decimalPair.lon = lon;
  decimalPair.latEnd = latEnd;
  decimalPair.lonStart = lonStart;
  return true;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Index just past the number at `start` ([+-] digits [. digits], at least one digit), its value in
 * numberValue; -1 when there is none or it has too many digits. The value is m / 10^q for the integer m of
 * its digits and q digits after the point: m < 2^53 and 10^q ≤ 10^22 are exact doubles, and one correctly
 * rounded division of exact values is the correctly rounded decimal, which is what Number() returns.
 */
function readNumber(text: string, start: number, n: number): number {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) c = text.charCodeAt(++i);
  let m = 0, digits = 0, significant = 0, fraction = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    if (m > 0) significant++;
    digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (m > 0) significant++;
      digits++;
      fraction++;
      c = text.charCodeAt(++i);
    }
  }
  if (digits === 0 || significant > MAX_SIGNIFICANT || fraction > 22 || i > n) return -1;
  const value = m / POW10[fraction];
  numberValue = negative ? -value : value;
  numberDecimals = fraction;
  return i;
}
