// An incident is never updated in place: each change is a chained record, and the incident is their fold.
import { LinderoError } from '../model/index.js';
import type { StoredIncidentRecord } from '../store/index.js';

export interface IncidentPlace {
  lat: number;
  lon: number;
  name?: string;
  /**
   * When the place was given as text naming a square (an MGRS reference, or coarse digits: "31°45'N
   * 106°29'W"), its side, metres: the place is the square's centre, not a point (coords' precisionM).
   */
  squareM?: number;
}

/** Who opened an incident: a person through the API, or a rule on an alert. */
export type OpenedBy = { by: 'operator'; label?: string } | { by: 'rule'; alertId: number; alertKind: string };

/** An incident as its records make it: the fold of opened / extended / noted, in order. */
export interface Incident {
  id: number;
  openedMs: number;
  openedBy: OpenedBy;
  /** The window, device time, ms since epoch, inclusive. */
  fromMs: number;
  toMs: number;
  units: string[];
  place: IncidentPlace | null;
  /** Notes in the order written; `by` names who wrote it (the operator's account or key), when known. */
  notes: { timeMs: number; text: string; by?: string }[];
  /** Alerts that opened or extended it (by the rule). */
  alertIds: number[];
  /** Its records' ids and chain positions, in order. */
  records: { id: number; action: string; receivedMs: number; chainN: number }[];
}

/** The JSON of an "opened" record. */
export interface OpenedRecord {
  from_ms: number;
  to_ms: number;
  units: string[];
  place: IncidentPlace | null;
  note?: string;
  opened_by: 'operator' | 'rule';
  label?: string;
  alert_id?: number;
  alert_kind?: string;
}

/** The JSON of an "extended" record: the window grown to [from_ms, to_ms] and units added. */
export interface ExtendedRecord {
  from_ms: number;
  to_ms: number;
  add_units: string[];
  alert_id?: number;
  alert_kind?: string;
}

/** The JSON of a "noted" record. */
export interface NotedRecord {
  text: string;
  label?: string;
}

function corrupt(record: StoredIncidentRecord, what: string): LinderoError {
  return new LinderoError('store-corrupt', `incident record ${record.id} (incident ${record.incidentId}, ${record.action}): ${what}`, {});
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isUnits = (v: unknown): v is string[] => Array.isArray(v) && v.every((u) => typeof u === 'string');

function opened(record: StoredIncidentRecord): Incident {
  const r = record.record as Partial<OpenedRecord>;
  if (!isNumber(r.from_ms) || !isNumber(r.to_ms) || !isUnits(r.units)) throw corrupt(record, 'no window or units');
  const openedBy: OpenedBy = r.opened_by === 'rule'
    ? { by: 'rule', alertId: r.alert_id ?? 0, alertKind: r.alert_kind ?? '' }
    : { by: 'operator', ...(r.label ? { label: r.label } : {}) };
  return {
    id: record.incidentId, openedMs: record.receivedMs, openedBy, fromMs: r.from_ms, toMs: r.to_ms, units: [...r.units],
    place: r.place ?? null, notes: r.note ? [{ timeMs: record.receivedMs, text: r.note, ...(r.label ? { by: r.label } : {}) }] : [],
    alertIds: r.alert_id !== undefined ? [r.alert_id] : [], records: [],
  };
}

function apply(incident: Incident, record: StoredIncidentRecord): void {
  if (record.action === 'extended') {
    const r = record.record as Partial<ExtendedRecord>;
    if (!isNumber(r.from_ms) || !isNumber(r.to_ms) || !isUnits(r.add_units)) throw corrupt(record, 'no window or units');
    incident.fromMs = Math.min(incident.fromMs, r.from_ms);
    incident.toMs = Math.max(incident.toMs, r.to_ms);
    for (const unit of r.add_units) if (!incident.units.includes(unit)) incident.units.push(unit);
    if (r.alert_id !== undefined) incident.alertIds.push(r.alert_id);
  } else if (record.action === 'noted') {
    const r = record.record as Partial<NotedRecord>;
    if (typeof r.text !== 'string') throw corrupt(record, 'no text');
    incident.notes.push({ timeMs: record.receivedMs, text: r.text, ...(r.label ? { by: r.label } : {}) });
  } else {
    throw corrupt(record, 'an incident is opened only once');
  }
}

/** Incidents from their records (any order of incidents; each incident's records in stored order). */
export function foldIncidents(records: StoredIncidentRecord[]): Incident[] {
  const incidents = new Map<number, Incident>();
  foldMoreIncidents(incidents, records);
  return [...incidents.values()].sort((a, b) => a.id - b.id);
}

/**
 * Folds records into incidents already folded, by id (each incident's records in stored order, after those
 * it holds); a record an incident already holds is skipped, so records read again change nothing.
 */
export function foldMoreIncidents(incidents: Map<number, Incident>, records: StoredIncidentRecord[]): void {
  for (const record of records) {
    let incident = incidents.get(record.incidentId);
    if (!incident) {
      if (record.action !== 'opened') throw corrupt(record, 'the incident has no "opened" record before it');
      incidents.set(record.incidentId, (incident = opened(record)));
      foldedIds.set(incident, new Set());
    } else if (foldedIds.get(incident)?.has(record.id) ?? incident.records.some((r) => r.id === record.id)) {
      continue;
    } else {
      apply(incident, record);
    }
    foldedIds.get(incident)?.add(record.id);
    incident.records.push({ id: record.id, action: record.action, receivedMs: record.receivedMs, chainN: record.chainN });
  }
}

/** The ids of the records each incident folded here holds (an incident gathers thousands on a long day). */
const foldedIds = new WeakMap<Incident, Set<number>>();
