// Cursor-on-Target: one <event> XML document in, one Fix out.
// CoT 2.0 event schema (MITRE Event-PUBLIC.xsd) with the TAK detail elements
// (<contact>, <track>, <remarks>) that ATAK, WinTAK and iTAK send.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LinderoError, isLinderoError } from '../model/index.js';
import type { Fix, PositionlessEmergency } from '../model/index.js';
import { readPlainEvent } from './cot-plain.js';
import {
  checkLatLon,
  checkTime,
  checkUnit,
  cleanName,
  missing,
  parseDecimal,
  parseIsoTime,
  auxDecimal,
  noteOn,
  setAccuracy,
  setAltitude,
  setCourse,
  setSpeed,
  type TimeWindow,
} from './limits.js';
import { emergencyOf, isEmergencyType, isLinderoMarker, unitRole, type CotRole } from './cot-role.js';
import { findMarkupDeclaration } from '../layers/index.js';

export { isAtom } from './cot-role.js';

/** Default largest event accepted: real PLIs are under 2 KiB, shapes with many vertices a few tens. */
export const DEFAULT_MAX_COT_BYTES = 64 * 1024;
/** Deepest element nesting accepted; TAK details nest 4 or 5 levels. */
export const MAX_COT_DEPTH = 32;
/** Around 0,0, a point with no accuracy is a client's no-position placeholder, degrees (about 1 km). */
const NULL_ISLAND_DEG = 0.01;

/** CoT writes 9999999 for "unknown" in hae, ce and le (CoT 2.0 schema). */
export const COT_UNKNOWN = 9_999_999;
/** TAK's protocol definitions write 999999 for "unknown": anything from this up is taken as unknown. */
const COT_UNKNOWN_FLOOR = 999_999;

/** A CoT event that carries a position, with the CoT fields lindero keeps beside the Fix. */
export interface CotFix {
  /**
   * 'unit' only for a device reporting its own position (see cot-role.ts); the fix of a 'marker' (a map
   * item, a user-placed marker, lindero's own alert marker) must never be stored as a unit's fix.
   */
  role: CotRole;
  /** For a marker: why it is not a unit, in a few words. */
  notUnitBecause?: string;
  fix: Fix;
  /** CoT type, e.g. "a-f-G-U-C" (friendly ground unit) or "b-m-p-s-m" (spot marker). */
  type: string;
  /** How the position was obtained, e.g. "m-g" (machine, GPS) or "h-e" (human, estimated). */
  how?: string;
  callsign?: string;
  /** Team (<__group name>) and role in it (<__group role>), when sent. */
  group?: string;
  groupRole?: string;
  /** Events this one links to as parent/producer (<link relation="p-p" uid>): who made the map item. */
  producerUids?: string[];
  /** When the sender says the event goes stale, ms since epoch. */
  stale?: number;
  remarks?: string;
  /** <emergency>: its type attribute ("911 Alert"), whether it cancels, and its text (the callsign of who raised it). */
  emergency?: { type?: string; cancel: boolean; text?: string };
}

export interface CotOptions {
  /** Largest document accepted, in bytes (UTF-8). */
  maxBytes?: number;
  /** Plausibility window for the event time. */
  time?: TimeWindow;
}

const ATTRIBUTES = '@';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Attributes apart from child elements, so <event point="x"> cannot pass for a <point>.
  attributesGroupName: ATTRIBUTES,
  // Entities are decoded below (predefined and numeric only); the parser never expands any.
  processEntities: false,
  htmlEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_COT_DEPTH,
  attributeValueProcessor: (_name: string, value: string) => decodeXmlEntities(value),
  tagValueProcessor: (_name: string, value: string) => decodeXmlEntities(value),
});

type XmlNode = Record<string, unknown>;

/**
 * Parse one CoT event. Throws LinderoError:
 * - `cot-too-large`, `cot-encoding`, `cot-doctype`, `cot-malformed`, `cot-not-event` for the document;
 * - `cot-not-position` for events that are not position reports (ping `t-x-c-t` and other `t-`
 *   tasking, GeoChat `b-t-f`, `y-` replies): a TCP listener counts and skips these;
 * - `no-position` for the 0,0 placeholder TAK clients send without a GPS fix;
 * - `missing-field` / `invalid-field` / `implausible-time` naming the field (e.g. `point.lat`).
 */
