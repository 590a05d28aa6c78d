// The OsmAnd protocol as Traccar defines it (port 5055): query or form fields, and the JSON
// body Traccar Client 9+ posts (its background-geolocation SDK's location template).
// Field rules follow Traccar's OsmAndProtocolDecoder, except that a fix without a usable
// position is refused instead of being given the unit's last position.
import { LinderoError } from '../model/index.js';
import type { Fix } from '../model/index.js';
import { auxDecimal, auxNumber, checkLatLon, checkTime, setAccuracy, setAltitude, setCourse, setSpeed, checkUnit, invalid, missing, parseDecimal, parseIsoTime, quote, requireNumber, type TimeWindow } from './limits.js';

export type OsmandParams = Record<string, string | string[] | undefined>;

export interface OsmandOptions {
  /** Plausibility window for fix times; `now` is also the time of a fix sent without one. */
  time?: TimeWindow;
}

/** Traccar: an integer timestamp below 2^31-1 is epoch seconds, otherwise epoch milliseconds. */
const SECONDS_LIMIT = 2_147_483_647;
const KNOTS_TO_MPS = 1852 / 3600;
/** Traccar's Position.ALARM_SOS, and what Traccar Client's SOS shortcut sends as `alarm`. */
const ALARM_SOS = 'sos';

/**
 * One fix from OsmAnd query or form fields: id (or deviceid), lat and lon (or location=lat,lon),
 * timestamp, speed (knots), bearing or heading, altitude, accuracy (m), hdop, valid.
 * Fields Fix has no place for (batt, charge, driverUniqueId, custom attributes) are ignored.
 * `alarm=sos` (Traccar's alarm key for an SOS, which Traccar Client's SOS shortcut sends with a fresh
 * position) declares an emergency; other alarms are Traccar's vehicle alarms and are ignored.
 *
 * `hdop` is read as an accuracy in metres: the client that sends it by that name is OsmAnd, whose URL
 * template placeholder {3} is Location.getAccuracy() (LiveMonitoringHelper: the field is named hdop but
 * holds the accuracy). Traccar Client sends `accuracy`; when both are sent, `accuracy` wins.
 * See docs/device-fields.md for what each client sends.
 */
export function parseOsmand(params: OsmandParams, options: OsmandOptions = {}): Fix {
  const field = (name: string) => single(params, name);
  const unit = checkUnit(agree(field('id'), field('deviceid'), 'id', 'deviceid'), 'id');
  const valid = field('valid');
  if (valid !== undefined) checkValidFlag(valid);

  const [lat, lon] = osmandPosition(field('lat'), field('lon'), field('location'));
  const timestamp = field('timestamp');
  const now = options.time?.now ?? Date.now();
  const time = timestamp === undefined ? now : checkTime(parseOsmandTime(timestamp), 'timestamp', options.time);
  const fix: Fix = { unit, time, lat, lon, source: 'osmand' };

  // -1 is how clients say "unknown" for speed and course (the range rules know it).
  const knots = auxDecimal(fix, field('speed'), 'speed');
  setSpeed(fix, knots === undefined || knots === -1 ? knots : knots * KNOTS_TO_MPS, 'speed');
  const courseField = field('bearing') !== undefined ? 'bearing' : 'heading';
  setCourse(fix, auxDecimal(fix, agree(field('bearing'), field('heading'), 'bearing', 'heading'), courseField), courseField);
  setAltitude(fix, auxDecimal(fix, field('altitude'), 'altitude'), 'altitude');

  const accuracy = auxDecimal(fix, field('accuracy'), 'accuracy');
  const hdop = auxDecimal(fix, field('hdop'), 'hdop');
  if (accuracy !== undefined) setAccuracy(fix, accuracy, 'accuracy');
  else setAccuracy(fix, hdop, 'hdop');
  declareSos(fix, field('alarm'));
  return fix;
}

/** Traccar's alarm key: `sos` (either client's SOS, sent with a fresh position) declares an emergency; its vehicle alarms do not. */
function declareSos(fix: Fix, alarm: unknown): void {
  if (typeof alarm === 'string' && alarm.trim().toLowerCase() === ALARM_SOS) fix.emergency = { state: 'declared', what: 'SOS' };
}

/**
 * Epoch seconds or milliseconds (told apart as Traccar does, by magnitude: below 2^31-1 is
 * seconds), or an ISO 8601 date-time. Traccar's zone-less "yyyy-MM-dd HH:mm:ss" is read as UTC,
 * as Traccar reads it on a server running in UTC (the usual setup, and the only reading that does not
 * depend on where lindero runs).
 */
export function parseOsmandTime(text: string): number {
  if (/^\d{1,20}(?:\.\d{1,9})?$/.test(text)) {
    const value = parseDecimal(text, 'timestamp');
    return Math.round(value < SECONDS_LIMIT ? value * 1000 : value);
  }
  const zoneless = /^(\d{4}-\d{2}-\d{2})[ Tt](\d{2}:\d{2})(:\d{2}(?:\.\d{1,12})?)?$/.exec(text);
  if (zoneless) return parseIsoTime(`${zoneless[1]}T${zoneless[2]}${zoneless[3] ?? ':00'}Z`, 'timestamp');
  return parseIsoTime(text, 'timestamp');
}

/**
 * The JSON Traccar Client (9.0 and later) posts: {"device_id", "location": {"timestamp",
 * "coords": {"latitude", "longitude", "accuracy", "speed" (m/s), "heading", "altitude"}, ...}}.
 * With the SDK's batchSync, "location" is an array; every entry must be valid, or none is taken. Its SOS
 * (the "sos" quick action) is a location with "extras": {"alarm": "sos"}: it declares an emergency, as
 * alarm=sos does in a query; the SDK's other extras (a heartbeat, a user's own) are ignored.
 * Errors name the path, e.g. `location[2].coords.latitude`.
 */
