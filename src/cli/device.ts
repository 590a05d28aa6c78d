import { writeFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import { CertificateAuthority, enrolDevice, readDeviceFiles, takDataPackage, type TrustStore, unknownDevice } from '../trust/index.js';

import { parseArgs } from './args.js';
import type { CommandIo } from './io.js';
import { openCliTrust } from './trust-store.js';

export const DEVICE_HELP = `Usage: lindero device add NAME [--unit ID ...] [--db FILE|URL] [--db-files PATH] [--json]
       lindero device list [--db FILE|URL]
       lindero device revoke NAME [--db FILE|URL]
       lindero device package NAME --server HOST [--port N] --out FILE.zip [--db FILE|URL] [--db-files PATH]

Devices that report positions. A device may report only the units it was enrolled for (--unit, as
often as needed; default one unit named NAME). 'add' gives it, at once:
  - a token for HTTP sources, printed once: OsmAnd / Traccar Client add "?token=TOKEN" to the server
    URL (port 5055); JSON clients send "Authorization: Bearer TOKEN" to POST /api/v1/fixes;
  - a client certificate from this server's own certificate authority (made on first use in
    FILE.ca/ beside the store, or PATH.ca/ with PostgreSQL) for Cursor-on-Target over TLS (port 8089,
    mutual TLS).
'package' writes the TAK data package (zip) that ATAK, iTAK and WinTAK import to connect in one step:
the server address as the device reaches it (--server, --port default 8089), the CA and the device's
certificate as PKCS#12 files; their password is printed once. The package holds the device's private
key: hand it over as you would a password.
'revoke' cuts the device off: its token and certificate are refused, and open connections closed,
within about a second, also on a server already running (on every node sharing a PostgreSQL
database). Every change is in the evidence chain.
  --db FILE|URL     store file (default ./lindero.db) or postgresql:// URL, the same as lindero serve's
  --db-files PATH   with PostgreSQL: the local path the authority's directory is named after (PATH.ca/;
                    default ./lindero-pg), the same as lindero serve's`;

/** Every value of a repeatable option, and argv without them. */
function takeRepeated(argv: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}`) {
      const value = argv[++i];
      if (value === undefined) throw new LinderoError('usage', `--${name} needs a value`, { field: name });
      values.push(value);
    } else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
    else rest.push(arg);
  }
  return { values, rest };
}

function oneName(rest: string[], action: string): string {
  if (rest.length !== 1) throw new LinderoError('usage', `device ${action} takes one device name`, { field: 'name' });
  return rest[0];
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const { values: units, rest: remaining } = takeRepeated(argv, 'unit');
  const args = parseArgs(remaining, { values: ['db', 'db-files', 'server', 'port', 'out'], flags: ['help', 'json'] });
  const [action, ...rest] = args.positionals;
  if (args.flags.has('help') || action === undefined) {
    io.out(DEVICE_HELP + '\n');
    return action === undefined && !args.flags.has('help') ? 2 : 0;
  }
  if (!['add', 'list', 'revoke', 'package'].includes(action)) throw new LinderoError('usage', `unknown action '${action}': use add, list, revoke or package`);
  if (units.length > 0 && action !== 'add') throw new LinderoError('usage', '--unit is for device add', { field: 'unit' });
  const dbFile = args.options.db ?? './lindero.db';
  const opened = await openCliTrust(dbFile, args.options['db-files']);
  const db = opened.trust;
  try {
    if (action === 'add') {
      const name = oneName(rest, 'add');
      const enrolled = await enrolDevice(db, CertificateAuthority.open(opened.caDir), name, units);
      const d = enrolled.device;
      if (args.flags.has('json')) {
        io.out(JSON.stringify({ name: d.name, units: d.units, token: enrolled.token, cert_serial: d.certSerial, cert_sha256: d.certSha256, cert_file: enrolled.certFile, key_file: enrolled.keyFile }) + '\n');
      } else {
        io.out(`${enrolled.token}\n`);
      }
      io.err(`device ${d.name} enrolled for unit${d.units.length > 1 ? 's' : ''} ${d.units.join(', ')}; the token above is shown only now: keep it safe\n`);
      io.err(`client certificate ${enrolled.certFile} (serial ${d.certSerial}); make its TAK data package with 'lindero device package ${d.name} --server HOST --out ${d.name}.zip --db ${dbFile}'\n`);
      return 0;
    }
    if (action === 'list') {
      for (const d of await db.devices()) {
        const state = d.revokedMs === null ? 'valid' : `revoked ${new Date(d.revokedMs).toISOString()}`;
        io.out(`${d.name}\t${d.units.join(',')}\tcreated ${new Date(d.createdMs).toISOString()}\tcert ${d.certSerial}\t${state}\n`);
      }
      return 0;
    }
    const name = oneName(rest, action);
    if (action === 'revoke') {
      if (!(await db.revokeDevice(name, 'lindero device revoke'))) throw unknownDevice(name);
      io.out(`device ${name} revoked\n`);
      return 0;
    }
    return await writePackage(db, opened.caDir, name, args.options, io);
  } finally {
    await opened.close();
  }
}

async function writePackage(db: TrustStore, caDir: string, name: string, options: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  if (!options.server) throw new LinderoError('usage', 'device package needs --server HOST: the address the device reaches this server at', { field: 'server' });
  if (!options.out) throw new LinderoError('usage', 'device package needs --out FILE.zip', { field: 'out' });
  const port = options.port === undefined ? 8089 : Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LinderoError('usage', `--port must be a port number from 1 to 65535, not ${JSON.stringify(options.port)}`, { field: 'port' });
  const device = (await db.devices()).find((d) => d.name === name && d.revokedMs === null);
  if (!device) throw unknownDevice(name);
  const ca = CertificateAuthority.open(caDir);
  const files = readDeviceFiles(ca, name);
  const pkg = await takDataPackage({ device: name, host: options.server, port, caPem: ca.certPem, ...files });
  writeFileSync(options.out, pkg.zip, { mode: 0o600 });
  io.out(`${pkg.password}\n`);
  io.err(`TAK data package for ${name} written to ${options.out} (connects to ${options.server}:${port} over TLS); the password above opens its PKCS#12 files and is shown only now\n`);
  return 0;
}
