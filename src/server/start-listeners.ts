// The device listeners, each on its own port, started in turn; each one's close is queued to run
// before the HTTP app and the store close.
import type { FastifyBaseLogger } from 'fastify';
import type { EventHub } from './events.js';
import { listenCotTcp } from './listeners/cot-tcp.js';
import { listenCotUdp } from './listeners/cot-udp.js';
import { listenNmeaTcp } from './listeners/nmea-tcp.js';
import { listenOsmand } from './listeners/osmand.js';
import type { Pipeline } from './pipeline.js';
import type { ServerLimits, ServerOptions, ServerPorts } from './start.js';

export type Closer = () => Promise<void>;

interface Deps {
  host: string;
  pipeline: Pipeline;
  hub: EventHub;
  log: FastifyBaseLogger;
}

/** A port option: undefined means the default, null means off. */
function portOf(value: number | null | undefined, fallback: number): number | null {
  return value === undefined ? fallback : value;
}

export async function startListeners(options: ServerOptions, limits: ServerLimits, deps: Deps, closers: Closer[]): Promise<Omit<ServerPorts, 'http'>> {
  const { host, pipeline, hub, log } = deps;
  const ports: Omit<ServerPorts, 'http'> = { osmand: null, cotTcp: null, cotUdp: null, nmeaTcp: null };
  const osmandPort = portOf(options.osmandPort, 5055);
  if (osmandPort !== null) {
    const osmand = await listenOsmand({
      host, port: osmandPort, logger: log, time: options.time,
      requestsPerSecond: limits.osmandRequestsPerSecond, requestTimeoutMs: limits.requestTimeoutMs,
    }, pipeline);
    closers.unshift(() => osmand.app.close());
    ports.osmand = osmand.port;
  }
  const cotPort = portOf(options.cotPort, 8087);
  if (cotPort !== null) {
    const cot = await listenCotTcp({ host, port: cotPort, time: options.time, ...limits.cot }, pipeline, hub, log);
    closers.unshift(() => cot.close());
    ports.cotTcp = cot.port;
  }
  const cotUdpPort = portOf(options.cotUdpPort, 6969);
  if (cotUdpPort !== null) {
    const udp = await listenCotUdp({ host, port: cotUdpPort, time: options.time, maxEventBytes: limits.cot?.maxEventBytes, ...limits.cotUdp }, pipeline, log);
    closers.unshift(() => udp.close());
    ports.cotUdp = udp.port;
  }
  const nmeaPort = portOf(options.nmeaPort, 10110);
  if (nmeaPort !== null) {
    const nmea = await listenNmeaTcp({ host, port: nmeaPort, units: options.nmeaUnits, time: options.time, ...limits.nmea }, pipeline, log);
    closers.unshift(() => nmea.close());
    ports.nmeaTcp = nmea.port;
  }
  return ports;
}
