// Garmin inReach through IPC Outbound: Garmin's gateway posts what the organisation's inReach devices
// send over Iridium (or through their phone app) as {"Version": "2.0"|"3.0"|"4.0", "Events": [...]}
// (Garmin, "Developer Guide for IPC Outbound", v2.0.8, 2025). Each event is one transmission of one device;
// those whose point is where the device was when it sent them become fixes, the rest are listed as
// carrying no position report.
import { LinderoError, isLinderoError } from '../model/index.js';
import type { Fix, FixEmergency, PositionlessEmergency } from '../model/index.js';
import { describeJson } from './json.js';
import { auxNumber, checkLatLon, checkTime, checkUnit, invalid, missing, noteOn, quote, requireNumber, setAltitude, setCourse, setSpeedKmh, type TimeWindow } from './limits.js';

/** Most events read from one post (Garmin batches what it queued; a few hundred at most in practice). */
export const MAX_INREACH_EVENTS = 10_000;

/** The message codes of Garmin's table that name what an event is, for the reasons given. */
const MESSAGE_NAMES: Record<number, string> = {
  0: 'Position Report', 2: 'Locate Response', 3: 'Free Text Message', 4: 'Declare SOS', 6: 'Confirm SOS', 7: 'Cancel SOS',
  8: 'Reference Point', 10: 'Start Track', 11: 'Track Interval', 12: 'Stop Track', 13: 'Unknown Index', 14: 'Puck Message 1',
  15: 'Puck Message 2', 16: 'Puck Message 3', 17: 'Map Share', 20: 'Mail Check', 21: 'Am I Alive', 64: 'Encrypted Binary',
  65: 'Pingback Message', 66: 'Generic Binary', 67: 'EncryptedPinpoint', 68: 'EncryptionNegotiation', 69: 'EncryptionNack',
  3099: 'Canned Message',
};

/** Codes 4 and 6: the device declared (or confirmed) an emergency. */
export const INREACH_SOS_CODES: ReadonlySet<number> = new Set([4, 6]);
/** Code 7: the device cancelled its emergency. */
const CANCEL_SOS = 7;

/** gpsFix: "No Fix = 0, 2D Fix = 1, 3D Fix = 2, 3D Fix+ = 3". */
const NO_FIX = 0;
const FIX_2D = 1;
const LAST_FIX_KIND = 3;

export interface InreachEventOutcome {
  /** 0-based place of the event in Events. */
  index: number;
  /** The event's messageCode, when it had a number there. */
  messageCode?: number;
}

export interface InreachSkipped extends InreachEventOutcome {
  reason: string;
  /**
   * True when the event is no report of where the device was (a message without a GPS fix, a binary
   * payload, a place shared by hand): nothing was wrong with it. False when its position or time was unusable.
   */
  notAReport: boolean;
}

export interface InreachResult {
  /** The fixes, in the order of their events, with `fixEvents[i]` the event each came from. */
  fixes: Fix[];
  fixEvents: InreachEventOutcome[];
  /** SOS events sent without a position (no GPS fix): emergencies of their device, but no fixes. */
  emergencies: (InreachEventOutcome & { emergency: PositionlessEmergency })[];
  skipped: InreachSkipped[];
}

/** Thrown (LinderoError `inreach-no-position`) for an event that reports no position, caught per event below. */
class NotAReport extends LinderoError {
  constructor(message: string) {
    super('inreach-no-position', message);
  }
}

/**
 * Reads an IPC Outbound post. Throws LinderoError only for the body as a whole (`inreach-not-outbound`,
 * `inreach-too-many-events`); each event is a fix or a listed reason, so one bad event never costs the others.
 */
export function parseInreachOutbound(body: unknown, options: { time?: TimeWindow; maxEvents?: number } = {}): InreachResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray((body as { Events?: unknown }).Events)) {
    throw new LinderoError('inreach-not-outbound', `expected Garmin IPC Outbound JSON, {"Version": …, "Events": [ … ]}, got ${describeJson(body)}${typeof body === 'object' && body !== null && !Array.isArray(body) ? ' without an Events array' : ''}`, { field: 'Events' });
  }
  const events = (body as { Events: unknown[] }).Events;
  const maxEvents = options.maxEvents ?? MAX_INREACH_EVENTS;
  if (events.length > maxEvents) {
    throw new LinderoError('inreach-too-many-events', `${events.length} events in one post; at most ${maxEvents} are read`, { field: 'Events' });
  }
  const result: InreachResult = { fixes: [], fixEvents: [], emergencies: [], skipped: [] };
  events.forEach((event: unknown, index) => {
    const messageCode = typeof event === 'object' && event !== null && typeof (event as { messageCode?: unknown }).messageCode === 'number'
      ? (event as { messageCode: number }).messageCode : undefined;
    try {
      const read = eventFix(event, `Events[${index}]`, options.time);
      if ('reason' in read) {
        result.emergencies.push({ index, messageCode, emergency: read });
        return;
      }
      result.fixes.push(read);
      result.fixEvents.push({ index, messageCode });
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      result.skipped.push({ index, messageCode, reason: e.message, notAReport: e instanceof NotAReport });
    }
  });
  return result;
}

