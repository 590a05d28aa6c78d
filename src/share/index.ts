// Sharing with partner organisations across the line: policies, the server-to-server link, partner
// units, proximity across the link and canned messages.
export {
  DEFAULT_LINK_PORT, DEFAULT_POLICY, SHARED_ALERT_KINDS, WITHHELD_TAG, ShareFileSchema, normalisePolicy, policyJson, tagsOf,
  type PartnerConfig, type ShareConfig, type SharedAlertKind, type SharingPolicy,
} from './config.js';
export { loadShareConfig, parseShareConfig, MAX_CONFIG_BYTES } from './config-file.js';
export { coarsen, snapToGrid, type CoarsePosition } from './grid.js';
export { isWithheld, recordsForAlert, recordsForEvent, recordsForFix, type Outbound, type PartnerAlertFields } from './policy.js';
export { ShareRecordSchema, recordProblem, type ShareRecord } from './records.js';
export { SHARE_SCHEMA_SQL } from './store-schema.js';
export { ShareService, shareFileFor, type ShareDeps, type ShareHub, type ShareLog } from './service.js';
export { partnersRoutes, type PartnersRouteOptions } from './routes.js';
export { renderMessage, TEMPLATES } from './messages.js';
export { PartnerProximity, type PartnerProximityAlert } from './proximity.js';
export type { ShareStreamEvent, PartnerUnitJson } from './wire.js';
export { LINK_PROTOCOL, newNonce, openFrame, proof, proofMatches, sessionKeys, signFrame, type SessionKeys } from './handshake.js';
export { LINK_CONNECTIONS_PER_MINUTE, MAX_LINK_CONNECTIONS } from './link-server.js';
