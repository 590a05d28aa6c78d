// `lindero verify --db postgresql://…` against a PostgreSQL store of the commit form tampered with
// through the database's own client: the cases of chain-tamper.test.ts (which runs them on SQLite files
// of both forms) that a database administrator could do, each on a copy of the intact database
// (CREATE DATABASE … TEMPLATE), caught with the record or entry named.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { writeFileSync } from 'node:fs';
import { evidenceKeyFiles, incidentBundle, loadOrCreateEvidenceKey, type EvidenceBundleV2 } from '../../src/incidents/index.js';
import { chainRecord, commitLinkHash, commitRoot, GENESIS_HASH, openPgStore, RECORD_COLUMNS, recordHash, type ChainKind } from '../../src/store/index.js';
import { runInProcess } from '../helpers/cli.js';
import { postgresMissing, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { clintLayers, fillEvidence, tempDir } from './helpers.js';

const skip = postgresMissing();

describe('a PostgreSQL store of the commit form, tampered with', { skip: skip ? `PostgreSQL tests skipped: ${skip}` : false }, () => {
  const tmp = tempDir();
  let cluster: PgCluster;
  let publicKey = '';
  let copies = 0;
  /** The intact store's last entry. */
  let last = 0;

  before(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('original');
    const files = tmp.file('original');
    const store = await openPgStore(url, { files });
    await fillEvidence(store, loadOrCreateEvidenceKey(files), true, 'commit');
    last = (await store.chainHead())!.n;
    await store.close();
    publicKey = evidenceKeyFiles(files).publicFile;
  });
  after(async () => {
    await cluster?.stop();
    tmp.remove();
  });

  /** Runs SQL on a database and returns the rows of its last statement. */
  async function sql<R>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  }

  /** A copy of the intact database, changed by `tamper` (given the copy's URL). */
  async function tampered(tamper: (url: string) => Promise<void>): Promise<string> {
    const name = `copy_${++copies}`;
    await sql(cluster.url(), `CREATE DATABASE ${name} TEMPLATE original`);
    const url = cluster.url(name);
    await tamper(url);
    return url;
  }

  const verify = (url: string) => runInProcess(['verify', '--db', url, '--key', publicKey]);

  /** The entry and leaf of a record, and its entry's size. */
  async function whereIs(url: string, kind: ChainKind, ref: number): Promise<{ n: number; leaf: number; size: number }> {
    const [row] = await sql<{ n: number; leaf: number; size: number }>(url,
      'SELECT l.n::int, l.leaf, c.size FROM chain_leaves l JOIN chain_commits c ON c.n = l.n WHERE l.kind = $1 AND l.ref = $2', [kind, ref]);
    return row;
  }

  test('the intact store verifies under its signed checkpoint, with entries of several records', async () => {
    const r = await verify(cluster.url('original'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`the evidence chain is intact: ${last} entries`));
    assert.match(r.stdout, new RegExp(`signed checkpoints checked: 1, the last at entry ${last}`));
    assert.ok((await whereIs(cluster.url('original'), 'fix', 9)).size >= 2);
    assert.deepEqual(await sql(cluster.url('original'), 'SELECT count(*)::int AS n FROM chain'), [{ n: 0 }], 'no entry of the record form');
  });

  test('an incident\'s bundle from it proves each record by inclusion proofs up to the signed checkpoint, checked offline; a changed record is caught', async () => {
    const store = await openPgStore(cluster.url('original'), { files: tmp.file('original') });
    let bundle: EvidenceBundleV2;
    try {
      bundle = await incidentBundle(store, await clintLayers(), 1) as EvidenceBundleV2;
    } finally {
      await store.close();
    }
    assert.equal(bundle.version, 2);
    assert.ok(bundle.records.some((r) => r.leaf !== null && r.path.length > 0), 'records carry their leaf and audit path');
    assert.ok(bundle.records.every((r) => bundle.entries.find((e) => e.n === r.n)?.form === 'commit'));
    const file = tmp.file('incident-1.json');
    writeFileSync(file, JSON.stringify(bundle));
    let r = await runInProcess(['verify', file, '--key', publicKey]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const changed = structuredClone(bundle);
    const fix = changed.records.find((x) => x.kind === 'fix')!;
    fix.record.lat = (fix.record.lat as number) + 0.001;
    writeFileSync(file, JSON.stringify(changed));
    r = await runInProcess(['verify', file, '--key', publicKey]);
    assert.equal(r.code, 1);
  });

  test('lindero export and report read an incident from the database by its URL, the evidence key named by --db-files', async () => {
    const url = cluster.url('original');
    const bundleFile = tmp.file('exported.json'), reportFile = tmp.file('report.html');
    let r = await runInProcess(['export', '--incident', '1', '--db', url, '--db-files', tmp.file('original'), '--out', bundleFile]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /exported\.json: incident 1, \d+ fixes, \d+ alerts, \d+ incident records; chain entries \d+ to \d+, signed checkpoint at entry \d+/);
    r = await runInProcess(['verify', bundleFile, '--key', publicKey]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    r = await runInProcess(['report', '--incident', '1', '--db', url, '--db-files', tmp.file('original'), '--out', reportFile, '--lang', 'en']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /report\.html: incident 1, \d+ units, \d+ positions, \d+ alerts; evidence verified/);
    // The password of a URL is not printed when the store cannot be read.
    r = await runInProcess(['export', '--incident', '1', '--db', cluster.url('no_such_db').replace(/^postgresql:\/\/[^@]*@/, 'postgresql://someone:secret@'), '--out', bundleFile]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /postgresql:\/\/someone:\*+@/, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /secret/);
  });

  test('a stored fix altered is caught and named, with its leaf', async () => {
    const url = await tampered((u) => sql(u, 'UPDATE fixes SET lat = lat + 0.001 WHERE id = 17').then(() => undefined));
    const r = await verify(url);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry (\d+): fix 17 \(unit \S+ at 2019-04-13T\S+\), entry \1 of the chain, was altered after it was stored: .* \(leaf \d+ of \d+\)/);
  });

  test('a deleted fix is caught and named, with its place in the chain', async () => {
    const r = await verify(await tampered((u) => sql(u, 'DELETE FROM fixes WHERE id = 9').then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry (\d+): fix 9, entry \1 of the chain, is missing from table fixes: it was deleted/);
  });

  test('a record deleted with its leaf is caught as the leaf missing', async () => {
    const r = await verify(await tampered((u) => sql(u, "DELETE FROM alerts WHERE id = 2; DELETE FROM chain_leaves WHERE kind = 'alert' AND ref = 2").then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry \d+: leaf \d+ of chain entry \d+ is missing: the record there was deleted/);
  });

  test('a flipped byte in an entry\'s hash, or in its tree root, is caught and told apart', async () => {
    let r = await verify(await tampered((u) => sql(u, "UPDATE chain_commits SET hash = set_byte(hash, 5, get_byte(hash, 5) # 1) WHERE n = 10").then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry 10: the chain hash of entry 10 .* does not follow from entry 9/);
    r = await verify(await tampered((u) => sql(u, "UPDATE chain_commits SET root = set_byte(root, 0, get_byte(root, 0) # 64) WHERE n = 7").then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry 7: the tree root recorded with entry 7 was altered/);
  });

  test('two leaves of one commit swapped, or two entries swapped, are caught as reordered', async () => {
    const { n, leaf } = await whereIs(cluster.url('original'), 'fix', 9);
    const other = leaf === 0 ? 1 : 0;
    let r = await verify(await tampered((u) => sql(u,
      `UPDATE chain_leaves SET leaf = -1 WHERE n = ${n} AND leaf = ${leaf}; UPDATE chain_leaves SET leaf = ${leaf} WHERE n = ${n} AND leaf = ${other};
       UPDATE chain_leaves SET leaf = ${other} WHERE n = ${n} AND leaf = -1`).then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${n}: the records of entry ${n} no longer give the tree root it was chained with`));
    r = await verify(await tampered((u) => sql(u, ['chain_commits', 'chain_leaves']
      .map((t) => `UPDATE ${t} SET n = -10 WHERE n = 10; UPDATE ${t} SET n = 10 WHERE n = 11; UPDATE ${t} SET n = 11 WHERE n = -10;`).join(' ')).then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry 10: the chain entry recorded at position 10 is now at position 11: the chain's entries were reordered/);
  });

  test('a fix slipped into the table without a leaf is caught', async () => {
    const r = await verify(await tampered((u) => sql(u,
      `INSERT INTO fixes (id, seq, unit, time_ms, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json)
       SELECT 1000, 1000, unit, time_ms + 1, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json FROM fixes WHERE id = 1`)
      .then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /fix 1000 in table fixes is not in the evidence chain: it was added outside lindero/);
  });

  test('the last entry deleted with its records is caught by the signed checkpoint', async () => {
    const r = await verify(await tampered((u) => sql(u,
      `DELETE FROM incident_records WHERE id IN (SELECT ref FROM chain_leaves WHERE n = ${last} AND kind = 'incident');
       DELETE FROM alerts WHERE id IN (SELECT ref FROM chain_leaves WHERE n = ${last} AND kind = 'alert');
       DELETE FROM fixes WHERE id IN (SELECT ref FROM chain_leaves WHERE n = ${last} AND kind = 'fix');
       DELETE FROM chain_leaves WHERE n = ${last}; DELETE FROM chain_commits WHERE n = ${last}`).then(() => undefined)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${last}: the chain ends at entry ${last - 1}, but a checkpoint signed on \\S+ covers entry ${last}`));
  });

  test('a chain rewritten consistently after a fix was altered no longer matches what was signed', async () => {
    const url = await tampered(async (u) => {
      await sql(u, 'UPDATE fixes SET lat = lat + 0.001 WHERE id = 12');
      // bigint read as numbers, as the store reads them, so that the records hash as lindero hashes them.
      const types = { getTypeParser: ((oid: number, format?: 'text') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
      const client = new pg.Client({ connectionString: u, types });
      await client.connect();
      try {
        let previous: Buffer = GENESIS_HASH;
        for (const { n } of (await client.query<{ n: string }>('SELECT n FROM chain_commits ORDER BY n')).rows) {
          const leaves = (await client.query<{ leaf: number; kind: ChainKind; ref: string }>('SELECT leaf, kind, ref FROM chain_leaves WHERE n = $1 ORDER BY leaf', [n])).rows;
          const hashes: Buffer[] = [];
          for (const l of leaves) {
            const { table, columns } = RECORD_COLUMNS[l.kind];
            const [row] = (await client.query(`SELECT ${columns.join(', ')} FROM ${table} WHERE id = $1`, [l.ref])).rows as Record<string, unknown>[];
            hashes.push(recordHash(chainRecord(l.kind, row)));
            await client.query('UPDATE chain_leaves SET record_hash = $1 WHERE n = $2 AND leaf = $3', [hashes[hashes.length - 1], n, l.leaf]);
          }
          const root = commitRoot(hashes);
          previous = commitLinkHash(previous, hashes.length, root);
          await client.query('UPDATE chain_commits SET root = $1, hash = $2 WHERE n = $3', [root, previous, n]);
        }
      } finally {
        await client.end();
      }
    });
    const r = await verify(url);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${last}: entry ${last} differs from what was signed on \\S+: the chain up to it was rewritten`));
  });
});
