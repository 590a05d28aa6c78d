// `lindero verify --db` against a store tampered with outside lindero: each kind of change is caught and
// the message names the record.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { evidenceKeyFiles, signCheckpoint, type EvidenceKey } from '../../src/incidents/index.js';
import { chainRecord, GENESIS_HASH, linkHash, RECORD_COLUMNS, recordHash, type ChainKind } from '../../src/store/index.js';
import { runInProcess } from '../helpers/cli.js';
import { evidenceStore, tempDir } from './helpers.js';

const tmp = tempDir();
let original = '';
let copies = 0;

before(async () => {
  original = tmp.file('original.db');
  const e = await evidenceStore(original);
  await e.store.close();
});
after(() => tmp.remove());

/** A fresh copy of the intact store (with its published key beside it), changed by `tamper`. */
function tampered(tamper: (db: Database.Database, file: string) => void): string {
  const file = tmp.file(`copy-${++copies}.db`);
  copyFileSync(original, file);
  copyFileSync(evidenceKeyFiles(original).publicFile, evidenceKeyFiles(file).publicFile);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  tamper(db, file);
  db.close();
  return file;
}

async function verify(file: string, ...extra: string[]) {
  return runInProcess(['verify', '--db', file, ...extra]);
}

test('an intact store verifies: every entry, under its signed checkpoint', async () => {
  const r = await verify(original);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /the evidence chain is intact: 52 entries/);
  assert.match(r.stdout, /signed checkpoints checked: 1, the last at entry 52/);
});

test('one byte flipped in the file, inside a stored fix, is caught and the fix named', async () => {
  const file = tampered(() => {});
  const json = new Database(file, { readonly: true }).prepare('SELECT determination_json FROM fixes WHERE id = 17').pluck().get() as string;
  const bytes = readFileSync(file);
  const at = bytes.indexOf(Buffer.from(json));
  assert.ok(at > 0 && bytes.indexOf(Buffer.from(json), at + 1) === -1, 'the value is stored once');
  const digit = at + json.indexOf('"distanceM":') + 13;
  bytes[digit] = bytes[digit] === 0x37 ? 0x38 : 0x37;
  writeFileSync(file, bytes);
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry \d+: fix 17 \(unit \S+ at 2019-04-13T\S+\), entry \d+ of the chain, was altered after it was stored/);
});

test('a flipped byte in a chain hash is caught as an altered chain', async () => {
  const file = tampered((db) => {
    const hash = db.prepare('SELECT hash FROM chain WHERE n = 30').pluck().get() as Buffer;
    hash[5] ^= 0x01;
    db.prepare('UPDATE chain SET hash = ? WHERE n = 30').run(hash);
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry 30: the chain hash of entry 30 .* does not follow from entry 29/);
});

test('a deleted fix is caught and named, with its place in the chain', async () => {
  const file = tampered((db) => db.prepare('DELETE FROM fixes WHERE id = 9').run());
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry (\d+): fix 9, entry \1 of the chain, is missing from table fixes: it was deleted/);
});

