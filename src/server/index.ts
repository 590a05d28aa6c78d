// The live server: HTTP API (Fastify), WebSocket stream, and listeners for OsmAnd/Traccar, CoT and NMEA.
export { startServer, type RunningServer, type ServerLimits, type ServerOptions, type ServerPorts } from './start.js';
export { buildApp, API_PREFIX, type AppOptions } from './app.js';
export { Pipeline, type IngestOutcome, type PipelineDeps } from './pipeline.js';
export { AlertRules, type AlertRulesOptions } from './alert-rules.js';
export type { RulesEngine, RuleInput, UnitRulesLike, ProximityRulesLike } from './rules-engine.js';
export { trackRulesEngine, type TrackRuleOptions } from './rules-track.js';
export { EventHub, type ServerEvent } from './events.js';
export { isLoopback } from './auth.js';
export { alertMessage } from './alert-text.js';
export { alertCot } from './listeners/cot-tcp.js';
export { unitFromLine } from './listeners/nmea-tcp.js';
export { layersGeoJson } from './routes-layers.js';
export { eventText } from './stream.js';
export type { AlertJson, FixJson, UnitJson, DeterminationJson, ErrorJson } from './schemas.js';
