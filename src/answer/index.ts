// The words: the where answer as JSON and sentences, alert text and report text, in English and Spanish.
export { whereJson, whereJsonText, writeWhereJson, ByteWriter, type EchoedNumbers, isCanonicalNumberText, roundedText, determinationJson, type WhereJson, type DeterminationJson } from './where-json.js';
export { whereSentence, compassPoint, territoryName, formatDistance, floorPercent, type Lang } from './sentence.js';
export { alertMessage } from './alert-text.js';
export { isPartnerProximityAlert, partnerAlertMessage, sharedAlertMessage, type SharedAlertFacts } from './partner-alert-text.js';
