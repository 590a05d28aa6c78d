// TAK Protocol Version 1: Cursor-on-Target as protocol buffers (ATAK's default on the mesh and, once
// negotiated, on a TAK server stream). The framing and the message are TAK's (takproto/protocol.txt and
// the .proto files in the ATAK-CIV repository, AndroidTacticalAssaultKit-CIV/takproto):
//   mesh (one UDP datagram):   0xbf <version varint> 0xbf <TakMessage>
//   stream (TCP):              0xbf <length varint> <TakMessage>
// The message is decoded with protobufjs from the field numbers and types of those definitions (written
// here as a JSON descriptor rather than copied .proto files), then turned into the CoT XML event TAK
// defines it to stand for and read by parseCot, so both encodings meet the same rules (units and markers,
// callsign, ranges, time) by the same code. That costs one XML read per message; held by the tests on
// takproto's captures, decoded both ways.
import protobuf from 'protobufjs';
import { LinderoError, MAX_TIME_MS } from '../model/index.js';
import { DEFAULT_MAX_COT_BYTES, parseCot, type CotFix, type CotOptions } from './cot.js';

/** TAK's magic byte, first in every version 1 frame. */
export const TAK_MAGIC = 0xbf;
/** The one payload version this reads. */
export const TAK_PROTOCOL_VERSION = 1;

/** atakmap.commoncommo.protobuf.v1, field numbers and types as in TAK's .proto files. */
const DESCRIPTOR = {
  nested: {
    TakMessage: { fields: { takControl: { type: 'TakControl', id: 1 }, cotEvent: { type: 'CotEvent', id: 2 } } },
    TakControl: { fields: { minProtoVersion: { type: 'uint32', id: 1 }, maxProtoVersion: { type: 'uint32', id: 2 }, contactUid: { type: 'string', id: 3 } } },
    CotEvent: {
      fields: {
        type: { type: 'string', id: 1 }, access: { type: 'string', id: 2 }, qos: { type: 'string', id: 3 }, opex: { type: 'string', id: 4 },
        uid: { type: 'string', id: 5 }, sendTime: { type: 'uint64', id: 6 }, startTime: { type: 'uint64', id: 7 }, staleTime: { type: 'uint64', id: 8 },
        how: { type: 'string', id: 9 }, lat: { type: 'double', id: 10 }, lon: { type: 'double', id: 11 }, hae: { type: 'double', id: 12 },
        ce: { type: 'double', id: 13 }, le: { type: 'double', id: 14 }, detail: { type: 'Detail', id: 15 },
      },
    },
    Detail: {
      fields: {
        xmlDetail: { type: 'string', id: 1 }, contact: { type: 'Contact', id: 2 }, group: { type: 'Group', id: 3 },
        precisionLocation: { type: 'PrecisionLocation', id: 4 }, status: { type: 'Status', id: 5 }, takv: { type: 'Takv', id: 6 }, track: { type: 'Track', id: 7 },
      },
    },
    Contact: { fields: { endpoint: { type: 'string', id: 1 }, callsign: { type: 'string', id: 2 } } },
    Group: { fields: { name: { type: 'string', id: 1 }, role: { type: 'string', id: 2 } } },
    PrecisionLocation: { fields: { geopointsrc: { type: 'string', id: 1 }, altsrc: { type: 'string', id: 2 } } },
    Status: { fields: { battery: { type: 'uint32', id: 1 } } },
    Takv: { fields: { device: { type: 'string', id: 1 }, platform: { type: 'string', id: 2 }, os: { type: 'string', id: 3 }, version: { type: 'string', id: 4 } } },
    Track: { fields: { speed: { type: 'double', id: 1 }, course: { type: 'double', id: 2 } } },
  },
};

export const TakMessageType = protobuf.Root.fromJSON(DESCRIPTOR).lookupType('TakMessage');

/** A decoded message, as protobufjs's toObject gives it (64-bit times as numbers). */
export interface TakMessageObject {
  takControl?: { minProtoVersion?: number; maxProtoVersion?: number; contactUid?: string };
  cotEvent?: {
    type?: string; access?: string; qos?: string; opex?: string; uid?: string;
    sendTime?: number; startTime?: number; staleTime?: number; how?: string;
    lat?: number; lon?: number; hae?: number; ce?: number; le?: number;
    detail?: {
      xmlDetail?: string; contact?: { endpoint?: string; callsign?: string }; group?: { name?: string; role?: string };
      precisionLocation?: { geopointsrc?: string; altsrc?: string }; status?: { battery?: number };
      takv?: { device?: string; platform?: string; os?: string; version?: string }; track?: { speed?: number; course?: number };
    };
  };
}

/** Decodes a TakMessage payload; throws `tak-malformed` when the bytes are not one. */
export function decodeTakMessage(payload: Uint8Array): TakMessageObject {
  try {
    const message = TakMessageType.decode(payload);
    return TakMessageType.toObject(message, { longs: Number, defaults: false }) as TakMessageObject;
  } catch (e) {
    throw new LinderoError('tak-malformed', `TAK protocol message could not be decoded: ${(e as Error).message}`);
  }
}

/** An unsigned varint at bytes[at]: its value and length, 'partial' when the bytes end first, or null when longer than 5 bytes. */
export function readVarint(bytes: Uint8Array, at: number): { value: number; length: number } | 'partial' | null {
  let value = 0;
  for (let k = 0; k < 5; k++) {
    if (at + k >= bytes.length) return 'partial';
    const b = bytes[at + k];
    value += (b & 0x7f) * 2 ** (7 * k);
    if ((b & 0x80) === 0) return { value, length: k + 1 };
  }
  return null;
}

