import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { openSqliteStore } from './index.js';
import { fixToAppend, tempDir } from '../../test/helpers/store-fixtures.js';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const tmp = tempDir();
after(() => tmp.remove());

function committerOn(db: Database.Database): GroupCommit {
  const batch = db.transaction((body: () => void) => body());
  const savepoint = db.transaction((work: () => unknown) => work());
  return new GroupCommit({
    inTransaction: (body) => batch.immediate(body),
    inSavepoint: <T>(work: () => T) => savepoint(work) as T,
    isOpen: () => db.inTransaction,
    describeError: (e) => e,
  });
}

test('a hundred callers appending one fix each in the same turn share one commit', async () => {
  const store = await openSqliteStore(tmp.file('group.db'));
  const calls = Array.from({ length: 100 }, (_, i) => store.appendFixes([fixToAppend(`u${i % 7}`, T0 + i, 31, -106)]));
  const results = await Promise.all(calls);
  assert.deepEqual(store.commitStats, { commits: 1, writes: 100 });
  assert.deepEqual(results.map(([r]) => r.seq), Array.from({ length: 100 }, (_, i) => i + 1), 'seq follows call order');
  assert.equal((await store.fixesInWindow(T0, T0 + 100)).length, 100);
  await store.close();
});

test('a caller waiting for its commit before the next append gets one commit per call', async () => {
  const store = await openSqliteStore(tmp.file('sequential.db'));
  for (let i = 0; i < 5; i++) await store.appendFixes([fixToAppend('u', T0 + i, 31, -106)]);
  assert.deepEqual(store.commitStats, { commits: 5, writes: 5 });
  await store.close();
});

test('a write that fails is rolled back alone; the others in its commit are stored', async () => {
  const db = new Database(tmp.file('savepoint.db'));
  db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const commits = committerOn(db);
  const ok1 = commits.submit(() => insert.run(1).changes);
  const failing = commits.submit(() => {
    insert.run(2);
    throw new Error('rule rejected the write');
  });
  const ok3 = commits.submit(() => insert.run(3).changes);
  assert.equal(await ok1, 1);
  await assert.rejects(failing, /rule rejected the write/);
  assert.equal(await ok3, 1);
  assert.deepEqual(db.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [1, 3]);
  assert.equal(commits.commits, 1);
  db.close();
});

test('when the commit itself fails every caller in it is told, and nothing of theirs is stored', async () => {
  const db = new Database(tmp.file('deferred.db'));
  db.exec('PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY);');
  db.exec('CREATE TABLE c (p INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)');
  const commits = committerOn(db);
  // A deferred foreign key is checked only at COMMIT, so this makes the commit fail.
  const a = commits.submit(() => db.prepare('INSERT INTO p (id) VALUES (1)').run());
  const b = commits.submit(() => db.prepare('INSERT INTO c (p) VALUES (99)').run());
  await assert.rejects(a, /FOREIGN KEY/);
  await assert.rejects(b, /FOREIGN KEY/);
  assert.equal(db.prepare('SELECT count(*) FROM p').pluck().get(), 0);
  assert.equal(db.inTransaction, false);
  db.close();
});

test('when SQLite aborts the whole transaction mid-batch, no caller in the batch is told its write was stored', async () => {
  const db = new Database(tmp.file('aborted.db'));
  db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const commits = committerOn(db);
  const before = commits.submit(() => insert.run(1));
  // Errors such as SQLITE_FULL or SQLITE_IOERR roll back the whole transaction, as this ROLLBACK does.
  const aborting = commits.submit(() => {
    db.exec('ROLLBACK');
    throw new Error('disk full');
  });
  const afterwards = commits.submit(() => insert.run(3));
  for (const p of [before, aborting, afterwards]) await assert.rejects(p, /disk full/);
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0);
  db.close();
});

test('close commits what was already accepted before closing the file', async () => {
  const file = tmp.file('close.db');
  const store = await openSqliteStore(file);
  const pending = store.appendFixes([fixToAppend('u', T0, 31, -106)]);
  await store.close();
  assert.equal((await pending)[0].status, 'stored');
  const reopened = await openSqliteStore(file);
  assert.equal((await reopened.track('u')).length, 1);
  await reopened.close();
});
