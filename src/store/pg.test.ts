// What only the PostgreSQL store has to prove: its migrations, its group commit over the network, text
// PostgreSQL cannot hold, and what happens when the server goes away and comes back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, startPgCluster, type PgCluster } from '../../test/helpers/postgres.js';
import { LinderoError } from '../model/index.js';
import { commitLinkHash, commitRoot, GENESIS_HASH, recordHash } from './chain.js';
import { openPgStore, PgStore } from './pg.js';
import { PG_MIGRATIONS, type PgMigration } from './pg-schema.js';
import { alertFor, fixToAppend } from '../../test/helpers/store-fixtures.js';
import type { ChainEntryWithRecord } from './store.js';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL store', { skip: postgresMissing() ? `PostgreSQL store tests skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a new database is given the schema and marked as a lindero store; opening it again changes nothing', async () => {
    const url = await cluster.createDatabase();
    await (await openPgStore(url)).close();
    assert.deepEqual(await query(url, 'SELECT application, version FROM lindero_schema'), [{ application: 'lindero', version: PG_MIGRATIONS.length }]);
    await (await openPgStore(url)).close();
    assert.deepEqual(await query(url, 'SELECT count(*)::int AS n FROM lindero_schema'), [{ n: 1 }]);
  });

  test('a database holding other tables is refused and left untouched', async () => {
    const url = await cluster.createDatabase();
    await query(url, 'CREATE TABLE notes (body text)');
    await assert.rejects(openPgStore(url), (e: unknown) => e instanceof LinderoError && e.code === 'store-foreign' && /notes/.test(e.message));
    assert.deepEqual(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"), [{ table_name: 'notes' }]);
  });

  test('a database from a newer lindero is refused, naming both versions', async () => {
    const url = await cluster.createDatabase();
    await (await openPgStore(url)).close();
    await query(url, `UPDATE lindero_schema SET version = ${PG_MIGRATIONS.length + 1}`);
    await assert.rejects(openPgStore(url), (e: unknown) =>
      e instanceof LinderoError && e.code === 'store-too-new' && e.message.includes(`version ${PG_MIGRATIONS.length + 1}`) && e.message.includes(`up to ${PG_MIGRATIONS.length}`));
  });

  test('a step that fails is rolled back and leaves the database at the last good version', async () => {
    const url = await cluster.createDatabase();
    const failing: PgMigration[] = [...PG_MIGRATIONS, { version: PG_MIGRATIONS.length + 1, description: 'a broken step', up: async (c) => { await c.query('CREATE TABLE half (x int)'); await c.query('SELECT * FROM missing_table'); } }];
    await assert.rejects(openPgStore(url, { migrations: failing }), (e: unknown) =>
      e instanceof LinderoError && e.code === 'store-migration-failed' && /a broken step/.test(e.message));
    assert.deepEqual(await query(url, 'SELECT version FROM lindero_schema'), [{ version: PG_MIGRATIONS.length }]);
    assert.deepEqual(await query(url, "SELECT to_regclass('half') AS t"), [{ t: null }]);
  });

  test('nodes starting together on a new database migrate it once and share it', async () => {
    const url = await cluster.createDatabase();
    const stores = await Promise.all([openPgStore(url), openPgStore(url), openPgStore(url)]);
    await Promise.all(stores.map((s, i) => s.appendFixes([fixToAppend(`node-${i}`, T0, 31, -106)])));
    assert.equal((await stores[0].units()).length, 3);
    for (const s of stores) await s.close();
  });

  test('a hundred callers in the same turn share one commit; close waits for what was accepted', async () => {
    const store = await openPgStore(await cluster.createDatabase());
    const calls = Array.from({ length: 100 }, (_, i) => store.appendFixes([fixToAppend(`u${i % 7}`, T0 + i, 31, -106)]));
    const results = await Promise.all(calls);
    assert.deepEqual(store.commitStats, { commits: 1, writes: 100 });
    assert.deepEqual(results.map(([r]) => r.seq), Array.from({ length: 100 }, (_, i) => i + 1), 'seq follows call order');
    const pending = store.appendFixes([fixToAppend('last', T0, 31, -106)]);
    await store.close();
    assert.equal((await pending)[0].status, 'stored');
  });

  test('two nodes writing at once, each preparing its next commit while one is in flight, keep one chain: every record once, seq and the chain in one order, each entry recomputed', async () => {
    const url = await cluster.createDatabase();
    const nodes = [await openPgStore(url), await openPgStore(url)];
    const writes: Promise<unknown>[] = [];
    // One node alone first: with no other writer, each next commit is prepared while one is in flight.
    for (let i = 0; i < 20; i++) {
      writes.push(nodes[0].appendFixes([fixToAppend(`alone-${i % 4}`, T0 + i, 31, -106), fixToAppend('alone-x', T0 + i, 31.2, -106)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    assert.ok(nodes[0].pipelineStats.sent > 0, `commits were sent ahead (${JSON.stringify(nodes[0].pipelineStats)})`);
    for (let i = 0; i < 60; i++) {
      nodes.forEach((store, k) => {
        writes.push(store.appendFixes([fixToAppend(`n${k}-${i % 3}`, T0 + i, 31, -106), fixToAppend(`n${k}-x`, T0 + i, 31.1, -106)]));
        // The same fix again from the other node, now and then: found as the same fix, whichever commit it joins.
        if (i % 10 === 5) writes.push(nodes[1 - k].appendFixes([fixToAppend(`n${k}-x`, T0 + i, 31.1, -106)]));
      });
      if (i % 6 === 0) writes.push(nodes[i % 2].appendAlert(alertFor(`n${i % 2}-0`, T0 + i)));
      // The next writes join a later commit: one prepared while this one is in flight.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    const entries: ChainEntryWithRecord[] = [];
    for (let page = await nodes[0].chainEntries(0, 50); page.length > 0; page = await nodes[0].chainEntries(entries[entries.length - 1].n, 50)) entries.push(...page);
    let previous: Buffer = GENESIS_HASH;
    let lastSeq = 0;
    entries.forEach((e, i) => {
      assert.equal(e.n, i + 1, 'positions have no gaps');
      assert.ok(e.form === 'commit');
      assert.deepEqual(e.leaves.map((l) => l.leaf), Array.from({ length: e.size }, (_, k) => k));
      for (const leaf of e.leaves) {
        assert.deepEqual(recordHash(leaf.record!), leaf.recordHash);
        if (leaf.seq !== null) assert.ok(leaf.seq > lastSeq, 'seq follows the chain');
        lastSeq = leaf.seq ?? lastSeq;
      }
      assert.deepEqual(commitLinkHash(previous, e.size, commitRoot(e.leaves.map((l) => l.recordHash))), e.hash, `entry ${e.n}`);
      previous = e.hash;
    });
    const leaves = entries.flatMap((e) => (e.form === 'commit' ? e.leaves : []));
    assert.equal(leaves.filter((l) => l.kind === 'fix').length, 280, 'every fix once');
    assert.equal(leaves.filter((l) => l.kind === 'alert').length, 10);
    assert.deepEqual(await nodes[1].unchainedRecords(), []);
    assert.equal((await nodes[1].units()).reduce((sum, u) => sum + u.fixCount, 0), 280);
    for (const store of nodes) await store.close();
  });

  test('text PostgreSQL cannot hold (NUL) is stored with U+FFFD in its place, and chained as stored', async () => {
    const store = await openPgStore(await cluster.createDatabase());
    const [stored] = await store.appendFixes([fixToAppend('bp\u00007', T0, 31, -106)]);
    assert.equal(stored.status, 'stored');
    const [again] = await store.appendFixes([fixToAppend('bp\u00007', T0, 31, -106)]);
    assert.equal(again.status, 'duplicate', 'the same fix sent again is found');
    assert.equal((await store.units())[0].unit, 'bp\ufffd7');
    const [entry] = await store.chainEntries(0);
    assert.ok(entry.form === 'commit', 'the PostgreSQL store chains a commit per entry');
    const [leaf] = entry.leaves;
    assert.equal(leaf.record?.unit, 'bp\ufffd7');
    assert.deepEqual(recordHash(leaf.record!), leaf.recordHash);
    assert.deepEqual(commitLinkHash(GENESIS_HASH, 1, commitRoot([leaf.recordHash])), entry.hash);
    await store.close();
  });

  test("text that holds the commit's literal delimiters is stored as sent, in a commit in turn and in one sent ahead", async () => {
    const store = await openPgStore(await cluster.createDatabase());
    const hostile = "$j$]'::jsonb r); DROP TABLE fixes; --$j$";
    // One write a turn: each next commit is prepared while one is in flight (pg-writer.ts), as in the test above.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(store.appendFixes([fixToAppend(`u${hostile}`, T0 + i * 1000, 31, -106, { name: hostile, notes: [hostile], group: `$j$${i}` })]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    assert.ok(store.pipelineStats.sent > 0, `commits were sent ahead (${JSON.stringify(store.pipelineStats)})`);
    const fixes = await store.fixesInWindow(T0 - 1, T0 + 20_000);
    assert.deepEqual(fixes.map((f) => [f.unit, f.name, f.notes, f.group]), Array.from({ length: 20 }, (_, i) => [`u${hostile}`, hostile, [hostile], `$j$${i}`]));
    const [again] = await store.appendFixes([fixToAppend(`u${hostile}`, T0, 31, -106)]);
    assert.equal(again.status, 'duplicate', 'found again through the reads, whose literals hold it too');
    await store.close();
  });

  test('an unreachable server is refused at open with the URL named and its password hidden', async () => {
    const url = `postgresql://lindero:s3cret@${encodeURIComponent(cluster.socketDir + '/nowhere')}/postgres`;
    await assert.rejects(openPgStore(url), (e: unknown) => {
      assert.ok(e instanceof LinderoError);
      assert.equal(e.code, 'store-cannot-open');
      assert.ok(!e.message.includes('s3cret') && e.message.includes('***'), e.message);
      return true;
    });
    await assert.rejects(openPgStore('/var/lib/lindero.db'), { code: 'store-cannot-open' });
  });

  test('while the server is down writes fail with a store error and nothing is acknowledged; after it is back the same store writes again', async () => {
    const url = await cluster.createDatabase();
    const store = await openPgStore(url);
    await store.appendFixes([fixToAppend('u', T0, 31, -106)]);
    cluster.run('pg_ctl', ['-D', cluster.dataDir, '-m', 'immediate', '-w', 'stop']);
    await assert.rejects(store.appendFixes([fixToAppend('u', T0 + 1, 31, -106)]), (e: unknown) => e instanceof LinderoError && e.code.startsWith('store-'));
    cluster.run('pg_ctl', ['-D', cluster.dataDir, '-l', `${cluster.socketDir}/server.log`, '-w', '-o', `-c listen_addresses='' -k ${cluster.socketDir}`, 'start']);
    const [result] = await store.appendFixes([fixToAppend('u', T0 + 2, 31, -106)]);
    assert.equal(result.status, 'stored');
    assert.deepEqual((await store.track('u')).map((f) => f.time), [T0, T0 + 2], 'the fix that failed was not stored');
    assert.ok(store instanceof PgStore);
    await store.close();
  });
});
