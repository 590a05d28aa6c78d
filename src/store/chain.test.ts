import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  canonicalJson, chainRecord, commitLinkHash, commitRoot, GENESIS_HASH, linkHash, MIGRATIONS, migrate, openSqliteStore, recordHash,
  type ChainEntryWithRecord, type ChainKind, type ChainRecord, type Store,
} from './index.js';
import { alertFor, fixToAppend, tempDir } from '../../test/helpers/store-fixtures.js';
import { storeKinds } from '../../test/helpers/stores.js';

const tmp = tempDir();
after(() => tmp.remove());
const kinds = storeKinds();
after(() => kinds.close());
const T0 = Date.UTC(2019, 3, 13, 15, 0, 0);

async function allEntries(store: Store): Promise<ChainEntryWithRecord[]> {
  const out: ChainEntryWithRecord[] = [];
  for (let page = await store.chainEntries(0, 2); page.length > 0; page = await store.chainEntries(out[out.length - 1].n, 2)) out.push(...page);
  return out;
}

/** Each record the entries hold, in chain order, flat: the record form's one, the commit form's leaves. */
type FlatRecord = { n: number; kind: ChainKind; ref: number; recordHash: Buffer; record: ChainRecord | null; seq: number | null };
function flat(entries: ChainEntryWithRecord[]): FlatRecord[] {
  return entries.flatMap((e): FlatRecord[] => (e.form === 'record' ? [e] : e.leaves));
}

/** Recomputes every hash from the records as stored now, in either form: what a verifier does. */
function recompute(entries: ChainEntryWithRecord[]): void {
  let previous: Buffer = GENESIS_HASH;
  entries.forEach((e, i) => {
    assert.equal(e.n, i + 1, 'positions have no gaps');
    const records = e.form === 'record' ? [e] : e.leaves;
    if (e.form === 'commit') assert.deepEqual(e.leaves.map((l) => l.leaf), Array.from({ length: e.size }, (_, k) => k), `leaves of ${e.n}`);
    for (const r of records) {
      assert.ok(r.record, `record ${r.kind} ${r.ref} of ${e.n} is there`);
      assert.deepEqual(recordHash(r.record), r.recordHash, `record hash of ${r.kind} ${r.ref}`);
    }
    const hash = e.form === 'record' ? linkHash(previous, e.recordHash) : commitLinkHash(previous, e.size, commitRoot(e.leaves.map((l) => l.recordHash)));
    if (e.form === 'commit') assert.deepEqual(commitRoot(e.leaves.map((l) => l.recordHash)), e.root, `root ${e.n}`);
    assert.deepEqual(hash, e.hash, `chain hash ${e.n}`);
    previous = e.hash;
  });
}