export function parseCot(xml: string | Uint8Array, options: CotOptions = {}): CotFix {
  const text = decodeDocument(xml, options.maxBytes ?? DEFAULT_MAX_COT_BYTES);
  // The plain shape of a TAK event is read directly; the rest by the full parser, after its checks.
  return cotFromEvent(readPlainEvent(text) ?? parseEventElement(checkDocument(text)), options);
}

/** parseCot with every document read by the full parser: what the tests hold the plain reader to. */
export function parseCotByParser(xml: string | Uint8Array, options: CotOptions = {}): CotFix {
  return cotFromEvent(parseEventElement(checkDocument(decodeDocument(xml, options.maxBytes ?? DEFAULT_MAX_COT_BYTES))), options);
}

function cotFromEvent(event: XmlNode, options: CotOptions): CotFix {
  // The type first: an event that is no position report is skipped as such whatever its uid (WinTAK's
  // GeoChat direct messages carry uids longer than a unit id may be).
  const type = attr(event, 'type');
  if (type && isNotPosition(type)) {
    throw new LinderoError('cot-not-position', `CoT type ${type} is not a position report`, { field: 'type' });
  }
  const uid = checkUnit(attr(event, 'uid'), 'uid');
  if (!type) throw missing('type');
  const point = single(event, 'point');
  if (!point) throw missing('point', 'is required: <point lat=".." lon=".."/>');
  const lat = decimalAttr(point, 'lat', 'point.lat');
  const lon = decimalAttr(point, 'lon', 'point.lon');
  if (lat === undefined) throw missing('point.lat');
  if (lon === undefined) throw missing('point.lon');
  // 0,0 is no position (limits.ts); an emergency alert sent at 0,0 (ATAK's cancel always is) is still an emergency.
  let zero: LinderoError | undefined;
  try {
    checkLatLon(lat, lon, 'point.lat', 'point.lon');
  } catch (e) {
    if (!(isLinderoError(e) && e.code === 'no-position' && isEmergencyType(type))) throw e;
    zero = e;
  }

  const fix: Fix = { unit: uid, time: eventTime(event, options.time), lat, lon, source: 'cot' };
  // CoT writes 9999999 (and some senders 999999) for "unknown" in ce and hae.
  const ce = auxDecimal(fix, attr(point, 'ce'), 'point.ce');
  if (ce !== undefined && ce < COT_UNKNOWN_FLOOR) setAccuracy(fix, ce, 'point.ce');
  // ATAK without a fix puts its own marker a few hundred metres off 0,0 (-0.0043, -0.0077 in FreeTAKServer's
  // captures), with ce unknown: a placeholder like 0,0 itself, not a place. An emergency alert sent so
  // (ATAK's cancel always is) is still an emergency, without a position.
  const placeholder = zero !== undefined || (fix.accuracyM === undefined && Math.abs(lat) < NULL_ISLAND_DEG && Math.abs(lon) < NULL_ISLAND_DEG);
  const noPosition = () => zero ?? new LinderoError('no-position', `point ${lat},${lon} is within ${NULL_ISLAND_DEG}° of 0,0 with no accuracy (ce unknown): a TAK client's placeholder when it has no position`, { field: 'point.lat' });
  if (placeholder && !isEmergencyType(type)) throw noPosition();
  const hae = auxDecimal(fix, attr(point, 'hae'), 'point.hae');
  if (hae !== undefined && hae < COT_UNKNOWN_FLOOR) setAltitude(fix, hae, 'point.hae');

  const detail = single(event, 'detail');
  const result: CotFix = { role: 'unit', fix, type };
  const how = attr(event, 'how');
  if (how) result.how = how;
  const stale = attr(event, 'stale');
  if (stale) result.stale = parseIsoTime(stale, 'stale');
  if (detail) readDetail(detail, result);
  if (result.callsign) fix.name = result.callsign;
  if (result.group) fix.group = result.group;
  // An emergency alert is a report of the device that raised it, under that unit's id (cot-role.ts).
  const emergency = emergencyOf({ type, uid, producerUids: result.producerUids, emergencyType: result.emergency?.type });
  if (emergency && !isLinderoMarker(uid, detail)) {
    fix.unit = checkUnit(emergency.unit, result.producerUids ? 'detail.link.uid' : 'uid');
    fix.emergency = { state: result.emergency?.cancel ? 'cancelled' : emergency.state, what: emergency.what };
    // Its contact callsign names the alert ("ALPHA-Alert"); the <emergency> text names the unit.
    if (result.emergency?.text) fix.name = result.emergency.text;
    else delete fix.name;
    // Its point is a placeholder: the listeners take it as an emergency without a position, never as a fix.
    if (placeholder) result.role = 'positionless-emergency';
    return result;
  }
  if (placeholder) throw noPosition();
  const notUnit = unitRole(result, detail ? isLinderoMarker(uid, detail) : isLinderoMarker(uid, undefined));
  if (notUnit) {
    result.role = 'marker';
    result.notUnitBecause = notUnit;
  }
  return result;
}

