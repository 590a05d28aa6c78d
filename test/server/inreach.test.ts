// Garmin inReach devices through IPC Outbound, as Garmin's gateway posts them: beyond loopback (the server
// listens on 0.0.0.0, reached through 127.0.0.1), with the static token Portal Connect sends in
// X-Outbound-Auth-Token being a device token from `lindero device add` enrolled for the devices' IMEIs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/server/index.js';
import { alertJson } from '../../src/server/wire.js';
import { startWithDevice, wholeSecondsAgo } from './helpers.js';

const IMEI = '300052030374220';
const OTHER_IMEI = '300434030000000';
/** The fixture boundary (parallel 31°47′ N) at lon -106.58. */
const BOUNDARY_LAT = 31.783859;

let server: RunningServer;
let gateway: { token: string };
let stop: () => Promise<void>;

before(async () => {
  const started = await startWithDevice('garmin-portal', [IMEI, '300434030000001']);
  ({ server, stop } = started);
  gateway = { token: started.token };
});
after(() => stop());

/** Posts as Garmin's gateway does: JSON, the token in X-Outbound-Auth-Token (or other headers given). */
async function post(body: unknown, headers: Record<string, string> = { 'x-outbound-auth-token': gateway.token }): Promise<{ status: number; body: any }> {
  const r = await fetch(`http://127.0.0.1:${server.ports.http}/api/v1/inreach`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

/** A real capture (a Mini 3 Plus's V4 Position Report over Iridium) moved to `lat`, `lon` and `timeMs`. */
function positionReport(imei: string, lat: number, lon: number, timeMs: number) {
  const capture = JSON.parse(readFileSync(new URL('../fixtures/devices/inreach/trailscribe-v4-satellite-position-report.json', import.meta.url), 'utf8'));
  const event = capture.Events[0];
  return { ...event, imei, timeStamp: timeMs, point: { ...event.point, latitude: lat, longitude: lon } };
}

test('a Position Report posted with the Portal Connect token is stored as a fix of the IMEI, its accuracy unknown and assumed', async () => {
  const t = wholeSecondsAgo(120);
  const body = { Version: '4.0', Events: [positionReport(IMEI, BOUNDARY_LAT + 0.02, -106.58, t)] };
  const r = await post(body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { accepted: 1, rejected: [] });
  const [fix] = await server.store.track(IMEI);
  assert.equal(fix.source, 'inreach');
  assert.equal(fix.time, t);
  assert.ok(Math.abs(fix.speedMps! - 107.994 / 3.6) < 1e-9);
  assert.equal(fix.accuracyM, undefined);
  assert.equal(fix.determination.territory, 'US');
  assert.equal(fix.determination.accuracyAssumed, true);
  // Garmin sends a post again until it is answered 200: the same post again stores nothing twice.
  assert.deepEqual((await post(body)).body, { accepted: 1, rejected: [] });
  assert.equal((await server.store.track(IMEI)).length, 1);
});

test('breadcrumbs north then south of the line raise a crossing, like any other source', async () => {
  const t = wholeSecondsAgo(60);
  const r = await post({ Version: '2.0', Events: [positionReport(IMEI, BOUNDARY_LAT + 0.01, -106.58, t), positionReport(IMEI, BOUNDARY_LAT - 0.01, -106.58, t + 30_000)] });
  assert.deepEqual(r.body, { accepted: 2, rejected: [] });
  await server.pipeline.settle();
  const crossings = (await server.store.alerts({ unit: IMEI })).filter((a) => a.kind === 'crossing');
  assert.deepEqual(crossings.map((a) => [a.from, a.to, a.time]), [['US', 'MX', t + 30_000]]);
});

test('an SOS raises an emergency alert for the device, stated in English and Spanish; Cancel SOS raises its cancellation', async () => {
  const t = wholeSecondsAgo(30);
  const unit = '300434030000001';
  const sos = { ...positionReport(unit, BOUNDARY_LAT + 0.2, -106.58, t), messageCode: 4 };
  const cancel = { ...positionReport(unit, BOUNDARY_LAT + 0.2, -106.58, t + 10_000), messageCode: 7 };
  assert.deepEqual((await post({ Version: '4.0', Events: [sos, cancel] })).body, { accepted: 2, rejected: [] });
  await server.pipeline.settle();
  const alerts = await server.store.alerts({ unit });
  assert.deepEqual(alerts.map((a) => [a.kind, a.emergency, a.time]).sort(), [['emergency', 'Declare SOS', t], ['emergency-cancelled', 'Cancel SOS', t + 10_000]]);
  const declared = alertJson(alerts.find((a) => a.kind === 'emergency')!);
  assert.equal(declared.emergency, 'Declare SOS');
  assert.match(declared.message_en, /^EMERGENCY: 300434030000001 declared an emergency \("Declare SOS"\), 22\.\d km from the boundary, in United States\.$/);
  assert.match(declared.message_es, /^EMERGENCIA: 300434030000001 declaró una emergencia/);
  // The fix keeps what it declared.
  assert.deepEqual((await server.store.track(unit)).map((f) => f.emergency?.state), ['declared', 'cancelled']);
});

test('an SOS sent without a GPS fix raises an emergency at the device\'s last known position, and says so; no fix is stored for it', async () => {
  const unit = '300434030000001';
  const [last] = (await server.store.track(unit)).slice(-1);
  const capture = JSON.parse(readFileSync(new URL('../fixtures/devices/inreach/trailscribe-free-text-no-gps.json', import.meta.url), 'utf8'));
  const t = last.time + 60_000;
  const sos = { ...capture.Events[0], imei: unit, messageCode: 4, timeStamp: t };
  const r = await post({ Version: '2.0', Events: [sos] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { accepted: 0, rejected: [], emergencies_without_position: [0] });
  const alert = (await server.store.alerts({ unit })).find((a) => a.time === t)!;
  assert.deepEqual([alert.kind, alert.emergency, alert.lastKnownTime, alert.determination.lat], ['emergency', 'Declare SOS', last.time, last.lat]);
  assert.match(alertJson(alert).message_en, /declared an emergency \("Declare SOS"\) with no position; last known 22\.\d+ km from the boundary/);
  assert.equal((await server.store.track(unit)).length, 2, 'no fix for it');
  // An IMEI the token is not enrolled for is refused, and raises nothing.
  const other = await post({ Version: '2.0', Events: [{ ...sos, imei: OTHER_IMEI }] });
  assert.deepEqual(other.body.rejected.map((x: { index: number }) => x.index), [0]);
  assert.equal(other.body.emergencies_without_position, undefined);
  assert.deepEqual(await server.store.alerts({ unit: OTHER_IMEI }), []);
});

test('messages without a fix and binary payloads are answered 200 and listed as no report; an IMEI not enrolled is refused, not stored', async () => {
  const t = wholeSecondsAgo(30);
  const noFix = { ...positionReport(IMEI, 0, 0, t), messageCode: 3, point: { latitude: 0, longitude: 0, altitude: 0, gpsFix: 0, course: 0, speed: 0 } };
  const binary = { payload: 'aGVsbG8=', imei: IMEI, messageCode: 64, status: { lowBattery: 0 } };
  const r = await post({ Version: '2.0', Events: [noFix, binary, positionReport(OTHER_IMEI, 31.9, -106.5, t)] });
  assert.equal(r.status, 200, 'a post that was read is answered 200: Garmin would send it again for days');
  assert.equal(r.body.accepted, 0);
  assert.deepEqual(r.body.rejected.map((x: any) => [x.index, x.not_a_report]), [[0, true], [1, true], [2, false]]);
  assert.match(r.body.rejected[2].reason, /device garmin-portal is not enrolled for unit "300434030000000"/);
  assert.deepEqual(await server.store.track(OTHER_IMEI), []);
});

test('beyond loopback a post without a valid token is refused, and the Garmin header is a credential only on this path', async () => {
  const t = wholeSecondsAgo(20);
  const body = { Version: '2.0', Events: [positionReport(IMEI, 31.9, -106.5, t)] };
  assert.equal((await post(body, {})).status, 401);
  assert.equal((await post(body, { 'x-outbound-auth-token': `lndd_${'A'.repeat(43)}` })).status, 401);
  assert.equal((await post(body, { 'x-outbound-auth-token': 'two words' })).status, 401);
  // The same token as "Authorization: Bearer" is as good.
  assert.equal((await post(body, { authorization: `Bearer ${gateway.token}` })).status, 200);
  const fixes = await fetch(`http://127.0.0.1:${server.ports.http}/api/v1/fixes`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-outbound-auth-token': gateway.token }, body: JSON.stringify([{ unit: IMEI, time: t + 1000, lat: 31.9, lon: -106.5 }]),
  });
  assert.equal(fixes.status, 401);
  // A body that is no IPC Outbound post is a 400 naming what was expected.
  const bad = await post({ events: [] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'Events');
});
