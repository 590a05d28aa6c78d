// The trust tables in PostgreSQL: the same contract as the SQLite file's, written by two stores (two
// nodes) on one database; a refused change leaves neither a row, nor a policy record, nor a new version;
// keys made before schema step 3 keep the admin role they had.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresMissing, startPgCluster, type PgCluster } from '../../test/helpers/postgres.js';
import { LinderoError } from '../model/index.js';
import { openPgStore, PG_MIGRATIONS, type PgStore } from '../store/index.js';
import { hashPassword, newDeviceToken, PgTrustDb, TrustRegistry } from './index.js';

const device = (name: string, serial: string) => ({ name, units: [`${name}-1`], token: newDeviceToken(), certSerial: serial, certSha256: 'ab'.repeat(32) });
const code = (expected: string) => (e: unknown) => e instanceof LinderoError && e.code === expected;

describe('trust tables in PostgreSQL', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  const stores: PgStore[] = [];
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await cluster?.stop();
  });
  const open = async (url: string, migrations = PG_MIGRATIONS) => {
    const store = await openPgStore(url, { migrations });
    stores.push(store);
    return store;
  };

  test('what one node writes the other reads; a refused change writes nothing, chains nothing and leaves the version', async () => {
    const url = await cluster.createDatabase();
    const [one, two] = [new PgTrustDb(await open(url)), new PgTrustDb(await open(url))];
    const registry = await TrustRegistry.of(two, { pollMs: 60_000 });
    try {
      const revoked: string[] = [];
      registry.onRevoked((d) => revoked.push(d.name));
      const alpha = device('alpha', '0A');
      await one.addDevice(alpha);
      await one.addUser('ana', 'operator', await hashPassword('ana-password-1'));
      const version = await two.version();
      await assert.rejects(one.addDevice(device('alpha', '0B')), code('device-exists'));
      await assert.rejects(two.addUser('ana', 'viewer', await hashPassword('ana-password-2')), code('user-exists'));
      await assert.rejects(two.setKeyRole(424242, 'viewer'), code('unknown-key'));
      await assert.rejects(two.acknowledge(1, 'ana', 'user'), code('unknown-alert'));
      assert.equal(await one.version(), version, 'refused changes bump nothing');
      assert.deepEqual((await stores[0].policyChanges()).map((p) => p.action), ['device-added', 'user-added']);
      assert.equal(registry.deviceByToken(alpha.token), null, 'not seen before the registry looks again');
      await registry.refresh(false);
      assert.deepEqual([...registry.deviceByToken(alpha.token)!.units], ['alpha-1']);
      assert.equal((await registry.user('ana'))?.role, 'operator');
      assert.equal(await one.revokeDevice('alpha', 'test'), true);
      assert.equal(await two.revokeDevice('alpha', 'test'), false, 'revoked once, whichever node is asked');
      await registry.refresh(false);
      assert.deepEqual(revoked, ['alpha']);
      assert.equal(registry.deviceByToken(alpha.token), null);
      await one.saveSession('h'.repeat(64), 'ana', Date.now() + 60_000);
      assert.equal((await two.session('h'.repeat(64)))?.name, 'ana');
      await two.endSession('h'.repeat(64));
      assert.equal(await one.session('h'.repeat(64)), null);
    } finally {
      await registry.close();
    }
  });

  test('keys made before the trust tables keep the admin role they acted with; a key made after starts as a viewer until given its role', async () => {
    const url = await cluster.createDatabase();
    const old = await open(url, PG_MIGRATIONS.slice(0, 2));
    const before = await old.createApiKey('old tablet');
    await old.close();
    stores.splice(stores.indexOf(old), 1);
    const store = await open(url);
    const trust = new PgTrustDb(store);
    const after = await store.createApiKey('new tablet');
    assert.deepEqual([...(await trust.keyRoles())].sort(), [[before.id, 'admin'], [after.id, 'viewer']]);
    await trust.setKeyRole(after.id, 'operator');
    assert.equal((await trust.keyRoles()).get(after.id), 'operator');
    assert.deepEqual((await store.policyChanges()).at(-1)?.record, { key: after.id, role: 'operator' });
  });
});
