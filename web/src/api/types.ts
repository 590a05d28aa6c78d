// The wire forms of lindero's HTTP API (/api/v1) as the dashboard reads them; see DESIGN.md "Contracts".
import type { FeatureCollection, LineString, Point } from 'geojson';
import type { WhereJson } from '../../../src/answer/index.js';
import type { EvidenceSchema, IncidentSchema } from '../../../src/incidents/schemas.js';
import type { AcknowledgementSchema } from '../../../src/server/routes-acks.js';
import type { MarkerSchema } from '../../../src/server/routes-markers.js';

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
  /** The server's own sentence for the alert, in each language. */
  message_en?: string;
  message_es?: string;
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

/** GET /acknowledgements: who acknowledged an alert, and when. Declared once in src/server/routes-acks.ts. */
export type AcknowledgementJson = typeof AcknowledgementSchema.static;

/** A partner's unit as shared with this server (src/share/wire.ts): coarsened to `precision_m`, `delay_s` late. */
export interface PartnerUnitJson {
  unit: string;
  partner: string;
  precision_m: number;
  territory: string | null;
  delay_s: number;
  fix_count: number;
  first_time: string;
  last_fix: FixJson & { received_ms: number };
}

export interface PartnerLinkJson {
  state: string;
  since_ms: number | null;
  last_error: string | null;
  queued_seq: number;
  sent_seq: number;
  acked_seq: number;
  received_seq: number;
  delayed: number;
}

export interface PartnerJson {
  name: string;
  url: string | null;
  lang: string;
  units: number;
  policy: { boundary_within_m: number | null; grid_m: number | null; delay_s: number; alerts: { kinds: string[]; position: string }; withhold_tags: string[] };
  link: PartnerLinkJson;
}

export interface TemplateJson {
  id: string;
  params: Record<string, { type: 'number'; unit: 'm' } | { type: 'string'; one_of: string[] }>;
  example_en: string;
  example_es: string;
}

/** GET /partners (src/share/service.ts partnersJson). */
export interface PartnersJson {
  org: string | null;
  lang: string | null;
  templates: TemplateJson[];
  partners: PartnerJson[];
}

/** A canned message, sent ('out': queued, then delivered) or received ('in'). */
export interface MessageJson {
  id: number;
  partner: string;
  direction: 'in' | 'out';
  template: string;
  params: Record<string, unknown>;
  text_en: string;
  text_es: string;
  created_ms: number;
  status: 'received' | 'queued' | 'delivered';
  delivered_ms: number | null;
}

/** An alert a partner shared about its own unit. */
export interface PartnerAlertJson {
  partner: string;
  seq: number;
  kind: string;
  unit: string;
  time: string;
  time_ms: number;
  received_ms: number;
  other_unit: string | null;
  message_en: string;
  message_es: string;
}

/** GET /markers: points TAK clients placed; never units. Declared once in src/server/routes-markers.ts. */
export type MarkerJson = typeof MarkerSchema.static;

export interface UnitJson {
  unit: string;
  name?: string;
  /** Set on a partner's unit (then the entry is a PartnerUnitJson). */
  partner?: string;
  fix_count: number;
  first_time: string;
  last_fix: FixJson;
}

export type StreamEvent =
  | { type: 'fix'; fix: FixJson }
  | { type: 'alert'; alert: AlertJson }
  | { type: 'unit'; unit: UnitJson }
  | { type: 'partner-unit'; unit: PartnerUnitJson }
  | { type: 'partner-unit-gone'; partner: string; unit: string; time_ms: number }
  | { type: 'partner-alert'; alert: PartnerAlertJson }
  | { type: 'partner-message'; message: MessageJson }
  | { type: 'partner-link'; partner: string; state: string; last_error: string | null };

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

/** The incidents API's wire forms, declared once in src/incidents/schemas.ts. */
export type IncidentJson = typeof IncidentSchema.static;
export type EvidenceJson = typeof EvidenceSchema.static;
