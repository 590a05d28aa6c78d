// Trust on several nodes sharing one PostgreSQL database: devices, operators, API key roles,
// acknowledgements and sessions live in the database, so whatever one node (or the CLI) makes holds on
// every node; every change is a policy record in the database's one evidence chain. Two servers in this
// process on a throwaway cluster, beyond loopback (credentials required), reached over real sockets.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { runInProcess } from '../helpers/cli.js';
import { postgresMissing, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { tempDir } from '../helpers/store-fixtures.js';
import { atakPli, BOUNDARY_FILE, getJson, postJson, wholeSecondsAgo } from './helpers.js';

const TRUST_ACTIONS = new Set(['device-added', 'device-revoked', 'user-added', 'api-key-role', 'alert-acknowledged']);

interface Enrolled { token: string; cert_file: string; key_file: string }

/** Waits until `check` holds, polling; fails after `ms` (the nodes look at the trust tables each second). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('trust shared by two nodes on one PostgreSQL database', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  const tmp = tempDir('lindero-pg-trust-');
  let url: string;
  let a: RunningServer;
  let b: RunningServer;
  let alpha: Enrolled;
  let bravo: Enrolled;
  let viewerKey: string;
  const filesA = () => tmp.file('node-a');
  const filesB = () => tmp.file('node-b');
  const cli = async (args: string[], stdin = '') => {
    const r = await runInProcess([...args, '--db', url], stdin);
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const http = (server: RunningServer) => `http://127.0.0.1:${server.ports.http}`;
  const osmand = (server: RunningServer, query: string) => fetch(`http://127.0.0.1:${server.ports.osmand}/?${query}`);
  const nodeOptions = (files: string) => ({
    host: '0.0.0.0', port: 0, osmandPort: 0, cotTlsPort: 0, cotPort: null, cotUdpPort: null, nmeaPort: null,
    db: url, dbFiles: files, boundaryFile: BOUNDARY_FILE, rules: null,
  });
  const tlsClient = (server: RunningServer, device: Enrolled): Promise<TLSSocket> => {
    const socket = tlsConnect({
      host: '127.0.0.1', port: server.ports.cotTls!, servername: 'localhost',
      ca: readFileSync(`${filesA()}.ca/ca.pem`), cert: readFileSync(device.cert_file), key: readFileSync(device.key_file),
    });
    socket.on('error', () => {});
    return new Promise((resolve, reject) => {
      socket.once('secureConnect', () => resolve(socket));
      socket.once('close', () => reject(new Error('closed during the handshake')));
    });
  };
  const signIn = (server: RunningServer, name: string, password: string) => fetch(`${http(server)}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password, next: '/' }).toString(),
  });

  before(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase();
    // Made with the CLI before any node runs: the authority is made beside node A's files...
    alpha = JSON.parse((await cli(['device', 'add', 'alpha', '--unit', 'ALPHA-1', '--db-files', filesA(), '--json'])).stdout) as Enrolled;
    await cli(['user', 'add', 'omar', '--role', 'operator'], 'omar-password-1\n');
    viewerKey = (JSON.parse((await cli(['key', 'create', 'wall screen', '--role', 'viewer', '--json'])).stdout) as { key: string }).key;
    // ...and copied to node B, as the runbook says: both nodes' TLS listeners trust one authority.
    cpSync(`${filesA()}.ca`, `${filesB()}.ca`, { recursive: true });
    [a, b] = await Promise.all([startServer(nodeOptions(filesA())), startServer(nodeOptions(filesB()))]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
    tmp.remove();
  });

  test('no node keeps trust tables of its own: both use the database', () => {
    assert.equal(existsSync(filesA()), false, 'no SQLite file at node A');
    assert.equal(existsSync(filesB()), false, 'no SQLite file at node B');
    assert.equal(a.trust.db.constructor.name, 'PgTrustDb');
  });

  test('a device enrolled by the CLI reports through either node with its token, and only its own units', async () => {
    const t = wholeSecondsAgo(30);
    for (const [server, dt] of [[a, 0], [b, 1000]] as const) {
      const ok = await osmand(server, `id=ALPHA-1&lat=31.79&lon=-106.58&timestamp=${(t + dt) / 1000}&token=${alpha.token}`);
      assert.equal(ok.status, 200);
    }
    assert.equal((await osmand(b, `id=ZULU&lat=31.79&lon=-106.58&timestamp=${t / 1000}&token=${alpha.token}`)).status, 403);
    assert.equal((await a.store.track('ALPHA-1')).length, 2);
  });

  test('a device enrolled while both nodes run is let in on the other node within about a second', async () => {
    bravo = JSON.parse((await cli(['device', 'add', 'bravo', '--unit', 'BRAVO-1', '--db-files', filesA(), '--json'])).stdout) as Enrolled;
    const t = wholeSecondsAgo(20);
    await eventually(async () => (await osmand(b, `id=BRAVO-1&lat=31.79&lon=-106.59&timestamp=${t / 1000}&token=${bravo.token}`)).status === 200);
    assert.equal((await b.store.track('BRAVO-1')).length, 1);
  });

  test('a device revoked through node A loses its open TLS connection to node B, and its token on both', async () => {
    assert.equal(b.trust.deviceBySerial(serialOf(bravo))?.name, 'bravo');
    const socket = await tlsClient(b, bravo);
    const closed = once(socket, 'close');
    const t = wholeSecondsAgo(10);
    socket.write(atakPli('BRAVO-1', 31.7904, -106.5904, t));
    await eventually(async () => (await b.store.track('BRAVO-1')).some((f) => f.time === t));
    assert.equal(await a.trust.revokeDevice('bravo', 'test'), true);
    await closed;
    for (const server of [a, b]) {
      assert.equal((await osmand(server, `id=BRAVO-1&lat=31.79&lon=-106.59&timestamp=${(t + 500) / 1000}&token=${bravo.token}`)).status, 401);
    }
    await assert.rejects(tlsClient(b, bravo).then(async (s) => {
      s.write(atakPli('BRAVO-1', 31.79, -106.59, t + 700));
      await once(s, 'close');
      throw new Error('closed');
    }));
    assert.equal((await a.store.track('BRAVO-1')).some((f) => f.time > t), false);
  });

  test("an operator's session from node A's login works on node B; an acknowledgement made on A is seen on B with who made it", async () => {
    const signedIn = await signIn(a, 'omar', 'omar-password-1');
    assert.equal(signedIn.status, 303);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await getJson(`${http(b)}/api/v1/units`, { cookie })).status, 200, 'the session holds on B');
    assert.equal((await getJson(`${http(b)}/api/v1/units`)).status, 401, 'and B asks for a credential');
    const [fix] = await a.store.track('ALPHA-1');
    const alert = await a.store.appendAlert({ kind: 'approach', unit: 'ALPHA-1', time: fix.time, determination: fix.determination });
    const made = await postJson(`${http(a)}/api/v1/alerts/${alert.id}/acknowledgement`, {}, { cookie });
    assert.equal(made.status, 201);
    const again = await postJson(`${http(b)}/api/v1/alerts/${alert.id}/acknowledgement`, {}, { cookie });
    assert.equal(again.status, 200, 'acknowledged once, whichever node is asked');
    const seen = await getJson(`${http(b)}/api/v1/acknowledgements`, { cookie });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.acknowledgements.map((x: { alert_id: number; by: string; by_kind: string }) => [x.alert_id, x.by, x.by_kind]), [[alert.id, 'omar', 'user']]);
    assert.equal((await postJson(`${http(b)}/api/v1/alerts/999999/acknowledgement`, {}, { cookie })).status, 404);
  });

  test('a key created with --role viewer reads on either node and may not acknowledge', async () => {
    const authorization = `Bearer ${viewerKey}`;
    for (const server of [a, b]) assert.equal((await getJson(`${http(server)}/api/v1/units`, { authorization })).status, 200);
    const alerts = await a.store.alerts();
    const refused = await postJson(`${http(b)}/api/v1/alerts/${alerts[0].id}/acknowledgement`, {}, { authorization });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /role viewer/);
  });

  test("the CLI lists the database's devices and packages one from a node's copy of the authority; its revoke cuts the device off on both nodes", async () => {
    const listed = (await cli(['device', 'list'])).stdout.trim().split('\n').map((line) => [line.split('\t')[0], line.split('\t').at(-1)!.split(' ')[0]]);
    assert.deepEqual(listed, [['alpha', 'valid'], ['bravo', 'revoked']]);
    const made = await cli(['device', 'package', 'alpha', '--server', '192.0.2.10', '--out', tmp.file('alpha.zip'), '--db-files', filesB()]);
    assert.ok(made.stdout.trim().length > 0, 'the package password is printed');
    assert.ok(existsSync(tmp.file('alpha.zip')));
    const socket = await tlsClient(a, alpha);
    const closed = once(socket, 'close');
    const t = wholeSecondsAgo(8);
    socket.write(atakPli('ALPHA-1', 31.7905, -106.5805, t));
    await eventually(async () => (await a.store.track('ALPHA-1')).some((f) => f.time === t));
    await cli(['device', 'revoke', 'alpha']);
    await closed;
    await eventually(async () => b.trust.deviceByToken(alpha.token) === null);
    assert.equal((await osmand(b, `id=ALPHA-1&lat=31.79&lon=-106.58&timestamp=${(t + 500) / 1000}&token=${alpha.token}`)).status, 401);
  });

  test("every change is a policy record in the database's one evidence chain, and `lindero verify` passes", async () => {
    const changes = (await b.store.policyChanges()).map((p) => [p.action, p.record.device ?? p.record.user ?? p.record.role ?? p.record.alert ?? null]);
    const alertId = (await a.store.alerts())[0].id;
    assert.deepEqual(changes.filter(([action]) => TRUST_ACTIONS.has(action as string)), [
      ['device-added', 'alpha'], ['user-added', 'omar'], ['api-key-role', 'viewer'], ['device-added', 'bravo'], ['device-revoked', 'bravo'], ['alert-acknowledged', alertId],
      ['device-revoked', 'alpha'],
    ]);
    const ack = (await b.store.policyChanges()).find((p) => p.action === 'alert-acknowledged')!;
    assert.deepEqual(ack.record, { alert: alertId, by: 'omar', by_kind: 'user' });
    assert.ok((await b.store.policyChanges()).every((p) => p.chainN > 0), 'each chained');
    const verified = await runInProcess(['verify', '--db', url, '--json']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });
});

/** The serial of a device's certificate, upper-case hex, as the registry keys it. */
function serialOf(device: Enrolled): string {
  return new X509Certificate(readFileSync(device.cert_file)).serialNumber.toUpperCase();
}
