// The wire contract as TypeBox schemas: the server validates and serialises with them, the web apps take their types from them. Apart from index.ts so that the CLI does not load TypeBox.
export { DeterminationSchema, WhereSchema, type DeterminationJson as StoredDeterminationJson, type WhereWireJson } from './where-schema.js';
export {
  AcknowledgementSchema, AlertSchema, ERROR_RESPONSES, ErrorSchema, FixSchema, LineStringSchema, MarkerSchema, PointSchema, TimeQuery, UnitSchema,
  type AcknowledgementJson, type AlertJson, type ErrorJson, type FixJson, type MarkerJson, type UnitJson,
} from './api-schema.js';
export { CreateIncidentBody, EvidenceSchema, IdParams, IncidentSchema, KeySchema, NoteBody } from './incident-schema.js';
