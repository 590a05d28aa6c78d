// Units' rule leases on a real PostgreSQL: a node alone holds every bucket, two share them, a dead node's
// buckets are taken over once they expire, and a node that cannot renew stops using its buckets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, startPgCluster, type PgCluster } from '../../test/helpers/postgres.js';
import { openPgStore } from './pg.js';
import { fairShare, PgUnitLeases } from './pg-unit-leases.js';
import { RULE_BUCKETS, unitBucket } from './unit-buckets.js';
import type { UnitLeaseChange } from './store.js';

const RENEW_MS = 150;
const TTL_MS = 900;

function leasesOn(url: string, node: string, changes: UnitLeaseChange[] = []): PgUnitLeases {
  return new PgUnitLeases({ url, node, onChange: (c) => changes.push(c), renewMs: RENEW_MS, ttlMs: TTL_MS });
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

async function migrated(cluster: PgCluster): Promise<string> {
  const url = await cluster.createDatabase();
  await (await openPgStore(url)).close();
  return url;
}

describe('units\' rule leases in PostgreSQL', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a unit always falls in the same bucket, and units spread over all of them', () => {
    assert.equal(unitBucket('bravo-1'), unitBucket('bravo-1'));
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => unitBucket(`unit-${i}`)));
    assert.equal(seen.size, RULE_BUCKETS);
    assert.deepEqual([1, 2, 3, 5].map(fairShare), [64, 32, 22, 13]);
  });

  test('a node alone holds every bucket; a second node gets half; when one stops the other holds all again', async () => {
    const url = await migrated(cluster);
    const a = leasesOn(url, 'node-a');
    await a.start();
    assert.equal(a.owned.size, RULE_BUCKETS, 'alone, after its first round');
    const bChanges: UnitLeaseChange[] = [];
    const b = leasesOn(url, 'node-b', bChanges);
    await b.start();
    await until('each node holds its half', () => a.owned.size === 32 && b.owned.size === 32);
    for (const bucket of a.owned) assert.ok(!b.owns(bucket), `bucket ${bucket} is held by one node`);
    await a.stop();
    await until('node B holds every bucket', () => b.owned.size === RULE_BUCKETS);
    assert.ok(bChanges.every((c) => c.lost.length === 0), 'node B lost nothing');
    await b.stop();
  });

  test('the buckets of a node that died are taken over once its leases expire, and not before', async () => {
    const url = await migrated(cluster);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // What a node that died mid-lease leaves: its row and all the buckets, for another 1.5 s.
      await admin.query("INSERT INTO rule_nodes VALUES ('dead', now() + interval '1500 milliseconds')");
      await admin.query("UPDATE rule_buckets SET owner = 'dead', expires_at = now() + interval '1500 milliseconds'");
      const started = Date.now();
      const b = leasesOn(url, 'node-b');
      await b.start();
      assert.equal(b.owned.size, 0, 'nothing is taken while the leases last');
      await until('node B takes every bucket', () => b.owned.size === RULE_BUCKETS);
      assert.ok(Date.now() - started >= 1400, 'taken after the leases expired');
      const owners = (await admin.query<{ owner: string; n: number }>('SELECT owner, count(*)::int AS n FROM rule_buckets GROUP BY owner')).rows;
      assert.deepEqual(owners, [{ owner: 'node-b', n: RULE_BUCKETS }]);
      await b.stop();
    } finally {
      await admin.end();
    }
  });

  test('a node whose renewals do not get through stops using its buckets before they can have expired, and takes them back after', async () => {
    const url = await migrated(cluster);
    const changes: UnitLeaseChange[] = [];
    const a = leasesOn(url, 'node-a', changes);
    await a.start();
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE rule_nodes IN ACCESS EXCLUSIVE MODE');
      const lockedAt = Date.now();
      await until('node A lets its buckets go', () => a.owned.size === 0);
      assert.ok(Date.now() - lockedAt < TTL_MS, 'before the leases could have expired');
      await blocker.query('ROLLBACK');
      await until('node A holds every bucket again', () => a.owned.size === RULE_BUCKETS);
      assert.deepEqual(changes.map((c) => [c.gained.length, c.lost.length]), [[RULE_BUCKETS, 0], [0, RULE_BUCKETS], [RULE_BUCKETS, 0]]);
    } finally {
      await blocker.end();
      await a.stop();
    }
  });
});
