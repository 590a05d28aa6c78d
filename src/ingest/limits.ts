// The values every wire format and file shares — unit ids, coordinates, times, accuracy,
// speed, course, altitude — and the one set of range and time rules every source applies.
//
// A fix is refused only when its position or time is unusable: those checks throw a LinderoError
// naming the field. An auxiliary value (accuracy, altitude, speed, course) out of range never costs
// the position: it is normalised where its meaning is clear (a signed course) or left off, and the
// fix carries a note saying which and why (Fix.notes), which the live server logs.
import { LinderoError } from '../model/index.js';
import type { Fix } from '../model/index.js';
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_FUTURE_MS, MAX_ACCURACY_M, MAX_ALT_M, MAX_SPEED_MPS, MAX_TIME_MS, MAX_UNIT_CHARS, MIN_ALT_M } from '../model/index.js';

/** Longest numeric text read; real coordinates need about 15 characters. */
const MAX_NUMBER_CHARS = 40;

/** When a fix's time is plausible. `now` is the receiver's clock; tests pass a fixed one. */
export interface TimeWindow {
  now?: number;
  maxFutureMs?: number;
  maxAgeMs?: number;
}

export function missing(field: string, what = 'is required'): LinderoError {
  return new LinderoError('missing-field', `${field} ${what}`, { field });
}

export function invalid(field: string, why: string): LinderoError {
  return new LinderoError('invalid-field', `${field} ${why}`, { field });
}

/** Quote a bad value for a message without letting a huge or binary value flood it. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

/**
 * A decimal number written as text: "31.5603", "-106", "1e3". Refuses what Number() would
 * quietly accept: "", " 1", "0x10", "Infinity", "NaN", and values that overflow to Infinity.
 */
export function parseDecimal(text: string, field: string): number {
  if (text.length > MAX_NUMBER_CHARS || !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?$/.test(text)) {
    throw invalid(field, `must be a decimal number, got ${quote(text)}`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw invalid(field, `is out of range: ${quote(text)}`);
  return value;
}

/** A JSON value that must be a finite number (not a numeric string, not null). */
export function requireNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(field, `must be a number, got ${quote(value)}`);
  }
  return value;
}

/**
 * Latitude and longitude in WGS84 degrees. Exactly 0,0 is refused: TAK and Traccar clients
 * send it when they have no position (Traccar's own decoder treats it as "no fix").
 */
export function checkLatLon(lat: number, lon: number, latField: string, lonField: string): void {
  if (!(lat >= -90 && lat <= 90)) throw invalid(latField, `must be between -90 and 90 degrees, got ${lat}`);
  if (!(lon >= -180 && lon <= 180)) throw invalid(lonField, `must be between -180 and 180 degrees, got ${lon}`);
  if (lat === 0 && lon === 0) {
    throw new LinderoError('no-position', `${latField},${lonField} is 0,0, which clients send when they have no position`, {
      field: latField,
    });
  }
}

/** A unit id: non-empty, at most 128 characters, no control characters (they break logs and CSV). */
export function checkUnit(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '') throw missing(field);
  if (typeof value !== 'string') throw invalid(field, `must be a string, got ${quote(value)}`);
  if (value.trim() === '') throw invalid(field, 'must not be blank');
  if (value.length > MAX_UNIT_CHARS) throw invalid(field, `must be at most ${MAX_UNIT_CHARS} characters, got ${value.length}`);
  // C0 controls, DEL and C1 controls (Unicode general category Cc).
  if (/\p{Cc}/u.test(value)) throw invalid(field, 'must not contain control characters');
  return value;
}

/** Horizontal 1-sigma accuracy in metres: zero or more, at most 1000 km. */
export function checkAccuracy(value: number, field: string): number {
  if (!(value >= 0 && value <= MAX_ACCURACY_M)) {
    throw invalid(field, `must be between 0 and ${MAX_ACCURACY_M} metres, got ${value}`);
  }
  return value;
}

