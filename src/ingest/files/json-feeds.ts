// Satellite messengers' JSON as track files, beside GeoJSON: a SPOT feed (what SPOT's public API gives for a
// shared page, .../public/feed/<id>/message.json) and a Garmin inReach IPC Outbound post kept by whoever
// received it. Both are whole JSON documents, read after JSON.parse like GeoJSON.
import { LinderoError } from '../../model/index.js';
import { parseInreachOutbound } from '../inreach.js';
import { buildFix } from './make-fix.js';
import { parseEpochTime } from './time.js';
import type { ReaderContext, TrackItem } from './types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** SPOT's code for "no messages in the feed's range": an empty track, not an error. */
const SPOT_NO_MESSAGES = 'E-0195';
/** SPOT's messageType for an SOS (the emergency button; HELP and the others are not emergencies). */
const SPOT_SOS = 'SOS';

/** The items of a satellite messenger's JSON, or null when the document is neither (then it is GeoJSON's). */
export function jsonFeedItems(doc: unknown, ctx: ReaderContext): TrackItem[] | null {
  if (!isObject(doc)) return null;
  if (isObject(doc.response) && (isObject(doc.response.feedMessageResponse) || 'errors' in doc.response)) return spotItems(doc.response, ctx);
  if (Array.isArray(doc.Events) && !('type' in doc)) return inreachItems(doc, ctx);
  return null;
}

/**
 * A SPOT feed: `response.feedMessageResponse.messages.message`, newest first, an array or (one message) an
 * object. Every message a SPOT sends carries where it was (TRACK, UNLIMITED-TRACK, EXTREME-TRACK, OK, CUSTOM,
 * HELP, SOS, …); the unit is the messenger's id, its name the messenger's. SPOT gives no accuracy, and an
 * altitude of 0 where it measured none (SPOT 2 measures none).
 */
function spotItems(response: Json, ctx: ReaderContext): TrackItem[] {
  if ('errors' in response) {
    const errors = ([] as unknown[]).concat(isObject(response.errors) ? response.errors.error : response.errors);
    if (errors.some((e) => isObject(e) && e.code === SPOT_NO_MESSAGES)) return [];
    const first = errors.find(isObject) ?? {};
    const said = [first.code, first.text, first.description].filter((v) => typeof v === 'string' && v !== '').join(': ');
    throw new LinderoError('spot-feed-error', `the file is SPOT's answer with an error, not a feed of messages${said ? ` (${said.slice(0, 200)})` : ''}`, { file: ctx.file, field: 'response.errors' });
  }
  const feed = response.feedMessageResponse as Json;
  const listed = isObject(feed.messages) ? feed.messages.message : undefined;
  const messages: unknown[] = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  const read = messages.map((message, index) => spotItem(message, index, ctx));
  // The feed lists the newest first: the track is read in the order the messages were sent.
  const timeOf = (item: TrackItem) => (item.kind === 'fix' ? item.fix.time : -Infinity);
  return read.map((item, index) => ({ item, index })).sort((a, b) => timeOf(a.item) - timeOf(b.item) || a.index - b.index).map((x) => x.item);
}

function spotItem(message: unknown, index: number, ctx: ReaderContext): TrackItem {
  const reject = (reason: string, notAReport = false): TrackItem => ({
    kind: 'rejected', file: ctx.file, line: 0, feature: index, reason: `message ${index}: ${reason}`, ...(notAReport ? { notAReport: true as const } : {}),
  });
  if (!isObject(message)) return reject('not a JSON object');
  const type = typeof message.messageType === 'string' ? message.messageType : 'message';
  if (message.latitude === undefined || message.longitude === undefined) return reject(`the ${type} message carries no position`, true);
  if (typeof message.latitude !== 'number' || typeof message.longitude !== 'number') return reject('latitude and longitude must be numbers');
  if (typeof message.unixTime !== 'number') return reject(`unixTime ${JSON.stringify(message.unixTime)?.slice(0, 40)} is not a number of seconds`);
  const time = parseEpochTime(message.unixTime);
  if (typeof time === 'string') return reject(time);
  const id = message.messengerId;
  const unit = (typeof id === 'string' && id.trim() !== '') || typeof id === 'number' ? String(id).trim() : ctx.fallbackUnit;
  const altitude = typeof message.altitude === 'number' && message.altitude !== 0 ? message.altitude : undefined;
  const fix = buildFix({ unit, time, lat: message.latitude, lon: message.longitude, altM: altitude });
  if (typeof fix === 'string') return reject(fix);
  const name = typeof message.messengerName === 'string' ? message.messengerName.trim() : '';
  if (name !== '' && name !== unit) fix.name = name;
  // SOS goes to SPOT's emergency response centre; HELP only to the owner's contacts, and is no emergency.
  if (type === SPOT_SOS) fix.emergency = { state: 'declared', what: 'SOS' };
  return { kind: 'fix', fix };
}

/** A Garmin IPC Outbound post: its events by the live server's reader, at any age, each fix the file's. */
function inreachItems(doc: Json, ctx: ReaderContext): TrackItem[] {
  const read = parseInreachOutbound(doc, { time: { maxAgeMs: Infinity, maxFutureMs: Infinity } });
  const items: { index: number; item: TrackItem }[] = read.fixes.map((fix, i) => {
    const checked = buildFix(fix);
    const index = read.fixEvents[i].index;
    if (typeof checked === 'string') return { index, item: { kind: 'rejected', file: ctx.file, line: 0, feature: index, reason: `Events[${index}]: ${checked}` } };
    if (fix.notes) checked.notes = fix.notes;
    if (fix.emergency) checked.emergency = fix.emergency;
    return { index, item: { kind: 'fix', fix: checked } };
  });
  // An SOS sent without a position is no point of the track: listed, as a message without a fix is.
  for (const e of read.emergencies) {
    items.push({ index: e.index, item: { kind: 'rejected', file: ctx.file, line: 0, feature: e.index, reason: `${e.emergency.reason}: an emergency (${e.emergency.emergency.what}) without a position`, notAReport: true } });
  }
  for (const s of read.skipped) {
    items.push({ index: s.index, item: { kind: 'rejected', file: ctx.file, line: 0, feature: s.index, reason: s.reason, ...(s.notAReport ? { notAReport: true as const } : {}) } });
  }
  return items.sort((a, b) => a.index - b.index).map((x) => x.item);
}