/** The payload of a mesh (UDP) message, after checking its header. */
export function meshPayload(datagram: Uint8Array): Uint8Array {
  if (datagram[0] !== TAK_MAGIC) throw new LinderoError('tak-malformed', 'a TAK protocol message starts with the byte 0xbf');
  const version = readVarint(datagram, 1);
  if (version === null || version === 'partial' || datagram[1 + version.length] !== TAK_MAGIC) {
    throw new LinderoError('tak-malformed', 'TAK protocol mesh header is not 0xbf <version> 0xbf');
  }
  if (version.value !== TAK_PROTOCOL_VERSION) {
    throw new LinderoError('tak-version', `TAK protocol version ${version.value} is not supported (only version ${TAK_PROTOCOL_VERSION})`);
  }
  return datagram.subarray(2 + version.length);
}

/** A mesh datagram (0xbf 0x01 0xbf payload) read as parseCot reads XML. */
export function parseTakMesh(datagram: Uint8Array, options: CotOptions = {}): CotFix {
  return parseTakPayload(meshPayload(datagram), options);
}

/**
 * A datagram in either framing: mesh (0xbf <version> 0xbf), or one stream frame (0xbf <length>) whose
 * length is the rest of the datagram, as some senders put a stream frame in a datagram.
 */
export function parseTakDatagram(datagram: Uint8Array, options: CotOptions = {}): CotFix {
  const header = readVarint(datagram, 1);
  if (header !== null && header !== 'partial' && datagram[1 + header.length] === TAK_MAGIC) return parseTakMesh(datagram, options);
  if (header !== null && header !== 'partial' && header.value === datagram.length - 1 - header.length) {
    return parseTakPayload(datagram.subarray(1 + header.length), options);
  }
  throw new LinderoError('tak-malformed', 'datagram starts with 0xbf but is neither a TAK mesh message (0xbf <version> 0xbf) nor one stream frame (0xbf <length>)');
}

/** One TakMessage payload (from either framing) read as parseCot reads XML. */
export function parseTakPayload(payload: Uint8Array, options: CotOptions = {}): CotFix {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_COT_BYTES;
  if (payload.byteLength > maxBytes) throw new LinderoError('cot-too-large', `TAK protocol message is ${payload.byteLength} bytes; at most ${maxBytes} are accepted`);
  const message = decodeTakMessage(payload);
  if (!message.cotEvent) {
    throw new LinderoError('cot-not-position', message.takControl ? 'TAK protocol control message, not a position report' : 'TAK protocol message without an event', { field: 'cotEvent' });
  }
  // The XML a version 1 message stands for may be larger than the message (escapes): allow for that.
  return parseCot(takEventXml(message.cotEvent), { ...options, maxBytes: maxBytes * 8 });
}

/**
 * The CoT XML event a TakMessage's CotEvent stands for, by TAK's mapping (the comments of cotevent.proto
 * and detail.proto): attributes from the event fields, <point> from lat/lon/hae/ce/le, the detail's
 * typed parts as their elements, and xmlDetail as the rest of <detail>, as sent.
 */
export function takEventXml(event: NonNullable<TakMessageObject['cotEvent']>): string {
  const attributes: [string, string | undefined][] = [
    ['version', '2.0'], ['uid', event.uid], ['type', event.type], ['how', event.how],
    ['time', isoTime(event.sendTime)], ['start', isoTime(event.startTime)], ['stale', isoTime(event.staleTime)],
    ['access', event.access], ['qos', event.qos], ['opex', event.opex],
  ];
  const point = element('point', [['lat', num(event.lat)], ['lon', num(event.lon)], ['hae', num(event.hae)], ['ce', num(event.ce)], ['le', num(event.le)]]);
  const d = event.detail ?? {};
  const parts: string[] = [];
  if (d.contact) parts.push(element('contact', [['endpoint', d.contact.endpoint], ['callsign', d.contact.callsign]]));
  if (d.group) parts.push(element('__group', [['name', d.group.name], ['role', d.group.role]]));
  if (d.precisionLocation) parts.push(element('precisionlocation', [['geopointsrc', d.precisionLocation.geopointsrc], ['altsrc', d.precisionLocation.altsrc]]));
  if (d.status) parts.push(element('status', [['battery', num(d.status.battery)]]));
  if (d.takv) parts.push(element('takv', [['device', d.takv.device], ['platform', d.takv.platform], ['os', d.takv.os], ['version', d.takv.version]]));
  if (d.track) parts.push(element('track', [['speed', num(d.track.speed ?? 0)], ['course', num(d.track.course ?? 0)]]));
  return `<event${attributeText(attributes)}>${point}<detail>${d.xmlDetail ?? ''}${parts.join('')}</detail></event>`;
}

function isoTime(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms > MAX_TIME_MS) return undefined;
  return new Date(ms).toISOString();
}

/** proto3 leaves zero out of the message: a missing double is 0. */
function num(value: number | undefined): string {
  return String(value ?? 0);
}

function element(name: string, attributes: [string, string | undefined][]): string {
  return `<${name}${attributeText(attributes)}/>`;
}

function attributeText(attributes: [string, string | undefined][]): string {
  let out = '';
  for (const [name, value] of attributes) if (value !== undefined && value !== '') out += ` ${name}="${escapeAttribute(value)}"`;
  return out;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
