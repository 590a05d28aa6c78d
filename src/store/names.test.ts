// A fix's name (callsign), group (team) and notes (what the range rules changed or left off) are stored
// with it, in both stores: read back by every read, bound by the evidence chain, and absent from fixes
// stored before schema step 4, whose chain hashes stay as they were.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MAX_FIX_NOTES, MAX_NOTE_CHARS, MAX_UNIT_CHARS } from '../model/index.js';
import { canonicalJson, entryRecords, recordHash, sha256, type Store, type StoredFix } from './index.js';
import { fixToAppend } from '../../test/helpers/store-fixtures.js';
import { storeKinds } from '../../test/helpers/stores.js';

const T0 = Date.UTC(2026, 11, 6, 13, 56, 20);
const NOTES = ['course -108.9 read as a signed course: 251.1', 'hdop is 0, which senders use for "not reported"; accuracy taken as unknown'];
/** The fix record's columns before schema step 4: what its chain records were made of then. */
const FIX_COLUMNS_BEFORE = ['id', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms',
  'late', 'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m', 'determination_json'];

const kinds = storeKinds();
after(() => kinds.close());

function namesOf(fix: StoredFix): Pick<StoredFix, 'name' | 'group' | 'notes'> {
  const out: Pick<StoredFix, 'name' | 'group' | 'notes'> = {};
  for (const key of ['name', 'group', 'notes'] as const) if (key in fix) Object.assign(out, { [key]: fix[key] });
  return out;
}

/** Every read of the store that returns this unit's fixes, its latest first. */
async function everyRead(store: Store, unit: string): Promise<StoredFix[]> {
  const latest = (await store.units()).find((u) => u.unit === unit)!.lastFix;
  const track = await store.track(unit);
  const windowed = (await store.fixesInWindow(T0 - 1, T0 + 1e9, [unit])).at(-1)!;
  const before = (await store.latestFixBefore(unit, T0 + 1e9))!;
  const event = (await store.eventsAfter(0, 10_000)).filter((e) => e.kind === 'fix' && e.fix.unit === unit).at(-1)!;
  return [latest, track.at(-1)!, windowed, before, event.kind === 'fix' ? event.fix : latest];
}

