// `lindero verify --db` against a store tampered with outside lindero: each kind of change is caught and
// the message names the record. Every case runs on a store of each chain form (chain.ts): the record
// form, a record per entry, and the commit form, a commit's records per entry as a Merkle tree; then the
// cases only the commit form has.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { evidenceKeyFiles, signCheckpoint, type EvidenceKey } from '../../src/incidents/index.js';
import {
  chainRecord, commitLinkHash, commitRoot, GENESIS_HASH, leafHash, linkHash, merkleRoot, RECORD_COLUMNS, recordHash, type ChainForm, type ChainKind,
} from '../../src/store/index.js';
import { runInProcess } from '../helpers/cli.js';
import { evidenceStore, tempDir } from './helpers.js';

const tmp = tempDir();
const originals: Record<ChainForm, string> = { record: '', commit: '' };
let copies = 0;

before(async () => {
  for (const form of ['record', 'commit'] as const) {
    originals[form] = tmp.file(`original-${form}.db`);
    const e = await evidenceStore(originals[form], true, form);
    await e.store.close();
  }
});
after(() => tmp.remove());

/** A fresh copy of the intact store of that form (with its published key beside it), changed by `tamper`. */
function tampered(form: ChainForm, tamper: (db: Database.Database, file: string) => void): string {
  const file = tmp.file(`copy-${++copies}.db`);
  copyFileSync(originals[form], file);
  copyFileSync(evidenceKeyFiles(originals[form]).publicFile, evidenceKeyFiles(file).publicFile);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  tamper(db, file);
  db.close();
  return file;
}

async function verify(file: string, ...extra: string[]) {
  return runInProcess(['verify', '--db', file, ...extra]);
}

/** The table of a form's entries. */
const entries = (form: ChainForm) => (form === 'record' ? 'chain' : 'chain_commits');

