// startServer: the store, the layers, the pipeline, the HTTP API and the device listeners, started
// together and stopped together.
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { ASSUMED_ACCURACY_M, type ClassifyOptions, type Layers } from '../geo/index.js';
import type { TimeWindow } from '../ingest/index.js';
// The one loader of layers, shared with the CLI (it uses the build's saved default layers when current).
import { loadLayers } from '../layers/node.js';
import { openStore, type Store } from '../store/index.js';
import { AlertRules, EventHub, IncidentRule, Pipeline, type AlertRulesOptions } from '../live/index.js';
import { buildApp } from './app.js';
import { isLoopback } from './auth.js';
import type { CotTcpOptions } from './listeners/cot-tcp.js';
import type { CotUdpOptions } from './listeners/cot-udp.js';
import type { NmeaTcpOptions } from './listeners/nmea-tcp.js';
import { ShareService, type ShareConfig } from '../share/index.js';
import type { RulesEngine } from '../rules/index.js';
import { trackRulesEngine, type TrackRuleOptions } from '../rules/index.js';
import { plainPorts, startListeners, type Closer } from './start-listeners.js';
import { TrustRegistry } from '../trust/index.js';

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

export interface RunningServer {
  host: string;
  ports: ServerPorts;
  authRequired: boolean;
  store: Store;
  layers: Layers;
  pipeline: Pipeline;
  hub: EventHub;
  share: ShareService | null;
  /** Devices, operators and their credentials. */
  trust: TrustRegistry;
  /** Whether fixes may come without a device credential. */
  devicesOpen: boolean;
  app: FastifyInstance;
  /** Closes the listeners, lets stored fixes finish their rules and alerts, then closes the store. */
  close(): Promise<void>;
}

/** The layers given, else those of the files named, else the default line (the build's saved copy when current). */
async function resolveLayers(options: ServerOptions): Promise<Layers> {
  return options.layers ?? loadLayers(options.boundaryFile, options.fenceFile);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const authRequired = options.auth ?? !isLoopback(host);
  const devicesOpen = options.allowOpenDevices ?? isLoopback(host);
  // A plain listener asked for beyond loopback is refused before anything starts.
  plainPorts(options, devicesOpen);
  const layers = await resolveLayers(options);
  const dbFile = options.db ?? './lindero.db';
  const store = options.store ?? await openStore(dbFile, { inWorker: options.storeInWorker, files: options.dbFiles });
  const closers: Closer[] = [];
  if (!options.store) closers.push(() => store.close());
  try {
    const trust = TrustRegistry.open(store.file);
    closers.unshift(async () => trust.close());
    trust.db.checkWritable();
    const hub = new EventHub();
    const engine = options.rules === undefined ? trackRulesEngine(options.ruleOptions) : options.rules;
    const defaultAccuracyM = options.classifyOptions?.defaultAccuracyM ?? ASSUMED_ACCURACY_M;
    let log: FastifyBaseLogger | undefined;
    const pipeline = new Pipeline({
      store, layers, hub, classifyOptions: options.classifyOptions,
      rules: engine ? new AlertRules(engine, store, options.lateFixes) : null,
      log: { error: (fields, message) => log?.error(fields, message), info: (fields, message) => log?.info(fields, message) },
      // Several nodes may share a PostgreSQL store.
      sharedStore: store.kind === 'postgresql',
    });
    await pipeline.start();
    // Other nodes' fixes and alerts reach this node's streams (PostgreSQL's LISTEN/NOTIFY).
    if (store.onOtherWrites) {
      await store.onOtherWrites((events) => pipeline.publishStoredElsewhere(events), (e) => log?.error({ err: e }, 'reading other nodes\' events failed'));
    }
    const share = options.share
      ? await ShareService.open({ config: options.share, store, layers, hub, raise: (alerts) => pipeline.raise(alerts), classifyOptions: options.classifyOptions })
      : null;
    if (share) closers.unshift(() => share.close());
    const limits = options.limits ?? {};
    const incidentRule = new IncidentRule(store);
    const app = await buildApp({
      context: { store, layers, pipeline, hub, incidentRule, classifyOptions: options.classifyOptions, defaultAccuracyM, share, trust },
      authRequired, bodyLimitBytes: limits.httpBodyBytes, requestsPerSecond: limits.httpRequestsPerSecond,
      requestTimeoutMs: limits.requestTimeoutMs, streamMaxBufferedBytes: limits.streamMaxBufferedBytes, time: options.time, logger: options.logger,
      https: options.https === 'authority' ? trust.authority().serverCertificate([host, ...(options.serverNames ?? [])]) : options.https,
    });
    log = app.log;
    // On several nodes the incident rule runs on one at a time: the one holding its lease in the store.
    const ruleFailed = (err: unknown) => log?.error({ err }, 'the incident rule failed; the alerts are stored');
    let leading = store.lease === undefined;
    const lease = store.lease
      ? await store.lease('incident-rule', (held) => {
        leading = held;
        incidentRule.resync();
        if (held) void incidentRule.catchUp().catch(ruleFailed);
      })
      : null;
    const stopIncidentRule = incidentRule.follow(hub, ruleFailed, () => leading);
    // Closed after the pipeline has settled, so the alerts it raised last still open their incidents.
    closers.unshift(async () => { stopIncidentRule(); await incidentRule.idle(); await lease?.stop(); });
    closers.unshift(async () => { await pipeline.settle(); });
    await app.listen({ host, port: options.port ?? 8080 });
    closers.unshift(() => app.close());
    const httpPort = (app.server.address() as { port: number }).port;
    const devices = await startListeners(options, limits, { host, devicesOpen, pipeline, hub, trust, log: app.log }, closers);
    const link = share ? await share.start(app.log) : null;
    const tick = setInterval(() => pipeline.tick(), options.tickMs ?? 10_000);
    tick.unref();
    closers.unshift(async () => clearInterval(tick));
    return {
      host, ports: { http: httpPort, ...devices, link }, authRequired, store, layers, pipeline, hub, share, trust, devicesOpen, app,
      close: () => runClosers(closers),
    };
  } catch (e) {
    await runClosers(closers);
    throw e;
  }
}

async function runClosers(closers: Closer[]): Promise<void> {
  // In order: timers, listeners (newest first), the HTTP app, pending rules and alerts, the store.
  while (closers.length > 0) await closers.shift()!();
}