export function checkSpeed(value: number, field: string): number {
  if (!(value >= 0 && value <= MAX_SPEED_MPS)) {
    throw invalid(field, `must be between 0 and ${MAX_SPEED_MPS} m/s, got ${value}`);
  }
  return value;
}

/** Course in degrees clockwise from true north; 360 is north and becomes 0. */
export function checkCourse(value: number, field: string): number {
  if (!(value >= 0 && value <= 360)) throw invalid(field, `must be between 0 and 360 degrees, got ${value}`);
  return value === 360 ? 0 : value;
}

export function checkAltitude(value: number, field: string): number {
  if (!(value >= MIN_ALT_M && value <= MAX_ALT_M)) {
    throw invalid(field, `must be between ${MIN_ALT_M} and ${MAX_ALT_M} metres, got ${value}`);
  }
  return value;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,12}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time ("2024-05-01T12:00:00.5Z", "2024-05-01T06:00:00-06:00") as ms since
 * epoch. The zone is required: a time without one means different instants on different
 * servers. Any number of fraction digits is allowed (CoT 2.0 schema clarification 3).
 */
export function parseIsoTime(text: string, field: string): number {
  const m = ISO_TIME.exec(text);
  if (!m) throw invalid(field, `must be an ISO 8601 date-time with a time zone (e.g. 2024-05-01T12:00:00Z), got ${quote(text)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Second 60 is a leap second (RFC 3339 §5.7); Date.UTC rolls it into the next minute.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) {
    throw invalid(field, `is not a real date-time: ${quote(text)}`);
  }
  const fractionMs = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let offsetMin = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) throw invalid(field, `has an impossible time zone offset: ${quote(text)}`);
    offsetMin = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
  // Date.UTC maps years 0..99 to 1900..1999; such times fail the plausibility window anyway.
  return Math.round(utc + fractionMs);
}

/** The window's clock and limits, the defaults filled in. */
function windowLimits(window: TimeWindow): Required<TimeWindow> {
  return { now: window.now ?? Date.now(), maxFutureMs: window.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS, maxAgeMs: window.maxAgeMs ?? DEFAULT_MAX_AGE_MS };
}

/** Whether checkTime would accept the time. */
export function inTimeWindow(timeMs: number, window: TimeWindow = {}): boolean {
  const { now, maxFutureMs, maxAgeMs } = windowLimits(window);
  return timeMs <= now + maxFutureMs && timeMs >= now - maxAgeMs;
}

/** Refuse a time too far in the future (clock or time zone error) or too far in the past. */
export function checkTime(timeMs: number, field: string, window: TimeWindow = {}): number {
  const { now, maxFutureMs, maxAgeMs } = windowLimits(window);
  if (!Number.isFinite(timeMs)) throw invalid(field, 'is not a valid time');
  if (timeMs > now + maxFutureMs) {
    throw new LinderoError(
      'implausible-time',
      `${field} ${describeInstant(timeMs)} is ${describeSpan(timeMs - now)} ahead of the receiver's clock ` +
        `(at most ${describeSpan(maxFutureMs)} allowed): check the device clock and time zone`,
      { field },
    );
  }
  if (timeMs < now - maxAgeMs) {
    throw new LinderoError(
      'implausible-time',
      `${field} ${describeInstant(timeMs)} is ${describeSpan(now - timeMs)} old (at most ${describeSpan(maxAgeMs)} allowed)`,
      { field },
    );
  }
  return timeMs;
}

/** ISO text for a time, or the raw number where Date cannot represent it (beyond ±MAX_TIME_MS). */
function describeInstant(ms: number): string {
  return Math.abs(ms) <= MAX_TIME_MS ? new Date(ms).toISOString() : `${ms} ms since epoch`;
}

function describeSpan(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 72) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

/** Leaves a note on the fix: an auxiliary value was not taken as sent. */
export function noteOn(fix: Fix, field: string, what: string): void {
  (fix.notes ??= []).push(`${field} ${what}`);
}