export function parseTraccarJson(body: unknown, options: OsmandOptions = {}): Fix[] {
  if (!isObject(body)) {
    throw new LinderoError('traccar-not-object', `expected a JSON object {"device_id", "location"}, got ${describeJson(body)}`);
  }
  const deviceId = body.device_id;
  const unit = checkUnit(typeof deviceId === 'number' && Number.isSafeInteger(deviceId) ? String(deviceId) : deviceId, 'device_id');
  const location = body.location;
  if (location === undefined || location === null) throw missing('location');
  if (Array.isArray(location)) return location.map((entry, i) => traccarLocation(entry, `location[${i}]`, unit, options));
  return [traccarLocation(location, 'location', unit, options)];
}

function traccarLocation(location: unknown, path: string, unit: string, options: OsmandOptions): Fix {
  if (!isObject(location)) throw invalid(path, `must be an object, got ${describeJson(location)}`);
  const timestamp = location.timestamp;
  if (timestamp === undefined || timestamp === null) throw missing(`${path}.timestamp`);
  if (typeof timestamp !== 'string') throw invalid(`${path}.timestamp`, `must be an ISO 8601 string, got ${quote(timestamp)}`);
  const time = checkTime(parseIsoTime(timestamp, `${path}.timestamp`), `${path}.timestamp`, options.time);

  const coords = location.coords;
  const at = `${path}.coords`;
  if (coords === undefined || coords === null) throw missing(at);
  if (!isObject(coords)) throw invalid(at, `must be an object, got ${describeJson(coords)}`);
  if (coords.latitude === undefined || coords.latitude === null) throw missing(`${at}.latitude`);
  if (coords.longitude === undefined || coords.longitude === null) throw missing(`${at}.longitude`);
  const lat = requireNumber(coords.latitude, `${at}.latitude`);
  const lon = requireNumber(coords.longitude, `${at}.longitude`);
  checkLatLon(lat, lon, `${at}.latitude`, `${at}.longitude`);
  const fix: Fix = { unit, time, lat, lon, source: 'osmand' };

  const accuracy = auxNumber(fix, coords.accuracy, `${at}.accuracy`);
  // iOS (CLLocation.horizontalAccuracy): a negative accuracy means the coordinates are invalid.
  if (accuracy !== undefined && accuracy < 0) {
    throw new LinderoError('invalid-fix', `${at}.accuracy is ${accuracy}: the device marked the position invalid`, { field: `${at}.accuracy` });
  }
  setAccuracy(fix, accuracy, `${at}.accuracy`);
  // The SDK writes -1 for a speed or heading the device does not know (the range rules know it).
  setSpeed(fix, auxNumber(fix, coords.speed, `${at}.speed`), `${at}.speed`);
  setCourse(fix, auxNumber(fix, coords.heading, `${at}.heading`), `${at}.heading`);
  const altitude = auxNumber(fix, coords.altitude, `${at}.altitude`);
  const altitudeAccuracy = auxNumber(fix, coords.altitude_accuracy, `${at}.altitude_accuracy`);
  if (!(altitudeAccuracy !== undefined && altitudeAccuracy < 0)) setAltitude(fix, altitude, `${at}.altitude`);
  if (isObject(location.extras)) declareSos(fix, location.extras.alarm);
  return fix;
}

/** A field's one value; a field repeated with different values is ambiguous and refused. */
function single(params: OsmandParams, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(params, name)) return undefined;
  const value = params[name];
  if (!Array.isArray(value)) return value;
  if (value.some((v) => v !== value[0])) throw invalid(name, `is given ${value.length} times with different values`);
  return value[0];
}

/** Two names for one field (id/deviceid, bearing/heading): either, or both if they agree. */
function agree(a: string | undefined, b: string | undefined, nameA: string, nameB: string): string | undefined {
  if (a !== undefined && b !== undefined && a !== b) throw invalid(nameA, `(${quote(a)}) and ${nameB} (${quote(b)}) disagree`);
  return a ?? b;
}

function checkValidFlag(valid: string): void {
  // Traccar: valid is true when the value is "true" or "1".
  if (valid === 'true' || valid === '1') return;
  if (valid === 'false' || valid === '0') {
    throw new LinderoError('invalid-fix', 'the device marked this fix not valid (valid=false)', { field: 'valid' });
  }
  throw invalid('valid', `must be true, false, 1 or 0, got ${quote(valid)}`);
}

function osmandPosition(latText: string | undefined, lonText: string | undefined, location: string | undefined): [number, number] {
  let lat = optionalDecimal(latText, 'lat');
  let lon = optionalDecimal(lonText, 'lon');
  if (location !== undefined) {
    // location=lat,lon (Traccar pull request #2283).
    const parts = location.split(',');
    if (parts.length !== 2) throw invalid('location', `must be "lat,lon", got ${quote(location)}`);
    const fromLocation = [parseDecimal(parts[0].trim(), 'location'), parseDecimal(parts[1].trim(), 'location')];
    if ((lat !== undefined && lat !== fromLocation[0]) || (lon !== undefined && lon !== fromLocation[1])) {
      throw invalid('location', 'disagrees with lat/lon');
    }
    [lat, lon] = fromLocation;
  }
  if (lat === undefined) throw missing('lat', 'is required (or location=lat,lon)');
  if (lon === undefined) throw missing('lon', 'is required (or location=lat,lon)');
  checkLatLon(lat, lon, 'lat', 'lon');
  return [lat, lon];
}

function optionalDecimal(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  return parseDecimal(text, field);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${quote(value)}`;
}
