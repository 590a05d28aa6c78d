// What `lindero serve` can be told (ServerOptions), its ports and its limits: read by start.ts and the
// device listeners' start-up (start-listeners.ts).
import type { FastifyServerOptions } from 'fastify';
import type { ClassifyOptions, Layers } from '../geo/index.js';
import type { TimeWindow } from '../ingest/index.js';
import type { AlertRulesOptions } from '../live/index.js';
import type { RulesEngine, TrackRuleOptions } from '../rules/index.js';
import type { ShareConfig } from '../share/index.js';
import type { Store } from '../store/index.js';
import type { CotTcpOptions } from './listeners/cot-tcp.js';
import type { CotUdpOptions } from './listeners/cot-udp.js';
import type { NmeaTcpOptions } from './listeners/nmea-tcp.js';

export interface ServerPorts {
  http: number;
  /** null when that listener is off. */
  osmand: number | null;
  cotTcp: number | null;
  cotUdp: number | null;
  nmeaTcp: number | null;
  /** CoT over TLS (mutual TLS with the server's own authority), null when off. */
  cotTls: number | null;
  /** The partner link (src/share), null without partners. */
  link?: number | null;
}

export interface ServerOptions {
  /** Address every listener binds. Default 127.0.0.1; anything else requires API keys. */
  host?: string;
  /** HTTP API and dashboard. Default 8080; 0 picks a free port. */
  port?: number;
  /** Device listeners: a port, 0 for a free one, or null for off. Defaults 5055, 8087, 6969, 10110. */
  osmandPort?: number | null;
  cotPort?: number | null;
  cotUdpPort?: number | null;
  nmeaPort?: number | null;
  /** CoT over TLS: a port, 0 for a free one, or null/undefined for off (`lindero serve` turns it on at 8089). */
  cotTlsPort?: number | null;
  /** Names and addresses devices reach the server at, for the TLS certificate (beside `host` and loopback). */
  serverNames?: string[];
  /**
   * Whether fixes may come without a device credential: the plain listeners (CoT TCP and UDP, NMEA)
   * and OsmAnd / JSON without a token. Default: only when `host` is a loopback address.
   */
  allowOpenDevices?: boolean;
  /** NMEA: remote address → unit, for receivers that cannot name themselves. */
  nmeaUnits?: Record<string, string>;
  /** Store file, or a postgresql:// URL for a PostgreSQL store. Default ./lindero.db. */
  db?: string;
  /** With a PostgreSQL store: the local path its evidence key files are named after. Default ./lindero-pg. */
  dbFiles?: string;
  /** An open store to use instead of `db` (left open by close()). */
  store?: Store;
  /**
   * Run the store opened from `db` in a worker thread (default true), so its SQLite work and the fsync of
   * every durable commit do not hold up the thread that reads devices and answers them.
   */
  storeInWorker?: boolean;
  /** Compiled layers, or files to load them from (default: the U.S.–Mexico boundary). */
  layers?: Layers;
  boundaryFile?: string;
  fenceFile?: string;
  /**
   * HTTPS for the API and the dashboard: a certificate and key (PEM) of the operator's, or 'authority'
   * for one from the server's own certificate authority (for `host` and `serverNames`). Default: HTTP.
   */
  https?: { certPem: string; keyPem: string } | 'authority';
  /** Require API keys on /api/v1. Default: when `host` is not a loopback address. */
  auth?: boolean;
  /** Alert rules; default the track rules; null for none. */
  rules?: RulesEngine | null;
  ruleOptions?: TrackRuleOptions;
  lateFixes?: AlertRulesOptions;
  classifyOptions?: ClassifyOptions;
  /** How often clock-driven rules (stale units) run, ms. Default 10 s. */
  tickMs?: number;
  /** Plausibility window for fix times (ingest default: 1 year old to 10 minutes ahead). */
  time?: TimeWindow;
  limits?: ServerLimits;
  /** Partner organisations and what this server shares with them (see loadShareConfig). */
  share?: ShareConfig;
  logger?: FastifyServerOptions['logger'];
}

export interface ServerLimits {
  httpBodyBytes?: number;
  httpRequestsPerSecond?: number;
  osmandRequestsPerSecond?: number;
  requestTimeoutMs?: number;
  streamMaxBufferedBytes?: number;
  cot?: Pick<CotTcpOptions, 'maxEventBytes' | 'eventsPerSecond' | 'maxPendingFixes' | 'idleTimeoutMs' | 'maxConnectionsPerAddress' | 'maxConnections' | 'firstEventTimeoutMs' | 'evictAfterQuietMs'>;
  /** Events per second one source (address, or enrolled device) may send across all its CoT connections. Default 5,000. */
  sourceEventsPerSecond?: number;
  cotUdp?: Pick<CotUdpOptions, 'datagramsPerSecond'>;
  nmea?: Pick<NmeaTcpOptions, 'linesPerSecond' | 'epochFlushMs' | 'idleTimeoutMs' | 'maxConnectionsPerAddress' | 'maxConnections'>;
}

