// What crosses the link: one record per frame, in the wire's snake_case. The sender builds them from
// its policy; the receiver checks every one against this schema before it touches its database.
import { MAX_TIME_MS } from '../model/index.js';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SHARED_ALERT_KINDS } from './config.js';

const Unit = Type.String({ minLength: 1, maxLength: 256 });
const TimeMs = Type.Number({ minimum: -MAX_TIME_MS, maximum: MAX_TIME_MS });
const Territory = Type.String({ minLength: 1, maxLength: 16 });
const Metres = Type.Number({ minimum: 0, maximum: 1e7 });

const PositionRecord = Type.Object({
  kind: Type.Literal('position'),
  unit: Unit,
  time_ms: TimeMs,
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  /** The true position is within this distance of (lat, lon): the coarsening, 0 for exact. */
  precision_m: Metres,
  /** The device's own 1-sigma accuracy, when it gave one. */
  accuracy_m: Type.Optional(Metres),
  /** The side of the line of the true position, as the sender classified it (null: outside the covered territories), and whether that was certain. */
  territory: Type.Union([Territory, Type.Null()]),
  certain: Type.Boolean(),
  /** The delay the sender's policy holds positions back by, seconds. */
  delay_s: Metres,
}, { additionalProperties: false });

const LeaveRecord = Type.Object({
  kind: Type.Literal('leave'),
  unit: Unit,
  time_ms: TimeMs,
}, { additionalProperties: false });

const AlertRecord = Type.Object({
  kind: Type.Literal('alert'),
  alert_kind: Type.Union(SHARED_ALERT_KINDS.map((k) => Type.Literal(k))),
  unit: Unit,
  time_ms: TimeMs,
  territory: Type.Union([Territory, Type.Null()]),
  from: Type.Optional(Territory),
  to: Type.Optional(Territory),
  confirmed: Type.Optional(Type.Boolean()),
  other_unit: Type.Optional(Unit),
  /** For an emergency and its cancellation: the device's own name for it ("911 Alert", "Declare SOS"). */
  emergency: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  position: Type.Optional(Type.Object({
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    precision_m: Metres,
  }, { additionalProperties: false })),
}, { additionalProperties: false });

const MessageRecord = Type.Object({
  kind: Type.Literal('message'),
  /** The sender's message id, for its delivery receipt. */
  id: Type.Integer({ minimum: 1 }),
  template: Type.String({ minLength: 1, maxLength: 64 }),
  params: Type.Record(Type.String({ maxLength: 32 }), Type.Union([Type.Number(), Type.String({ maxLength: 64 })]), { maxProperties: 8 }),
  text_en: Type.String({ minLength: 1, maxLength: 500 }),
  text_es: Type.String({ minLength: 1, maxLength: 500 }),
  time_ms: TimeMs,
}, { additionalProperties: false });

export const ShareRecordSchema = Type.Union([PositionRecord, LeaveRecord, AlertRecord, MessageRecord]);
export type ShareRecord = Static<typeof ShareRecordSchema>;
export type PositionRecord = Static<typeof PositionRecord>;
export type LeaveRecord = Static<typeof LeaveRecord>;
export type AlertRecord = Static<typeof AlertRecord>;
export type MessageRecord = Static<typeof MessageRecord>;

/** The problem with a received record, or null when it is well formed. */
export function recordProblem(value: unknown): string | null {
  if (Value.Check(ShareRecordSchema, value)) return null;
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema = [PositionRecord, LeaveRecord, AlertRecord, MessageRecord].find((s) => s.properties.kind.const === kind);
  if (!schema) return `unknown record kind ${JSON.stringify(kind)?.slice(0, 40)}`;
  const e = Value.Errors(schema, value).First();
  return e ? `field ${e.path.slice(1) || 'record'}: ${e.message}` : 'malformed record';
}
