// The wire forms of lindero's HTTP API (/api/v1) as the dashboard reads them; see DESIGN.md "Contracts".
import type { FeatureCollection, LineString, Point } from 'geojson';
import type { WhereJson } from '../../../src/answer/index.js';

export type { WhereJson };

/** A fix's determination: the where answer without the position. */
export type DeterminationJson = Omit<WhereJson, 'lat' | 'lon' | 'mgrs'>;

export interface FixJson {
  id: number;
  unit: string;
  /** The unit's callsign or display name, when the device sent one. */
  name?: string;
  group?: string;
  time: string;
  time_ms: number;
  lat: number;
  lon: number;
  accuracy_m?: number;
  speed_mps?: number;
  course_deg?: number;
  source: string;
  late: boolean;
  determination: DeterminationJson;
}

export type AlertKind = 'approach' | 'crossing' | 'entered-strip' | 'left-strip' | 'proximity' | 'stale';

export interface AlertJson {
  id: number;
  kind: AlertKind | string;
  unit: string;
  name?: string;
  time: string;
  time_ms: number;
  lat: number;
  lon: number;
  other_unit?: string;
  other_name?: string;
  unit_distance_m?: number;
  from?: string;
  to?: string;
  confirmed?: boolean;
  late: boolean;
  determination: DeterminationJson;
}

export interface UnitJson {
  unit: string;
  name?: string;
  fix_count: number;
  first_time: string;
  last_fix: FixJson;
}

export type StreamEvent =
  | { type: 'fix'; fix: FixJson }
  | { type: 'alert'; alert: AlertJson }
  | { type: 'unit'; unit: UnitJson };

export interface LinesJson {
  boundary: FeatureCollection<LineString, { name: string; left: string; right: string }>;
  fences: FeatureCollection<LineString, { name: string; territory: string; illustrative: boolean; provenance?: string }>;
}

export interface TrackPointProperties {
  time_ms: number;
  accuracy_m?: number;
  territory: string;
  zone: string;
  certain: boolean;
  boundary_distance_m: number;
}

export type TrackJson = FeatureCollection<LineString | Point>;

/** GET /dashboard/config.json, from src/server/dashboard.ts. */
export interface DashboardConfig {
  bbox: [number, number, number, number];
  territories: string[];
  boundaries: { name: string; left: string; right: string; provenance: string | null }[];
  fences: { name: string; territory: string; illustrative: boolean; provenance: string | null }[];
}
