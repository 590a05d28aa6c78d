// The wire forms of the HTTP API, declared once as JSON Schema (TypeBox): Fastify validates requests and
// serialises responses with them, the server's converters (server/wire.ts) are typed by them, and the
// dashboard and field mode take their API types from them (web/src/api/types.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ALERT_KINDS } from '../model/index.js';
import { DeterminationSchema } from './where-schema.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
});
export type ErrorJson = Static<typeof ErrorSchema>;

/** Every route answers errors in this one shape. */
export const ERROR_RESPONSES = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;


export const FixSchema = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  unit: Type.String(),
  /** The unit's callsign or display name as the device sent it (the id stays `unit`). */
  name: Type.Optional(Type.String()),
  /** The unit's team, as the device sent it (CoT <__group name>). */
  group: Type.Optional(Type.String()),
  /** Device time, ISO 8601 UTC, and the same in ms since epoch. */
  time: Type.String(),
  time_ms: Type.Number(),
  lat: Type.Number(),
  lon: Type.Number(),
  accuracy_m: Type.Optional(Type.Number()),
  alt_m: Type.Optional(Type.Number()),
  speed_mps: Type.Optional(Type.Number()),
  course_deg: Type.Optional(Type.Number()),
  source: Type.String(),
  /** Auxiliary values the range rules changed or left off, one sentence each (the position was kept). */
  notes: Type.Optional(Type.Array(Type.String())),
  /** The device declared an emergency (an SOS) with this report, or cancelled one; `what` is its own name for it. */
  emergency: Type.Optional(Type.Object({ state: Type.Union([Type.Literal('declared'), Type.Literal('cancelled')]), what: Type.String() })),
  received_ms: Type.Number(),
  late: Type.Boolean(),
  determination: DeterminationSchema,
});
export type FixJson = Static<typeof FixSchema>;


export const AlertSchema = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  kind: Type.Union(ALERT_KINDS.map((k) => Type.Literal(k))),
  unit: Type.String(),
  name: Type.Optional(Type.String()),
  time: Type.String(),
  time_ms: Type.Number(),
  received_ms: Type.Number(),
  late: Type.Boolean(),
  lat: Type.Number(),
  lon: Type.Number(),
  other_unit: Type.Optional(Type.String()),
  other_name: Type.Optional(Type.String()),
  unit_distance_m: Type.Optional(Type.Number()),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  confirmed: Type.Optional(Type.Boolean()),
  /** For emergency and emergency-cancelled: the device's own name for it ("911 Alert", "Declare SOS"). */
  emergency: Type.Optional(Type.String()),
  /**
   * Set when the report that raised it carried no position (an SOS sent without a GPS fix): the
   * determination, lat and lon are of the unit's last fix, at this device time (ISO 8601 UTC).
   */
  last_known_time: Type.Optional(Type.String()),
  /** The alert stated in English and in Spanish (also the remarks of the CoT marker). */
  message_en: Type.String(),
  message_es: Type.String(),
  determination: DeterminationSchema,
});
export type AlertJson = Static<typeof AlertSchema>;

export const UnitSchema = Type.Object({
  unit: Type.String(),
  /** The callsign or display name of its latest fix, when it has one. */
  name: Type.Optional(Type.String()),
  fix_count: Type.Integer(),
  first_time: Type.String(),
  last_fix: FixSchema,
  /** Partner units only (src/share): the organisation, the precision and delay it shared at, the side it stated. */
  partner: Type.Optional(Type.String()),
  precision_m: Type.Optional(Type.Number()),
  delay_s: Type.Optional(Type.Number()),
  territory: Type.Optional(Nullable(Type.String())),
});
export type UnitJson = Static<typeof UnitSchema>;

/** Device time given in a query: ISO 8601 with a zone, or ms since epoch. */
export const TimeQuery = Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 with a time zone, or ms since epoch' });

export const LineStringSchema = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Type.Array(Type.Number())),
});
export const PointSchema = Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) });

/** GET /markers: a map item a TAK client shared (a placed point, spot marker or drawing): shown, never a unit. */
export const MarkerSchema = Type.Object({
  uid: Type.String(),
  name: Type.Optional(Type.String()),
  type: Type.String({ description: 'CoT type, e.g. b-m-p-s-m (spot marker) or a-h-G (placed hostile)' }),
  how: Type.Optional(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  time: Type.String(),
  stale: Type.Optional(Type.String()),
  not_unit_because: Type.String(),
});
export type MarkerJson = Static<typeof MarkerSchema>;

/** Who acknowledged an alert, and when (shared by every operator). */
export const AcknowledgementSchema = Type.Object({
  alert_id: Type.Integer(),
  by: Type.String({ description: 'the user, the API key label, or "local" on loopback' }),
  by_kind: Type.Union([Type.Literal('user'), Type.Literal('key'), Type.Literal('local')]),
  time: Type.String({ format: 'date-time' }),
});
export type AcknowledgementJson = Static<typeof AcknowledgementSchema>;