/** What Garmin's table calls a message code, for a reason: `messageCode 3 (Free Text Message)`. */
export function describeMessageCode(code: number): string {
  const name = MESSAGE_NAMES[code] ?? (code >= 24 && code <= 63 ? 'Pre-defined Message' : undefined);
  return name ? `messageCode ${code} (${name})` : `messageCode ${code}`;
}

/** An event's emergency: codes 4 and 6 declare one, 7 cancels it. */
function emergencyOfCode(code: number): FixEmergency | undefined {
  if (INREACH_SOS_CODES.has(code)) return { state: 'declared', what: MESSAGE_NAMES[code] };
  if (code === CANCEL_SOS) return { state: 'cancelled', what: MESSAGE_NAMES[code] };
  return undefined;
}

/** The event's fix; for an SOS sent without a position, the emergency alone; throws for anything else without one. */
function eventFix(event: unknown, at: string, window: TimeWindow | undefined): Fix | PositionlessEmergency {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new LinderoError('inreach-not-object', `${at} must be a JSON object, got ${describeJson(event)}`, { field: at });
  }
  const e = event as Record<string, unknown>;
  if (e.messageCode === undefined || e.messageCode === null) throw missing(`${at}.messageCode`);
  const code = requireNumber(e.messageCode, `${at}.messageCode`);
  const what = describeMessageCode(code);
  // A Reference Point "shares a non-GPS location": a place picked on the map, not where the device is.
  if (code === 8) throw new NotAReport(`${at} is ${what}: a place shared from the map, not where the device was`);
  const emergency = emergencyOfCode(code);
  const point = e.point;
  if (point !== undefined && point !== null && (typeof point !== 'object' || Array.isArray(point))) throw invalid(`${at}.point`, `must be an object, got ${describeJson(point)}`);
  const p = (point ?? {}) as Record<string, unknown>;
  const fixKind = p.gpsFix === undefined || p.gpsFix === null ? undefined : requireNumber(p.gpsFix, `${at}.point.gpsFix`);
  // "Values are filled with 0 when there is no location information": gpsFix 0 is a message sent without a fix.
  const noPosition = point === undefined || point === null ? `${at} (${what}) carries no position`
    : fixKind === NO_FIX ? `${at} (${what}) was sent without a GPS fix (point.gpsFix 0): no position` : undefined;
  if (noPosition !== undefined && emergency === undefined) throw new NotAReport(noPosition);

  const unit = deviceOf(e.imei, `${at}.imei`);
  if (e.timeStamp === undefined || e.timeStamp === null) throw missing(`${at}.timeStamp`, 'is required (milliseconds since 1970)');
  const time = checkTime(Math.round(requireNumber(e.timeStamp, `${at}.timeStamp`)), `${at}.timeStamp`, window);
  // An SOS sent without a position is still the device's emergency.
  if (noPosition !== undefined) return { unit, time, source: 'inreach', emergency: emergency!, reason: noPosition };
  if (p.latitude === undefined || p.latitude === null) throw missing(`${at}.point.latitude`);
  if (p.longitude === undefined || p.longitude === null) throw missing(`${at}.point.longitude`);
  const lat = requireNumber(p.latitude, `${at}.point.latitude`);
  const lon = requireNumber(p.longitude, `${at}.point.longitude`);
  checkLatLon(lat, lon, `${at}.point.latitude`, `${at}.point.longitude`);

  const fix: Fix = { unit, time, lat, lon, source: 'inreach' };
  setAltitude(fix, auxNumber(fix, p.altitude, 'point.altitude'), 'point.altitude');
  // Garmin gives speed over ground in kilometres per hour.
  setSpeedKmh(fix, auxNumber(fix, p.speed, 'point.speed'), 'point.speed');
  setCourse(fix, auxNumber(fix, p.course, 'point.course'), 'point.course');
  if (fixKind === undefined) noteOn(fix, 'point.gpsFix', 'was not given: the position was taken as a fix');
  else if (fixKind === FIX_2D) {
    // A 2D fix has no height of its own: the receiver assumed one.
    if (fix.altM !== undefined) noteOn(fix, 'point.altitude', 'comes with a 2D fix (point.gpsFix 1), which measures no height; left off');
    delete fix.altM;
  }
  else if (!Number.isInteger(fixKind) || fixKind < NO_FIX || fixKind > LAST_FIX_KIND) noteOn(fix, 'point.gpsFix', `is ${fixKind}, not a kind of fix Garmin names (0–3): the position was taken as a fix`);
  if (emergency) fix.emergency = emergency;
  return fix;
}

/** The unit: the device's IMEI. A list of IMEIs (several devices) cannot say which one was there. */
function deviceOf(value: unknown, field: string): string {
  const imei = checkUnit(value, field);
  const parts = imei.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length > 1) {
    throw invalid(field, `names ${parts.length} devices (${quote(imei)}): the position cannot be given to one of them`);
  }
  return imei.trim();
}
