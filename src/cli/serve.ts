import { LinderoError } from '../errors.js';
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
  --host ADDRESS      address to listen on (default 127.0.0.1); beyond loopback, /api/v1 needs a key
                      from 'lindero key create' (Authorization: Bearer <key>)
  --db FILE|URL       store file (default ./lindero.db), or a PostgreSQL database: postgresql://USER@HOST/DB
                      (several nodes may share one; see the README's runbook)
  --db-files PATH     with a PostgreSQL database: where the evidence key is kept, as PATH.evidence-key.pem
                      (default ./lindero-pg)
  --boundary FILE     boundary layer (default: the U.S.–Mexico line); --fence FILE: fence layer
  --osmand-port N     OsmAnd / Traccar Client (default 5055)
  --cot-port N        Cursor-on-Target over TCP (default 8087)
  --cot-udp-port N    Cursor-on-Target over UDP (default 6969)
  --nmea-port N       NMEA 0183 over TCP (default 10110)
  --nmea-unit A=NAME[,A=NAME...]  name the unit of NMEA connections from address A
  --assumed-accuracy M | SOURCE=M[,SOURCE=M...]  1-sigma metres assumed for fixes that carry no accuracy, for every
                 source or per source (cot, osmand, nmea, json); default 20, and every answer says it was assumed
  --warning-distance M  approach alert distance to the boundary, metres (default 500)
  --partners FILE     partner organisations, their links and what is shared with each (YAML or JSON;
                      see docs/partners.example.yaml); --org NAME: the home organisation's name
A port of 0 picks a free one; "off" turns a listener off. The ports in use are printed as one JSON
line on stdout. NMEA connections name their unit with a first line "UNIT <name>" or "$PLIND,<name>*hh".`;

const PORT_OPTIONS = ['port', 'osmand-port', 'cot-port', 'cot-udp-port', 'nmea-port'] as const;

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

export function serveOptions(argv: string[]): ServerOptions | 'help' {
  const args = parseArgs(argv, {
    values: [...PORT_OPTIONS, 'host', 'db', 'db-files', 'boundary', 'fence', 'nmea-unit', 'warning-distance', 'org', 'partners', 'assumed-accuracy'],
    flags: ['help'],
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
    nmeaUnits: nmeaUnits(o['nmea-unit']),
    db: o.db ?? './lindero.db',
    dbFiles: o['db-files'],
    boundaryFile: o.boundary,
    fenceFile: o.fence,
    ruleOptions: warning === undefined ? {} : { warningDistanceM: positiveNumber(warning, 'warning-distance', 500) },
    share: shareConfig(o.partners, o.org),
    classifyOptions: assumedAccuracyOptions(o['assumed-accuracy']),
  };
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

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const options = serveOptions(argv);
  if (options === 'help') {
    io.out(SERVE_HELP + '\n');
    return 0;
  }
  const server = await start(options);
  const p = server.ports;
  io.out(JSON.stringify({
    listening: { host: server.host, http: p.http, osmand: p.osmand, cot_tcp: p.cotTcp, cot_udp: p.cotUdp, nmea_tcp: p.nmeaTcp, link: p.link },
    auth: server.authRequired, db: redactedUrl(options.db ?? './lindero.db'),
  }) + '\n');
  if (server.authRequired && (await server.store.apiKeys()).every((k) => k.revokedMs !== null)) {
    io.err(`lindero serve: listening beyond loopback and no API key exists yet: create one with 'lindero key create LABEL --db ${redactedUrl(options.db ?? './lindero.db')}'\n`);
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1); // a second signal: stop at once
      stopping = true;
      io.err(`lindero serve: ${signal}: closing listeners and the store\n`);
      server.close().then(() => resolve(0), (e: unknown) => {
        io.err(`lindero serve: shutting down failed: ${e instanceof Error ? e.message : String(e)}\n`);
        resolve(1);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
