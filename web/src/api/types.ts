// The wire forms of lindero's HTTP API (/api/v1) as the dashboard reads them: wherever the server declares a
// TypeBox schema (src/answer: fixes, alerts, units, markers, acknowledgements, incidents), the type is that
// schema's, never a copy.
import type { FeatureCollection, LineString, Point } from 'geojson';
import type { AcknowledgementSchema, AlertJson, EvidenceSchema, FixJson, IncidentSchema, MarkerSchema, UnitJson, WhereWireJson } from '../../../src/answer/schemas.js';
import type { AlertKind } from '../../../src/model/index.js';

export type { AlertJson, AlertKind, FixJson, UnitJson };
/** The where answer as the API sends it (a unit's stored determination may predate some of its fields). */
export type WhereJson = WhereWireJson;
/** A fix's determination: the where answer without the position. */
export type DeterminationJson = FixJson['determination'];

/** GET /acknowledgements: who acknowledged an alert, and when. Declared once in src/answer/api-schema.ts. */
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

/** GET /markers: points TAK clients placed; never units. Declared once in src/answer/api-schema.ts. */
export type MarkerJson = typeof MarkerSchema.static;

export type StreamEvent =
  | { type: 'fix'; fix: FixJson }
  | { type: 'alert'; alert: AlertJson }
  | { type: 'unit'; unit: UnitJson }
  | { type: 'partner-unit'; unit: PartnerUnitJson }
  | { type: 'partner-unit-gone'; partner: string; unit: string; time_ms: number }
  | { type: 'partner-alert'; alert: PartnerAlertJson }
  | { type: 'partner-message'; message: MessageJson }
  | { type: 'partner-link'; partner: string; state: string; last_error: string | null }
  | { type: 'acknowledgement'; acknowledgement: AcknowledgementJson }
  | { type: 'marker'; marker: MarkerJson };

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
  /** The operator signed in on this browser, or null (on loopback nobody signs in). */
  signed_in_as?: string | null;
}

/** The incidents API's wire forms, declared once in src/answer/incident-schema.ts. */
export type IncidentJson = typeof IncidentSchema.static;
export type EvidenceJson = typeof EvidenceSchema.static;
