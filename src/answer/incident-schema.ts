// The wire forms of the incidents API, declared once as JSON Schema (TypeBox): Fastify validates the
// requests and serialises the answers with them.
import { Type, type TSchema } from '@sinclair/typebox';
import { WhereSchema } from './where-schema.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'ISO 8601 with a zone, or ms since epoch' });
const Place = Type.Object({ lat: Type.Number(), lon: Type.Number(), name: Type.Optional(Type.String()) });
/** A stored place: also, when it was given as text naming a square (MGRS, coarse digits), that square's side. */
const StoredPlace = Type.Object({ ...Place.properties, square_m: Type.Optional(Type.Number()) });


export const CreateIncidentBody = Type.Object({
  from: Time,
  to: Time,
  units: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 100 }),
  place: Type.Optional(Type.Union([Type.String({ maxLength: 200, description: 'a position in any form lindero reads' }), Place])),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });

export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });

export const IncidentSchema = Type.Object({
  id: Type.Integer(),
  opened: Type.String(),
  opened_by: Type.Union([Type.Literal('operator'), Type.Literal('rule')]),
  opened_by_alert: Type.Optional(Type.Object({ id: Type.Integer(), kind: Type.String() })),
  from: Type.String(),
  from_ms: Type.Number(),
  to: Type.String(),
  to_ms: Type.Number(),
  units: Type.Array(Type.String()),
  place: Nullable(StoredPlace),
  notes: Type.Array(Type.Object({ time: Type.String(), text: Type.String(), by: Type.Optional(Type.String()) })),
  alert_ids: Type.Array(Type.Integer()),
  records: Type.Array(Type.Object({ id: Type.Integer(), action: Type.String(), received: Type.String(), chain_n: Type.Integer() })),
});


export const EvidenceSchema = Type.Object({
  incident: IncidentSchema,
  units: Type.Array(Type.Object({
    unit: Type.String(),
    fixes: Type.Array(Type.Object({
      id: Type.Integer(), unit: Type.String(), name: Type.Optional(Type.String()), group: Type.Optional(Type.String()),
      time: Type.String(), time_ms: Type.Number(), source: Type.String(), late: Type.Boolean(), where: WhereSchema,
      /** What the range rules changed or left off of this fix, one sentence each. */
      notes: Type.Optional(Type.Array(Type.String())),
    })),
    crossings: Type.Array(Type.Object({
      time: Type.String(), time_ms: Type.Number(), lat: Type.Number(), lon: Type.Number(), from: Type.String(), to: Type.String(), confirmed: Type.Boolean(),
    })),
    closest_approach: Nullable(Type.Object({ time: Type.String(), lat: Type.Number(), lon: Type.Number(), distance_m: Type.Number(), territory: Nullable(Type.String()) })),
  })),
  alerts: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String(), unit: Type.String(), time: Type.String(), time_ms: Type.Number(), lat: Type.Number(), lon: Type.Number(),
    other_unit: Type.Optional(Type.String()), message_en: Type.String(), message_es: Type.String(),
  })),
});

export const KeySchema = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  public_key: Type.String({ description: 'SPKI PEM' }),
  fingerprint: Type.String(),
  checkpoint: Nullable(Type.Object({ n: Type.Integer(), hash: Type.String(), signed: Type.String() })),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
