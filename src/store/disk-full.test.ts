import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SqliteStore } from './index.js';
import { openDatabase } from './open.js';
import { numberedFix, tempDir } from '../../test/helpers/store-fixtures.js';

const tmp = tempDir();
after(() => tmp.remove());

test('when the disk fills up, callers are told store-disk-full, and exactly the acknowledged fixes are kept', async () => {
  const file = tmp.file('full.db');
  const db = openDatabase(file);
  // A page budget stands in for a full disk: SQLite reports SQLITE_FULL either way.
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + 40}`);
  const store = new SqliteStore(db, file);
  const acknowledged: number[] = [];
  let refusals = 0;
  let next = 0;
  for (let round = 0; round < 40 && refusals < 3; round++) {
    const calls = Array.from({ length: 5 }, (_, c) => {
      const indexes = Array.from({ length: 10 + c * 10 }, () => next++);
      return store.appendFixes(indexes.map(numberedFix)).then(
        () => acknowledged.push(...indexes),
        (e: { code?: string; place?: { file?: string } }) => {
          assert.equal(e.code, 'store-disk-full');
          assert.equal(e.place?.file, file);
          refusals += 1;
        },
      );
    });
    await Promise.all(calls);
  }
  assert.ok(refusals > 0, 'the page budget was reached');
  assert.ok(acknowledged.length > 0, 'fixes were stored before it was');
  const stored = (await store.fixesInWindow(-8.64e15, 8.64e15)).map((f) => Math.round((f.time - numberedFix(0).fix.time) / 1000));
  assert.deepEqual(stored.sort((a, b) => a - b), acknowledged.sort((a, b) => a - b));
  await store.close();
});
