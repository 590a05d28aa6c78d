import { readFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import { startServer, type RunningServer, type ServerOptions } from '../server/index.js';
import { loadShareConfig, type ShareConfig } from '../share/index.js';
import { redactedUrl } from '../store/index.js';
import { parseArgs, positiveNumber } from './args.js';
import { assumedAccuracyOptions } from './assumed-accuracy.js';
import type { CommandIo } from './io.js';

export const SERVE_HELP = `Usage: lindero serve [options]

The live tracking server: classifies every position as it arrives, stores it durably, raises alerts
and shows them on the dashboard (http://HOST:PORT/).
  --port N            HTTP API and dashboard (default 8080)
  --host ADDRESS      address to listen on (default 127.0.0.1); beyond loopback, the pages need a
                      session ('lindero user add'), /api/v1 a session or a key from 'lindero key
                      create' (Authorization: Bearer <key>), devices their own credentials
  --db FILE|URL       store file (default ./lindero.db), or a PostgreSQL database: postgresql://USER@HOST/DB
                      (several nodes may share one; see the README's runbook)
  --db-files PATH     with a PostgreSQL database: where the evidence key and the certificate authority
                      are kept, as PATH.evidence-key.pem and PATH.ca/ (default ./lindero-pg; every node
                      needs copies of the same ones)
  --boundary FILE     boundary layer (default: the U.S.–Mexico line); --fence FILE: fence layer
  --osmand-port N     OsmAnd / Traccar Client (default 5055)
  --cot-port N        Cursor-on-Target over TCP (default 8087)
  --cot-udp-port N    Cursor-on-Target over UDP (default 6969)
  --nmea-port N       NMEA 0183 over TCP (default 10110)
  --cot-tls-port N    Cursor-on-Target over TLS, mutual TLS with enrolled devices' certificates
                      (default 8089; see 'lindero device')
                      Garmin inReach devices report through Garmin's IPC Outbound to POST /api/v1/inreach
                      on --port, its static token a device token; OwnTracks phones (HTTP mode) to
                      POST /api/v1/owntracks, a device token as the password
  --server-name NAME[,NAME...]  names or addresses devices reach this server at, for its TLS certificate
  --https             serve the API and dashboard over HTTPS with a certificate from this server's own
                      authority (devices and browsers must trust FILE.ca/ca.pem), or
  --tls-cert FILE --tls-key FILE  with your own certificate and key (PEM)
  --max-connections N  connections at once on each device listener (CoT, CoT over TLS, NMEA; default
                      1000); with all taken, one quiet for 30 s gives its place to a new one
  --allow-open-devices  beyond loopback, also take positions without a device credential: CoT over
                      TCP and UDP, and NMEA, OsmAnd / JSON without a token (off by default: beyond
                      loopback only enrolled devices report, and the plain CoT listeners are off)
  --nmea-unit A=NAME[,A=NAME...]  name the unit of NMEA connections from address A (loopback or open devices)
  --assumed-accuracy M | SOURCE=M[,SOURCE=M...]  1-sigma metres assumed for fixes that carry no accuracy, for every
                 source or per source (cot, osmand, owntracks, nmea, json, inreach); default 20, and every answer says it was assumed
  --warning-distance M  approach alert distance to the boundary, metres (default 500)
  --partners FILE     partner organisations, their links and what is shared with each (YAML or JSON;
                      see docs/partners.example.yaml); --org NAME: the home organisation's name
A port of 0 picks a free one; "off" turns a listener off. The ports in use are printed as one JSON
line on stdout. NMEA connections send "TOKEN <device token>" first (required beyond loopback), then
name their unit with "UNIT <name>" or "$PLIND,<name>*hh" (a device with one unit is named by its token).`;

const PORT_OPTIONS = ['port', 'osmand-port', 'cot-port', 'cot-udp-port', 'nmea-port', 'cot-tls-port'] as const;

function port(value: string | undefined, name: string, allowOff: boolean): number | null | undefined {
  if (value === undefined) return undefined;
  if (allowOff && value === 'off') return null;
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65535) {
    throw new LinderoError('usage', `--${name} must be a port number from 0 to 65535${allowOff ? ' or "off"' : ''}, not ${JSON.stringify(value)}`, { field: name });
  }
  return n;
}

