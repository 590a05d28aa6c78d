// The one place every track reader turns its values into a Fix, so all formats check the same things.
import type { Fix } from '../fix.js';

export interface PointValues {
  unit: string;
  time: number;
  lat: number;
  lon: number;
  accuracyM?: number;
  altM?: number;
  speedMps?: number;
  courseDeg?: number;
}

/**
 * A Fix with source 'file', or the reason the values are not a position. Optional values that are not
 * meaningful are left out rather than refused: loggers write 0 for "no accuracy" (Android) and -1 for
 * "no speed/course", and a missing accuracy is honest where a zero would claim perfection.
 */
export function buildFix(p: PointValues): Fix | string {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return 'latitude or longitude is not a number';
  if (p.lat < -90 || p.lat > 90) return `latitude ${p.lat} is outside -90..90`;
  if (p.lon < -180 || p.lon > 180) return `longitude ${p.lon} is outside -180..180`;
  if (!Number.isFinite(p.time)) return 'time is not a number';
  const fix: Fix = { unit: p.unit, time: p.time, lat: p.lat, lon: p.lon, source: 'file' };
  if (p.accuracyM !== undefined && Number.isFinite(p.accuracyM) && p.accuracyM > 0) fix.accuracyM = p.accuracyM;
  if (p.altM !== undefined && Number.isFinite(p.altM)) fix.altM = p.altM;
  if (p.speedMps !== undefined && Number.isFinite(p.speedMps) && p.speedMps >= 0) fix.speedMps = p.speedMps;
  if (p.courseDeg !== undefined && Number.isFinite(p.courseDeg) && p.courseDeg >= 0) fix.courseDeg = p.courseDeg % 360;
  return fix;
}

/**
 * A plain decimal number ("31.5603", "-1e-3", surrounding spaces allowed); undefined for anything else,
 * including "", "0x1F", "0b1", "Infinity" and "31,5". Number() does the conversion (it runs for every
 * coordinate); the character checks shut out the non-decimal forms Number() also accepts.
 */
export function parseDecimal(text: string): number | undefined {
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
