// The evidence key: created once beside the store, private half 0600, the same key on every start.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import {
  checkpointMessage, checkpointSignatureValid, evidenceKeyFiles, existingEvidenceKey, keyFingerprint, loadOrCreateEvidenceKey, signCheckpoint,
} from './index.js';
import { tempDir } from '../../test/helpers/temp.js';

const tmp = tempDir('lindero-keys-');
after(() => tmp.remove());

test('the first start creates the key pair beside the store; later starts load the same key', () => {
  const db = tmp.file('a.db');
  assert.equal(existingEvidenceKey(db), null, 'reading never creates a key');
  const first = loadOrCreateEvidenceKey(db);
  assert.equal(first.created, true);
  const files = evidenceKeyFiles(db);
  assert.equal(statSync(files.privateFile).mode & 0o777, 0o600);
  assert.equal(readFileSync(files.publicFile, 'utf8'), first.publicKeyPem);
  const again = loadOrCreateEvidenceKey(db);
  assert.equal(again.created, false);
  assert.equal(again.fingerprint, first.fingerprint);
  assert.match(first.fingerprint, /^SHA256:([0-9a-f]{4}:){7}[0-9a-f]{4}$/);
});

test('a private key file opened up to others is narrowed back to its owner', () => {
  const db = tmp.file('b.db');
  loadOrCreateEvidenceKey(db);
  chmodSync(evidenceKeyFiles(db).privateFile, 0o644);
  loadOrCreateEvidenceKey(db);
  assert.equal(statSync(evidenceKeyFiles(db).privateFile).mode & 0o777, 0o600);
});

test('a key file that is not an Ed25519 private key is refused with the file named', () => {
  const db = tmp.file('c.db');
  writeFileSync(evidenceKeyFiles(db).privateFile, 'not a key', { mode: 0o600 });
  assert.throws(() => loadOrCreateEvidenceKey(db), (e: any) => e.code === 'runtime-bad-key' && e.place.file === evidenceKeyFiles(db).privateFile);
  assert.throws(() => keyFingerprint('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), { code: 'bad-key' });
});

test('a checkpoint signs exactly its position, hash and time', () => {
  const key = loadOrCreateEvidenceKey(tmp.file('d.db'));
  const hash = Buffer.alloc(32, 0xab);
  const checkpoint = signCheckpoint(key, 7, hash, 1_555_167_600_000);
  assert.equal(checkpointSignatureValid(checkpoint), true);
  assert.equal(checkpointMessage(7, hash.toString('hex'), 1_555_167_600_000).toString(),
    `{"format":"lindero-checkpoint","hash":"${'ab'.repeat(32)}","n":7,"signed_ms":1555167600000,"version":1}`);
  assert.equal(checkpointSignatureValid({ ...checkpoint, n: 8 }), false);
  assert.equal(checkpointSignatureValid({ ...checkpoint, signedMs: checkpoint.signedMs + 1 }), false);
});
