// The one place every track reader turns its values into a Fix, so all formats check the same things,
// with the range rules every live source applies (limits.ts). Files are read at any age.
import type { Fix } from '../../model/index.js';
import { setAccuracy, setAltitude, setCourse, setSpeed } from '../limits.js';

/** What a track reader found for one point: a Fix's values before the range rules. */
export type PointValues = Pick<Fix, 'unit' | 'time' | 'lat' | 'lon' | 'accuracyM' | 'altM' | 'speedMps' | 'courseDeg'>;

/**
 * GPS time began at 1980-01-06T00:00:00Z: no satellite fix is older, so an earlier time is a writer's
 * placeholder. GPSBabel and some loggers write 1901-12-13T20:45:52Z (the smallest 32-bit Unix time) for
 * every point of a track they had no times for; a device whose clock was never set, 1970-01-01.
 */
export const GPS_EPOCH_MS = Date.UTC(1980, 0, 6);

/**
 * A Fix with source 'file', or the reason the values are not a position. Optional values that are not
 * meaningful are left out rather than refused (with a note on the fix): loggers write 0 for "no
 * accuracy" (Android) and -1 for "no speed/course", and a missing accuracy is honest where a zero would
 * claim perfection.
 */
export function buildFix(p: PointValues): Fix | string {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return 'latitude or longitude is not a number';
  if (p.time < GPS_EPOCH_MS) {
    return `time ${new Date(p.time).toISOString()} is before GPS time began (1980-01-06): a placeholder for a time the device did not have`;
  }
  if (p.lat < -90 || p.lat > 90) return `latitude ${p.lat} is outside -90..90`;
  if (p.lon < -180 || p.lon > 180) return `longitude ${p.lon} is outside -180..180`;
  if (!Number.isFinite(p.time)) return 'time is not a number';
  const fix: Fix = { unit: p.unit, time: p.time, lat: p.lat, lon: p.lon, source: 'file' };
  if (p.accuracyM !== undefined) setAccuracy(fix, p.accuracyM, 'accuracy');
  if (p.altM !== undefined) setAltitude(fix, p.altM, 'altitude');
  if (p.speedMps !== undefined) setSpeed(fix, p.speedMps, 'speed');
  if (p.courseDeg !== undefined) setCourse(fix, p.courseDeg, 'course');
  return fix;
}

/**
 * A plain decimal number ("31.5603", "-1e-3", surrounding spaces allowed); undefined for anything else,
 * including "", "0x1F", "0b1", "Infinity" and "31,5". Number() does the conversion (it runs for every
 * coordinate); the character checks shut out the non-decimal forms Number() also accepts.
 */
export function parseDecimal(text: string): number | undefined {
  const plain = plainDecimal(text);
  if (plain === plain) return plain;
  let s = text;
  if (s.length === 0) return undefined;
  if (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) {
    s = s.trim();
    if (s.length === 0) return undefined;
  }
  const n = Number(s);
  if (!Number.isFinite(n)) return undefined;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (!(isDigit(first) || first === 43 || first === 45 || first === 46) || !(isDigit(last) || last === 46)) return undefined;
  if (first === 48 && s.length > 1 && !isDigit(s.charCodeAt(1)) && s.charCodeAt(1) !== 46 && (s.charCodeAt(1) | 32) !== 101) return undefined;
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * "-106.2254371": sign, at most 15 digits, one point, nothing else; NaN for any other text (parseDecimal
 * then takes the general way). With at most 15 digits the digits and the power of ten are exact doubles,
 * so their quotient, rounded once, is exactly Number()'s result (Clinger's fast path) at a fraction of
 * its cost, and this runs for every coordinate.
 */
function plainDecimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > 17) return NaN;
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) i = 1;
  let digits = 0, point = -1, mantissa = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = digits;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const value = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[digits - point];
  return first === 45 ? -value : value;
}