test('a record deleted together with its chain entry leaves a gap that is caught', async () => {
  const file = tampered((db) => {
    db.prepare('DELETE FROM alerts WHERE id = 2').run();
    db.prepare("DELETE FROM chain WHERE kind = 'alert' AND ref = 2").run();
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /chain entry \d+ is missing: the records there were deleted/);
});

test('the last records deleted with their chain entries are caught by the signed checkpoint', async () => {
  const file = tampered((db) => {
    db.prepare('DELETE FROM incident_records WHERE id = 3').run();
    db.prepare('DELETE FROM chain WHERE n = 52').run();
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry 52: the chain ends at entry 51, but a checkpoint signed on \S+ covers entry 52: entries 52 to 52 were deleted/);
});

test('two fixes swapped in the global order are caught as reordered', async () => {
  let seq5 = 0;
  let seq6 = 0;
  const file = tampered((db) => {
    const seqOf = db.prepare('SELECT seq FROM fixes WHERE id = ?').pluck();
    seq5 = seqOf.get(5) as number;
    seq6 = seqOf.get(6) as number;
    db.prepare('UPDATE fixes SET seq = -1 WHERE id = 5').run();
    db.prepare('UPDATE fixes SET seq = ? WHERE id = 6').run(seq5);
    db.prepare('UPDATE fixes SET seq = ? WHERE id = 5').run(seq6);
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`BROKEN at entry \\d+: fix 6 .* has global order ${seq5}, before the record chained ahead of it \\(${seq6}\\): the records were reordered`));
});

test('two chain entries swapped are caught as reordered', async () => {
  const file = tampered((db) => {
    db.prepare('UPDATE chain SET n = -20 WHERE n = 20').run();
    db.prepare('UPDATE chain SET n = 20 WHERE n = 21').run();
    db.prepare('UPDATE chain SET n = 21 WHERE n = -20').run();
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry 20: the chain entry recorded at position 20 is now at position 21: the chain's entries were reordered/);
});

test('a fix slipped into the table without a chain entry is caught', async () => {
  const file = tampered((db) => {
    const seq = Number(db.prepare("INSERT INTO events (kind, received_ms) VALUES ('fix', 1)").run().lastInsertRowid);
    db.prepare(`INSERT INTO fixes (seq, unit, time_ms, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json)
      SELECT ?, unit, time_ms + 1, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json FROM fixes WHERE id = 1`).run(seq);
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /fix 43 in table fixes is not in the evidence chain: it was added outside lindero/);
});

/** Alters a fix and recomputes the whole chain so that it is consistent again: only a signature can tell. */
function rewriteChain(db: Database.Database): void {
  db.prepare('UPDATE fixes SET lat = lat + 0.001 WHERE id = 12').run();
  let previous: Buffer = GENESIS_HASH;
  const entries = db.prepare('SELECT n, kind, ref FROM chain ORDER BY n').all() as { n: number; kind: ChainKind; ref: number }[];
  for (const e of entries) {
    const { table, columns } = RECORD_COLUMNS[e.kind];
    const row = db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE id = ?`).get(e.ref) as Record<string, unknown>;
    const d = recordHash(chainRecord(e.kind, row));
    previous = linkHash(previous, d);
    db.prepare('UPDATE chain SET record_hash = ?, hash = ? WHERE n = ?').run(d, previous, e.n);
  }
}

test('a chain rewritten consistently after the fact no longer matches what was signed', async () => {
  const file = tampered(rewriteChain);
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry 52: entry 52 differs from what was signed on \S+: the chain up to it was rewritten/);
});

test('a rewritten chain re-signed with another key is refused against the published key', async () => {
  const forger: EvidenceKey = { privateKey: generateKeyPairSync('ed25519').privateKey, publicKeyPem: '', fingerprint: '', privateFile: null, publicFile: null, created: true };
  const { createPublicKey } = await import('node:crypto');
  forger.publicKeyPem = createPublicKey(forger.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const file = tampered((db) => {
    rewriteChain(db);
    const head = db.prepare('SELECT n, hash FROM chain ORDER BY n DESC LIMIT 1').get() as { n: number; hash: Buffer };
    const forged = signCheckpoint(forger, head.n, head.hash, Date.now());
    db.prepare('UPDATE checkpoints SET hash = ?, public_key = ?, signature = ?, signed_ms = ? WHERE n = ?').run(forged.hash, forged.publicKey, forged.signature, forged.signedMs, head.n);
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /the checkpoint at entry 52 .* is signed by key SHA256:\S+, not by the trusted key SHA256:\S+/);
});

test('a checkpoint whose signature was altered is caught', async () => {
  const file = tampered((db) => {
    const sig = db.prepare('SELECT signature FROM checkpoints').pluck().get() as Buffer;
    sig[0] ^= 0x80;
    db.prepare('UPDATE checkpoints SET signature = ?').run(sig);
  });
  const r = await verify(file);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /the signature of the checkpoint at entry 52 .* is not valid/);
});

test('verify --json gives the verdict as one object; a missing store is bad usage, never created', async () => {
  const ok = await verify(original, '--json');
  const verdict = JSON.parse(ok.stdout);
  assert.equal(verdict.ok, true);
  assert.equal(verdict.entries, 52);
  assert.equal(verdict.problem, null);
  const missing = await runInProcess(['verify', '--db', tmp.file('nothing.db')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nothing\.db does not exist/);
  const neither = await runInProcess(['verify']);
  assert.equal(neither.code, 2);
});
