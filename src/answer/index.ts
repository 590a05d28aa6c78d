// The words: the where answer as JSON and sentences, alert text and report text, in English and Spanish.
export { whereJson, whereJsonText, writeWhereJson, ByteWriter, type EchoedNumbers, isCanonicalNumberText, roundedText, determinationJson, type WhereJson, type DeterminationJson } from './where-json.js';
export { whereSentence, compassPoint, territoryName, formatDistance, type Lang } from './sentence.js';
export { alertMessage } from './alert-text.js';
export { isPartnerProximityAlert, partnerAlertMessage, sharedAlertMessage, type SharedAlertFacts } from './partner-alert-text.js';
export { DeterminationSchema, WhereSchema, type DeterminationJson as StoredDeterminationJson, type WhereWireJson } from './where-schema.js';
export {
  AcknowledgementSchema, AlertSchema, ERROR_RESPONSES, ErrorSchema, FixSchema, LineStringSchema, MarkerSchema, PointSchema, TimeQuery, UnitSchema,
  type AlertJson, type ErrorJson, type FixJson, type UnitJson,
} from './api-schema.js';
export { CreateIncidentBody, EvidenceSchema, IdParams, IncidentSchema, KeySchema, NoteBody } from './incident-schema.js';
