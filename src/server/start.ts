// startServer: the store, the layers, the pipeline, the HTTP API and the device listeners, started
// together and stopped together.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ASSUMED_ACCURACY_M, type Layers } from '../geo/index.js';
// The one loader of layers, shared with the CLI (it uses the build's saved default layers when current).
import { loadLayers } from '../layers/node.js';
import { openStore, type Store } from '../store/index.js';
import { AlertRules, EventHub, IncidentRule, Pipeline } from '../live/index.js';
import { buildApp } from './app.js';
import { isLoopback } from './auth.js';
import { ShareService } from '../share/index.js';
import { trackRulesEngine } from '../rules/index.js';
import type { ServerLimits, ServerOptions, ServerPorts } from './options.js';
import { plainPorts, startListeners, type Closer } from './start-listeners.js';
import { TrustRegistry } from '../trust/index.js';

export type { ServerLimits, ServerOptions, ServerPorts };

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
    let log: FastifyBaseLogger | undefined;
    // With a PostgreSQL store the trust tables are the database's, shared by every node on it.
    const trust = await TrustRegistry.forStore(store, { onError: (e) => log?.error({ err: e }, 'reading the trust tables failed; the last ones read stay in use') });
    closers.unshift(() => trust.close());
    await trust.db.checkWritable();
    const hub = new EventHub();
    const engine = options.rules === undefined ? trackRulesEngine(options.ruleOptions) : options.rules;
    const defaultAccuracyM = options.classifyOptions?.defaultAccuracyM ?? ASSUMED_ACCURACY_M;
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
    // How the layers were read (a datum taken as WGS 84, a projection undone, pins left out): the operator's to know.
    for (const note of layers.notes) log.warn({ note }, 'layer note');
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
    closers.unshift(async () => { await pipeline.stop(); });
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
