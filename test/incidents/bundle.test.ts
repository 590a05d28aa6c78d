// Evidence bundles of version 1, as exported from a store whose checkpoint signs the chain head only (as
// before schema step 6): exported, checked offline elsewhere; any change to one is caught, and hostile
// files are refused with a message naming what is wrong. Version 2: bundle-proofs.test.ts.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { parseBundle, type EvidenceBundleV1 as EvidenceBundle } from '../../src/incidents/index.js';
import { runInProcess, runProcess } from '../helpers/cli.js';
import { evidenceStore, tempDir } from './helpers.js';

const origin = tempDir('lindero-origin-');
const elsewhere = tempDir('lindero-elsewhere-');
let exported = '';
let bundle: EvidenceBundle;

before(async () => {
  const e = await evidenceStore(origin.file('field.db'), 'head-only');
  await e.store.close();
  exported = origin.file('incident-1.json');
  const r = await runInProcess(['export', '--incident', '1', '--db', origin.file('field.db'), '--out', exported]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /incident 1, 42 fixes, 7 alerts, 3 incident records; chain entries 1 to 52, signed checkpoint at entry 52 by key SHA256:/);
  bundle = JSON.parse(readFileSync(exported, 'utf8')) as EvidenceBundle;
});
after(() => {
  origin.remove();
  elsewhere.remove();
});

/** A copy of the bundle in the other folder, changed by `change`. */
function altered(name: string, change: (b: EvidenceBundle) => void): string {
  const copy = structuredClone(bundle);
  change(copy);
  const file = elsewhere.file(name);
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

test('a bundle exported from the store verifies offline in another folder, as its own process', async () => {
  const copy = elsewhere.file('incident-1.json');
  copyFileSync(exported, copy);
  const r = await runProcess(['verify', copy]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /the evidence bundle of incident 1 is intact/);
  assert.match(r.stdout, /records: 42 fixes, 7 alerts, 3 incident records, 0 policy changes \(chain entries 1 to 52\)/);
  assert.match(r.stdout, /incident 1: 2019-04-13T14:45:05.000Z to 2019-04-13T15:19:15.000Z, units us-1, mx-1/);
});

test('the bundle carries the records themselves, the hashes of the rest, the checkpoint and the public key', () => {
  assert.equal(bundle.format, 'lindero-evidence-bundle');
  assert.match(bundle.public_key, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(bundle.checkpoint.n, bundle.chain.entries[bundle.chain.entries.length - 1].n);
  const fix = bundle.chain.entries.find((e) => e.kind === 'fix')!;
  assert.equal(fix.record?.type, 'fix');
  assert.equal(typeof fix.record?.determination_json, 'string');
  assert.match(bundle.rule, /SHA-256\(hash_\(n-1\) \|\| record_hash_n\)/);
});

test('a bundle whose fix was moved by a metre fails, naming the entry and the fix', async () => {
  const file = altered('moved.json', (b) => {
    const e = b.chain.entries.find((x) => x.kind === 'fix' && x.record?.id === 9)!;
    e.record!.lat = Number(e.record!.lat) + 0.00001;
  });
  const r = await runInProcess(['verify', file]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN: entry \d+, fix 9 \(unit \S+ at 2019-04-13T\S+\), was altered: the record no longer matches its hash/);
});

test('a bundle with a record hash, an entry, a signature or its start changed fails', async () => {
  const cases: [string, (b: EvidenceBundle) => void, RegExp][] = [
    ['hash.json', (b) => { const e = b.chain.entries[20]; e.record_hash = e.record_hash.replace(/^./, (c) => (c === '0' ? '1' : '0')); },
      /entry 21(, | \().*(was altered|does not follow from entry 20)/],
    ['gap.json', (b) => { b.chain.entries.splice(30, 1); }, /chain entries 31 to 31 are missing from the bundle/],
    ['signature.json', (b) => { b.checkpoint.signature = Buffer.from(b.checkpoint.signature, 'base64').reverse().toString('base64'); },
      /the checkpoint's signature \(entry 52\) is not valid/],
    ['start.json', (b) => { b.chain.previous_hash = 'f'.repeat(64); }, /entry 1 .* does not follow from entry 0/],
    ['signed-hash.json', (b) => { b.checkpoint.hash = 'a'.repeat(64); }, /signature \(entry 52\) is not valid/],
  ];
  for (const [name, change, message] of cases) {
    const r = await runInProcess(['verify', altered(name, change)]);
    assert.equal(r.code, 1, name);
    assert.match(r.stdout, message, name);
  }
});

test('a bundle checked against a key other than the one that signed it fails', async () => {
  const other = elsewhere.file('other.pub.pem');
  writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const r = await runInProcess(['verify', exported, '--key', other]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /signed by key SHA256:\S+, not by the trusted key SHA256:\S+/);
  const right = await runInProcess(['verify', exported, '--key', `${origin.file('field.db')}.evidence-key.pub.pem`]);
  assert.equal(right.code, 0, right.stdout);
});

test('files that are not bundles are refused with what is wrong and where, never a crash', async () => {
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(elsewhere.file(name), content);
    return elsewhere.file(name);
  };
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
  const cases: [string, string | Buffer, RegExp][] = [
    ['syntax.json', '{"format": "lindero-evidence-bundle", ', /not JSON/],
    ['garbage.bin', garbage, /not JSON/],
    ['nested.json', '['.repeat(100_000) + ']'.repeat(100_000), /top level is not a JSON object/],
    ['other.json', '{"type": "FeatureCollection", "features": []}', /format is missing, expected "lindero-evidence-bundle"/],
    ['deep-record.json', JSON.stringify({ ...bundle, chain: { ...bundle.chain, entries: [{ ...bundle.chain.entries[0], record: { type: 'fix', lat: { a: [1] } } }] } }), /field 'chain\.entries\[0\]\.record\.lat'.*chain records are flat/],
    ['bad-hash.json', JSON.stringify({ ...bundle, checkpoint: { ...bundle.checkpoint, hash: 'xyz' } }), /field 'checkpoint\.hash'.*64 lower-case hex digits/],
  ];
  for (const [name, content, message] of cases) {
    const r = await runInProcess(['verify', write(name, content)]);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, message, name);
  }
  const huge = elsewhere.file('huge.json');
  writeFileSync(huge, '{');
  truncateSync(huge, 300 * 1024 * 1024);
  const r = await runInProcess(['verify', huge]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /larger than 268435456 bytes/);
  assert.throws(() => parseBundle('{"format":"lindero-evidence-bundle","version":3}', 'v3.json'), { code: 'bad-bundle', place: { file: 'v3.json', field: 'version' } });
});

test('export needs an incident that exists, a store that exists and an output file', async () => {
  const db = origin.file('field.db');
  const cases: [string[], RegExp][] = [
    [['export', '--db', db, '--out', elsewhere.file('x.json')], /--incident ID is required/],
    [['export', '--incident', 'one', '--db', db, '--out', elsewhere.file('x.json')], /--incident must be an incident id/],
    [['export', '--incident', '1', '--db', db], /--out FILE is required/],
    [['export', '--incident', '1', '--db', elsewhere.file('none.db'), '--out', elsewhere.file('x.json')], /none\.db does not exist/],
    [['export', '--incident', '9', '--db', db, '--out', elsewhere.file('x.json')], /there is no incident 9/],
  ];
  for (const [args, message] of cases) {
    const r = await runInProcess(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});
