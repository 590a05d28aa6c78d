// Incidents: a time window, the units involved and a place, opened by an operator or by a rule, and
// the evidence lindero attaches to them.
import type { StoredAlert, StoredFix } from '../store/index.js';
import type { CrossingReport } from '../analysis/index.js';

export interface IncidentPlace {
  lat: number;
  lon: number;
  name?: string;
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
  notes: { timeMs: number; text: string }[];
  /** Alerts that opened or extended it (by the rule). */
  alertIds: number[];
  /** Its records' ids and chain positions, in order. */
  records: { id: number; action: string; receivedMs: number; chainN: number }[];
}

/** What an operator gives to open an incident. */
export interface IncidentRequest {
  fromMs: number;
  toMs: number;
  units: string[];
  place?: IncidentPlace | null;
  note?: string;
  label?: string;
}

/** A crossing found by the track analysis over a unit's fixes in the window. */
export type IncidentCrossing = CrossingReport;

/** One unit's share of an incident: its fixes in the window (with determinations) and its crossings. */
export interface UnitEvidence {
  unit: string;
  fixes: StoredFix[];
  crossings: IncidentCrossing[];
  closestApproach: { time: number; lat: number; lon: number; distanceM: number; territory: string | null } | null;
}

/** Everything lindero attaches to an incident. */
export interface IncidentEvidence {
  incident: Incident;
  units: UnitEvidence[];
  /** Alerts of the incident's units in the window, in the order stored. */
  alerts: StoredAlert[];
}
