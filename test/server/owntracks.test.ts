// Phones running OwnTracks in HTTP mode, as the app posts: beyond loopback (the server listens on 0.0.0.0,
// reached through 127.0.0.1), "Authorization: Basic" with a device token from `lindero device add` as the
// password, the app's user and device in X-Limit-U and X-Limit-D.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/server/index.js';
import { startWithDevice, wholeSecondsAgo } from './helpers.js';

const UNIT = 'owntracks/jane/phone';
let server: RunningServer;
let phone: { token: string };
let stop: () => Promise<void>;

before(async () => {
  const started = await startWithDevice('jane-phone', [UNIT]);
  ({ server, stop } = started);
  phone = { token: started.token };
});
after(() => stop());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function post(body: unknown, headers: Record<string, string> = { authorization: basic('jane', phone.token), 'x-limit-u': 'jane', 'x-limit-d': 'phone' }) {
  const r = await fetch(`http://127.0.0.1:${server.ports.http}/api/v1/owntracks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() as unknown };
}

/** The Android capture Traccar tests with, given today's time and a place near the fixture boundary. */
function location(tstS: number, lat = 31.9, lon = -106.5): Record<string, unknown> {
  const line = readFileSync(new URL('../fixtures/devices/traccar-owntracks-requests.txt', import.meta.url), 'utf8').split('\n')[2];
  return { ...JSON.parse(line), tst: tstS, lat, lon };
}

test('a location posted with the device token as the Basic password is stored under owntracks/USER/DEVICE, answered with an empty array', async () => {
  const t = wholeSecondsAgo(60);
  const r = await post(location(t / 1000));
  assert.deepEqual(r, { status: 200, body: [] });
  const [fix] = await server.store.track(UNIT);
  assert.deepEqual([fix.source, fix.time, fix.name, fix.accuracyM], ['owntracks', t, 'JJ', 5]);
  assert.ok(Math.abs(fix.speedMps! - 61 / 3.6) < 1e-9);
  // The app sends a message again until it is answered 2xx: stored once.
  assert.deepEqual(await post(location(t / 1000)), { status: 200, body: [] });
  assert.equal((await server.store.track(UNIT)).length, 1);
});

test("a region transition is answered 200 and stores nothing; another device's topic is refused 403; a bad password 401", async () => {
  const t = wholeSecondsAgo(30);
  assert.deepEqual(await post({ _type: 'transition', event: 'leave', lat: 31.9, lon: -106.5, tst: t / 1000, tid: 'JJ' }), { status: 200, body: [] });
  assert.equal((await server.store.track(UNIT)).length, 1);
  const other = await post({ ...location(t / 1000), topic: 'owntracks/bob/phone' });
  assert.equal(other.status, 403);
  assert.match((other.body as { error: { message: string } }).error.message, /not enrolled for unit "owntracks\/bob\/phone"/);
  assert.deepEqual(await server.store.track('owntracks/bob/phone'), []);
  assert.equal((await post(location(t / 1000), { authorization: basic('jane', `lndd_${'A'.repeat(43)}`) })).status, 401);
  assert.equal((await post(location(t / 1000), {})).status, 401);
  // Basic is taken on this path only.
  const fixes = await fetch(`http://127.0.0.1:${server.ports.http}/api/v1/fixes`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: basic('jane', phone.token) }, body: JSON.stringify([{ unit: UNIT, time: t, lat: 31.9, lon: -106.5 }]),
  });
  assert.equal(fixes.status, 401);
});
