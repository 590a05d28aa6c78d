// OwnTracks (iOS and Android) in HTTP mode: the app POSTs each message as JSON, a location as
// {"_type": "location", "lat", "lon", "tst", "acc", "alt", "vel", "cog", "tid", "topic"?, ...} (OwnTracks
// booklet, "JSON"), with the user and device it is configured with in the X-Limit-U and X-Limit-D headers.
// Only a location is a position report; the app's other messages (region transitions, waypoints, status) are not.
import { LinderoError, isLinderoError } from '../model/index.js';
import type { Fix } from '../model/index.js';
import { describeJson } from './json.js';
import { auxNumber, checkLatLon, checkTime, checkUnit, cleanName, invalid, missing, requireNumber, setAccuracy, setAltitude, setCourse, setSpeedKmh, type TimeWindow } from './limits.js';

/** Who the app says is sending (X-Limit-U, X-Limit-D), when it says. */
export interface OwnTracksSender {
  user?: string;
  device?: string;
}

export interface OwnTracksResult {
  fixes: Fix[];
  /** Messages that are no position report (`_type` other than location), by index in the post. */
  notReports: { index: number; reason: string }[];
  /** Locations whose position or time was unusable, by index. */
  rejected: { index: number; reason: string }[];
}

/** Most messages read from one post (the app sends one at a time; a proxy may batch). */
export const MAX_OWNTRACKS_MESSAGES = 1000;

/**
 * Reads a post: one message object, or an array of them. Throws LinderoError only for the body as a whole.
 * The unit is the message's `topic` (owntracks/USER/DEVICE), else the same built from the sender's headers,
 * else its two-character `tid`; `tid` names it on the map.
 */
export function parseOwnTracks(body: unknown, sender: OwnTracksSender = {}, options: { time?: TimeWindow } = {}): OwnTracksResult {
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length > MAX_OWNTRACKS_MESSAGES) {
    throw new LinderoError('owntracks-too-many', `${messages.length} messages in one post; at most ${MAX_OWNTRACKS_MESSAGES} are read`);
  }
  const result: OwnTracksResult = { fixes: [], notReports: [], rejected: [] };
  messages.forEach((message: unknown, index) => {
    const at = Array.isArray(body) ? `[${index}].` : '';
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      result.rejected.push({ index, reason: `${at || 'the post '}must be an OwnTracks JSON object, got ${describeJson(message)}` });
      return;
    }
    const m = message as Record<string, unknown>;
    if (m._type !== 'location') {
      // An encrypted message hides whatever it carries, a position perhaps: that is no message to pass over quietly.
      if (m._type === 'encrypted') {
        result.rejected.push({ index, reason: `${at}_type is "encrypted": lindero cannot read OwnTracks' encrypted payloads; leave the encryption key empty for this server (HTTPS protects the way)` });
      } else result.notReports.push({ index, reason: `${at}_type ${JSON.stringify(m._type)?.slice(0, 40) ?? 'missing'} is no location: not a position report` });
      return;
    }
    try {
      result.fixes.push(locationFix(m, at, sender, options.time));
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      result.rejected.push({ index, reason: e.message });
    }
  });
  return result;
}

function locationFix(m: Record<string, unknown>, at: string, sender: OwnTracksSender, window: TimeWindow | undefined): Fix {
  const unit = unitOf(m, at, sender);
  if (m.tst === undefined || m.tst === null) throw missing(`${at}tst`, 'is required (the fix time, seconds since 1970)');
  const time = checkTime(Math.round(requireNumber(m.tst, `${at}tst`) * 1000), `${at}tst`, window);
  if (m.lat === undefined || m.lat === null) throw missing(`${at}lat`);
  if (m.lon === undefined || m.lon === null) throw missing(`${at}lon`);
  const lat = requireNumber(m.lat, `${at}lat`);
  const lon = requireNumber(m.lon, `${at}lon`);
  checkLatLon(lat, lon, `${at}lat`, `${at}lon`);
  const fix: Fix = { unit, time, lat, lon, source: 'owntracks' };
  const name = typeof m.tid === 'string' ? cleanName(m.tid) : undefined;
  if (name !== undefined && name !== unit) fix.name = name;
  setAccuracy(fix, auxNumber(fix, m.acc, `${at}acc`), `${at}acc`);
  setAltitude(fix, auxNumber(fix, m.alt, `${at}alt`), `${at}alt`);
  // OwnTracks gives velocity in km/h.
  setSpeedKmh(fix, auxNumber(fix, m.vel, `${at}vel`), `${at}vel`);
  setCourse(fix, auxNumber(fix, m.cog, `${at}cog`), `${at}cog`);
  return fix;
}

function unitOf(m: Record<string, unknown>, at: string, sender: OwnTracksSender): string {
  if (m.topic !== undefined && m.topic !== null) return checkUnit(m.topic, `${at}topic`);
  if (sender.user && sender.device) return checkUnit(`owntracks/${sender.user}/${sender.device}`, 'X-Limit-U/X-Limit-D');
  if (m.tid !== undefined && m.tid !== null) return checkUnit(m.tid, `${at}tid`);
  throw invalid(`${at}topic`, 'is missing, and so are the X-Limit-U and X-Limit-D headers and tid: nothing names the device');
}
