// Evidence bundles of version 2: each record proven by its audit path in its commit's Merkle tree and its
// entry's audit path in the tree a checkpoint signs (bundle.ts). Exported from a store of the commit
// form, checked offline; every change to a record, a leaf index, an audit path, an entry or the signed
// tree head is caught. And a store whose chain switches form keeps proving its old records, with old
// bundles and new.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { checkpointHead, loadOrCreateEvidenceKey, type EvidenceBundleV1, type EvidenceBundleV2 } from '../../src/incidents/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { classify } from '../../src/geo/index.js';
import { runInProcess } from '../helpers/cli.js';
import { clintLayers, evidenceStore, T0, tempDir } from './helpers.js';

const origin = tempDir('lindero-origin-');
const elsewhere = tempDir('lindero-elsewhere-');
let bundle: EvidenceBundleV2;
let entriesInStore = 0;

before(async () => {
  const e = await evidenceStore(origin.file('field.db'), true, 'commit');
  entriesInStore = (await e.store.chainHead())!.n;
  await e.store.close();
  const out = origin.file('incident-1.json');
  const r = await runInProcess(['export', '--incident', '1', '--db', origin.file('field.db'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  bundle = JSON.parse(readFileSync(out, 'utf8')) as EvidenceBundleV2;
});
after(() => {
  origin.remove();
  elsewhere.remove();
});

function altered(name: string, change: (b: EvidenceBundleV2) => void): string {
  const copy = structuredClone(bundle);
  change(copy);
  const file = elsewhere.file(name);
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

const flip = (hex: string) => hex.replace(/^./, (c) => (c === '0' ? '1' : '0'));

test('a bundle of the commit form verifies offline and carries inclusion proofs, not the run of entries', async () => {
  assert.equal(bundle.version, 2);
  assert.equal(bundle.checkpoint.n, entriesInStore);
  assert.match(bundle.checkpoint.tree_root, /^[0-9a-f]{64}$/);
  assert.ok(bundle.entries.every((e) => e.form === 'commit'));
  assert.ok(bundle.records.some((r) => r.path.length > 0), 'records share commits, so their paths are not empty');
  const pathLimit = Math.ceil(Math.log2(entriesInStore)) + 1;
  assert.ok(bundle.entries.every((e) => e.tree_path.length <= pathLimit), 'an entry\'s audit path is logarithmic in the chain');
  assert.match(bundle.rule, /RFC 6962/);
  const r = await runInProcess(['verify', altered('intact.json', () => {})]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /the evidence bundle of incident 1 is intact/);
  assert.match(r.stdout, /records: 42 fixes, 7 alerts, 3 incident records, 0 policy changes/);
});

test('a bundle whose record, leaf, audit path, entry, order or signed tree head was changed fails, naming where', async () => {
  const fix9 = (b: EvidenceBundleV2) => b.records.find((r) => r.kind === 'fix' && r.record.id === 9)!;
  const sharing = (b: EvidenceBundleV2) => {
    const r = fix9(b);
    return [r, b.records.find((o) => o !== r && o.n === r.n)!] as const;
  };
  const cases: [string, (b: EvidenceBundleV2) => void, RegExp][] = [
    ['record.json', (b) => { fix9(b).record.lat = Number(fix9(b).record.lat) + 0.00001; },
      /entry \d+, fix 9 \(unit \S+ at \S+\), was altered, or its audit path was|entry \d+, .*fix 9 .* does not lead to the tree head/],
    ['leaf-swap.json', (b) => { const [x, y] = sharing(b); [x.leaf, y.leaf] = [y.leaf, x.leaf]; }, /was altered, or its audit path was|does not lead to the tree head/],
    ['leaf-order.json', (b) => { const [x, y] = sharing(b); [x.record, y.record] = [y.record, x.record]; [x.kind, y.kind] = [y.kind, x.kind]; },
      /was altered, or its audit path was|does not lead to the tree head/],
    ['path.json', (b) => { const r = fix9(b); r.path[0] = flip(r.path[0]); }, /entry \d+, fix 9 .*(was altered, or its audit path was)|does not lead to the tree head/],
    ['path-short.json', (b) => { fix9(b).path.pop(); }, /its audit path cannot be one of leaf \d+ in a tree of \d+|does not lead/],
    ['tree-path.json', (b) => { const e = b.entries[0]; e.tree_path[0] = flip(e.tree_path[0]); }, /entry \d+, .*, was altered, or its proofs were: it does not lead to the tree head signed at entry \d+/],
    ['previous.json', (b) => { b.entries[1].previous_hash = flip(b.entries[1].previous_hash); }, /entry \d+, .* does not lead to the tree head signed/],
    ['size.json', (b) => { const e = b.entries.find((x) => (x.size ?? 0) > 2)!; e.size! += 1; }, /does not lead to the tree head|cannot be one of leaf|was altered/],
    ['moved.json', (b) => {
      const r = fix9(b);
      const other = b.entries.find((e) => e.n !== r.n)!;
      r.n = other.n;
    }, /does not lead to the tree head|was altered, or its audit path was|cannot be one of leaf|leaf \d+ of entry \d+ is claimed by two records/],
    ['tree-root.json', (b) => { b.checkpoint.tree_root = flip(b.checkpoint.tree_root); }, /the checkpoint's signature \(entry \d+\) is not valid/],
    ['no-entry.json', (b) => { b.entries.splice(b.entries.findIndex((e) => e.n === fix9(b).n), 1); }, /fix 9 .* names entry \d+, which the bundle does not prove/],
    ['foreign.json', (b) => { const r = b.records.find((x) => x.kind === 'incident')!; r.record.incident_id = 2; }, /does not lead|was altered|not of incident 1/],
  ];
  for (const [name, change, message] of cases) {
    const r = await runInProcess(['verify', altered(name, change)]);
    assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, message, name);
  }
});

test('hostile version 2 files are refused with the field named', async () => {
  const cases: [string, (b: EvidenceBundleV2) => void, RegExp][] = [
    ['long-path.json', (b) => { b.records[0].path = Array(65).fill('0'.repeat(64)); }, /field 'records\[0\]\.path'.*at most 64 hashes/],
    ['bad-form.json', (b) => { (b.entries[0] as { form: string }).form = 'tree'; }, /field 'entries\[0\]\.form'/],
    ['no-root.json', (b) => { (b.checkpoint as { tree_root?: string }).tree_root = undefined; }, /field 'checkpoint\.tree_root'/],
  ];
  for (const [name, change, message] of cases) {
    const r = await runInProcess(['verify', altered(name, change)]);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, message, name);
  }
});

test('a store whose chain switches form verifies whole, and proves an incident across both forms; its old bundle still verifies', async () => {
  const file = origin.file('switch.db');
  const before = await evidenceStore(file, 'head-only', 'record');
  await before.store.close();
  const oldBundle = origin.file('old.json');
  assert.equal((await runInProcess(['export', '--incident', '1', '--db', file, '--out', oldBundle])).code, 0);
  assert.equal((JSON.parse(readFileSync(oldBundle, 'utf8')) as EvidenceBundleV1).version, 1);
  // The release with the commit form opens the store: new commits are entries of several records.
  const store = await openSqliteStore(file);
  const layers = await clintLayers();
  const fix = (unit: string, k: number) => {
    const f = { unit, time: T0 + 400_000 + k * 1000, lat: 31.518, lon: -106.2368, accuracyM: 4, source: 'json' as const };
    return { fix: f, determination: classify(f, layers) };
  };
  await store.appendFixes([fix('us-1', 1), fix('us-1', 2), fix('us-2', 3)]);
  await store.appendIncidentRecord({ incidentId: 1, action: 'noted', record: { text: 'after the upgrade' } });
  await checkpointHead(store, loadOrCreateEvidenceKey(file));
  const entries = await store.chainEntries(50, 10);
  assert.deepEqual(entries.map((e) => [e.n, e.form]), [[51, 'record'], [52, 'record'], [53, 'commit'], [54, 'commit']]);
  await store.close();
  const whole = await runInProcess(['verify', '--db', file]);
  assert.equal(whole.code, 0, whole.stdout + whole.stderr);
  assert.match(whole.stdout, /the evidence chain is intact: 54 entries/);
  assert.match(whole.stdout, /signed checkpoints checked: 2, the last at entry 54/);
  const newBundle = origin.file('new.json');
  const exported = await runInProcess(['export', '--incident', '1', '--db', file, '--out', newBundle]);
  assert.equal(exported.code, 0, exported.stderr);
  const proofs = JSON.parse(readFileSync(newBundle, 'utf8')) as EvidenceBundleV2;
  assert.equal(proofs.version, 2);
  assert.deepEqual([...new Set(proofs.entries.map((e) => e.form))].sort(), ['commit', 'record']);
  for (const bundleFile of [oldBundle, newBundle]) {
    const r = await runInProcess(['verify', bundleFile]);
    assert.equal(r.code, 0, `${bundleFile}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /the evidence bundle of incident 1 is intact/);
  }
});
