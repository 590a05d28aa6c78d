// Incidents: a time window, the units involved and a place, opened by an operator or by a rule, and
// the evidence lindero attaches to them.
import type { StoredAlert, StoredFix } from '../store/index.js';
import type { CrossingReport } from '../analysis/index.js';
import type { Incident, IncidentPlace } from '../live/index.js';

export type { Incident, IncidentPlace, OpenedBy } from '../live/index.js';

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
