// The live server: HTTP API (Fastify), WebSocket stream, and listeners for OsmAnd/Traccar, CoT and NMEA.
export { startServer, type RunningServer, type ServerLimits, type ServerOptions, type ServerPorts } from './start.js';
export { buildApp, API_PREFIX, type AppOptions } from './app.js';
export { isLoopback } from './auth.js';
export { alertCot } from './listeners/cot-tcp.js';
export { unitFromLine } from './listeners/nmea-tcp.js';
export { layersGeoJson } from './routes-layers.js';
export { eventText } from './stream.js';
