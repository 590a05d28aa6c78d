// Emergencies through the live server: an ATAK 911 alert over CoT TCP raises one emergency alert however
// often the client repeats it; ATAK's cancel, sent at 0,0, raises its cancellation at the unit's last known
// position (no fix stored for it), after which a new alert is a new emergency; TAK clients connected get
// each alert as a marker, in English and Spanish.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { getJson, startTestServer, write, type TestServer } from './helpers.js';

/** The fixture boundary (parallel 31°47′ N) at lon -106.58. */
const BOUNDARY_LAT = 31.783859;
const T0 = Date.now() - 10 * 60_000;
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function event(type: string, uid: string, s: number, lat: number, detail: string, ce = '6.0'): string {
  return `<event version="2.0" uid="${uid}" type="${type}" time="${at(s)}" start="${at(s)}" stale="${at(s + 10)}" how="${type.startsWith('a-') ? 'm-g' : 'h-e'}">` +
    `<point lat="${lat}" lon="${lat === 0 ? 0 : -106.58}" hae="1150" ce="${ce}" le="9999999.0"/><detail>${detail}</detail></event>`;
}
const pli = (s: number, lat: number) => event('a-f-G-U-C', 'ANDROID-medic', s, lat, '<contact callsign="MEDIC-1"/><__group name="Cyan" role="Medic"/>');
const alert911 = (s: number, lat: number) => event('b-a-o-tbl', 'ANDROID-medic-9-1-1', s, lat,
  '<link uid="ANDROID-medic" type="a-f-G-U-C" relation="p-p"/><contact callsign="MEDIC-1-Alert"/><emergency type="911 Alert">MEDIC-1</emergency>');
const cancelAtZero = (s: number) => event('b-a-o-can', 'ANDROID-medic-9-1-1', s, 0, '<emergency cancel="true">MEDIC-1</emergency>', '9999999.0');

let server: TestServer;
before(async () => {
  server = await startTestServer({ tickMs: 3_600_000 });
});
after(() => server.stop());

interface AlertOut { kind: string; unit: string; name?: string; time_ms: number; emergency?: string; last_known_time?: string; lat: number; message_en: string; message_es: string }

async function alertsOf(unit: string): Promise<AlertOut[]> {
  await server.pipeline.settle();
  return ((await getJson(`${server.base}/api/v1/alerts?unit=${unit}`)).body.alerts as AlertOut[]).sort((a, b) => a.time_ms - b.time_ms);
}

async function untilAlerts(unit: string, n: number): Promise<AlertOut[]> {
  for (let i = 0; i < 250; i++) {
    const alerts = await alertsOf(unit);
    if (alerts.length >= n) return alerts;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return alertsOf(unit);
}

test('a 911 alert repeated raises one emergency; the cancel at 0,0 its cancellation at the last known position; the next alert a new one', async () => {
  const socket = connect(server.ports.cotTcp!, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
  const north = BOUNDARY_LAT + 0.05;
  // PLI, then the alert ATAK repeats every few seconds while it stands, with the PLIs going on.
  await write(socket, pli(0, north) + alert911(5, north + 0.001) + pli(8, north + 0.001) + alert911(10, north + 0.002) + alert911(15, north + 0.003));
  let alerts = await untilAlerts('ANDROID-medic', 1);
  assert.deepEqual(alerts.map((a) => [a.kind, (a.time_ms - T0) / 1000, a.emergency, a.name, a.last_known_time]), [['emergency', 5, '911 Alert', 'MEDIC-1', undefined]]);
  assert.match(alerts[0].message_en, /^EMERGENCY: MEDIC-1 declared an emergency \("911 Alert"\), 5\.\d+ km from the boundary, in United States\.$/);

  await write(socket, cancelAtZero(20));
  alerts = await untilAlerts('ANDROID-medic', 2);
  const cancelled = alerts[1];
  assert.deepEqual([cancelled.kind, (cancelled.time_ms - T0) / 1000, cancelled.emergency], ['emergency-cancelled', 20, 'Cancel']);
  // Its position is the unit's last fix (the alert repeated at 15 s), and it says so.
  assert.equal(cancelled.last_known_time, at(15));
  assert.ok(Math.abs(cancelled.lat - (north + 0.003)) < 1e-9);
  assert.match(cancelled.message_en, / with no position; last known 5\.\d+ km from the boundary, in United States, at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
  assert.match(cancelled.message_es, / sin posición; última conocida a 5[.,]\d+ km del límite/);
  // No fix was stored for the cancel: the unit's fixes are its two PLIs and three alerts.
  assert.deepEqual((await server.store.track('ANDROID-medic')).map((f) => [(f.time - T0) / 1000, f.emergency?.state ?? null]), [[0, null], [5, 'declared'], [8, null], [10, 'declared'], [15, 'declared']]);

  // Declared again a minute later: a new emergency, though within ten minutes of the last.
  await write(socket, alert911(80, north));
  alerts = await untilAlerts('ANDROID-medic', 3);
  assert.deepEqual(alerts.map((a) => a.kind), ['emergency', 'emergency-cancelled', 'emergency']);
  // The TAK client connected was sent each alert as a marker, with the server's sentence.
  for (let i = 0; i < 100 && (received.match(/EMERGENCY: MEDIC-1/g) ?? []).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal((received.match(/EMERGENCY: MEDIC-1/g) ?? []).length, 2, received.slice(0, 400));
  socket.end();
});

test('an emergency without a position from a unit never seen raises nothing it could place, and nothing is stored', async () => {
  const socket = connect(server.ports.cotTcp!, '127.0.0.1');
  await once(socket, 'connect');
  await write(socket, event('b-a-o-tbl', 'ANDROID-ghost-9-1-1', 30, 0, '<emergency type="911 Alert">GHOST</emergency>', '9999999.0'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await alertsOf('ANDROID-ghost'), []);
  assert.deepEqual(await server.store.track('ANDROID-ghost'), []);
  socket.end();
});

test('over the JSON API a fix may declare an emergency, and an item without lat and lon declares one without a position', async () => {
  const post = async (body: unknown) => (await fetch(`${server.base}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const north = BOUNDARY_LAT + 0.02;
  assert.deepEqual(await post([{ unit: 'gateway-1', time: at(100), lat: north, lon: -106.58, accuracy_m: 8, emergency: { state: 'declared', what: 'Panic button' } }]), { accepted: 1, rejected: [] });
  // Eleven minutes later, without a position: a new emergency (ten minutes passed), placed at the last fix.
  assert.deepEqual(await post([{ unit: 'gateway-1', time: at(760), emergency: { state: 'declared', what: 'Panic button' } }]), { accepted: 1, rejected: [] });
  const alerts = await untilAlerts('gateway-1', 2);
  assert.deepEqual(alerts.map((a) => [a.kind, (a.time_ms - T0) / 1000, a.emergency, a.last_known_time]), [
    ['emergency', 100, 'Panic button', undefined], ['emergency', 760, 'Panic button', at(100)],
  ]);
  assert.equal((await server.store.track('gateway-1')).length, 1, 'no fix for the one without a position');
});
