// POST /api/v1/fixes: a JSON array of fixes with snake_case fields. Good items are kept and bad
// ones listed with their index and the reason, so one bad fix never costs the others.
import { LinderoError, MAX_UNIT_CHARS, isLinderoError } from '../model/index.js';
import type { Fix, PositionlessEmergency } from '../model/index.js';
import { auxNumber, checkLatLon, cleanName, checkTime, setAccuracy, setAltitude, setCourse, setSpeed, checkUnit, invalid, missing, parseIsoTime, quote, requireNumber, type TimeWindow } from './limits.js';

/** Most fixes accepted in one request; a client with more sends several requests. */
export const MAX_JSON_BATCH = 10_000;

const FIELDS = ['unit', 'time', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'emergency'] as const;
/** What an emergency given without its own name is called. */
const EMERGENCY_UNNAMED = 'Emergency';

export interface JsonFixesOptions {
  time?: TimeWindow;
  /** Longest array accepted; default MAX_JSON_BATCH. */
  maxItems?: number;
}

export interface RejectedFix {
  /** 0-based position of the item in the array. */
  index: number;
  /** What is wrong, naming the field. */
  reason: string;
}

export interface JsonFixesResult {
  fixes: Fix[];
  rejected: RejectedFix[];
  /** Items that declare or cancel an emergency without a position (no lat, no lon): no fixes. */
  emergencies: { index: number; emergency: PositionlessEmergency }[];
}

/**
 * Read a batch of fixes: `[{"unit", "time", "lat", "lon", "accuracy_m"?, "alt_m"?, "speed_mps"?,
 * "course_deg"?, "emergency"?}, ...]`. time is an ISO 8601 string with a zone or epoch milliseconds;
 * emergency, when the device declared one (an SOS) or cancelled it, is {"state": "declared" | "cancelled", "what"?};
 * an item with an emergency and neither lat nor lon ({"unit", "time", "emergency"}) is that emergency without a position.
 * Throws LinderoError only for the body as a whole (`json-not-array`, `json-batch-too-large`).
 */
export function parseJsonFixes(body: unknown, options: JsonFixesOptions = {}): JsonFixesResult {
  if (!Array.isArray(body)) {
    throw new LinderoError('json-not-array', `expected a JSON array of fixes, got ${describeJson(body)}`);
  }
  const maxItems = options.maxItems ?? MAX_JSON_BATCH;
  if (body.length > maxItems) {
    throw new LinderoError('json-batch-too-large', `${body.length} fixes in one request; at most ${maxItems} are accepted, send the rest in further requests`);
  }
  const fixes: Fix[] = [];
  const rejected: RejectedFix[] = [];
  const emergencies: JsonFixesResult['emergencies'] = [];
  body.forEach((item: unknown, index) => {
    try {
      const read = parseJsonItem(item, options.time);
      if ('reason' in read) emergencies.push({ index, emergency: read });
      else fixes.push(read);
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      rejected.push({ index, reason: e.message });
    }
  });
  return { fixes, rejected, emergencies };
}

/** One item: a fix, or an emergency declared or cancelled without a position (neither lat nor lon given). */
function parseJsonItem(item: unknown, window: TimeWindow | undefined): Fix | PositionlessEmergency {
  const fields = typeof item === 'object' && item !== null && !Array.isArray(item) ? item as Record<string, unknown> : undefined;
  if (fields && present(fields.emergency) && !present(fields.lat) && !present(fields.lon)) {
    const unknown = Object.keys(fields).find((key) => !['unit', 'time', 'emergency'].includes(key));
    if (unknown !== undefined) throw invalid(unknown, 'is not a field of an emergency without a position (fields: unit, time, emergency)');
    return { unit: checkUnit(fields.unit, 'unit'), time: jsonTime(fields.time, window), source: 'json', emergency: jsonEmergency(fields.emergency), reason: 'lat and lon were not given' };
  }
  return parseJsonFix(item, window);
}

/** One item of the batch; throws LinderoError naming the field. */
export function parseJsonFix(item: unknown, window?: TimeWindow): Fix {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new LinderoError('json-not-object', `each fix must be a JSON object, got ${describeJson(item)}`);
  }
  const fields = item as Record<string, unknown>;
  // Unknown fields are refused: a misspelt "accuracy" would otherwise silently mean "accuracy unknown".
  const unknown = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw invalid(unknown, `is not a fix field (fields: ${FIELDS.join(', ')})`);

  const unit = checkUnit(fields.unit, 'unit');
  const time = jsonTime(fields.time, window);
  if (fields.lat === undefined || fields.lat === null) throw missing('lat');
  if (fields.lon === undefined || fields.lon === null) throw missing('lon');
  const lat = requireNumber(fields.lat, 'lat');
  const lon = requireNumber(fields.lon, 'lon');
  checkLatLon(lat, lon, 'lat', 'lon');
  const fix: Fix = { unit, time, lat, lon, source: 'json' };
  // Auxiliary values follow the shared range rules: out of range costs the value, never the position.
  setAccuracy(fix, auxNumber(fix, fields.accuracy_m, 'accuracy_m'), 'accuracy_m');
  setAltitude(fix, auxNumber(fix, fields.alt_m, 'alt_m'), 'alt_m');
  setSpeed(fix, auxNumber(fix, fields.speed_mps, 'speed_mps'), 'speed_mps');
  setCourse(fix, auxNumber(fix, fields.course_deg, 'course_deg'), 'course_deg');
  if (present(fields.emergency)) fix.emergency = jsonEmergency(fields.emergency);
  return fix;
}

/** An emergency is what a report is sent for, not an auxiliary value: a malformed one refuses the fix. */
function jsonEmergency(value: unknown): NonNullable<Fix['emergency']> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('emergency', `must be {"state": "declared" | "cancelled", "what"?}, got ${describeJson(value)}`);
  const { state, what, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalid(`emergency.${extra}`, 'is not an emergency field (fields: state, what)');
  if (state !== 'declared' && state !== 'cancelled') throw invalid('emergency.state', `must be "declared" or "cancelled", got ${describeJson(state)}`);
  if (what === undefined || what === null) return { state, what: EMERGENCY_UNNAMED };
  const name = typeof what === 'string' ? cleanName(what) : undefined;
  // Like a callsign: control characters become spaces, and it is cut at MAX_UNIT_CHARS.
  if (name === undefined) throw invalid('emergency.what', `must be a name (a non-empty string, at most ${MAX_UNIT_CHARS} characters kept), got ${describeJson(what)}`);
  return { state, what: name };
}

function jsonTime(value: unknown, window: TimeWindow | undefined): number {
  if (value === undefined || value === null) throw missing('time', 'is required (ISO 8601 or epoch milliseconds)');
  if (typeof value === 'string') return checkTime(parseIsoTime(value, 'time'), 'time', window);
  const ms = Math.round(requireNumber(value, 'time'));
  try {
    return checkTime(ms, 'time', window);
  } catch (e) {
    // A common slip: epoch seconds where milliseconds are asked for.
    if (isLinderoError(e) && plausible(ms * 1000, window)) {
      throw new LinderoError(e.code, `${e.message}; it looks like epoch seconds, and time takes milliseconds`, e.place);
    }
    throw e;
  }
}

function plausible(ms: number, window: TimeWindow | undefined): boolean {
  try {
    checkTime(ms, 'time', window);
    return true;
  } catch {
    return false;
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** What a JSON value is, for an error: "an array", "null", "number 5". */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${quote(value)}`;
}
