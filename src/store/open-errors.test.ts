import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { openSqliteStore } from './index.js';
import { fixToAppend, tempDir } from '../../test/helpers/store-fixtures.js';

const tmp = tempDir();
after(() => tmp.remove());

/** Asserts a LinderoError with this code whose message and place name the file. */
function namesFile(code: string, file: string) {
  return (e: unknown) => {
    assert.ok(e instanceof LinderoError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.place.file, file);
    assert.ok(e.message.includes(file), e.message);
    return true;
  };
}

/** Seeded bytes (xorshift32), so the garbage is the same on every run. */
function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function storeWithFixes(name: string, count: number): Promise<string> {
  const file = tmp.file(name);
  const store = await openSqliteStore(file);
  await store.appendFixes(Array.from({ length: count }, (_, i) => fixToAppend(`u${i % 10}`, i * 1000, 31 + i / 1e5, -106)));
  await store.close();
  return file;
}

test('binary garbage is refused as not a SQLite database, and the file is left as it was', async () => {
  const file = tmp.file('garbage.db');
  const bytes = garbage(65536, 0x9e3779b9);
  writeFileSync(file, bytes);
  await assert.rejects(openSqliteStore(file), namesFile('store-not-sqlite', file));
  assert.deepEqual(readFileSync(file), bytes);
});

test('a GeoJSON file given as the database is refused as not a SQLite database', async () => {
  const file = tmp.file('boundary.geojson');
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [], padding: 'x'.repeat(200) }));
  await assert.rejects(openSqliteStore(file), namesFile('store-not-sqlite', file));
});

test('an empty file becomes a new store', async () => {
  const file = tmp.file('empty.db');
  writeFileSync(file, '');
  const store = await openSqliteStore(file);
  assert.deepEqual(await store.units(), []);
  await store.close();
});

test('a store cut short or with a damaged first page is refused as corrupt', async () => {
  const whole = readFileSync(await storeWithFixes('whole.db', 500));
  for (const [name, bytes] of [
    ['cut-50.db', whole.subarray(0, 50)],
    ['cut-9000.db', whole.subarray(0, 9000)],
    ['page1.db', Buffer.concat([whole.subarray(0, 100), garbage(3996, 7), whole.subarray(4096)])],
  ] as const) {
    const file = tmp.file(name);
    writeFileSync(file, bytes);
    await assert.rejects(openSqliteStore(file), namesFile('store-corrupt', file));
  }
});

test('damage past the schema pages is found by verify at open, and by any query that reads it', async () => {
  const file = await storeWithFixes('damaged.db', 2000);
  // The schema outgrew page 1: every page but those of sqlite_schema (SQLite's dbstat table says which) is garbled.
  const probe = new Database(file, { readonly: true });
  const schemaPages = new Set((probe.prepare("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'").all() as { pageno: number }[]).map((r) => r.pageno));
  const pageBytes = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const bytes = readFileSync(file);
  const noise = garbage(bytes.length, 11);
  for (let page = 1; page * pageBytes <= bytes.length; page++) {
    if (!schemaPages.has(page)) noise.copy(bytes, (page - 1) * pageBytes, (page - 1) * pageBytes, page * pageBytes);
  }
  writeFileSync(file, bytes);
  await assert.rejects(openSqliteStore(file, { verify: true }), namesFile('store-corrupt', file));
  const store = await openSqliteStore(file);
  await assert.rejects(store.units(), namesFile('store-corrupt', file));
  await assert.rejects(store.track('u1'), namesFile('store-corrupt', file));
  await store.close();
});

test('a sound store passes verify', async () => {
  const file = await storeWithFixes('sound.db', 300);
  const store = await openSqliteStore(file, { verify: true });
  assert.equal((await store.units()).length, 10);
  await store.close();
});

test('a store locked by another process is refused at open, and a write waits then fails without losing the store', async () => {
  const file = await storeWithFixes('locked.db', 3);
  // A program that keeps the file to itself (exclusive locking mode holds the lock until it closes).
  const hog = new Database(file);
  hog.pragma('locking_mode = EXCLUSIVE');
  hog.exec('BEGIN EXCLUSIVE; COMMIT');
  await assert.rejects(openSqliteStore(file, { busyTimeoutMs: 50 }), namesFile('store-locked', file));
  hog.close();
  const other = new Database(file);
  const store = await openSqliteStore(file, { busyTimeoutMs: 50 });
  other.exec('BEGIN EXCLUSIVE');
  await assert.rejects(store.appendFixes([fixToAppend('late-comer', 1, 31, -106)]), namesFile('store-locked', file));
  other.exec('COMMIT');
  other.close();
  const [ok] = await store.appendFixes([fixToAppend('late-comer', 1, 31, -106)]);
  assert.equal(ok.status, 'stored');
  assert.equal((await store.units()).length, 4);
  await store.close();
});

test('a missing directory or a directory given as the file is refused with the reason', async () => {
  const missing = tmp.file('no/such/dir/x.db');
  await assert.rejects(openSqliteStore(missing), (e: unknown) => namesFile('store-cannot-open', missing)(e) && /does not exist/.test((e as Error).message));
  const dir = tmp.file('a-directory');
  mkdirSync(dir);
  await assert.rejects(openSqliteStore(dir), (e: unknown) => namesFile('store-cannot-open', dir)(e) && /is a directory/.test((e as Error).message));
});

test('a store in a read-only directory is refused, whether new or existing', async () => {
  const dir = tmp.file('read-only');
  mkdirSync(dir);
  const existing = `${dir}/existing.db`;
  const store = await openSqliteStore(existing);
  await store.close();
  chmodSync(tmp.dir, 0o755);
  chmodSync(dir, 0o555);
  // root ignores permission bits, so as root the attempt runs as the unprivileged user "nobody".
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = fileURLToPath(new URL('../../test/helpers/open-child.ts', import.meta.url));
  const attempt = (file: string) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8', ...asUser, cwd: process.cwd() });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as { code: string; message: string; place: { file: string } };
  };
  try {
    const created = attempt(`${dir}/new.db`);
    assert.equal(created.code, 'store-cannot-open');
    assert.match(created.message, /read-only\/new\.db: its directory .*read-only is not writable/);
    const opened = attempt(existing);
    assert.ok(['store-read-only', 'store-cannot-open'].includes(opened.code), opened.message);
    assert.equal(opened.place.file, existing);
  } finally {
    chmodSync(dir, 0o755);
  }
});