for (const kind of kinds) {
describe(`names and notes in the ${kind.name} store`, { skip: kind.skip }, () => {
  test('a fix\'s callsign, team and notes are stored with it and come back from every read, chained', async () => {
    const store = await kind.open('names.db');
    const item = fixToAppend('ANDROID-359975090666199', T0, 31.78, -106.58, { source: 'cot', name: 'COYOTE-3 Ñandú', group: 'Cyan', notes: NOTES, courseDeg: 251.1 });
    const [result] = await store.appendFixes([item]);
    for (const fix of await everyRead(store, item.fix.unit)) {
      assert.deepEqual(namesOf(fix), { name: 'COYOTE-3 Ñandú', group: 'Cyan', notes: NOTES });
      assert.equal(fix.id, result.id);
    }
    const [entry] = entryRecords(await store.chainEntries(0));
    assert.deepEqual([entry.record?.name, entry.record?.group_name, entry.record?.notes_json], ['COYOTE-3 Ñandú', 'Cyan', JSON.stringify(NOTES)]);
    assert.deepEqual(recordHash(entry.record!), entry.recordHash, 'the chain binds the names and notes as stored');
    await store.close();
  });

  test('a fix without them reads back without them, and its chain record has no members for them', async () => {
    const store = await kind.open('bare.db');
    await store.appendFixes([fixToAppend('u-1', T0, 31, -106), fixToAppend('u-2', T0, 31, -106, { notes: [] })]);
    for (const unit of ['u-1', 'u-2']) for (const fix of await everyRead(store, unit)) assert.deepEqual(namesOf(fix), {}, unit);
    for (const entry of entryRecords(await store.chainEntries(0))) {
      assert.deepEqual(Object.keys(entry.record!).filter((k) => ['name', 'group_name', 'notes_json'].includes(k)), []);
    }
    await store.close();
  });

  test("a fix's emergency is stored with it, comes back from every read and is chained; a bad one is refused", async () => {
    const store = await kind.open('emergency.db');
    const emergency = { state: 'declared' as const, what: '911 Alert' };
    const [result] = await store.appendFixes([fixToAppend('ANDROID-1', T0, 31.78, -106.58, { source: 'cot', emergency }), fixToAppend('ANDROID-2', T0, 31.78, -106.58)]);
    for (const fix of await everyRead(store, 'ANDROID-1')) assert.deepEqual([fix.id, fix.emergency], [result.id, emergency]);
    for (const fix of await everyRead(store, 'ANDROID-2')) assert.equal('emergency' in fix, false);
    const [withIt, without] = entryRecords(await store.chainEntries(0));
    assert.equal(withIt.record?.emergency_json, JSON.stringify(emergency));
    assert.deepEqual(recordHash(withIt.record!), withIt.recordHash, 'the chain binds the emergency as stored');
    assert.equal('emergency_json' in without.record!, false, 'a fix without one has no member for it: its hash is as before step 7');
    await assert.rejects(store.appendFixes([fixToAppend('u', T0, 31, -106, { emergency: { state: 'over', what: 'x' } as never })]), { code: 'store-bad-fix', place: { index: 0, field: 'emergency.state' } });
    await assert.rejects(store.appendFixes([fixToAppend('u', T0, 31, -106, { emergency: { state: 'declared', what: '' } })]), { code: 'store-bad-fix', place: { index: 0, field: 'emergency.what' } });
    await store.close();
  });

  test('a name, group or notes out of bounds rejects the call, naming the item and field', async () => {
    const store = await kind.open('bounds.db');
    const bad = (extra: Parameters<typeof fixToAppend>[4], field: string) =>
      assert.rejects(store.appendFixes([fixToAppend('u', T0, 31, -106), fixToAppend('u', T0 + 1, 31, -106, extra)]),
        { code: 'store-bad-fix', place: { index: 1, field } }, field);
    await bad({ name: '' }, 'name');
    await bad({ name: 'x'.repeat(MAX_UNIT_CHARS + 1) }, 'name');
    await bad({ group: 'x'.repeat(MAX_UNIT_CHARS + 1) }, 'group');
    await bad({ notes: Array.from({ length: MAX_FIX_NOTES + 1 }, (_, i) => `note ${i}`) }, 'notes');
    await bad({ notes: ['x'.repeat(MAX_NOTE_CHARS + 1)] }, 'notes');
    await bad({ notes: [42] as never }, 'notes');
    await bad({ notes: 'speed left off' as never }, 'notes');
    assert.deepEqual(await store.units(), [], 'nothing of a refused call is stored');
    const longest = fixToAppend('u', T0, 31, -106, { name: 'n'.repeat(MAX_UNIT_CHARS), notes: Array.from({ length: MAX_FIX_NOTES }, () => 'x'.repeat(MAX_NOTE_CHARS)) });
    await store.appendFixes([longest]);
    assert.equal((await store.track('u'))[0].notes?.length, MAX_FIX_NOTES);
    await store.close();
  });

  test('a store from before the names were kept is migrated: its fixes read back without them, and its chain hashes are unchanged', async () => {
    // The release before chained a record per entry (chain.ts).
    let store = await kind.open('old.db', { chainForm: 'record' });
    await store.appendFixes([fixToAppend('old-1', T0, 31.1, -106), fixToAppend('old-2', T0 + 1000, 31.2, -106, { accuracyM: 5 })]);
    await store.close();
    // The schema as the release before wrote it: the steps after it (the columns, the sessions, the commit form) undone.
    await kind.exec('old.db', kind.name === 'SQLite'
      ? 'ALTER TABLE fixes DROP COLUMN name; ALTER TABLE fixes DROP COLUMN group_name; ALTER TABLE fixes DROP COLUMN notes_json; ' +
        'ALTER TABLE fixes DROP COLUMN emergency_json; DROP TABLE sessions; ' +
        'DROP TABLE chain_commits; DROP TABLE chain_leaves; ALTER TABLE checkpoints DROP COLUMN tree_root; PRAGMA user_version = 3;'
      : 'ALTER TABLE fixes DROP COLUMN name, DROP COLUMN group_name, DROP COLUMN notes_json, DROP COLUMN emergency_json; ALTER TABLE checkpoints DROP COLUMN tree_root; ' +
        'DROP TABLE trust_version, device_units, devices, users, acknowledgements, sessions, chain_commits, chain_leaves; ALTER TABLE api_keys DROP COLUMN role; ' +
        'DROP TABLE rule_buckets, rule_nodes, rule_watermarks; DROP INDEX alerts_once; ' +
        'DROP TABLE share_links, share_pending, share_outbox, share_shared_units, share_inbox, share_partner_units, share_messages, share_encounters; ' +
        'UPDATE lindero_schema SET version = 1;');
    store = await kind.open('old.db');
    const old = await store.track('old-1');
    assert.equal(old.length, 1);
    assert.deepEqual(namesOf(old[0]), {});
    assert.equal((await store.track('old-2'))[0].accuracyM, 5);
    await store.appendFixes([fixToAppend('old-1', T0 + 2000, 31.3, -106, { name: 'NOVA', group: 'Cyan' })]);
    assert.deepEqual(namesOf((await store.units()).find((u) => u.unit === 'old-1')!.lastFix), { name: 'NOVA', group: 'Cyan' });
    const entries = entryRecords(await store.chainEntries(0));
    assert.equal(entries.length, 3);
    for (const entry of entries.slice(0, 2)) {
      const before = Object.fromEntries([['type', 'fix'], ...FIX_COLUMNS_BEFORE.map((c) => [c, entry.record![c]])]);
      assert.deepEqual(sha256(canonicalJson(before)), entry.recordHash, `fix ${entry.ref} hashes as its record did before the step`);
      assert.deepEqual(recordHash(entry.record!), entry.recordHash);
    }
    assert.deepEqual(recordHash(entries[2].record!), entries[2].recordHash);
    await store.close();
  });
});
}
