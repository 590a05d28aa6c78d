import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LinderoError } from '../model/index.js';
import type { Store } from './index.js';
import { alertFor, determinationAt, fixToAppend, seededRandom } from '../../test/helpers/store-fixtures.js';
import { storeKinds } from '../../test/helpers/stores.js';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

const kinds = storeKinds();
after(() => kinds.close());

for (const kind of kinds) {
describe(`fixes in the ${kind.name} store`, { skip: kind.skip }, () => {
  let clock = 1_700_000_000_000;
  const open = (name: string) => kind.open(name, { now: () => clock++ });

  test('a stored fix reads back with every field and its determination', async () => {
    const store = await open('roundtrip.db');
    const item = fixToAppend('bp-12', T0, 31.78331, -106.52711, { accuracyM: 4.5, altM: 1130, speedMps: 1.2, courseDeg: 271, source: 'cot' });
    item.determination = determinationAt(31.78331, -106.52711, 0.3, true);
    const [result] = await store.appendFixes([item]);
    assert.equal(result.status, 'stored');
    assert.equal(result.late, false);
    const [stored] = await store.track('bp-12');
    assert.deepEqual(stored, { ...item.fix, id: result.id, seq: result.seq, receivedMs: stored.receivedMs, late: false, determination: item.determination });
    assert.ok(stored.receivedMs >= 1_700_000_000_000);
    await store.close();
  });

  test('a position outside every territory the layers cover (Sweden, say) is stored with its fellows and reads back with territory null', async () => {
    const store = await open('outside.db');
    const outside = fixToAppend('tak-se', T0, 58.4165, 15.585);
    outside.determination = { ...determinationAt(58.4165, 15.585, 7_500_000), territory: null, outside: true };
    const home = fixToAppend('bp-1', T0, 31.78, -106.52);
    const results = await store.appendFixes([home, outside]);
    assert.deepEqual(results.map((r) => r.status), ['stored', 'stored']);
    const [stored] = await store.track('tak-se');
    assert.equal(stored.determination.territory, null);
    assert.equal(stored.determination.outside, true);
    const alert = { ...alertFor('tak-se', T0, 'stale'), determination: outside.determination };
    assert.equal((await store.appendAlert(alert)).determination.territory, null);
    // A null territory is only for a position outside (outside: true).
    const wrong = fixToAppend('x', T0, 1, 1);
    wrong.determination = { ...wrong.determination, territory: null };
    await assert.rejects(store.appendFixes([wrong]), { code: 'store-bad-fix', place: { index: 0, field: 'determination.territory' } });
    await store.close();
  });

  test('a fix without optional fields reads back without them', async () => {
    const store = await open('bare.db');
    await store.appendFixes([fixToAppend('u', T0, 31, -106)]);
    const [stored] = await store.track('u');
    for (const field of ['accuracyM', 'altM', 'speedMps', 'courseDeg']) assert.equal(field in stored, false, field);
    await store.close();
  });

  test('the same unit, device time and position sent twice is stored once and reported as a duplicate', async () => {
    const store = await open('dup.db');
    const [first] = await store.appendFixes([fixToAppend('u1', T0, 31.5, -106.2)]);
    const again = await store.appendFixes([fixToAppend('u1', T0, 31.5, -106.2), fixToAppend('u1', T0 + 1000, 31.5, -106.2)]);
    assert.deepEqual(again[0], { status: 'duplicate', id: first.id, seq: first.seq, late: false });
    assert.equal(again[1].status, 'stored');
    const [resent] = await store.appendFixes([fixToAppend('u1', T0, 31.5, -106.2)]);
    assert.deepEqual(resent, { status: 'duplicate', id: first.id, seq: first.seq, late: true });
    const within = await store.appendFixes([fixToAppend('u1', T0 + 2000, 31.6, -106.2), fixToAppend('u1', T0 + 2000, 31.6, -106.2)]);
    assert.deepEqual(within.map((r) => r.status), ['stored', 'duplicate']);
    assert.equal(within[1].id, within[0].id);
    assert.equal((await store.track('u1')).length, 3);
    await store.close();
  });

  test('a fix at the same time but another position, or from another unit, is not a duplicate', async () => {
    const store = await open('notdup.db');
    const results = await store.appendFixes([fixToAppend('a', T0, 31.5, -106.2), fixToAppend('a', T0, 31.5000001, -106.2), fixToAppend('b', T0, 31.5, -106.2)]);
    assert.deepEqual(results.map((r) => r.status), ['stored', 'stored', 'stored']);
    await store.close();
  });

  test('a fix older than the unit\'s latest is marked late, and the track stays in device-time order', async () => {
    const store = await open('late.db');
    const r1 = await store.appendFixes([fixToAppend('u', T0 + 60_000, 31.1, -106)]);
    const r2 = await store.appendFixes([fixToAppend('u', T0, 31.0, -106)]);
    const r3 = await store.appendFixes([fixToAppend('u', T0 + 30_000, 31.05, -106), fixToAppend('other', T0, 31, -105)]);
    assert.deepEqual([r1[0].late, r2[0].late, r3[0].late, r3[1].late], [false, true, true, false]);
    const track = await store.track('u');
    assert.deepEqual(track.map((f) => f.time), [T0, T0 + 30_000, T0 + 60_000]);
    assert.deepEqual(track.map((f) => f.late), [true, true, false]);
    assert.deepEqual((await store.track('u', T0 + 1, T0 + 60_000)).map((f) => f.time), [T0 + 30_000, T0 + 60_000]);
    await store.close();
  });

  test('units lists each unit with its latest fix by device time, not by arrival', async () => {
    const store = await open('units.db');
    await store.appendFixes([fixToAppend('zulu', T0 + 5000, 31.2, -106), fixToAppend('alpha', T0, 31.3, -106.1)]);
    await store.appendFixes([fixToAppend('zulu', T0 + 1000, 31.9, -106), fixToAppend('alpha', T0 + 9000, 31.4, -106.1)]);
    const units = await store.units();
    assert.deepEqual(units.map((u) => [u.unit, u.fixCount, u.firstTime, u.lastFix.time, u.lastFix.lat]), [
      ['alpha', 2, T0, T0 + 9000, 31.4],
      ['zulu', 2, T0 + 1000, T0 + 5000, 31.2],
    ]);
    assert.equal(units[1].lastFix.determination.territory, 'MX');
    await store.close();
  });

  test('latestFixBefore finds the fix just before a late one, for re-evaluating rules', async () => {
    const store = await open('before.db');
    await store.appendFixes([fixToAppend('u', T0, 31, -106), fixToAppend('u', T0 + 20_000, 31.2, -106), fixToAppend('u', T0 + 40_000, 31.4, -106)]);
    assert.equal((await store.latestFixBefore('u', T0 + 30_000))?.time, T0 + 20_000);
    assert.equal((await store.latestFixBefore('u', T0 + 20_000))?.time, T0);
    assert.equal(await store.latestFixBefore('u', T0), null);
    assert.equal(await store.latestFixBefore('nobody', T0 + 99_000), null);
    await store.close();
  });

  test('fixesInWindow returns every unit\'s fixes in the window in device-time order, or only the units asked for', async () => {
    const store = await open('window.db');
    await store.appendFixes([fixToAppend('b', T0 + 3, 31, -106), fixToAppend('a', T0 + 1, 31, -106), fixToAppend('c', T0 + 2, 31, -106), fixToAppend('a', T0 + 9, 31, -106)]);
    const all = await store.fixesInWindow(T0, T0 + 5);
    assert.deepEqual(all.map((f) => `${f.unit}@${f.time - T0}`), ['a@1', 'c@2', 'b@3']);
    const some = await store.fixesInWindow(T0, T0 + 10, ['a', 'b', 'nobody']);
    assert.deepEqual(some.map((f) => `${f.unit}@${f.time - T0}`), ['a@1', 'b@3', 'a@9']);
    assert.deepEqual(await store.fixesInWindow(T0, T0 + 10, []), []);
    await store.close();
  });

  test('a bad fix rejects the whole call, naming the item and field, and stores nothing from it', async () => {
    const store = await open('bad.db');
    const bad = fixToAppend('u', T0 + 1, 95, -106);
    await assert.rejects(store.appendFixes([fixToAppend('u', T0, 31, -106), bad]), (e: unknown) => {
      assert.ok(e instanceof LinderoError);
      assert.equal(e.code, 'store-bad-fix');
      assert.deepEqual(e.place, { index: 1, field: 'lat' });
      return true;
    });
    const nanTime = fixToAppend('u', Number.NaN, 31, -106);
    await assert.rejects(store.appendFixes([nanTime]), { code: 'store-bad-fix', place: { index: 0, field: 'time' } });
    const hugeUnit = fixToAppend('x'.repeat(100_000), T0, 31, -106);
    await assert.rejects(store.appendFixes([hugeUnit]), { code: 'store-bad-fix', place: { index: 0, field: 'unit' } });
    const noDetermination = { fix: fixToAppend('u', T0, 31, -106).fix } as never;
    await assert.rejects(store.appendFixes([noDetermination]), { code: 'store-bad-fix', place: { index: 0, field: 'determination' } });
    await assert.rejects(store.appendFixes('nope' as never), { code: 'store-bad-fix' });
    assert.deepEqual(await store.units(), []);
    await store.close();
  });

  test('an empty call stores nothing and answers at once', async () => {
    const store = await open('empty.db');
    assert.deepEqual(await store.appendFixes([]), []);
    await store.close();
  });

  test('every call after close is refused with store-closed', async () => {
    const store = await open('closed.db');
    await store.close();
    await assert.rejects(store.appendFixes([fixToAppend('u', T0, 31, -106)]), { code: 'store-closed' });
    await assert.rejects(store.units(), { code: 'store-closed' });
    await store.close();
  });
});

describe(`the global sequence in the ${kind.name} store`, { skip: kind.skip }, () => {
  let store: Store;
  before(async () => {
    store = await kind.open('seq.db');
  });
  after(async () => {
    await store.close();
  });

  test('seq increases across fixes and alerts in commit order, and eventsAfter replays them in that order', async () => {
    const [f1] = await store.appendFixes([fixToAppend('u', T0, 31, -106)]);
    const a1 = await store.appendAlert({ kind: 'approach', unit: 'u', time: T0, determination: determinationAt(31, -106, 40) });
    const [f2, dup] = await store.appendFixes([fixToAppend('u', T0 + 1, 31, -106), fixToAppend('u', T0, 31, -106)]);
    assert.deepEqual([f1.seq, a1.seq, f2.seq], [1, 2, 3]);
    assert.equal(dup.seq, f1.seq, 'a duplicate takes no new seq');
    const events = await store.eventsAfter(0);
    assert.deepEqual(events.map((e) => [e.seq, e.kind]), [[1, 'fix'], [2, 'alert'], [3, 'fix']]);
    const second = events[1];
    assert.equal(second.kind === 'alert' && second.alert.id, a1.id);
    assert.deepEqual((await store.eventsAfter(1, 1)).map((e) => e.seq), [2]);
    assert.deepEqual(await store.eventsAfter(3), []);
  });

  test('many fixes of a unit in one call leave units as the same fixes one call each do: latest by device time (ties: the later arrival), first time, count', async () => {
    const open = (name: string) => kind.open(name);
    const rnd = seededRandom(7);
    const fixes = Array.from({ length: 300 }, (_, i) => fixToAppend(`u-${i % 7}`, T0 + Math.floor(rnd() * 40) * 1000, 31 + i * 1e-5, -106));
    // Some exact repeats (duplicates) and some equal times at other positions (ties).
    fixes.push(fixes[3], fixes[10], fixToAppend('u-3', fixes[3].fix.time, 30, -105));
    const oneByOne = await open('units-one-by-one.db');
    const results: unknown[] = [];
    for (const item of fixes) results.push(...(await oneByOne.appendFixes([item])));
    const together = await open('units-together.db');
    const inOneCall = await together.appendFixes(fixes);
    assert.deepEqual(inOneCall.map((r) => [r.status, r.id, r.late]), results.map((r) => { const x = r as typeof inOneCall[0]; return [x.status, x.id, x.late]; }));
    const summary = (units: Awaited<ReturnType<Store['units']>>) => units.map((u) => ({ unit: u.unit, count: u.fixCount, first: u.firstTime, last: u.lastFix.id }));
    assert.deepEqual(summary(await together.units()), summary(await oneByOne.units()));
    // And across calls: a second call adds to what the first left.
    await together.appendFixes([fixToAppend('u-0', T0 - 5000, 31, -106), fixToAppend('u-0', T0 + 99_000, 31, -106), fixToAppend('u-0', T0 + 99_000, 31.1, -106)]);
    const u0 = (await together.units()).find((u) => u.unit === 'u-0')!;
    assert.equal(u0.firstTime, T0 - 5000);
    assert.equal(u0.lastFix.time, T0 + 99_000);
    assert.equal(u0.lastFix.lat, 31.1, 'the later arrival of two at the same time');
    assert.equal(u0.fixCount, summary(await oneByOne.units()).find((u) => u.unit === 'u-0')!.count + 3);
    await oneByOne.close();
    await together.close();
  });
});
}
