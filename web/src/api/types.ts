// The wire forms of lindero's HTTP API (/api/v1) as the dashboard reads them: the fix, alert and unit types
// are those of the server's TypeBox schemas (src/answer/api-schema.ts), never a copy.
import type { FeatureCollection, LineString, Point } from 'geojson';
import type { AlertJson, FixJson, UnitJson, WhereWireJson } from '../../../src/answer/index.js';
import type { AlertKind } from '../../../src/model/index.js';

export type { AlertJson, AlertKind, FixJson, UnitJson };
/** The where answer as the API sends it (a unit's stored determination may predate some of its fields). */
export type WhereJson = WhereWireJson;
/** A fix's determination: the where answer without the position. */
export type DeterminationJson = FixJson['determination'];

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
  /** Null outside every territory the layers cover. */
  territory: string | null;
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
