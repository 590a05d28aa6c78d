import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { hashApiKey, isWellFormedApiKey, openSqliteStore } from './index.js';
import { tempDir } from '../../test/helpers/store-fixtures.js';
import { storeKinds } from '../../test/helpers/stores.js';

const tmp = tempDir();
after(() => tmp.remove());
const kinds = storeKinds();
after(() => kinds.close());

for (const kind of kinds) {
  describe(`API keys in the ${kind.name} store`, { skip: kind.skip }, () => {
  test('a created key verifies with its id and label until it is revoked', async () => {
    const store = await kind.open('keys.db', { now: () => 1000 });
    const gate = await store.createApiKey('  Santa Teresa gate  ');
    const tablet = await store.createApiKey('tablet 4');
    assert.match(gate.key, /^lnd_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(gate.key, tablet.key);
    assert.deepEqual(await store.verifyApiKey(gate.key), { id: gate.id, label: 'Santa Teresa gate' });
    assert.deepEqual(await store.verifyApiKey(tablet.key), { id: tablet.id, label: 'tablet 4' });
    assert.equal(await store.revokeApiKey(gate.id), true);
    assert.equal(await store.revokeApiKey(gate.id), false, 'a key is revoked once');
    assert.equal(await store.revokeApiKey(12345), false);
    assert.equal(await store.verifyApiKey(gate.key), null);
    assert.deepEqual(await store.verifyApiKey(tablet.key), { id: tablet.id, label: 'tablet 4' });
    assert.deepEqual(await store.apiKeys(), [
      { id: gate.id, label: 'Santa Teresa gate', createdMs: 1000, revokedMs: 1000 },
      { id: tablet.id, label: 'tablet 4', createdMs: 1000, revokedMs: null },
    ]);
    await store.close();
  });

  test('a wrong, altered, malformed or empty key does not verify', async () => {
    const store = await kind.open('wrong.db');
    const { key } = await store.createApiKey('ops');
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    for (const guess of [key.slice(0, -1) + last, key + 'x', key.slice(4), '', 'lnd_', 'x'.repeat(100_000), key.toUpperCase()]) {
      assert.equal(await store.verifyApiKey(guess), null, guess.slice(0, 60));
    }
    assert.equal(await store.verifyApiKey(undefined as never), null);
    await store.close();
  });

  test('a label must be printable text of reasonable length', async () => {
    const store = await kind.open('labels.db');
    for (const label of ['', '   ', 'a\nb', 'x'.repeat(201), 7 as never]) {
      await assert.rejects(store.createApiKey(label), { code: 'store-bad-label', place: { field: 'label' } });
    }
    assert.deepEqual(await store.apiKeys(), []);
    await store.close();
  });
  });
}

test('the key is kept only as its SHA-256 hash: the file never holds the key itself', async () => {
  const file = tmp.file('hash.db');
  const store = await openSqliteStore(file);
  const { key } = await store.createApiKey('ops');
  await store.close();
  const db = new Database(file, { readonly: true });
  const row = db.prepare('SELECT key_hash FROM api_keys').get() as { key_hash: Buffer };
  db.close();
  assert.deepEqual(row.key_hash, hashApiKey(key));
  assert.equal(readFileSync(file).includes(Buffer.from(key.slice(4))), false);
});

test('only strings shaped like issued keys count as well formed', () => {
  assert.equal(isWellFormedApiKey('lnd_' + 'a'.repeat(43)), true);
  assert.equal(isWellFormedApiKey('lnd_' + 'a'.repeat(42) + '='), false);
  assert.equal(isWellFormedApiKey('key_' + 'a'.repeat(43)), false);
  assert.equal(isWellFormedApiKey(null), false);
});
