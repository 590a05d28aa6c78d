import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { LinderoError } from '../model/index.js';
import { openSqliteStore, openWorkerStore } from './index.js';
import { alertFor, fixToAppend, numberedFix, tempDir } from '../../test/helpers/store-fixtures.js';

const tmp = tempDir('lindero-worker-store-');
after(() => tmp.remove());
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

test('the store in a worker thread stores, deduplicates and reads back fixes exactly as the store in the caller\'s thread', async () => {
  const items = [fixToAppend('bp-1', T0, 31.78, -106.52, { accuracyM: 4.5, source: 'cot' }), fixToAppend('bp-1', T0 - 1000, 31.77, -106.5), fixToAppend('bp-2', T0, 31.7, -106.4)];
  const results = [];
  for (const [name, open] of [['here', openSqliteStore], ['worker', openWorkerStore]] as const) {
    const store = await open(tmp.file(`${name}.db`));
    const appended = await store.appendFixes(items);
    const again = await store.appendFixes([items[0]]);
    results.push({
      appended: appended.map((r) => [r.status, r.late]),
      again: again.map((r) => r.status),
      track: (await store.track('bp-1')).map(({ receivedMs: _r, ...f }) => f),
      units: (await store.units()).map((u) => [u.unit, u.fixCount, u.lastFix.time]),
      before: (await store.latestFixBefore('bp-1', T0))?.time,
    });
    await store.close();
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[0].appended, [['stored', false], ['stored', true], ['stored', false]]);
});

test('concurrent writes to the worker store are all committed once, in one or more group commits', async () => {
  const store = await openWorkerStore(tmp.file('concurrent.db'));
  const calls = Array.from({ length: 40 }, (_, c) => store.appendFixes(Array.from({ length: 25 }, (_, k) => numberedFix(c * 25 + k))));
  const results = (await Promise.all(calls)).flat();
  assert.equal(results.filter((r) => r.status === 'stored').length, 1000);
  assert.equal(new Set(results.map((r) => r.seq)).size, 1000);
  assert.equal((await store.fixesInWindow(-8.64e15, 8.64e15)).length, 1000);
  await store.close();
  // What was acknowledged is in the file for the next process.
  const reopened = await openSqliteStore(tmp.file('concurrent.db'));
  assert.equal((await reopened.fixesInWindow(-8.64e15, 8.64e15)).length, 1000);
  await reopened.close();
});

test('errors from the worker store keep their code and place; hashes and signatures come back as Buffers', async () => {
  const store = await openWorkerStore(tmp.file('errors.db'));
  const bad = fixToAppend('u', Number.NaN, 31, -106);
  await assert.rejects(store.appendFixes([bad]), (e: unknown) => e instanceof LinderoError && e.code === 'store-bad-fix' && e.place.field === 'time');
  await store.appendFixes([fixToAppend('u', T0, 31, -106)]);
  const stored = await store.appendAlert(alertFor('u', T0));
  assert.equal(stored.kind, 'approach');
  const head = (await store.chainHead())!;
  assert.ok(Buffer.isBuffer(head.hash) && head.hash.length === 32);
  assert.equal(head.form, 'commit');
  const [located] = await store.chainEntriesOf([{ kind: 'alert', id: stored.id }]);
  assert.ok(Buffer.isBuffer(located.recordHash));
  assert.deepEqual(await store.chainPositionsOfRecordHash(located.recordHash), [head.n]);
  const [entry] = await store.chainEntries(head.n - 1, 1);
  assert.ok(entry.form === 'commit' && Buffer.isBuffer(entry.root) && Buffer.isBuffer(entry.leaves[0].recordHash), 'Buffers cross the thread, leaves too');
  assert.deepEqual(await store.chainHashes(head.n - 1), [head.hash]);
  const checkpoint = {
    n: head.n, hash: head.hash, signedMs: T0, publicKey: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n', signature: Buffer.from([1, 2]),
    treeRoot: Buffer.alloc(32, 3),
  };
  await store.appendCheckpoint(checkpoint);
  const [read] = await store.checkpoints();
  assert.ok(Buffer.isBuffer(read.signature) && Buffer.isBuffer(read.hash));
  assert.deepEqual(read, checkpoint);
  // Fixes are checked in the caller's thread, as the store in the caller's thread checks them.
  await assert.rejects(store.appendFixes([{ fix: { unit: 'u', time: T0, lat: 31, lon: -106, source: 'json' }, determination: null } as never]),
    { code: 'store-bad-fix', place: { index: 0, field: 'determination' } });
  await assert.rejects(store.appendAlert({ ...alertFor('u', T0), f: () => 1 } as never), { code: 'store-bad-input' });
  await store.close();
  await assert.rejects(store.units(), { code: 'store-closed' });
  await store.close();
});

test('a file that is not a store is refused at open, naming the file', async () => {
  const file = tmp.file('not-a-store.db');
  writeFileSync(file, 'this is not a database, just text long enough to be read as one '.repeat(20));
  await assert.rejects(openWorkerStore(file), (e: unknown) => e instanceof LinderoError && e.message.includes(file));
});

test('calls made in one turn cross to the worker together; one that cannot cross is refused alone, the others answered', async () => {
  const store = await openWorkerStore(tmp.file('one-turn.db'));
  const good = store.appendFixes([fixToAppend('u', T0, 31, -106)]);
  const bad = store.appendAlert({ ...alertFor('u', T0), f: () => 1 } as never);
  await assert.rejects(bad, { code: 'store-bad-input' });
  assert.deepEqual((await good).map((r) => r.status), ['stored']);
  assert.deepEqual((await store.units()).map((u) => [u.unit, u.fixCount]), [['u', 1]]);
  await store.close();
});