function nmeaUnits(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new LinderoError('usage', `--nmea-unit takes ADDRESS=NAME pairs separated by commas, not ${JSON.stringify(pair)}`, { field: 'nmea-unit' });
    }
    map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return map;
}

function shareConfig(file: string | undefined, org: string | undefined): ShareConfig | undefined {
  if (file === undefined) {
    if (org !== undefined) throw new LinderoError('usage', '--org names the home organisation for --partners FILE; give both', { field: 'org' });
    return undefined;
  }
  return loadShareConfig(file, { org });
}

function httpsOption(certFile: string | undefined, keyFile: string | undefined, authority: boolean): ServerOptions['https'] {
  if ((certFile === undefined) !== (keyFile === undefined)) throw new LinderoError('usage', '--tls-cert and --tls-key go together', { field: certFile === undefined ? 'tls-cert' : 'tls-key' });
  if (certFile !== undefined && keyFile !== undefined) {
    if (authority) throw new LinderoError('usage', '--https makes a certificate; with --tls-cert and --tls-key, leave it out', { field: 'https' });
    const read = (file: string, field: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (e) {
        throw new LinderoError('usage', `cannot read ${file}: ${(e as Error).message}`, { file, field });
      }
    };
    return { certPem: read(certFile, 'tls-cert'), keyPem: read(keyFile, 'tls-key') };
  }
  return authority ? 'authority' : undefined;
}

