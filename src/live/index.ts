// The live flow: fixes through classify and the rules into one commit, late fixes reconciled, events to every subscriber, the incident rule.
export { Pipeline, type IngestOutcome, type PipelineDeps } from './pipeline.js';
export { AlertRules, type AlertRulesOptions } from './late-fixes.js';
export { EventHub, type PartnerEvent, type ServerEvent, type Subscriber } from './events.js';
export { LeasedRules, canLeaseUnits, type LeasedRulesDeps } from './leased-rules.js';
export { MarkerBoard, markerOf, MAX_MARKERS, type Marker } from './markers.js';
export { IncidentRule, alertUnits, type IncidentRuleOptions } from './incident-rule.js';
export {
  foldIncidents, type ExtendedRecord, type Incident, type IncidentPlace, type NotedRecord, type OpenedBy, type OpenedRecord,
} from './incident-records.js';
