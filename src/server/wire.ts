// Stored records to their snake_case wire forms (the schemas in schemas.ts).
import { determinationJson } from '../answer/index.js';
import type { StoredAlert, StoredFix, UnitSummary } from '../store/index.js';
import { alertMessage } from '../answer/index.js';
import type { AcknowledgementJson, AlertJson, FixJson, MarkerJson, UnitJson } from '../answer/schemas.js';
import type { Marker } from '../live/index.js';
import { MAX_TIME_MS } from '../model/index.js';
import type { Acknowledgement } from '../trust/index.js';

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function fixJson(f: StoredFix): FixJson {
  const out: FixJson = {
    id: f.id, seq: f.seq, unit: f.unit, time: isoTime(f.time), time_ms: f.time, lat: f.lat, lon: f.lon,
    source: f.source, received_ms: f.receivedMs, late: f.late, determination: determinationJson(f.determination),
  };
  if (f.accuracyM !== undefined) out.accuracy_m = f.accuracyM;
  if (f.altM !== undefined) out.alt_m = f.altM;
  if (f.speedMps !== undefined) out.speed_mps = f.speedMps;
  if (f.courseDeg !== undefined) out.course_deg = f.courseDeg;
  if (f.name !== undefined) out.name = f.name;
  if (f.group !== undefined) out.group = f.group;
  if (f.notes !== undefined) out.notes = f.notes;
  if (f.emergency !== undefined) out.emergency = { state: f.emergency.state, what: f.emergency.what };
  return out;
}

export function alertJson(a: StoredAlert): AlertJson {
  const out: AlertJson = {
    id: a.id, seq: a.seq, kind: a.kind, unit: a.unit, time: isoTime(a.time), time_ms: a.time, received_ms: a.receivedMs,
    late: a.late === true, lat: a.determination.lat, lon: a.determination.lon,
    message_en: alertMessage(a, 'en'), message_es: alertMessage(a, 'es'), determination: determinationJson(a.determination),
  };
  if (a.name !== undefined) out.name = a.name;
  if (a.otherUnit !== undefined) out.other_unit = a.otherUnit;
  if (a.otherName !== undefined) out.other_name = a.otherName;
  if (a.unitDistanceM !== undefined) out.unit_distance_m = a.unitDistanceM;
  if (a.from !== undefined) out.from = a.from;
  if (a.to !== undefined) out.to = a.to;
  if (a.confirmed !== undefined) out.confirmed = a.confirmed;
  if (a.emergency !== undefined) out.emergency = a.emergency;
  if (a.lastKnownTime !== undefined) out.last_known_time = isoTime(a.lastKnownTime);
  return out;
}

export function unitJson(u: UnitSummary): UnitJson {
  const out: UnitJson = { unit: u.unit, fix_count: u.fixCount, first_time: isoTime(u.firstTime), last_fix: fixJson(u.lastFix) };
  if (u.lastFix.name !== undefined) out.name = u.lastFix.name;
  return out;
}

export function markerJson(m: Marker): MarkerJson {
  const out: MarkerJson = { uid: m.uid, type: m.type, lat: m.lat, lon: m.lon, time: isoTime(m.time), not_unit_because: m.notUnitBecause };
  if (m.name !== undefined) out.name = m.name;
  if (m.how !== undefined) out.how = m.how;
  if (m.stale !== undefined && Math.abs(m.stale) <= MAX_TIME_MS) out.stale = isoTime(m.stale);
  return out;
}

export function acknowledgementJson(a: Acknowledgement): AcknowledgementJson {
  return { alert_id: a.alertId, by: a.byName, by_kind: a.byKind, time: isoTime(a.timeMs) };
}
