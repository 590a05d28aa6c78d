// A device far from the layers' territories (a TAK user in Sweden, a phone abroad) is stored as what it
// is, outside, and never takes the fixes that came with it down: one request or datagram batch of a
// unit on the line and one in Sweden stores both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { atakPli, postJson, sendUdp, startTestServer, wholeSecondsAgo, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ rules: null, cotTlsPort: null });
});
after(() => server.stop());

test('one request with a fix on the line and one in Sweden stores both; the Swedish one is outside, with no territory', async () => {
  const t = wholeSecondsAgo(10);
  const r = await postJson(`${server.base}/api/v1/fixes`, [
    { unit: 'bp-1', time: t, lat: 31.7901, lon: -106.5801, accuracy_m: 5 },
    { unit: 'linkoping', time: t, lat: 58.4165, lon: 15.585, accuracy_m: 5 },
  ]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.accepted, 2);
  const [far] = await server.store.track('linkoping');
  assert.equal(far.determination.territory, null);
  assert.equal(far.determination.outside, true);
  assert.equal((await server.store.track('bp-1')).length, 1);
  const units = (await (await fetch(`${server.base}/api/v1/units`)).json()) as { units: { unit: string; last_fix: { determination: { territory: string | null; outside: boolean } } }[] };
  const listed = units.units.find((u) => u.unit === 'linkoping');
  assert.ok(listed, 'the unit abroad is listed');
  assert.deepEqual([listed.last_fix.determination.territory, listed.last_fix.determination.outside], [null, true]);
});

test('CoT over UDP from Sweden is stored as outside', async () => {
  const t = wholeSecondsAgo(8);
  await sendUdp(server.ports.cotUdp!, atakPli('ANDROID-se', 58.4166, 15.5851, t));
  for (let i = 0; i < 200 && (await server.store.track('ANDROID-se')).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const [fix] = await server.store.track('ANDROID-se');
  assert.ok(fix, 'stored');
  assert.equal(fix.determination.outside, true);
});
