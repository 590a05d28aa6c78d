// Partner units, partner alerts and messages in the API's snake_case forms. A partner unit has the
// shape of a home unit in GET /api/v1/units, marked with `partner` and the `precision_m` it was
// shared at, and `territory`: the side of the line the partner stated for its true position.
import { determinationJson } from '../answer/index.js';
import { type FixJson, type UnitJson } from '../answer/schemas.js';
import type { Determination } from '../geo/index.js';
import { sharedAlertMessage } from '../answer/index.js';
import type { AlertRecord, PositionRecord } from './records.js';
import type { LinkState } from './links.js';
import type { MessageRow } from './share-db.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface PartnerUnitMeta {
  seq: number;
  receivedMs: number;
  firstTimeMs: number;
  recordCount: number;
}

export function partnerUnitJson(partner: string, r: PositionRecord, determination: Determination, meta: PartnerUnitMeta): UnitJson {
  const lastFix: FixJson = {
    id: meta.seq, seq: meta.seq, unit: r.unit, time: iso(r.time_ms), time_ms: r.time_ms, lat: r.lat, lon: r.lon,
    source: 'partner', received_ms: meta.receivedMs, late: false, determination: determinationJson(determination),
  };
  if (r.accuracy_m !== undefined) lastFix.accuracy_m = r.accuracy_m;
  return {
    unit: r.unit, partner, precision_m: r.precision_m, territory: r.territory, delay_s: r.delay_s,
    fix_count: meta.recordCount, first_time: iso(meta.firstTimeMs), last_fix: lastFix,
  };
}
export type PartnerUnitJson = UnitJson;

export function partnerAlertJson(partner: string, seq: number, receivedMs: number, r: AlertRecord) {
  return {
    partner, seq, kind: r.alert_kind, unit: r.unit, time: iso(r.time_ms), time_ms: r.time_ms, received_ms: receivedMs,
    territory: r.territory, from: r.from ?? null, to: r.to ?? null, confirmed: r.confirmed ?? null, other_unit: r.other_unit ?? null,
    emergency: r.emergency ?? null, position: r.position ?? null,
    message_en: sharedAlertMessage(partner, r, 'en'), message_es: sharedAlertMessage(partner, r, 'es'),
  };
}

export function messageJson(m: MessageRow) {
  return {
    id: m.id, partner: m.partner, direction: m.direction, template: m.template, params: JSON.parse(m.params_json) as Record<string, unknown>,
    text_en: m.text_en, text_es: m.text_es, created_ms: m.created_ms,
    status: m.direction === 'in' ? 'received' : m.delivered_ms === null ? 'queued' : 'delivered',
    delivered_ms: m.delivered_ms,
  };
}

/** Events on the live stream (GET /api/v1/stream) about partners, next to the server's own. */
export type ShareStreamEvent =
  | { type: 'partner-unit'; unit: PartnerUnitJson }
  | { type: 'partner-unit-gone'; partner: string; unit: string; time_ms: number }
  | { type: 'partner-alert'; alert: ReturnType<typeof partnerAlertJson> }
  | { type: 'partner-message'; message: ReturnType<typeof messageJson> }
  | { type: 'partner-link'; partner: string; state: LinkState; last_error: string | null };
