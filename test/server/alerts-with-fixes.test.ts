// An in-order fix's alert is committed with the fix: one commit, so no fix is ever stored without the
// alert it raised, and the alert is out as soon as the fix is acknowledged.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { entryRecords, openSqliteStore, openWorkerStore, type Store } from '../../src/store/index.js';
import { postJson, startTestServer, StreamReader, streamUrl } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lindero-alerts-with-fixes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The boundary of the fixture runs along 31°47′ N (31.783859) at lon -106.58. */
const NORTH = 31.7879, SOUTH = 31.7798, LON = -106.58;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

test('a crossing that arrives in order is acknowledged with its alert already stored, in the same commit, and streamed', async () => {
  const server = await startTestServer({ tickMs: 3_600_000 });
  const stream = await StreamReader.open(streamUrl(server));
  try {
    const post = (lat: number, k: number) => postJson(`${server.base}/api/v1/fixes`, [{ unit: 'p-1', time: T0 + k * 10_000, lat, lon: LON, accuracy_m: 2 }]);
    assert.equal((await post(NORTH, 0)).status, 200);
    assert.equal((await post(SOUTH, 1)).status, 200);
    // No settle(): the acknowledgement itself means the alert is stored.
    const alerts = await server.store.alerts({ unit: 'p-1' });
    const crossing = alerts.find((a) => a.kind === 'crossing');
    assert.ok(crossing, `a crossing is stored by the time the fix is acknowledged (stored: ${alerts.map((a) => a.kind).join(', ')})`);
    const [fix] = (await server.store.track('p-1')).filter((f) => f.time === T0 + 10_000);
    assert.equal(crossing.seq, fix.seq + 1, 'the alert follows its fix in the same commit');
    const streamed = await stream.waitFor((e) => e.type === 'alert' && e.alert.kind === 'crossing');
    assert.equal(streamed.alert.id, crossing.id);
  } finally {
    await stream.close();
    await server.stop();
  }
});

for (const [name, open] of [['in the caller\'s thread', openSqliteStore], ['in a worker thread', openWorkerStore]] as const) {
  test(`fixes and their alerts are stored together or not at all, chained in that order (store ${name})`, async () => {
    const store = await open(join(dir, `together-${name.length}.db`));
    const fix = (unit: string, time: number) => ({ fix: { unit, time, lat: 31.78, lon: LON, source: 'json' as const }, determination: determination() });
    const alert = (unit: string, time: number) => ({ kind: 'crossing' as const, unit, time, determination: determination(), from: 'US', to: 'MX', confirmed: true });
    const { fixes, alerts } = await store.appendFixesAndAlerts([fix('a', T0), fix('a', T0 + 1)], [alert('a', T0 + 1)]);
    assert.deepEqual(fixes.map((r) => r.status), ['stored', 'stored']);
    assert.equal(alerts[0].seq, fixes[1].seq + 1);
    assert.deepEqual(entryRecords(await store.chainEntries(0)).map((e) => e.kind), ['fix', 'fix', 'alert']);
    // A bad alert refuses the whole call: its fixes are not stored either.
    await assert.rejects(store.appendFixesAndAlerts([fix('b', T0)], [{ ...alert('b', T0), kind: 'nonsense' } as never]), { code: 'store-bad-alert' });
    assert.deepEqual(await store.track('b'), []);
    await store.close();
  });
}

test('when the commit fails, the live rules forget what they saw: the same fix sent again still raises its crossing', async () => {
  const real = await openSqliteStore(join(dir, 'failing.db'));
  let failNext = false;
  // The store as the server sees it, refusing one append as a full disk would.
  const store = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if ((key === 'appendFixes' || key === 'appendFixesAndAlerts') && typeof value === 'function') {
        return (...args: unknown[]) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(Object.assign(new Error('disk full'), { code: 'store-disk-full' }));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;
  const server = await startTestServer({ store, tickMs: 3_600_000 });
  try {
    const post = (lat: number, k: number) => postJson(`${server.base}/api/v1/fixes`, [{ unit: 'p-2', time: T0 + k * 10_000, lat, lon: LON, accuracy_m: 2 }]);
    assert.equal((await post(NORTH, 0)).status, 200);
    failNext = true;
    assert.notEqual((await post(SOUTH, 1)).status, 200, 'the failed commit is not acknowledged');
    assert.equal((await post(SOUTH, 1)).status, 200, 'sent again, it is stored');
    await server.pipeline.settle();
    const kinds = (await real.alerts({ unit: 'p-2' })).map((a) => a.kind);
    assert.equal(kinds.filter((k) => k === 'crossing').length, 1, `one crossing is stored (stored: ${kinds.join(', ')})`);
  } finally {
    await server.stop();
    await real.close();
  }
});

function determination() {
  return {
    lat: 31.78, lon: LON, territory: 'MX', outside: false, accuracyM: 2, accuracyAssumed: false, lineUncertaintyM: 0, uncertaintyM: 2,
    uncertaintyDominant: 'position' as const, confidence: 0.99, certain: true, zone: 'inland' as const, fence: null,
    boundary: { distanceM: 400, nearest: { lat: 31.783859, lon: LON }, bearingDeg: 0, otherTerritory: 'US', name: 'line', between: ['US', 'MX'] as [string, string] },
  };
}