test('canonical JSON follows RFC 8785: sorted members, ECMAScript numbers and strings, no whitespace', () => {
  // RFC 8785 §3.2.2.3 examples and the §3.2.3 sorting example (names compared as UTF-16 code units).
  assert.equal(canonicalJson([333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001]), '[333333333.3333333,1e+30,4.5,0.002,1e-27]');
  assert.equal(canonicalJson({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' }),
  '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
  assert.equal(canonicalJson({ b: [true, null, -0], a: { d: 'x\u000f', c: 1 } }), '{"a":{"c":1,"d":"x\\u000f"},"b":[true,null,0]}');
  assert.throws(() => canonicalJson([Infinity]), RangeError);
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => canonicalJson(deep as never), /deeper than/);
});

test('a version 1 store is given its chain on upgrade, over the fixes and alerts already there, in their order', async () => {
  const file = tmp.file('upgrade.db');
  const db = new Database(file);
  migrate(db, file, MIGRATIONS.slice(0, 1));
  const event = db.prepare('INSERT INTO events (kind, received_ms) VALUES (?, 7)');
  const det = JSON.stringify(fixToAppend('u', 0, 31, -106).determination);
  event.run('fix');
  db.prepare(`INSERT INTO fixes (seq, unit, time_ms, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json)
    VALUES (1, 'old', ?, 31.5, -106.2, 'json', 7, 0, 'US', 12.5, 0.99, 1, 'inland', ?)`).run(T0, det);
  event.run('alert');
  db.prepare(`INSERT INTO alerts (seq, kind, unit, time_ms, territory, zone, late, received_ms, alert_json) VALUES (2, 'approach', 'old', ?, 'US', 'inland', 0, 7, '{}')`).run(T0);
  db.close();
  const store = await openSqliteStore(file);
  await store.appendFixes([fixToAppend('new', T0 + 1, 31, -106)]);
  const entries = await allEntries(store);
  assert.deepEqual(flat(entries).map((e) => [e.kind, e.ref, e.seq]), [['fix', 1, 1], ['alert', 1, 2], ['fix', 2, 3]]);
  assert.deepEqual(entries.map((e) => e.form), ['record', 'record', 'commit'], 'the chain switches form at the first commit after step 6');
  recompute(entries);
  assert.deepEqual(chainRecord('fix', { id: 1, lat: Infinity }).lat, 'Infinity', 'numbers JSON cannot hold are kept as text');
  await store.close();
});

test('the writer\'s record text equals the canonical JSON of the chain record, for every kind and odd values', async () => {
  const { rawRecordJson, RECORD_COLUMNS, CHAIN_KINDS } = await import('./chain.js');
  const odd: unknown[] = [null, undefined, 0, -0, 1.5, -1e-7, 1e21, 123456789012345, Infinity, -Infinity, NaN, 'US', '',
    'ünït "q" \\ \u0000 \u2028 😀', 42n, Buffer.from([1, 2, 250]), 'x'.repeat(300)];
  let k = 0;
  for (const kind of CHAIN_KINDS) {
    const columns = RECORD_COLUMNS[kind].columns;
    for (let round = 0; round < 40; round++) {
      const raw = columns.map(() => odd[k++ % odd.length]);
      const row = Object.fromEntries(columns.map((c, i) => [c, raw[i]]));
      assert.equal(rawRecordJson(kind, raw), canonicalJson(chainRecord(kind, row)), `${kind} round ${round}`);
      if (typeof raw[0] === 'number') assert.equal(rawRecordJson(kind, raw.slice(1), raw[0]), canonicalJson(chainRecord(kind, row)), `${kind} round ${round}, id apart`);
    }
  }
});

/** Fixes and alerts with odd values: lone surrogates, extreme numbers, and a late fix and a duplicate in later commits. */
async function appendOddValues(store: Store): Promise<void> {
  const oddFence = fixToAppend('fence', T0 + 2, 31.5, -106.5);
  oddFence.determination = { ...oddFence.determination, territory: 'M\ud801X', fence: { name: 'half \udc00 fence', side: 'inland', distanceM: 0, illustrative: false } };
  await store.appendFixes([
    fixToAppend('ünit "quoted" \\ 😀', T0 + 0.5, 31, -106),
    fixToAppend('lone \ud800 surrogate', T0 + 1, 31.000000000000004, -106.00000000000001, { accuracyM: 5, altM: -0, speedMps: 1e-7, courseDeg: 359.99999999999994 }),
    fixToAppend('u', 1e12 + 0.25, 89.99999999999999, 179.99999999999997, { accuracyM: 1e6, altM: 8848 }),
    fixToAppend('v', 8.64e15, -90, -180, { accuracyM: 0, altM: 1e300, speedMps: 5e-324 }),
    oddFence,
  ]);
  // The same unit again: earlier (late), the same fix (a duplicate), later, in other commits.
  await store.appendFixes([fixToAppend('u', 1e12, 10, 10), fixToAppend('u', 1e12 + 0.25, 89.99999999999999, 179.99999999999997, { accuracyM: 1e6, altM: 8848 })]);
  await store.appendFixes([fixToAppend('u', 1e12 + 1, 10, 10)]);
  await store.appendAlert({ ...alertFor('lone \udbff', T0 + 0.5, 'proximity'), otherUnit: 'other \udfff', late: true, unitDistanceM: 0.1 });
  await store.appendAlert(alertFor('plain', -8.64e15, 'crossing'));
}

/** The odd values' chain entries are the rows as a verifier reads them back: each hash recomputes. Closes the store. */
async function oddValuesChainAsRead(store: Store): Promise<void> {
  await appendOddValues(store);
  const entries = await allEntries(store);
  assert.deepEqual(flat(entries).map((e) => e.kind), ['fix', 'fix', 'fix', 'fix', 'fix', 'fix', 'fix', 'alert', 'alert']);
  assert.deepEqual(flat(entries).map((e) => e.record?.late ?? null), [0, 0, 0, 0, 0, 1, 0, 1, 0], 'late as stored');
  recompute(entries);
  await store.close();
}

test('fixes and alerts with odd values chain to the hash of the row as a verifier reads it back, in the SQLite store in the worker thread', async () => {
  const { openWorkerStore } = await import('./worker-store.js');
  const store = await openWorkerStore(tmp.file('odd-values-worker.db'));
  await oddValuesChainAsRead(store);
});

for (const kind of kinds) {
  describe(`the evidence chain of the ${kind.name} store`, { skip: kind.skip }, () => {
  test('every fix, alert, incident record and policy change gets the next chain entry, each bound to the one before', async () => {
    const store = await kind.open('all-kinds.db', { now: () => T0 + 5000 });
    await store.appendFixes([fixToAppend('us-1', T0, 31.51, -106.23), fixToAppend('mx-1', T0, 31.5, -106.23)]);
    await store.appendAlert(alertFor('mx-1', T0 + 1000, 'crossing'));
    const opened = await store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { units: ['mx-1'], from_ms: T0 } });
    const key = await store.createApiKey('dispatch');
    await store.revokeApiKey(key.id);
    const policy = await store.appendPolicyChange('layers', { fences: ['Clint fence (illustrative)'] });
    const entries = await allEntries(store);
    assert.deepEqual(flat(entries).map((e) => e.kind), ['fix', 'fix', 'alert', 'incident', 'policy', 'policy', 'policy']);
    assert.deepEqual(flat(entries).map((e) => e.seq), [1, 2, 3, null, null, null, null], 'fixes and alerts keep their global order');
    recompute(entries);
    // A commit per entry: the two fixes share one.
    assert.deepEqual(entries.map((e) => e.form), ['commit', 'commit', 'commit', 'commit', 'commit', 'commit']);
    assert.equal(opened.chainN, 3);
    assert.equal(opened.incidentId, 1);
    assert.equal(policy.chainN, 6);
    assert.deepEqual((await store.incidentRecords()).map((r) => r.chainN), [opened.chainN], 'read back at the same place');
    assert.deepEqual((await store.policyChanges()).map((p) => p.action), ['api-key-created', 'api-key-revoked', 'layers']);
    assert.deepEqual((await store.policyChanges('api-key-revoked')).map((p) => p.action), ['api-key-revoked']);
    assert.deepEqual((await store.policyChanges()).map((p) => p.chainN), [4, 5, 6]);
    const last = entries[entries.length - 1];
    const { record: _record, seq: _seq, leaves: _leaves, ...head } = last as ChainEntryWithRecord & { record?: unknown; seq?: unknown; leaves?: unknown };
    assert.deepEqual(await store.chainHead(), head);
    await store.close();
  });

  test('the chain record of a fix is its stored row without seq, so what is hashed is what a reader sees', async () => {
    const store = await kind.open('record.db', { now: () => 99 });
    await store.appendFixes([fixToAppend('bp-7', T0, 31.506, -106.23, { accuracyM: 4.5 })]);
    const [entry] = flat(await store.chainEntries(0));
    assert.equal(entry.record?.type, 'fix');
    assert.equal(entry.record?.unit, 'bp-7');
    assert.equal(entry.record?.accuracy_m, 4.5);
    assert.equal(entry.record?.alt_m, null);
    assert.equal(entry.record?.received_ms, 99);
    assert.equal('seq' in (entry.record ?? {}), false);
    assert.equal(typeof entry.record?.determination_json, 'string');
    await store.close();
  });

  test('an item refused inside a batch leaves no chain entry and the chain goes on without a gap', async () => {
    const store = await kind.open('refused.db');
    const good = store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { note: 'first' } });
    const bad = store.appendIncidentRecord({ incidentId: 42, action: 'extended', record: {} });
    const next = store.appendFixes([fixToAppend('u', T0, 31, -106)]);
    await good;
    await assert.rejects(bad, { code: 'store-unknown-incident' });
    await next;
    recompute(await allEntries(store));
    assert.deepEqual(flat(await allEntries(store)).map((e) => e.kind), ['incident', 'fix']);
    await store.close();
  });

  test('incident records are refused with the field named when malformed, oversized or out of sequence', async () => {
    const store = await kind.open('bad-incident.db');
    await assert.rejects(store.appendIncidentRecord({ incidentId: null, action: 'extended', record: {} }), { code: 'store-bad-incident', place: { field: 'action' } });
    await assert.rejects(store.appendIncidentRecord({ incidentId: 0, action: 'opened', record: {} }), { place: { field: 'incidentId' } });
    await assert.rejects(store.appendIncidentRecord({ incidentId: null, action: 'deleted' as never, record: {} }), { place: { field: 'action' } });
    await assert.rejects(store.appendIncidentRecord({ incidentId: null, action: 'opened', record: [] as never }), { place: { field: 'record' } });
    await assert.rejects(store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { note: 'x'.repeat(70_000) } }), /65536/);
    await assert.rejects(store.appendPolicyChange('DROP TABLE', {}), { code: 'store-bad-policy', place: { field: 'action' } });
    assert.equal(await store.chainHead(), null, 'nothing was written');
    await store.close();
  });

  test('a checkpoint is stored only for a position the chain has with exactly that hash', async () => {
    const store = await kind.open('checkpoint.db');
    await store.appendFixes([fixToAppend('u', T0, 31, -106)]);
    const head = (await store.chainHead())!;
    const checkpoint = {
      n: head.n, hash: head.hash, signedMs: T0, publicKey: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n', signature: Buffer.from([1, 2]),
      treeRoot: Buffer.alloc(32, 9),
    };
    await assert.rejects(store.appendCheckpoint({ ...checkpoint, hash: Buffer.alloc(32, 7) }), { code: 'store-bad-checkpoint' });
    await assert.rejects(store.appendCheckpoint({ ...checkpoint, n: 2 }), /no entry 2/);
    await assert.rejects(store.appendCheckpoint({ ...checkpoint, treeRoot: Buffer.alloc(5) }), { code: 'store-bad-checkpoint' });
    await store.appendCheckpoint(checkpoint);
    await store.appendCheckpoint(checkpoint);
    assert.deepEqual(await store.checkpoints(), [checkpoint]);
    assert.deepEqual(await store.checkpoints(head.n), [], 'paged by position');
    assert.deepEqual(await store.latestCheckpoint(), checkpoint);
    await store.close();
  });

  test('a row written behind the store\'s back is found unchained; chain entries are found by record', async () => {
    const store = await kind.open('unchained.db');
    await store.appendFixes([fixToAppend('u', T0, 31, -106), fixToAppend('u', T0 + 1, 31, -106)]);
    await kind.exec('unchained.db', "INSERT INTO policy_changes (action, received_ms, record_json) VALUES ('api-key-created', 1, '{}')");
    assert.deepEqual(await store.unchainedRecords(), [{ kind: 'policy', id: 1 }]);
    const [second] = await store.chainEntriesOf([{ kind: 'fix', id: 2 }, { kind: 'alert', id: 2 }]);
    // One commit: entry 1, its leaf 1.
    assert.deepEqual([second.n, second.leaf], [1, 1]);
    assert.deepEqual(await store.chainPositionsOfRecordHash(second.recordHash), [second.n]);
    assert.deepEqual((await store.chainHashes(0)).length, 1);
    await store.close();
  });

  test('two connections (two processes, or two nodes) writing the same store in turn keep one chain and each unit\'s latest time right (nothing cached goes stale)', async () => {
    const a = await kind.open('two-writers.db');
    const b = await kind.open('two-writers.db');
    await a.appendFixes([fixToAppend('u', T0 + 10, 31, -106)]);
    await b.appendFixes([fixToAppend('u', T0 + 20, 31, -106)]);
    await b.createApiKey('from the other process');
    // a cached u's latest time as T0+10 and the chain head at 1: both are stale now.
    const [late] = await a.appendFixes([fixToAppend('u', T0 + 15, 31, -106)]);
    assert.equal(late.late, true, 'b\'s newer fix is seen');
    const [duplicate] = await a.appendFixes([fixToAppend('u', T0 + 20, 31, -106)]);
    assert.equal(duplicate.status, 'duplicate', 'b\'s fix is found as the same fix');
    await a.appendAlert(alertFor('u', T0 + 20));
    await b.appendFixes([fixToAppend('u', T0 + 30, 31, -106)]);
    const entries = await allEntries(a);
    assert.deepEqual(flat(entries).map((e) => e.kind), ['fix', 'fix', 'policy', 'fix', 'alert', 'fix']);
    recompute(entries);
    const [unit] = await b.units();
    assert.equal(unit.fixCount, 4);
    await a.close();
    await b.close();
  });

  test('a store whose chain was written a record per entry goes on in the commit form: positions continue, and every record is found in either form', async () => {
    let store = await kind.open('switch.db', { chainForm: 'record' });
    await store.appendFixes([fixToAppend('u', T0, 31, -106), fixToAppend('u', T0 + 1, 31, -106)]);
    const opened = await store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { units: ['u'] } });
    await store.close();
    store = await kind.open('switch.db');
    await store.appendFixesAndAlerts([fixToAppend('u', T0 + 2, 31, -106), fixToAppend('v', T0 + 2, 31, -106)], [alertFor('u', T0 + 2)]);
    const noted = await store.appendIncidentRecord({ incidentId: opened.incidentId, action: 'noted', record: { note: 'after the switch' } });
    const entries = await allEntries(store);
    assert.deepEqual(entries.map((e) => e.form), ['record', 'record', 'record', 'commit', 'commit']);
    assert.deepEqual(flat(entries).map((e) => [e.n, e.kind, e.ref]), [[1, 'fix', 1], [2, 'fix', 2], [3, 'incident', 1], [4, 'fix', 3], [4, 'fix', 4], [4, 'alert', 1], [5, 'incident', 2]]);
    recompute(entries);
    assert.deepEqual((await store.incidentRecords()).map((r) => r.chainN), [3, 5]);
    // Only the records stored after one (what the incident rule reads between its runs).
    assert.deepEqual((await store.incidentRecords(undefined, opened.id)).map((r) => r.id), [noted.id]);
    assert.deepEqual((await store.incidentRecords(opened.incidentId, opened.id)).map((r) => r.record), [{ note: 'after the switch' }]);
    assert.deepEqual(await store.incidentRecords(opened.incidentId + 1, 0), []);
    assert.equal(noted.chainN, 5);
    const found = await store.chainEntriesOf([{ kind: 'fix', id: 2 }, { kind: 'alert', id: 1 }, { kind: 'incident', id: 2 }]);
    assert.deepEqual(found.map((l) => [l.n, l.leaf]), [[2, null], [4, 2], [5, 0]]);
    assert.deepEqual(await store.chainHashes(2), entries.slice(2).map((e) => e.hash));
    assert.deepEqual((await store.chainHead())?.n, 5);
    assert.deepEqual(await store.unchainedRecords(), []);
    await store.close();
  });

  test('odd values (lone surrogates, extreme numbers, late and duplicate fixes) chain to the hash of the row as a verifier reads it back', async () => {
    const store = await kind.open('odd-values.db');
    await oddValuesChainAsRead(store);
  });
  });
}
