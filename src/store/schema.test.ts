import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { APPLICATION_ID, type Migration, migrate, openSqliteStore, SCHEMA_VERSION } from './index.js';
import { fixToAppend, tempDir } from '../../test/helpers/store-fixtures.js';

const tmp = tempDir();
after(() => tmp.remove());

// A three-step history, to prove the runner on steps that transform data already there.
const history: Migration[] = [
  { version: 1, description: 'places', up: (db) => db.exec('CREATE TABLE places (name TEXT NOT NULL, lat REAL, lon REAL)') },
  { version: 2, description: 'place kind', up: (db) => db.exec("ALTER TABLE places ADD COLUMN kind TEXT NOT NULL DEFAULT 'post'") },
  {
    version: 3,
    description: 'places keyed by name',
    up: (db) => db.exec(`CREATE TABLE places_new (name TEXT PRIMARY KEY, lat REAL, lon REAL, kind TEXT NOT NULL);
      INSERT INTO places_new SELECT name, lat, lon, upper(kind) FROM places; DROP TABLE places;
      ALTER TABLE places_new RENAME TO places;`),
  },
];

function versionOf(file: string): { version: number; appId: number } {
  const db = new Database(file, { readonly: true });
  const result = { version: db.pragma('user_version', { simple: true }) as number, appId: db.pragma('application_id', { simple: true }) as number };
  db.close();
  return result;
}

test('a new store file is created at the current schema version and marked as a lindero store', async () => {
  const file = tmp.file('new.db');
  const store = await openSqliteStore(file);
  await store.close();
  assert.deepEqual(versionOf(file), { version: SCHEMA_VERSION, appId: APPLICATION_ID });
  const again = await openSqliteStore(file);
  await again.close();
  assert.deepEqual(versionOf(file), { version: SCHEMA_VERSION, appId: APPLICATION_ID });
});

test('a version 1 file is migrated step by step to the current version, keeping its data', () => {
  const file = tmp.file('v1.db');
  const db = new Database(file);
  assert.deepEqual(migrate(db, file, history.slice(0, 1)), { from: 0, to: 1 });
  db.prepare('INSERT INTO places VALUES (?, ?, ?)').run('Santa Teresa', 31.78, -106.68);
  assert.deepEqual(migrate(db, file, history), { from: 1, to: 3 });
  assert.deepEqual(db.prepare('SELECT * FROM places').all(), [{ name: 'Santa Teresa', lat: 31.78, lon: -106.68, kind: 'POST' }]);
  assert.deepEqual(migrate(db, file, history), { from: 3, to: 3 }, 'a current file is left alone');
  db.close();
});

test('a step that fails is rolled back and leaves the file at the last good version', () => {
  const file = tmp.file('failing.db');
  const db = new Database(file);
  migrate(db, file, history.slice(0, 2));
  db.prepare('INSERT INTO places (name) VALUES (?), (?)').run('Columbus', 'Columbus');
  // Step 3 keys places by name, which two rows named Columbus violate.
  assert.throws(() => migrate(db, file, history), (e: unknown) => {
    assert.ok(e instanceof LinderoError);
    assert.equal(e.code, 'store-migration-failed');
    assert.match(e.message, /failing\.db: schema step 3 \(places keyed by name\) failed and was rolled back: UNIQUE/);
    return true;
  });
  assert.equal(db.pragma('user_version', { simple: true }), 2);
  assert.equal(db.prepare('SELECT count(*) FROM places').pluck().get(), 2);
  db.close();
});

test('a file from a newer lindero is refused, untouched, with a message naming the file and both versions', async () => {
  const file = tmp.file('future.db');
  const store = await openSqliteStore(file);
  await store.appendFixes([fixToAppend('u', 1, 31, -106)]);
  await store.close();
  const db = new Database(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  await assert.rejects(openSqliteStore(file), (e: unknown) => {
    assert.ok(e instanceof LinderoError);
    assert.equal(e.code, 'store-too-new');
    assert.equal(e.place.file, file);
    assert.ok(e.message.includes(file) && e.message.includes(`version ${SCHEMA_VERSION + 1}`) && e.message.includes(`up to ${SCHEMA_VERSION}`));
    return true;
  });
  assert.equal(versionOf(file).version, SCHEMA_VERSION + 1);
});

test('another program\'s SQLite file (a GeoPackage, an unmarked database) is refused and left untouched', async () => {
  const gpkg = tmp.file('borders.gpkg');
  const g = new Database(gpkg);
  g.pragma('application_id = 0x47504B47'); // "GPKG", OGC GeoPackage 1.2 §1.1.1.1.1
  g.exec('CREATE TABLE gpkg_contents (table_name TEXT)');
  g.close();
  await assert.rejects(openSqliteStore(gpkg), { code: 'store-foreign', place: { file: gpkg } });
  const plain = tmp.file('plain.db');
  const p = new Database(plain);
  p.exec('CREATE TABLE notes (body TEXT)');
  p.close();
  await assert.rejects(openSqliteStore(plain), { code: 'store-foreign', place: { file: plain } });
  const check = new Database(plain, { readonly: true });
  assert.deepEqual(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(), ['notes']);
  check.close();
});

test("two stores open on one file share one migrated schema and see each other's writes", async () => {
  const file = tmp.file('race.db');
  const [a, b] = await Promise.all([openSqliteStore(file), openSqliteStore(file)]);
  await a.appendFixes([fixToAppend('u', 1, 31, -106)]);
  assert.equal((await b.track('u')).length, 1);
  await a.close();
  await b.close();
  assert.equal(versionOf(file).version, SCHEMA_VERSION);
});

test('a migration list with a gap is a programming error caught before touching the file', () => {
  const db = new Database(':memory:');
  assert.throws(() => migrate(db, 'mem', [history[0], history[2]]), /expected 2/);
  assert.equal(db.pragma('user_version', { simple: true }), 0);
  db.close();
});
