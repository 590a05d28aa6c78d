// Incidents and their evidence in their snake_case wire forms (the schemas in schemas.ts).
import { whereJson } from '../answer/index.js';
import { formatMgrs } from '../coords/index.js';
import { alertMessage } from '../answer/index.js';
import type { StoredAlert, StoredFix } from '../store/index.js';
import type { Incident, IncidentEvidence, IncidentPlace } from './types.js';

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

export function incidentJson(i: Incident) {
  return {
    id: i.id,
    opened: iso(i.openedMs),
    opened_by: i.openedBy.by,
    ...(i.openedBy.by === 'rule' ? { opened_by_alert: { id: i.openedBy.alertId, kind: i.openedBy.alertKind } } : {}),
    from: iso(i.fromMs), from_ms: i.fromMs, to: iso(i.toMs), to_ms: i.toMs,
    units: i.units,
    place: i.place && placeJson(i.place),
    notes: i.notes.map((n) => ({ time: iso(n.timeMs), text: n.text, ...(n.by ? { by: n.by } : {}) })),
    alert_ids: i.alertIds,
    records: i.records.map((r) => ({ id: r.id, action: r.action, received: iso(r.receivedMs), chain_n: r.chainN })),
  };
}

/** An incident's place on the wire: snake_case, its square (when it was given as one) as `square_m`. */
function placeJson(p: IncidentPlace) {
  const { squareM, ...point } = p;
  return squareM === undefined ? point : { ...point, square_m: squareM };
}

/** A fix with its determination: the `lindero where --json` object plus when and whose. */
export function evidenceFixJson(f: StoredFix) {
  return {
    id: f.id, unit: f.unit, ...(f.name !== undefined ? { name: f.name } : {}), ...(f.group !== undefined ? { group: f.group } : {}),
    time: iso(f.time), time_ms: f.time, source: f.source, late: f.late, where: whereJson(f.determination, formatMgrs(f.lat, f.lon)),
    ...(f.notes !== undefined && f.notes.length > 0 ? { notes: f.notes } : {}),
  };
}

function evidenceAlertJson(a: StoredAlert) {
  return {
    id: a.id, kind: a.kind, unit: a.unit, time: iso(a.time), time_ms: a.time, lat: a.determination.lat, lon: a.determination.lon,
    ...(a.otherUnit !== undefined ? { other_unit: a.otherUnit } : {}),
    message_en: alertMessage(a, 'en'), message_es: alertMessage(a, 'es'),
  };
}

export function evidenceJson(e: IncidentEvidence) {
  return {
    incident: incidentJson(e.incident),
    units: e.units.map((u) => ({
      unit: u.unit,
      fixes: u.fixes.map(evidenceFixJson),
      crossings: u.crossings.map((c) => ({ time: iso(c.time), time_ms: c.time, lat: c.lat, lon: c.lon, from: c.from, to: c.to, confirmed: c.confirmed })),
      closest_approach: u.closestApproach
        ? { time: iso(u.closestApproach.time), lat: u.closestApproach.lat, lon: u.closestApproach.lon, distance_m: u.closestApproach.distanceM, territory: u.closestApproach.territory }
        : null,
    })),
    alerts: e.alerts.map(evidenceAlertJson),
  };
}
