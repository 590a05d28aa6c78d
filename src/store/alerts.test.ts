import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { alertFor } from '../../test/helpers/store-fixtures.js';
import { storeKinds } from '../../test/helpers/stores.js';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const kinds = storeKinds();
after(() => kinds.close());

for (const kind of kinds) {
describe(`alerts in the ${kind.name} store`, { skip: kind.skip }, () => {

test('a stored alert reads back whole, with its id, seq and the time it was stored', async () => {
  const store = await kind.open('a.db', { now: () => 42 });
  const crossing = { ...alertFor('bp-7', T0, 'crossing'), from: 'US', to: 'MX', confirmed: true };
  const stored = await store.appendAlert(crossing);
  assert.deepEqual(stored, { ...crossing, id: 1, seq: 1, receivedMs: 42 });
  assert.deepEqual(await store.alerts(), [stored]);
  const proximity = { ...alertFor('bp-7', T0 + 1, 'proximity'), otherUnit: 'bp-9', unitDistanceM: 35.5 };
  assert.deepEqual((await store.alerts({ sinceId: 1 }))[0] ?? null, null);
  const second = await store.appendAlert(proximity);
  assert.deepEqual(await store.alerts({ sinceId: 1 }), [second]);
  await store.close();
});

test('an id the caller put on the alert is replaced by the store\'s', async () => {
  const store = await kind.open('id.db');
  const stored = await store.appendAlert({ ...alertFor('u', T0), id: 999 });
  assert.equal(stored.id, 1);
  assert.equal((await store.alerts())[0].id, 1);
  await store.close();
});

test('alerts since a device time, since an id, for one unit and up to a limit come back in stored order', async () => {
  const store = await kind.open('since.db');
  const times = [T0 + 5000, T0, T0 + 9000, T0 + 7000];
  for (const [i, time] of times.entries()) await store.appendAlert(alertFor(i % 2 ? 'b' : 'a', time));
  const label = (list: { id: number; unit: string }[]) => list.map((a) => `${a.id}${a.unit}`);
  assert.deepEqual(label(await store.alerts({ sinceMs: T0 + 6000 })), ['3a', '4b']);
  assert.deepEqual(label(await store.alerts({ sinceId: 2 })), ['3a', '4b']);
  assert.deepEqual(label(await store.alerts({ unit: 'b' })), ['2b', '4b']);
  assert.deepEqual(label(await store.alerts({ limit: 2 })), ['1a', '2b']);
  assert.deepEqual(label(await store.alerts({ sinceId: 1, sinceMs: T0 + 1, unit: 'a' })), ['3a']);
  await store.close();
});

test('the history filters (kinds, a time window, a partner, newest first) are the store\'s: a match is found behind 10,000 other alerts', async () => {
  const store = await kind.open('filters.db');
  const noise = Array.from({ length: 10_050 }, (_, i) => alertFor(`u${i % 50}`, T0 + i, 'approach'));
  await store.appendFixesAndAlerts([], noise);
  const partnerAlert = { ...alertFor('bp-7', T0 + 20_000, 'proximity'), otherUnit: 'sed-3@SEDENA', unitDistanceM: 300 };
  const crossing = { ...alertFor('bp-8', T0 + 30_000, 'crossing'), from: 'US', to: 'MX', confirmed: true };
  const [p] = (await store.appendFixesAndAlerts([], [partnerAlert, crossing])).alerts;
  const label = (list: { kind: string; unit: string }[]) => list.map((a) => `${a.kind}:${a.unit}`);
  assert.deepEqual(label(await store.alerts({ kinds: ['crossing'] })), ['crossing:bp-8']);
  assert.deepEqual(label(await store.alerts({ kinds: ['crossing', 'proximity'] })), ['proximity:bp-7', 'crossing:bp-8']);
  assert.deepEqual(label(await store.alerts({ partner: 'SEDENA' })), ['proximity:bp-7']);
  assert.deepEqual(await store.alerts({ partner: 'SEDEN' }), [], 'the whole partner name, after the @');
  assert.deepEqual(label(await store.alerts({ sinceMs: T0 + 15_000, untilMs: T0 + 25_000 })), ['proximity:bp-7']);
  assert.deepEqual(label(await store.alerts({ newestFirst: true, limit: 3 })), ['crossing:bp-8', 'proximity:bp-7', 'approach:u49']);
  assert.deepEqual((await store.alerts({ newestFirst: true, kinds: ['approach'], unit: 'u0', limit: 1 }))[0].time, T0 + 10_000);
  assert.equal((await store.alerts({ sinceId: p.id - 1, kinds: ['proximity'] }))[0].id, p.id);
  await assert.rejects(store.alerts({ kinds: [] }), { code: 'store-bad-query', place: { field: 'kinds' } });
  await store.close();
});

test('a bad alert or query is refused with the field that is wrong', async () => {
  const store = await kind.open('bad.db');
  await assert.rejects(store.appendAlert({ ...alertFor('u', T0), kind: 'explosion' as never }), { code: 'store-bad-alert', place: { field: 'kind' } });
  await assert.rejects(store.appendAlert({ ...alertFor('u', T0), unit: '' }), { code: 'store-bad-alert', place: { field: 'unit' } });
  const noConfidence = alertFor('u', T0);
  noConfidence.determination = { ...noConfidence.determination, confidence: 2 };
  await assert.rejects(store.appendAlert(noConfidence), { code: 'store-bad-alert', place: { field: 'determination.confidence' } });
  await assert.rejects(store.alerts({ limit: 0 }), { code: 'store-bad-query', place: { field: 'limit' } });
  await assert.rejects(store.alerts({ limit: 1e9 }), { code: 'store-bad-query', place: { field: 'limit' } });
  await assert.rejects(store.alerts({ sinceId: 1.5 }), { code: 'store-bad-query', place: { field: 'sinceId' } });
  assert.deepEqual(await store.alerts(), []);
  await store.close();
});
});
}