/** Alters a fix and recomputes the whole chain, in its form, so that it is consistent again: only a signature can tell. */
function rewriteChain(form: ChainForm, db: Database.Database): void {
  db.prepare('UPDATE fixes SET lat = lat + 0.001 WHERE id = 12').run();
  const hashOf = (kind: ChainKind, ref: number) => {
    const { table, columns } = RECORD_COLUMNS[kind];
    return recordHash(chainRecord(kind, db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE id = ?`).get(ref) as Record<string, unknown>));
  };
  let previous: Buffer = GENESIS_HASH;
  if (form === 'record') {
    for (const e of db.prepare('SELECT n, kind, ref FROM chain ORDER BY n').all() as { n: number; kind: ChainKind; ref: number }[]) {
      const d = hashOf(e.kind, e.ref);
      previous = linkHash(previous, d);
      db.prepare('UPDATE chain SET record_hash = ?, hash = ? WHERE n = ?').run(d, previous, e.n);
    }
    return;
  }
  for (const { n } of db.prepare('SELECT n FROM chain_commits ORDER BY n').all() as { n: number }[]) {
    const leaves = db.prepare('SELECT leaf, kind, ref FROM chain_leaves WHERE n = ? ORDER BY leaf').all(n) as { leaf: number; kind: ChainKind; ref: number }[];
    const hashes = leaves.map((l) => hashOf(l.kind, l.ref));
    leaves.forEach((l, i) => db.prepare('UPDATE chain_leaves SET record_hash = ? WHERE n = ? AND leaf = ?').run(hashes[i], n, l.leaf));
    const root = commitRoot(hashes);
    previous = commitLinkHash(previous, hashes.length, root);
    db.prepare('UPDATE chain_commits SET root = ?, hash = ? WHERE n = ?').run(root, previous, n);
  }
}

for (const form of ['record', 'commit'] as const) {
  describe(`a store of the ${form} form`, () => {
    /** Entries in the intact store (52 in the record form: a record each), read once the stores are made. */
    let last = 0;
    before(() => {
      const db = new Database(originals[form], { readonly: true });
      last = db.prepare(`SELECT max(n) FROM ${entries(form)}`).pluck().get() as number;
      db.close();
    });

    test('an intact store verifies: every entry, under its signed checkpoint', async () => {
      const r = await verify(originals[form]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      if (form === 'record') assert.equal(last, 52);
      else assert.ok(last > 1 && last < 52, 'the commit form has fewer entries than records');
      assert.match(r.stdout, new RegExp(`the evidence chain is intact: ${last} entries`));
      assert.match(r.stdout, new RegExp(`signed checkpoints checked: 1, the last at entry ${last}`));
    });

    test('one byte flipped in the file, inside a stored fix, is caught and the fix named', async () => {
      const file = tampered(form, () => {});
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
      const file = tampered(form, (db) => {
        const hash = db.prepare(`SELECT hash FROM ${entries(form)} WHERE n = 10`).pluck().get() as Buffer;
        hash[5] ^= 0x01;
        db.prepare(`UPDATE ${entries(form)} SET hash = ? WHERE n = 10`).run(hash);
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /BROKEN at entry 10: the chain hash of entry 10 .* does not follow from entry 9/);
    });

    test('a deleted fix is caught and named, with its place in the chain', async () => {
      const file = tampered(form, (db) => db.prepare('DELETE FROM fixes WHERE id = 9').run());
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /BROKEN at entry (\d+): fix 9, entry \1 of the chain, is missing from table fixes: it was deleted/);
    });

    test('a record deleted together with its chain entry leaves a gap that is caught', async () => {
      const file = tampered(form, (db) => {
        db.prepare('DELETE FROM alerts WHERE id = 2').run();
        if (form === 'record') db.prepare("DELETE FROM chain WHERE kind = 'alert' AND ref = 2").run();
        else db.prepare("DELETE FROM chain_leaves WHERE kind = 'alert' AND ref = 2").run();
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, form === 'record'
        ? /chain entry \d+ is missing: the records there were deleted/
        : /BROKEN at entry \d+: leaf \d+ of chain entry \d+ is missing: the record there was deleted/);
    });

    test('the last records deleted with their chain entries are caught by the signed checkpoint', async () => {
      const file = tampered(form, (db) => {
        db.prepare('DELETE FROM incident_records WHERE id = 3').run();
        if (form === 'commit') db.prepare('DELETE FROM chain_leaves WHERE n = ?').run(last);
        db.prepare(`DELETE FROM ${entries(form)} WHERE n = ?`).run(last);
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`BROKEN at entry ${last}: the chain ends at entry ${last - 1}, but a checkpoint signed on \\S+ covers entry ${last}: entries ${last} to ${last} were deleted`));
    });

    test('two fixes swapped in the global order are caught as reordered', async () => {
      let seq5 = 0;
      let seq6 = 0;
      const file = tampered(form, (db) => {
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
      const file = tampered(form, (db) => {
        // The commit form's entries move with their leaves.
        for (const table of form === 'record' ? ['chain'] : ['chain_commits', 'chain_leaves']) {
          db.prepare(`UPDATE ${table} SET n = -10 WHERE n = 10`).run();
          db.prepare(`UPDATE ${table} SET n = 10 WHERE n = 11`).run();
          db.prepare(`UPDATE ${table} SET n = 11 WHERE n = -10`).run();
        }
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /BROKEN at entry 10: the chain entry recorded at position 10 is now at position 11: the chain's entries were reordered/);
    });

    test('a fix slipped into the table without a chain entry is caught', async () => {
      const file = tampered(form, (db) => {
        const seq = Number(db.prepare("INSERT INTO events (kind, received_ms) VALUES ('fix', 1)").run().lastInsertRowid);
        db.prepare(`INSERT INTO fixes (seq, unit, time_ms, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json)
          SELECT ?, unit, time_ms + 1, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json FROM fixes WHERE id = 1`).run(seq);
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /fix 43 in table fixes is not in the evidence chain: it was added outside lindero/);
    });

    test('a chain rewritten consistently after the fact no longer matches what was signed', async () => {
      const file = tampered(form, (db) => rewriteChain(form, db));
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`BROKEN at entry ${last}: entry ${last} differs from what was signed on \\S+: the chain up to it was rewritten`));
    });

    test('a rewritten chain re-signed with another key is refused against the published key', async () => {
      const forger: EvidenceKey = { privateKey: generateKeyPairSync('ed25519').privateKey, publicKeyPem: '', fingerprint: '', privateFile: null, publicFile: null, created: true };
      const { createPublicKey } = await import('node:crypto');
      forger.publicKeyPem = createPublicKey(forger.privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const file = tampered(form, (db) => {
        rewriteChain(form, db);
        const head = db.prepare(`SELECT n, hash FROM ${entries(form)} ORDER BY n DESC LIMIT 1`).get() as { n: number; hash: Buffer };
        // The forger signs the rewritten chain's tree head too, as lindero would.
        const hashes = db.prepare(`SELECT hash FROM ${entries(form)} ORDER BY n`).pluck().all() as Buffer[];
        const forged = signCheckpoint(forger, head.n, head.hash, Date.now(), merkleRoot(hashes.map(leafHash)));
        db.prepare('UPDATE checkpoints SET hash = ?, public_key = ?, signature = ?, signed_ms = ?, tree_root = ? WHERE n = ?')
          .run(forged.hash, forged.publicKey, forged.signature, forged.signedMs, forged.treeRoot, head.n);
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`the checkpoint at entry ${last} .* is signed by key SHA256:\\S+, not by the trusted key SHA256:\\S+`));
    });

    test('a checkpoint whose signature was altered is caught', async () => {
      const file = tampered(form, (db) => {
        const sig = db.prepare('SELECT signature FROM checkpoints').pluck().get() as Buffer;
        sig[0] ^= 0x80;
        db.prepare('UPDATE checkpoints SET signature = ?').run(sig);
      });
      const r = await verify(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`the signature of the checkpoint at entry ${last} .* is not valid`));
    });

    test('verify --json gives the verdict as one object; a missing store is bad usage, never created', async () => {
      const ok = await verify(originals[form], '--json');
      const verdict = JSON.parse(ok.stdout);
      assert.equal(verdict.ok, true);
      assert.equal(verdict.entries, last);
      assert.equal(verdict.problem, null);
      const missing = await runInProcess(['verify', '--db', tmp.file('nothing.db')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nothing\.db does not exist/);
      const neither = await runInProcess(['verify']);
      assert.equal(neither.code, 2);
    });
  });
}

describe('what only the commit form has', () => {
  /** The entry holding fix 9 (with other records), its size, and fix 9's leaf. */
  function whereIs(db: Database.Database, kind: ChainKind, ref: number): { n: number; leaf: number; size: number } {
    return db.prepare('SELECT l.n, l.leaf, c.size FROM chain_leaves l JOIN chain_commits c ON c.n = l.n WHERE l.kind = ? AND l.ref = ?').get(kind, ref) as never;
  }

  test('the intact store has entries of several records', () => {
    const db = new Database(originals.commit, { readonly: true });
    assert.ok(whereIs(db, 'fix', 9).size >= 2);
    assert.ok((db.prepare('SELECT max(size) FROM chain_commits').pluck().get() as number) >= 3);
    db.close();
  });

  test('a leaf whose record hash was changed is caught as the record altered, named with its leaf', async () => {
    const file = tampered('commit', (db) => {
      const { n, leaf } = whereIs(db, 'fix', 9);
      db.prepare('UPDATE chain_leaves SET record_hash = ? WHERE n = ? AND leaf = ?').run(Buffer.alloc(32, 1), n, leaf);
    });
    const r = await verify(file);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry (\d+): fix 9 \(unit \S+ at \S+\), entry \1 of the chain, was altered after it was stored: it no longer matches the hash recorded with it \(leaf \d+ of \d+\)/);
  });

  test('two leaves of one commit swapped are caught as reordered', async () => {
    let at = 0;
    const file = tampered('commit', (db) => {
      const { n, leaf } = whereIs(db, 'fix', 9);
      at = n;
      const other = leaf === 0 ? 1 : 0;
      db.prepare('UPDATE chain_leaves SET leaf = -1 WHERE n = ? AND leaf = ?').run(n, leaf);
      db.prepare('UPDATE chain_leaves SET leaf = ? WHERE n = ? AND leaf = ?').run(leaf, n, other);
      db.prepare('UPDATE chain_leaves SET leaf = ? WHERE n = ? AND leaf = -1').run(other, n);
    });
    const r = await verify(file);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${at}: the records of entry ${at} no longer give the tree root it was chained with: its records were reordered, or moved between commits`));
  });

  test("an entry's tree root altered is caught, and told apart from its records changing", async () => {
    const file = tampered('commit', (db) => {
      const root = db.prepare('SELECT root FROM chain_commits WHERE n = 7').pluck().get() as Buffer;
      root[0] ^= 0x40;
      db.prepare('UPDATE chain_commits SET root = ? WHERE n = 7').run(root);
    });
    const r = await verify(file);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at entry 7: the tree root recorded with entry 7 was altered/);
  });

  test('a record moved to another commit is caught where it left, or where it arrived when swapped for one of there', async () => {
    let from = 0;
    const moved = tampered('commit', (db) => {
      const { n, leaf, size } = whereIs(db, 'fix', 9);
      from = n;
      // Fix 9 goes to the end of the next commit; the leaves after it close the gap, and the size follows.
      db.prepare('UPDATE chain_leaves SET n = ?, leaf = (SELECT size FROM chain_commits WHERE n = ?) WHERE n = ? AND leaf = ?').run(n + 1, n + 1, n, leaf);
      for (let i = leaf + 1; i < size; i++) db.prepare('UPDATE chain_leaves SET leaf = ? WHERE n = ? AND leaf = ?').run(i - 1, n, i);
      db.prepare('UPDATE chain_commits SET size = size - 1 WHERE n = ?').run(n);
      db.prepare('UPDATE chain_commits SET size = size + 1 WHERE n = ?').run(n + 1);
    });
    let r = await verify(moved);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${from}: the chain hash of entry ${from} .* does not follow from entry ${from - 1}`));
    const swapped = tampered('commit', (db) => {
      const a = whereIs(db, 'fix', 9);
      const b = whereIs(db, 'fix', 30);
      from = Math.min(a.n, b.n);
      db.prepare('UPDATE chain_leaves SET n = -1 WHERE n = ? AND leaf = ?').run(a.n, a.leaf);
      db.prepare('UPDATE chain_leaves SET n = ?, leaf = ? WHERE n = ? AND leaf = ?').run(a.n, a.leaf, b.n, b.leaf);
      db.prepare('UPDATE chain_leaves SET n = ?, leaf = ? WHERE n = -1').run(b.n, b.leaf);
    });
    r = await verify(swapped);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${from}: (the records of entry ${from} no longer give the tree root|fix \\d+ .* has global order)`));
  });

  test('a leaf row deleted with its record, or slipped in for a record added behind lindero, is caught', async () => {
    let at = 0;
    const file = tampered('commit', (db) => {
      const seq = Number(db.prepare("INSERT INTO events (kind, received_ms) VALUES ('fix', 1)").run().lastInsertRowid);
      db.prepare(`INSERT INTO fixes (seq, unit, time_ms, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json)
        SELECT ?, unit, time_ms + 1, lat, lon, source, received_ms, late, territory, boundary_distance_m, confidence, certain, zone, determination_json FROM fixes WHERE id = 1`).run(seq);
      const id = db.prepare('SELECT max(id) FROM fixes').pluck().get() as number;
      at = db.prepare('SELECT max(n) FROM chain_commits').pluck().get() as number;
      const size = db.prepare('SELECT size FROM chain_commits WHERE n = ?').pluck().get(at) as number;
      db.prepare("INSERT INTO chain_leaves (n, leaf, kind, ref, record_hash) VALUES (?, ?, 'fix', ?, ?)").run(at, size, id, Buffer.alloc(32));
    });
    const r = await verify(file);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${at}: fix \\d+ .*(was altered after it was stored|is chained as leaf \\d+ of entry ${at}, whose tree has \\d+ leaves)`));
  });
});
