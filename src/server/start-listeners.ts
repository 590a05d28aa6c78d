// The device listeners, each on its own port, started in turn; each one's close is queued to run
// before the HTTP app and the store close. Beyond loopback, the listeners that cannot tell one sender
// from another (CoT over TCP and UDP) start only when the operator allows open devices; NMEA then
// takes sentences only after a device token, and its address map is refused.
import type { FastifyBaseLogger } from 'fastify';
import { LinderoError } from '../model/index.js';
import type { TrustRegistry } from '../trust/index.js';
import type { EventHub } from '../live/index.js';
import { listenCotTcp } from './listeners/cot-tcp.js';
import { listenCotTls } from './listeners/cot-tls.js';
import { listenCotUdp } from './listeners/cot-udp.js';
import { listenNmeaTcp } from './listeners/nmea-tcp.js';
import { listenOsmand } from './listeners/osmand.js';
import { SourceBudgets } from './listeners/source-budget.js';
import type { Pipeline } from '../live/index.js';
import type { ServerLimits, ServerOptions, ServerPorts } from './options.js';

export type Closer = () => Promise<void>;

interface Deps {
  host: string;
  /** Whether a fix may come without a credential (loopback, or --allow-open-devices). */
  devicesOpen: boolean;
  pipeline: Pipeline;
  hub: EventHub;
  trust: TrustRegistry;
  log: FastifyBaseLogger;
}

/** A port option: undefined means the default, null means off. */
function portOf(value: number | null | undefined, fallback: number): number | null {
  return value === undefined ? fallback : value;
}

const OPEN_ONLY: { option: 'cotPort' | 'cotUdpPort'; flag: string; what: string }[] = [
  { option: 'cotPort', flag: 'cot-port', what: 'CoT over TCP' },
  { option: 'cotUdpPort', flag: 'cot-udp-port', what: 'CoT over UDP' },
];

/**
 * Beyond loopback without open devices: a plain listener asked for by port is refused (the operator
 * must say --allow-open-devices), and one left at its default is off.
 */
export function plainPorts(options: ServerOptions, devicesOpen: boolean): Pick<ServerOptions, 'cotPort' | 'cotUdpPort' | 'nmeaPort'> {
  const nmeaPort = portOf(options.nmeaPort, 10110);
  if (devicesOpen) return { cotPort: portOf(options.cotPort, 8087), cotUdpPort: portOf(options.cotUdpPort, 6969), nmeaPort };
  if (nmeaPort !== null && options.nmeaUnits && Object.keys(options.nmeaUnits).length > 0) {
    throw new LinderoError('usage', '--nmea-unit: naming a unit by its address takes positions from anyone at that address without a credential; beyond loopback it works only with --allow-open-devices (devices send "TOKEN <device token>" instead)', { field: 'nmea-unit' });
  }
  for (const { option, flag, what } of OPEN_ONLY) {
    const value = options[option];
    if (value !== undefined && value !== null) {
      throw new LinderoError('usage', `--${flag}: ${what} takes positions from any sender without a credential; beyond loopback it starts only with --allow-open-devices (or turn it off with "--${flag} off")`, { field: flag });
    }
  }
  return { cotPort: null, cotUdpPort: null, nmeaPort };
}

export async function startListeners(options: ServerOptions, limits: ServerLimits, deps: Deps, closers: Closer[]): Promise<Omit<ServerPorts, 'http'>> {
  const { host, pipeline, hub, log, trust, devicesOpen } = deps;
  const ports: Omit<ServerPorts, 'http'> = { osmand: null, cotTcp: null, cotUdp: null, nmeaTcp: null, cotTls: null };
  const plain = plainPorts(options, devicesOpen);
  const budgets = new SourceBudgets(limits.sourceEventsPerSecond);
  const osmandPort = portOf(options.osmandPort, 5055);
  if (osmandPort !== null) {
    const osmand = await listenOsmand({
      host, port: osmandPort, logger: log, time: options.time, devicesOpen, trust,
      requestsPerSecond: limits.osmandRequestsPerSecond, requestTimeoutMs: limits.requestTimeoutMs,
    }, pipeline);
    closers.unshift(() => osmand.app.close());
    ports.osmand = osmand.port;
  }
  const cotTlsPort = options.cotTlsPort ?? null;
  if (cotTlsPort !== null) {
    const cotTls = await listenCotTls({ host, port: cotTlsPort, time: options.time, trust, serverNames: options.serverNames, budgets, ...limits.cot }, pipeline, hub, log);
    closers.unshift(() => cotTls.close());
    ports.cotTls = cotTls.port;
  }
  if (plain.cotPort != null) {
    const cot = await listenCotTcp({ host, port: plain.cotPort, time: options.time, budgets, ...limits.cot }, pipeline, hub, log);
    closers.unshift(() => cot.close());
    ports.cotTcp = cot.port;
  }
  if (plain.cotUdpPort != null) {
    const udp = await listenCotUdp({ host, port: plain.cotUdpPort, time: options.time, maxEventBytes: limits.cot?.maxEventBytes, ...limits.cotUdp }, pipeline, log);
    closers.unshift(() => udp.close());
    ports.cotUdp = udp.port;
  }
  if (plain.nmeaPort != null) {
    const nmea = await listenNmeaTcp({ host, port: plain.nmeaPort, units: options.nmeaUnits, time: options.time, devicesOpen, trust, ...limits.nmea }, pipeline, log);
    closers.unshift(() => nmea.close());
    ports.nmeaTcp = nmea.port;
  }
  return ports;
}
