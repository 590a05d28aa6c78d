// Beyond loopback only a unit's own device may report it. The server listens on 0.0.0.0 and is
// reached through 127.0.0.1; every credential is made by `lindero device add` and sent over real sockets.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { command as deviceCommand } from '../../src/cli/device.js';
import type { CommandIo } from '../../src/cli/io.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { atakPli, BOUNDARY_FILE, closedByServer, FENCE_FILE, getJson, nmeaEpoch, postJson, tcpClient, wholeSecondsAgo, write } from './helpers.js';

let dir: string;
let db: string;
let server: RunningServer;
let alpha: { token: string; cert_file: string; key_file: string };
let bravo: { token: string; cert_file: string; key_file: string };

async function runDevice(argv: string[], file = db): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIo = { stdin: new PassThrough(), out: (t) => (out += t), err: (t) => (err += t), write: async (t) => void (out += t) };
  const code = await deviceCommand([...argv, '--db', file], io);
  return { code, out, err };
}

const base = () => `http://127.0.0.1:${server.ports.http}`;
const osmand = (query: string) => fetch(`http://127.0.0.1:${server.ports.osmand}/?${query}`);
const trackOf = async (unit: string) => server.store.track(unit);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lindero-devices-'));
  db = join(dir, 'devices.db');
  const a = await runDevice(['add', 'alpha', '--unit', 'ALPHA-1', '--unit', 'ANDROID-alpha', '--json']);
  assert.equal(a.code, 0, a.err);
  alpha = JSON.parse(a.out);
  bravo = JSON.parse((await runDevice(['add', 'bravo', '--json'])).out);
  server = await startServer({
    host: '0.0.0.0', port: 0, osmandPort: 0, cotTlsPort: 0, nmeaPort: 0, db, boundaryFile: BOUNDARY_FILE, fenceFile: FENCE_FILE, rules: null,
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A TLS client of the CoT over TLS port: this file's server unless `to` names another (its port and store file). */
function tlsClient(device: { cert_file: string; key_file: string } | null, to = { port: server.ports.cotTls!, db }): Promise<TLSSocket> {
  const socket = tlsConnect({
    host: '127.0.0.1', port: to.port, servername: 'localhost',
    ca: readFileSync(`${to.db}.ca/ca.pem`),
    ...(device ? { cert: readFileSync(device.cert_file), key: readFileSync(device.key_file) } : {}),
  });
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => resolve(socket));
    socket.once('close', () => reject(new Error('closed during the handshake')));
  });
}