/**
 * Types that never carry a unit's position: `t-` tasking (ping t-x-c-t, delete t-x-d-d,
 * protocol negotiation t-x-takp-*), `b-t-f` GeoChat messages and `y-` replies.
 */
export function isNotPosition(type: string): boolean {
  return type.startsWith('t-') || type.startsWith('b-t-f') || type.startsWith('y-');
}

/** A UTF-8 decoder that refuses malformed bytes (throws), for CoT documents and the TCP stream's events. */
export const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeDocument(xml: string | Uint8Array, maxBytes: number): string {
  const byteLength = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.byteLength;
  if (byteLength > maxBytes) {
    throw new LinderoError('cot-too-large', `CoT event is ${byteLength} bytes; at most ${maxBytes} are accepted`);
  }
  let text: string;
  if (typeof xml === 'string') text = xml;
  else {
    try {
      text = STRICT_UTF8.decode(xml);
    } catch {
      throw new LinderoError('cot-encoding', 'CoT event is not valid UTF-8 text');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Refuses DTDs and characters XML does not allow, naming where; returns the text. */
function checkDocument(text: string): string {
  // No DTDs at all: they are how entity-expansion (billion laughs) and XXE attacks start.
  const declaration = findMarkupDeclaration(text);
  if (declaration) {
    throw new LinderoError('cot-doctype', `CoT event contains a <!${declaration.keyword}> declaration, which is refused`, lineColumn(text, declaration.index));
  }
  // XML 1.0 §2.2 Char: no C0 controls other than tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogates.
  const badChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (badChar) {
    const code = badChar[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new LinderoError('cot-malformed', `CoT event contains U+${code}, which XML does not allow`, lineColumn(text, badChar.index));
  }
  return text;
}

function parseEventElement(text: string): XmlNode {
  if (text.trim() === '') throw new LinderoError('cot-not-event', 'CoT event is empty');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new LinderoError('cot-malformed', `CoT event is not well-formed XML: ${valid.err.msg}`, {
      line: valid.err.line,
      column: valid.err.col,
    });
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(text) as XmlNode;
  } catch (e) {
    throw new LinderoError('cot-malformed', `CoT event could not be read: ${(e as Error).message}`);
  }
  const roots = Object.keys(doc);
  if (roots.length !== 1 || roots[0] !== 'event') {
    throw new LinderoError('cot-not-event', `expected a CoT <event> document, got <${roots.join('>, <') || 'nothing'}>`);
  }
  const event = doc.event;
  if (Array.isArray(event)) throw new LinderoError('cot-malformed', `found ${event.length} <event> elements; one document holds one event`);
  if (typeof event !== 'object' || event === null) {
    throw new LinderoError('cot-not-event', 'the <event> element has no attributes and no children');
  }
  return event as XmlNode;
}

/** The event's time, or its start when time is missing or unreadable (some senders omit time). */
function eventTime(event: XmlNode, window: TimeWindow | undefined): number {
  const time = attr(event, 'time');
  const start = attr(event, 'start');
  let timeError: LinderoError | undefined;
  if (time) {
    try {
      return checkTime(parseIsoTime(time, 'time'), 'time', window);
    } catch (e) {
      if ((e as LinderoError).code === 'implausible-time') throw e;
      timeError = e as LinderoError;
    }
  }
  if (start) return checkTime(parseIsoTime(start, 'start'), 'start', window);
  throw timeError ?? missing('time', 'is required (or start)');
}

function readDetail(detail: XmlNode, result: CotFix): void {
  const contact = single(detail, 'contact');
  const callsign = cleanName(contact ? attr(contact, 'callsign') : undefined);
  if (callsign) result.callsign = callsign;
  const group = single(detail, '__group');
  const team = cleanName(group ? attr(group, 'name') : undefined);
  if (team) result.group = team;
  const groupRole = cleanName(group ? attr(group, 'role') : undefined);
  if (groupRole) result.groupRole = groupRole;
  for (const link of many(detail, 'link')) {
    const uid = attr(link, 'uid');
    if (uid && attr(link, 'relation') === 'p-p') (result.producerUids ??= []).push(uid);
  }

  // ATAK's <precisionlocation geopointsrc="USER">: the device's own position was placed by hand on the
  // map (no GPS), not measured; the fix keeps it, and says so.
  const precision = single(detail, 'precisionlocation');
  const pointSource = precision ? attr(precision, 'geopointsrc') : undefined;
  if (pointSource?.toUpperCase() === 'USER') {
    noteOn(result.fix, 'detail.precisionlocation.geopointsrc', 'is USER: the position was placed by hand on the device, not measured');
  }

  const track = single(detail, 'track');
  if (track) {
    const fix = result.fix;
    setSpeed(fix, auxDecimal(fix, attr(track, 'speed'), 'detail.track.speed'), 'detail.track.speed');
    setCourse(fix, auxDecimal(fix, attr(track, 'course'), 'detail.track.course'), 'detail.track.course');
  }

  if (detail.emergency !== undefined) {
    const node = detail.emergency;
    const first = Array.isArray(node) ? node[0] : node;
    const element: XmlNode = typeof first === 'object' && first !== null ? first as XmlNode : {};
    const emergency: CotFix['emergency'] = { cancel: attr(element, 'cancel')?.toLowerCase() === 'true' };
    const type = cleanName(attr(element, 'type'));
    if (type) emergency.type = type;
    const text = cleanName(typeof first === 'string' ? first : textOf(first));
    if (text) emergency.text = text;
    result.emergency = emergency;
  }

  const remarks = detail.remarks;
  const remarksNode = Array.isArray(remarks) ? remarks[0] : remarks;
  const remarksText = typeof remarksNode === 'string' ? remarksNode : textOf(remarksNode);
  if (remarksText) result.remarks = remarksText;
}

/** Decode XML's predefined entities and character references (XML 1.0 §4.1, §4.6); refuse any other. */
export function decodeXmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]{0,32});|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error('a bare "&" must be written &amp;');
    const predefined = PREDEFINED[name];
    if (predefined) return predefined;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (numeric) {
      const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (!isXmlChar(codePoint)) throw new Error(`character reference ${whole} is not an XML character`);
      return String.fromCodePoint(codePoint);
    }
    throw new Error(`undeclared entity ${whole}`);
  });
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function attr(node: XmlNode, name: string): string | undefined {
  const attributes = node[ATTRIBUTES];
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const value = (attributes as XmlNode)[name];
  return typeof value === 'string' ? value : undefined;
}