/**
 * An auxiliary number written as text: the number, or undefined (with a note) when it is not a
 * number; an empty field is simply absent.
 */
export function auxDecimal(fix: Fix, text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return parseDecimal(text.trim(), field);
  } catch {
    noteOn(fix, field, `is not a number (${quote(text)}); left off`);
    return undefined;
  }
}

/** An auxiliary JSON value: a finite number, or undefined (with a note) for anything else; null is absent. */
export function auxNumber(fix: Fix, value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  noteOn(fix, field, `is not a number (${quote(value)}); left off`);
  return undefined;
}

/**
 * Horizontal 1-sigma accuracy, metres. 0 is left off as "not reported", never taken as perfect:
 * Traccar Client sends accuracy=0 for every GPS fix and Android loggers write 0 when they have none.
 * Negative or beyond 1000 km: left off with a note.
 */
export function setAccuracy(fix: Fix, value: number | undefined, field: string): void {
  if (value === undefined) return;
  if (value > 0 && value <= MAX_ACCURACY_M) fix.accuracyM = value;
  else if (value === 0) noteOn(fix, field, 'is 0, which senders use for "not reported"; accuracy taken as unknown');
  else noteOn(fix, field, `is ${value}, outside 0..${MAX_ACCURACY_M} metres; left off`);
}

/** Ground speed, m/s. -1 is "unknown" (TAK, Traccar); other negatives and speeds past 1000 m/s are left off with a note. */
export function setSpeed(fix: Fix, value: number | undefined, field: string): void {
  if (value === undefined || value === -1) return;
  if (value >= 0 && value <= MAX_SPEED_MPS) fix.speedMps = value;
  else noteOn(fix, field, `is ${value} m/s, outside 0..${MAX_SPEED_MPS}; left off`);
}

/** Ground speed given in km/h (Garmin inReach, OwnTracks): as m/s; negative or past 1000 m/s left off with a note in km/h. */
export function setSpeedKmh(fix: Fix, kmh: number | undefined, field: string): void {
  if (kmh === undefined) return;
  if (kmh >= 0 && kmh / 3.6 <= MAX_SPEED_MPS) fix.speedMps = kmh / 3.6;
  else noteOn(fix, field, `is ${kmh} km/h, outside 0..${MAX_SPEED_MPS * 3.6} km/h; left off`);
}

/**
 * Course over ground, degrees clockwise from true north, stored in [0, 360). -1 is "unknown" (TAK,
 * Traccar). A signed course in [-180, 0) (drones and some SDKs write -180..180) is the same direction
 * plus 360: -108.9 becomes 251.1, with a note. Anything else outside -180..360 has no clear meaning and
 * is left off with a note.
 */
export function setCourse(fix: Fix, value: number | undefined, field: string): void {
  if (value === undefined || value === -1) return;
  if (value >= 0 && value < 360) fix.courseDeg = value;
  else if (value === 360) fix.courseDeg = 0;
  else if (value >= -180 && value < 0) {
    fix.courseDeg = value + 360;
    noteOn(fix, field, `${value} read as a signed course: ${fix.courseDeg}`);
  } else noteOn(fix, field, `is ${value}, outside -180..360 degrees; left off`);
}

/** Altitude, metres: outside the Mariana Trench .. the Kármán line it is left off with a note. */
export function setAltitude(fix: Fix, value: number | undefined, field: string): void {
  if (value === undefined) return;
  if (value >= MIN_ALT_M && value <= MAX_ALT_M) fix.altM = value;
  else noteOn(fix, field, `is ${value}, outside ${MIN_ALT_M}..${MAX_ALT_M} metres; left off`);
}

/** A display name (callsign, team): trimmed, control characters out, at most 128 characters; undefined when empty. */
export function cleanName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_UNIT_CHARS);
  return name === '' ? undefined : name;
}