/** Waits until `check` holds, polling; fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('beyond loopback the plain CoT listeners are off, and asking for one without --allow-open-devices is refused; NMEA listens for tokens', async () => {
  assert.equal(server.devicesOpen, false);
  assert.deepEqual([server.ports.cotTcp, server.ports.cotUdp], [null, null]);
  assert.ok(server.ports.nmeaTcp, 'NMEA listens: it takes sentences only after a device token');
  for (const [option, flag] of [['cotPort', 'cot-port'], ['cotUdpPort', 'cot-udp-port']] as const) {
    await assert.rejects(startServer({ host: '0.0.0.0', port: 0, osmandPort: null, nmeaPort: null, [option]: 0, db: join(dir, 'other.db'), boundaryFile: BOUNDARY_FILE }),
      (e: Error & { code?: string }) => e.code === 'usage' && e.message.includes(`--${flag}`) && e.message.includes('--allow-open-devices'));
  }
  // Naming NMEA units by address gives no credential: refused beyond loopback.
  await assert.rejects(startServer({ host: '0.0.0.0', port: 0, osmandPort: null, nmeaPort: 0, nmeaUnits: { '127.0.0.1': 'victim' }, db: join(dir, 'other.db'), boundaryFile: BOUNDARY_FILE }),
    (e: Error & { code?: string }) => e.code === 'usage' && e.message.includes('--nmea-unit') && e.message.includes('--allow-open-devices'));
});

test('a forged fix without credentials is refused on every listener and nothing is stored', async () => {
  const t = wholeSecondsAgo(5);
  const none = await osmand(`id=victim&lat=31.35&lon=-106.2&timestamp=${t / 1000}`);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as any).error.code, 'device-token-required');
  const forged = await osmand(`id=victim&lat=31.35&lon=-106.2&timestamp=${t / 1000}&token=lndd_${'A'.repeat(43)}`);
  assert.equal(forged.status, 401);
  const json = await postJson(`${base()}/api/v1/fixes`, [{ unit: 'victim', time: t, lat: 31.35, lon: -106.2 }]);
  assert.equal(json.status, 401);
  // CoT over TLS without a client certificate: the handshake is refused.
  await assert.rejects(tlsClient(null).then(async (s) => {
    s.write(atakPli('victim', 31.35, -106.2, t));
    await once(s, 'close');
    throw new Error('closed');
  }));
  // NMEA without a token: the naming line and the sentences are refused, and the client is told why.
  const nmeaClient = await tcpClient(server.ports.nmeaTcp!);
  await write(nmeaClient.socket, ['UNIT victim', ...nmeaEpoch(31.35, -106.2, t)].join('\r\n') + '\r\n');
  await nmeaClient.waitForText('TOKEN <device token>');
  // A forged token, three times: the connection is closed.
  await write(nmeaClient.socket, `TOKEN lndd_${'B'.repeat(43)}\r\nTOKEN nonsense\r\nTOKEN lndd_${'C'.repeat(43)}\r\n`);
  await closedByServer(nmeaClient.socket);
  assert.match(nmeaClient.received(), /the device token is not valid/);
  assert.deepEqual(await trackOf('victim'), []);
});

test("over NMEA, device alpha's token names one of its units; naming bravo's unit is refused and stores nothing", async () => {
  const t = wholeSecondsAgo(6);
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, `TOKEN ${alpha.token}\r\nUNIT bravo\r\n`);
  await client.waitForText('not enrolled for unit "bravo"');
  assert.match(client.received(), /OK device alpha/);
  // Two units: none is named for it, so sentences wait for a naming line.
  await write(client.socket, ['UNIT ALPHA-1', ...nmeaEpoch(31.7711, -106.5411, t)].join('\r\n') + '\r\n');
  await eventually(async () => (await trackOf('ALPHA-1')).some((f) => f.source === 'nmea'));
  assert.deepEqual(await trackOf('bravo'), []);
  client.socket.end();
});

test("device alpha's token reports its own units and cannot report bravo's", async () => {
  const t = wholeSecondsAgo(4);
  const own = await osmand(`id=ALPHA-1&lat=31.79&lon=-106.58&timestamp=${t / 1000}&token=${alpha.token}`);
  assert.equal(own.status, 200);
  const other = await osmand(`id=bravo&lat=31.35&lon=-106.2&timestamp=${t / 1000}&token=${alpha.token}`);
  assert.equal(other.status, 403);
  assert.equal(((await other.json()) as any).error.code, 'unit-not-enrolled');
  const batch = await postJson(`${base()}/api/v1/fixes`, [
    { unit: 'ALPHA-1', time: t + 1000, lat: 31.7901, lon: -106.5801 },
    { unit: 'bravo', time: t + 1000, lat: 31.35, lon: -106.2 },
  ], { authorization: `Bearer ${alpha.token}` });
  assert.equal(batch.status, 200);
  assert.equal(batch.body.accepted, 1);
  assert.deepEqual(batch.body.rejected.map((r: { index: number }) => r.index), [1]);
  assert.match(batch.body.rejected[0].reason, /not enrolled for unit "bravo"/);
  assert.equal((await trackOf('ALPHA-1')).filter((f) => f.source !== 'nmea').length, 2);
  assert.deepEqual(await trackOf('bravo'), []);
  // A device token reports; it does not read.
  assert.equal((await getJson(`${base()}/api/v1/units`, { authorization: `Bearer ${alpha.token}` })).status, 403);
});

test("device alpha's certificate streams CoT over TLS for its own unit; bravo's unit in the same stream is refused", async () => {
  const t = wholeSecondsAgo(3);
  const socket = await tlsClient(alpha);
  socket.write(atakPli('bravo', 31.35, -106.2, t) + atakPli('ANDROID-alpha', 31.7902, -106.5802, t));
  await eventually(async () => (await trackOf('ANDROID-alpha')).length === 1);
  assert.deepEqual(await trackOf('bravo'), []);
  socket.destroy();
});

test('`openssl s_client` with the device certificate streams CoT that is stored', async () => {
  const t = wholeSecondsAgo(2);
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${server.ports.cotTls}`, '-cert', alpha.cert_file, '-key', alpha.key_file,
    '-CAfile', `${db}.ca/ca.pem`, '-verify_return_error', '-quiet'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.write(atakPli('ALPHA-1', 31.7903, -106.5803, t));
  try {
    await eventually(async () => (await trackOf('ALPHA-1')).some((f) => f.time === t && f.source === 'cot'), 10_000);
  } finally {
    child.stdin.end();
    child.kill();
  }
  assert.doesNotMatch(stderr, /verify error/);
});

test('OsmAnd, the JSON API and CoT over TLS: each enrolled device has its own request budget and connection count, though all come from one address (a VPN gateway); tokens not valid share the address\'s', async () => {
  const file = join(dir, 'budgets.db');
  const [charlie, delta] = await Promise.all(['charlie', 'delta'].map(async (name) => {
    const made = await runDevice(['add', name, '--json'], file);
    assert.equal(made.code, 0, made.err);
    return JSON.parse(made.out) as { token: string; cert_file: string; key_file: string };
  }));
  const limited = await startServer({
    host: '0.0.0.0', port: 0, osmandPort: 0, cotTlsPort: 0, nmeaPort: null, db: file, boundaryFile: BOUNDARY_FILE, rules: null,
    limits: { osmandRequestsPerSecond: 5, httpRequestsPerSecond: 5, cot: { maxConnectionsPerAddress: 1 } },
  });
  const sockets: TLSSocket[] = [];
  try {
    const t = wholeSecondsAgo(10) / 1000;
    const report = (unit: string, token: string, k: number) =>
      fetch(`http://127.0.0.1:${limited.ports.osmand}/?id=${unit}&lat=31.79&lon=-106.58&timestamp=${t + k}&token=${token}`).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      });
    // Both phones at once (all eleven requests in the same second): charlie six reports, delta five. Only
    // charlie's one over the limit is refused.
    const [charlies, deltas] = await Promise.all([
      Promise.all([0, 1, 2, 3, 4, 5].map((k) => report('charlie', charlie.token, k))),
      Promise.all([0, 1, 2, 3, 4].map((k) => report('delta', delta.token, k))),
    ]);
    assert.deepEqual(deltas, Array(5).fill(200), 'delta within its own five a second');
    assert.deepEqual(charlies.toSorted(), [200, 200, 200, 200, 200, 429], 'charlie: five, then limited');
    // Forged tokens are counted by address: refused as not valid (401), then limited (429) past five.
    const forged = await Promise.all(Array.from({ length: 8 }, (_, k) => report('charlie', `lndd_${'B'.repeat(43)}`, k)));
    assert.ok(forged.includes(401) && forged.includes(429), `forged tokens: ${forged.join(', ')}`);
    assert.equal((await limited.store.track('charlie')).length, 5);
    // The same over the JSON API, each device with "Authorization: Bearer" and its own budget.
    const post = (unit: string, token: string, k: number) =>
      postJson(`http://127.0.0.1:${limited.ports.http}/api/v1/fixes`, [{ unit, time: (t + 100 + k) * 1000, lat: 31.79, lon: -106.58 }], { authorization: `Bearer ${token}` })
        .then((r) => r.status);
    const [charliePosts, deltaPosts] = await Promise.all([
      Promise.all([0, 1, 2, 3, 4, 5].map((k) => post('charlie', charlie.token, k))),
      Promise.all([0, 1, 2, 3, 4].map((k) => post('delta', delta.token, k))),
    ]);
    assert.deepEqual(deltaPosts, Array(5).fill(200));
    assert.deepEqual(charliePosts.toSorted(), [200, 200, 200, 200, 200, 429]);
    // CoT over TLS with one connection allowed per address: charlie and delta both stream; charlie's
    // second connection is the one closed.
    const tls = async (device: { cert_file: string; key_file: string }) => {
      const socket = await tlsClient(device, { port: limited.ports.cotTls!, db: file });
      sockets.push(socket);
      return socket;
    };
    const now = wholeSecondsAgo(1);
    for (const [name, device] of [['charlie', charlie], ['delta', delta]] as const) {
      await write(await tls(device), atakPli(name, 31.7903, -106.5803, now));
      await eventually(async () => (await limited.store.track(name)).some((f) => f.source === 'cot'));
    }
    await closedByServer(await tls(charlie));
  } finally {
    for (const s of sockets) s.destroy();
    await limited.close();
  }
});

test('a certificate from another authority is refused at the handshake', async () => {
  const other = mkdtempSync(join(tmpdir(), 'lindero-other-ca-'));
  try {
    const otherDb = join(other, 'x.db');
    const io: CommandIo = { stdin: new PassThrough(), out: () => {}, err: () => {}, write: async () => {} };
    let out = '';
    io.out = (t) => (out += t);
    assert.equal(await deviceCommand(['add', 'alpha', '--unit', 'ALPHA-1', '--json', '--db', otherDb], io), 0);
    const foreign = JSON.parse(out) as typeof alpha;
    await assert.rejects(tlsClient(foreign).then(async (s) => {
      s.write(atakPli('ALPHA-1', 31.79, -106.58, wholeSecondsAgo(1)));
      await once(s, 'close');
      throw new Error('closed');
    }));
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test('revoking a device (from another connection, as `lindero device revoke` does) closes its open connections and refuses its credentials', async () => {
  const socket = await tlsClient(bravo);
  const closed = once(socket, 'close');
  const t = wholeSecondsAgo(1);
  socket.write(atakPli('bravo', 31.7904, -106.5804, t));
  await eventually(async () => (await trackOf('bravo')).length === 1);
  // Over NMEA, bravo's one unit is named by its token alone.
  const nmeaClient = await tcpClient(server.ports.nmeaTcp!);
  await write(nmeaClient.socket, [`TOKEN ${bravo.token}`, ...nmeaEpoch(31.7905, -106.5805, t - 400)].join('\r\n') + '\r\n');
  await nmeaClient.waitForText('OK unit bravo');
  await eventually(async () => (await trackOf('bravo')).length === 2);
  const nmeaClosed = closedByServer(nmeaClient.socket);
  const revoked = await runDevice(['revoke', 'bravo']);
  assert.equal(revoked.code, 0, revoked.err);
  await closed;
  await nmeaClosed;
  await assert.rejects(tlsClient(bravo).then(async (s) => {
    s.write(atakPli('bravo', 31.79, -106.58, t + 500));
    await once(s, 'close');
    throw new Error('closed');
  }));
  const r = await osmand(`id=bravo&lat=31.79&lon=-106.58&timestamp=${(t + 700) / 1000}&token=${bravo.token}`);
  assert.equal(r.status, 401);
  assert.equal((await trackOf('bravo')).length, 2);
  const actions = (await server.store.policyChanges()).filter((p) => p.action.startsWith('device-')).map((p) => [p.action, p.record.device]);
  assert.deepEqual(actions, [['device-added', 'alpha'], ['device-added', 'bravo'], ['device-revoked', 'bravo']]);
});

test('the TAK data package unzips to its manifest, preferences and PKCS#12 files; the client one opens with its password and chains to the CA', async () => {
  const zipFile = join(dir, 'alpha.zip');
  const made = await runDevice(['package', 'alpha', '--server', '192.0.2.10', '--out', zipFile]);
  assert.equal(made.code, 0, made.err);
  const password = made.out.trim();
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(readFileSync(zipFile));
  assert.deepEqual(Object.keys(zip.files).filter((f) => !f.endsWith('/')).sort(), ['MANIFEST/manifest.xml', 'alpha.p12', 'server.pref', 'truststore-lindero.p12']);
  const manifest = await zip.file('MANIFEST/manifest.xml')!.async('string');
  for (const entry of ['server.pref', 'truststore-lindero.p12', 'alpha.p12']) assert.match(manifest, new RegExp(`zipEntry="${entry.replace('.', '\\.')}"`));
  const prefs = await zip.file('server.pref')!.async('string');
  assert.match(prefs, /<entry key="connectString0" class="class java.lang.String">192\.0\.2\.10:8089:ssl<\/entry>/);
  assert.match(prefs, /<entry key="certificateLocation" class="class java.lang.String">cert\/alpha\.p12<\/entry>/);
  const p12 = join(dir, 'alpha.p12');
  writeFileSync(p12, await zip.file('alpha.p12')!.async('nodebuffer'));
  const openssl = async (args: string[]) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const [code] = await once(child, 'close');
    return { code: code as number, out };
  };
  const wrong = await openssl(['pkcs12', '-in', p12, '-passin', 'pass:not-it', '-nokeys']);
  assert.notEqual(wrong.code, 0);
  const certs = join(dir, 'alpha-client.pem');
  const opened = await openssl(['pkcs12', '-in', p12, '-passin', `pass:${password}`, '-clcerts', '-nokeys', '-out', certs]);
  assert.equal(opened.code, 0, opened.out);
  const verified = await openssl(['verify', '-CAfile', `${db}.ca/ca.pem`, certs]);
  assert.equal(verified.code, 0, verified.out);
  const key = await openssl(['pkcs12', '-in', p12, '-passin', `pass:${password}`, '-nocerts', '-nodes']);
  assert.match(key.out, /BEGIN PRIVATE KEY/);
});
