// Alerts stored once, and the rules' watermarks, in a real PostgreSQL store: what lets two nodes that both
// evaluate a unit for a moment store each alert once, and a node taking a unit over resume where the rules stopped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, startPgCluster, type PgCluster } from '../../test/helpers/postgres.js';
import { alertFor, fixToAppend } from '../../test/helpers/store-fixtures.js';
import { openPgStore } from './pg.js';
import { PG_MIGRATIONS } from './pg-schema.js';
import { RULE_BUCKETS } from './unit-buckets.js';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('alerts stored once and rule watermarks in PostgreSQL', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('the same alert raised by two nodes, or twice in one commit, is stored once; each gets back only what it stored', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = await Promise.all([openPgStore(url), openPgStore(url)]);
    try {
      const crossing = alertFor('bravo-1', T0, 'crossing');
      const [fromA, fromB] = await Promise.all([a.appendRuleAlerts([crossing], null), b.appendRuleAlerts([crossing], null)]);
      assert.equal(fromA.length + fromB.length, 1, 'one of the two stored it');
      const twice = await a.appendRuleAlerts([alertFor('bravo-1', T0 + 1000, 'crossing'), alertFor('bravo-1', T0 + 1000, 'crossing'), alertFor('bravo-1', T0 + 1000, 'approach')], null);
      assert.deepEqual(twice.map((x) => x.kind), ['crossing', 'approach']);
      // Another unit, another time or another other unit is another alert.
      const others = await a.appendRuleAlerts([alertFor('bravo-2', T0, 'crossing'), { ...alertFor('bravo-1', T0, 'proximity'), otherUnit: 'x' }, { ...alertFor('bravo-1', T0, 'proximity'), otherUnit: 'y' }], null);
      assert.equal(others.length, 3);
      // appendAlert (partners' alerts) answers with the alert already stored.
      const again = await b.appendAlert(alertFor('bravo-2', T0, 'crossing'));
      assert.equal(again.id, others[0].id);
      assert.equal((await a.alerts({ limit: 100 })).length, 6);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the database itself refuses a second copy of an alert stored since the rule began', async () => {
    const url = await cluster.createDatabase();
    const store = await openPgStore(url);
    await store.appendAlert(alertFor('bravo-1', T0, 'crossing'));
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await assert.rejects(
        client.query("INSERT INTO alerts SELECT id + 100, seq + 100, kind, unit, time_ms, other_unit, territory, zone, late, received_ms, alert_json FROM alerts"),
        (e: unknown) => (e as { code?: string }).code === '23505',
      );
    } finally {
      await client.end();
    }
  });

  test('fixes after a seq are read at one moment: alerts between them are passed over, and the read says how far it covers', async () => {
    const url = await cluster.createDatabase();
    const store = await openPgStore(url);
    try {
      await store.appendFixes([fixToAppend('bravo-1', T0, 31.8, -108.1)]);
      await store.appendAlert(alertFor('bravo-1', T0, 'approach'));
      await store.appendFixes([fixToAppend('bravo-1', T0 + 1000, 31.8, -108.1), fixToAppend('bravo-2', T0 + 1000, 31.8, -108.2)]);
      await store.appendAlert(alertFor('bravo-2', T0 + 1000, 'approach'));
      const all = await store.fixesAfter(0);
      assert.deepEqual(all.fixes.map((f) => f.seq), [1, 3, 4]);
      assert.equal(all.throughSeq, 5, 'through the head, the last alert included');
      const some = await store.fixesAfter(1, 1);
      assert.deepEqual(some.fixes.map((f) => f.seq), [3]);
      assert.equal(some.throughSeq, 3, 'a full page covers up to its last fix');
      assert.deepEqual(await store.fixesAfter(5), { fixes: [], throughSeq: 5 });
    } finally {
      await store.close();
    }
  });

  test('watermarks move up with the alerts in one commit, never down; a database upgraded with fixes in it starts them at its head', async () => {
    const url = await cluster.createDatabase();
    const old = await openPgStore(url, { migrations: PG_MIGRATIONS.slice(0, 4), chainForm: 'record' });
    // This release's writer writes a column a later step adds (a fix's emergency): the column now, the step's marker later.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('ALTER TABLE fixes ADD COLUMN emergency_json TEXT');
    await old.appendFixes([fixToAppend('bravo-1', T0, 31.8, -108.1), fixToAppend('bravo-1', T0 + 1000, 31.8, -108.1)]);
    const head = await old.lastEventSeq();
    await old.close();
    await client.query('ALTER TABLE fixes DROP COLUMN emergency_json');
    await client.end();
    const store = await openPgStore(url);
    try {
      const all = Array.from({ length: RULE_BUCKETS }, (_, b) => b);
      assert.deepEqual([...(await store.ruleWatermarks(all)).values()], all.map(() => head));
      await store.appendRuleAlerts([alertFor('bravo-1', T0 + 1000, 'crossing')], { buckets: [3, 7], seq: head + 40 });
      await store.appendRuleAlerts([], { buckets: [3], seq: head + 10 });
      const marks = await store.ruleWatermarks([3, 7, 8]);
      assert.deepEqual([marks.get(3), marks.get(7), marks.get(8)], [head + 40, head + 40, head]);
    } finally {
      await store.close();
    }
  });
});