export function serveOptions(argv: string[]): ServerOptions | 'help' {
  const args = parseArgs(argv, {
    values: [...PORT_OPTIONS, 'host', 'db', 'db-files', 'boundary', 'fence', 'nmea-unit', 'warning-distance', 'org', 'partners', 'assumed-accuracy',
      'server-name', 'tls-cert', 'tls-key', 'max-connections'],
    flags: ['help', 'allow-open-devices', 'https'],
  });
  if (args.flags.has('help')) return 'help';
  if (args.positionals.length > 0) throw new LinderoError('usage', `unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const o = args.options;
  const warning = o['warning-distance'];
  return {
    host: o.host ?? '127.0.0.1',
    port: port(o.port, 'port', false) ?? 8080,
    osmandPort: port(o['osmand-port'], 'osmand-port', true),
    cotPort: port(o['cot-port'], 'cot-port', true),
    cotUdpPort: port(o['cot-udp-port'], 'cot-udp-port', true),
    nmeaPort: port(o['nmea-port'], 'nmea-port', true),
    cotTlsPort: o['cot-tls-port'] === undefined ? 8089 : port(o['cot-tls-port'], 'cot-tls-port', true),
    serverNames: o['server-name']?.split(',').map((n) => n.trim()).filter((n) => n !== ''),
    allowOpenDevices: args.flags.has('allow-open-devices') ? true : undefined,
    https: httpsOption(o['tls-cert'], o['tls-key'], args.flags.has('https')),
    nmeaUnits: nmeaUnits(o['nmea-unit']),
    db: o.db ?? './lindero.db',
    dbFiles: o['db-files'],
    boundaryFile: o.boundary,
    fenceFile: o.fence,
    ruleOptions: warning === undefined ? {} : { warningDistanceM: positiveNumber(warning, 'warning-distance', 500) },
    share: shareConfig(o.partners, o.org),
    classifyOptions: assumedAccuracyOptions(o['assumed-accuracy']),
    ...connectionLimits(o['max-connections']),
  };
}

/** --max-connections: the device listeners' limit on connections at once (listeners/tcp.ts). */
function connectionLimits(value: string | undefined): Pick<ServerOptions, 'limits'> {
  if (value === undefined) return {};
  const n = Number(value);
  if (!/^\d{1,7}$/.test(value) || n < 1) {
    throw new LinderoError('usage', `--max-connections must be a whole number of connections from 1 to 9999999, not ${JSON.stringify(value)}`, { field: 'max-connections' });
  }
  return { limits: { cot: { maxConnections: n }, nmea: { maxConnections: n } } };
}

async function start(options: ServerOptions): Promise<RunningServer> {
  try {
    return await startServer({ ...options, logger: { level: 'info', stream: process.stderr } });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE') throw new LinderoError('runtime-port-in-use', `${err.message}: another program uses that port; choose another (0 picks a free one)`);
    if (err.code === 'EADDRNOTAVAIL') throw new LinderoError('runtime-bad-host', `${err.message}: this machine has no such address`, { field: 'host' });
    throw e;
  }
}

/** What --allow-open-devices lets in, said at start-up. */
function openDevicesWarning(server: RunningServer): string {
  const p = server.ports;
  const open = [
    p.osmand !== null ? `OsmAnd/Traccar on ${p.osmand} without a token` : null,
    'POST /api/v1/fixes with any API key',
    p.cotTcp !== null ? `CoT over TCP on ${p.cotTcp}` : null,
    p.cotUdp !== null ? `CoT over UDP on ${p.cotUdp}` : null,
    p.nmeaTcp !== null ? `NMEA on ${p.nmeaTcp} without a token` : null,
  ].filter((x) => x !== null);
  return `lindero serve: WARNING --allow-open-devices: anyone who reaches ${server.host} can report a position for any unit through ${open.join(', ')}; those fixes are stored and raise alerts as if true\n`;
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const options = serveOptions(argv);
  if (options === 'help') {
    io.out(SERVE_HELP + '\n');
    return 0;
  }
  // Signals are caught from the start: one during start-up is answered once the server is up, by a
  // clean close (pending fixes stored, the evidence checkpoint signed), never by dying half-started.
  let signalled: NodeJS.Signals | null = null;
  let onSignal = (signal: NodeJS.Signals) => { signalled ??= signal; };
  const handler = (signal: NodeJS.Signals) => onSignal(signal);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    const server = await start(options);
    const stopped = new Promise<number>((resolve) => {
      let stopping = false;
      onSignal = (signal) => {
        if (stopping) process.exit(1); // a second signal: stop at once
        stopping = true;
        io.err(`lindero serve: ${signal}: closing listeners and the store\n`);
        server.close().then(() => resolve(0), (e: unknown) => {
          io.err(`lindero serve: shutting down failed: ${e instanceof Error ? e.message : String(e)}\n`);
          resolve(1);
        });
      };
    });
    if (signalled) onSignal(signalled);
    else announce(server, options, io);
    return await stopped;
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

function announce(server: RunningServer, options: ServerOptions, io: CommandIo): void {
  const p = server.ports;
  io.out(JSON.stringify({
    listening: { host: server.host, http: p.http, osmand: p.osmand, cot_tcp: p.cotTcp, cot_udp: p.cotUdp, nmea_tcp: p.nmeaTcp, cot_tls: p.cotTls, link: p.link },
    https: options.https !== undefined, auth: server.authRequired, open_devices: server.devicesOpen, db: redactedUrl(options.db ?? './lindero.db'),
  }) + '\n');
  if (server.devicesOpen && options.allowOpenDevices) io.err(openDevicesWarning(server));
  if (!server.devicesOpen) {
    io.err(`lindero serve: beyond loopback only enrolled devices report ('lindero device add NAME --db ${redactedUrl(options.db ?? './lindero.db')}'): OsmAnd/Traccar with "token=", CoT over TLS with the device's certificate; CoT over TCP and UDP and NMEA are off (--allow-open-devices turns them on)\n`);
  }
  void warnNoKey(server, options, io);
}

async function warnNoKey(server: RunningServer, options: ServerOptions, io: CommandIo): Promise<void> {
  if (server.authRequired && (await server.store.apiKeys()).every((k) => k.revokedMs !== null) && (await server.trust.db.users()).length === 0) {
    io.err(`lindero serve: listening beyond loopback and no API key or user exists yet: create one with 'lindero user add NAME --role admin --db ${redactedUrl(options.db ?? './lindero.db')}' or 'lindero key create LABEL --db ${redactedUrl(options.db ?? './lindero.db')}'\n`);
  }
}
