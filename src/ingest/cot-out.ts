// Alerts out to TAK clients as Cursor-on-Target: a coloured spot-map marker (type b-m-p-s-m),
// which ATAK, WinTAK and iTAK draw as a dot with the callsign as its label and the remarks
// in its details. Colour and icon follow ATAK's own spot markers: <color argb> and
// <usericon iconsetpath="COT_MAPPING_SPOTMAP/b-m-p-s-m/{argb}">.
// Every marker says it is lindero's twice over (uid prefix `lindero-` and a <__lindero> detail), so one
// that a TAK server or client sends back is read as lindero's own marker and never as a unit (cot-role.ts).
import { MAX_TIME_MS } from '../model/index.js';
import { XMLBuilder } from 'fast-xml-parser';
import { COT_UNKNOWN } from './cot.js';
import { LINDERO_DETAIL, LINDERO_UID_PREFIX } from './cot-role.js';
import { TAK_MAGIC, TakMessageType } from './tak-proto.js';
import { checkLatLon, invalid, quote } from './limits.js';

/** What a marker needs from an alert; the server maps its Alert onto this. */
export interface AlertMarkerInput {
  /** Alert id; the marker's uid is `lindero-alert-<id>`, so a re-sent alert moves the same marker. */
  id: string | number;
  /** approach | crossing | entered-strip | left-strip | proximity | stale (others are shown white). */
  kind: string;
  unit: string;
  /** What people call the unit (its callsign), shown instead of the id when known. */
  name?: string;
  /** ms since epoch, UTC. */
  time: number;
  lat: number;
  lon: number;
  /** 1-sigma horizontal accuracy of the fix behind the alert, metres, if known. */
  accuracyM?: number;
  remarksEn: string;
  remarksEs: string;
  /** How long TAK clients keep showing the marker; default 30 minutes. */
  staleMs?: number;
}

export const DEFAULT_ALERT_STALE_MS = 30 * 60_000;

/** ARGB colours as the signed 32-bit integers TAK writes. */
const RED = -65536; // 0xFFFF0000
const YELLOW = -256; // 0xFFFFFF00
const ORANGE = -23296; // 0xFFFFA500
const GREEN = -16711936; // 0xFF00FF00
const WHITE = -1;

const STYLE: Record<string, { label: string; argb: number }> = {
  crossing: { label: 'CROSSING', argb: RED },
  approach: { label: 'APPROACH', argb: YELLOW },
  'entered-strip': { label: 'IN STRIP', argb: ORANGE },
  'left-strip': { label: 'LEFT STRIP', argb: GREEN },
  proximity: { label: 'PROXIMITY', argb: ORANGE },
  stale: { label: 'STALE', argb: WHITE },
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  // Escapes & < > " ' in text and attributes.
  processEntities: true,
});

/** One CoT event document (UTF-8 XML text) showing the alert as a marker. */
export function alertToCot(alert: AlertMarkerInput): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${builder.build({ event: alertEvent(alert) })}`;
}

/**
 * The same marker as one TAK protocol version 1 stream frame (0xbf <length> <TakMessage>), for a client
 * that negotiated version 1: the typed fields in their places, the rest of <detail> as xmlDetail.
 */
export function alertToTakFrame(alert: AlertMarkerInput): Uint8Array {
  const event = alertEvent(alert);
  const { contact, ...rest } = event.detail;
  const ms = (iso: string) => Date.parse(iso);
  const message = TakMessageType.fromObject({
    cotEvent: {
      type: event['@type'], uid: event['@uid'], how: event['@how'],
      sendTime: ms(event['@time']), startTime: ms(event['@start']), staleTime: ms(event['@stale']),
      lat: alert.lat, lon: alert.lon, hae: COT_UNKNOWN, ce: alert.accuracyM ?? COT_UNKNOWN, le: COT_UNKNOWN,
      detail: { xmlDetail: builder.build(rest), contact: { callsign: contact['@callsign'] } },
    },
  });
  const payload = TakMessageType.encode(message).finish();
  const length: number[] = [];
  for (let n = payload.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      length.push(n);
      break;
    }
    length.push((n % 128) | 0x80);
  }
  return Buffer.concat([Buffer.from([TAK_MAGIC, ...length]), payload]);
}

function alertEvent(alert: AlertMarkerInput) {
  const fields = checkAlert(alert);
  const style = STYLE[alert.kind] ?? { label: alert.kind.toUpperCase(), argb: WHITE };
  const stale = alert.time + (alert.staleMs ?? DEFAULT_ALERT_STALE_MS);
  const event = {
    '@version': '2.0',
    '@uid': attribute(`${LINDERO_UID_PREFIX}alert-${alert.id}`),
    '@type': 'b-m-p-s-m',
    // m-g: machine-made, from the GPS fix that raised the alert.
    '@how': 'm-g',
    '@time': fields.time,
    '@start': fields.time,
    '@stale': new Date(stale).toISOString(),
    point: {
      '@lat': String(alert.lat),
      '@lon': String(alert.lon),
      '@hae': String(COT_UNKNOWN),
      '@ce': String(alert.accuracyM ?? COT_UNKNOWN),
      '@le': String(COT_UNKNOWN),
    },
    detail: {
      contact: { '@callsign': attribute(`${style.label} ${alert.name ?? alert.unit}`) },
      color: { '@argb': String(style.argb) },
      usericon: { '@iconsetpath': `COT_MAPPING_SPOTMAP/b-m-p-s-m/${style.argb}` },
      remarks: text(`${alert.remarksEn} / ${alert.remarksEs}`),
      [LINDERO_DETAIL]: { '@kind': 'alert', '@unit': attribute(alert.unit) },
    },
  };
  return event;
}

function checkAlert(alert: AlertMarkerInput): { time: string } {
  if (!Number.isFinite(alert.time) || Math.abs(alert.time) > MAX_TIME_MS) throw invalid('time', `must be ms since epoch, got ${quote(alert.time)}`);
  if (!Number.isFinite(alert.lat)) throw invalid('lat', `must be a number, got ${quote(alert.lat)}`);
  if (!Number.isFinite(alert.lon)) throw invalid('lon', `must be a number, got ${quote(alert.lon)}`);
  checkLatLon(alert.lat, alert.lon, 'lat', 'lon');
  if (alert.accuracyM !== undefined && !(alert.accuracyM >= 0 && alert.accuracyM < COT_UNKNOWN)) {
    throw invalid('accuracyM', `must be zero or more metres, got ${quote(alert.accuracyM)}`);
  }
  if (alert.staleMs !== undefined && !(alert.staleMs > 0 && alert.staleMs <= 366 * 86_400_000)) {
    throw invalid('staleMs', `must be between 1 ms and a year, got ${quote(alert.staleMs)}`);
  }
  if (alert.unit === '') throw invalid('unit', 'must not be empty');
  return { time: new Date(alert.time).toISOString() };
}

/** Text XML 1.0 can carry (§2.2 Char): other characters become U+FFFD rather than breaking the document. */
function text(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Attribute values also lose line breaks and tabs, which attribute-value normalisation turns into spaces anyway (XML 1.0 §3.3.3). */
function attribute(value: string): string {
  return text(value).replace(/[\t\n\r]/g, ' ');
}