function decimalAttr(node: XmlNode, name: string, field: string): number | undefined {
  const value = attr(node, name);
  if (value === undefined || value === '') return undefined;
  return parseDecimal(value.trim(), field);
}

/** The one child element of that name; a second one is ambiguous and refused. */
function single(node: XmlNode, name: string): XmlNode | undefined {
  const child = node[name];
  if (child === undefined) return undefined;
  if (Array.isArray(child)) {
    throw new LinderoError('cot-malformed', `CoT event has ${child.length} <${name}> elements; exactly one is allowed`, { field: name });
  }
  if (typeof child === 'string') return {};
  return child as XmlNode;
}

/** Every child element of that name (none, one or several). */
function many(node: XmlNode, name: string): XmlNode[] {
  const child = node[name];
  if (child === undefined) return [];
  const list = Array.isArray(child) ? child : [child];
  return list.map((c) => (typeof c === 'object' && c !== null ? (c as XmlNode) : {}));
}

function textOf(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const text = (node as XmlNode)['#text'];
  return typeof text === 'string' ? text : undefined;
}

function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** An emergency alert read with role 'positionless-emergency' (its point a placeholder), as the pipeline takes it. */
export function positionlessEmergencyOf(cot: CotFix): PositionlessEmergency {
  const { fix } = cot;
  if (cot.role !== 'positionless-emergency' || !fix.emergency) throw new Error('positionlessEmergencyOf: not an emergency without a position');
  const out: PositionlessEmergency = {
    unit: fix.unit, time: fix.time, source: fix.source, emergency: fix.emergency,
    reason: `point ${fix.lat},${fix.lon} is a TAK client's placeholder when it has no position`,
  };
  if (fix.name !== undefined) out.name = fix.name;
  return out;
}
