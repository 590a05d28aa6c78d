// Every way a fix can arrive ends the same way: in the store, on the live stream and in /units.
import assert from 'node:assert/strict';
import { after, before, test as nodeTest } from 'node:test';
import {
  atakPli, getJson, isFixOf, nmeaEpoch, postJson, sendUdp, startTestServer, StreamReader, streamUrl, tcpClient, wholeSecondsAgo, write,
  type TestServer,
} from './helpers.js';

// A generous ceiling so that a broken listener fails the test instead of hanging it.
const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 30_000 }, fn);

let server: TestServer;
let stream: StreamReader;
before(async () => {
  server = await startTestServer();
  stream = await StreamReader.open(streamUrl(server));
});
after(async () => {
  await stream.close();
  await server.stop();
});

/** The fix is stored, was streamed, and is the unit's last fix in /units. */
async function assertArrived(unit: string, lat: number, lon: number, timeMs: number, source: string): Promise<void> {
  const event = await stream.waitFor(isFixOf(unit));
  assert.equal(event.fix.source, source);
  assert.equal(event.fix.time_ms, timeMs);
  assert.ok(Math.abs(event.fix.lat - lat) < 1e-6 && Math.abs(event.fix.lon - lon) < 1e-6, `streamed at ${event.fix.lat},${event.fix.lon}`);
  const stored = await server.store.track(unit);
  assert.equal(stored.length, 1, 'stored once');
  assert.equal(stored[0].time, timeMs);
  const units = await getJson(`${server.base}/api/v1/units`);
  const entry = units.body.units.find((u: { unit: string }) => u.unit === unit);
  assert.ok(entry, `${unit} is listed in /units`);
  assert.equal(entry.last_fix.id, stored[0].id);
  assert.equal(entry.last_fix.determination.territory, stored[0].determination.territory);
}

test('a Traccar Client GET with query fields is stored, streamed and listed, and answered 200 only after', async () => {
  const t = wholeSecondsAgo(30);
  const r = await fetch(`http://127.0.0.1:${server.ports.osmand}/?id=phone-7&lat=31.79&lon=-106.58&timestamp=${t / 1000}&hdop=1.2&speed=2&bearing=180&altitude=1130&batt=77`);
  assert.equal(r.status, 200);
  assert.equal((await server.store.track('phone-7')).length, 1, 'stored before the reply');
  await assertArrived('phone-7', 31.79, -106.58, t, 'osmand');
});

test('an OsmAnd POST with form fields is stored', async () => {
  const t = wholeSecondsAgo(29);
  const r = await fetch(`http://127.0.0.1:${server.ports.osmand}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `id=osmand-2&lat=31.7801&lon=-106.59&timestamp=${new Date(t).toISOString()}&accuracy=6`,
  });
  assert.equal(r.status, 200);
  await assertArrived('osmand-2', 31.7801, -106.59, t, 'osmand');
});

test('the JSON body Traccar Client 9 posts is stored under its device_id', async () => {
  const t = wholeSecondsAgo(28);
  const body = {
    device_id: 'traccar-9',
    location: {
      timestamp: new Date(t).toISOString(), is_moving: true, odometer: 12,
      coords: { latitude: 31.7875, longitude: -106.57, accuracy: 4, speed: 1.2, heading: 10, altitude: 1131 },
      battery: { level: 0.8, is_charging: false }, activity: { type: 'on_foot' },
    },
  };
  const r = await fetch(`http://127.0.0.1:${server.ports.osmand}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  await assertArrived('traccar-9', 31.7875, -106.57, t, 'osmand');
});

test('an OsmAnd request without coordinates gets 400 with the reason and stores nothing', async () => {
  const r = await fetch(`http://127.0.0.1:${server.ports.osmand}/?id=no-position&timestamp=${Date.now()}`);
  assert.equal(r.status, 400);
  const body = await r.json() as { error: { code: string; message: string; field?: string } };
  assert.equal(body.error.field, 'lat');
  assert.match(body.error.message, /lat is required/);
  assert.equal((await server.store.track('no-position')).length, 0);
});

test('CoT events over TCP split at awkward byte offsets are each stored once', async () => {
  const t = wholeSecondsAgo(27);
  const events = [atakPli('ANDROID-split-a', 31.7901, -106.5801, t), atakPli('ANDROID-split-b', 31.7902, -106.5802, t)];
  const bytes = Buffer.from(events.join('\n'), 'utf8');
  // Cuts inside the declaration, inside an attribute, inside "Ñ" (a two-byte character) and inside "</event>".
  const nWithTilde = bytes.indexOf(Buffer.from('Ñ')) + 1;
  const insideEnd = bytes.indexOf(Buffer.from('</event>')) + 3;
  const cuts = [1, 7, 60, 143, nWithTilde, insideEnd, insideEnd + 1, bytes.length - 2].sort((a, b) => a - b);
  const client = await tcpClient(server.ports.cotTcp!);
  let from = 0;
  for (const cut of cuts) {
    await write(client.socket, bytes.subarray(from, cut));
    from = cut;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await write(client.socket, bytes.subarray(from));
  await assertArrived('ANDROID-split-a', 31.7901, -106.5801, t, 'cot');
  await assertArrived('ANDROID-split-b', 31.7902, -106.5802, t, 'cot');
  client.socket.end();
});

test('a CoT event in one UDP datagram is stored', async () => {
  const t = wholeSecondsAgo(26);
  await sendUdp(server.ports.cotUdp!, atakPli('ANDROID-udp', 31.7799, -106.5599, t, 12));
  await assertArrived('ANDROID-udp', 31.7799, -106.5599, t, 'cot');
  const stored = await server.store.track('ANDROID-udp');
  assert.equal(stored[0].accuracyM, 12, 'ce is the accuracy');
});

test('NMEA over TCP is stored under the unit the connection named with a UNIT line', async () => {
  const t = wholeSecondsAgo(25);
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, 'UNIT boat-7\r\n');
  await client.waitForText('OK unit boat-7');
  await write(client.socket, nmeaEpoch(31.7712, -106.5403, t).join('\r\n') + '\r\n');
  const event = await stream.waitFor(isFixOf('boat-7'));
  assert.equal(event.fix.time_ms, t);
  await assertArrived('boat-7', event.fix.lat, event.fix.lon, t, 'nmea');
  assert.ok(Math.abs(event.fix.lat - 31.7712) < 1e-5 && Math.abs(event.fix.lon + 106.5403) < 1e-5);
  client.socket.end();
});

test('NMEA from a connection that named its unit with $PLIND is stored under that unit', async () => {
  const t = wholeSecondsAgo(24);
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, ['$PLIND,buoy-3*' + checksum('PLIND,buoy-3'), ...nmeaEpoch(31.7723, -106.5411, t)].join('\r\n') + '\r\n');
  await stream.waitFor(isFixOf('buoy-3'));
  assert.equal((await server.store.track('buoy-3')).length, 1);
  client.socket.end();
});

test('NMEA from a connection that never named its unit is refused with a message saying how to name it', async () => {
  const t = wholeSecondsAgo(23);
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, nmeaEpoch(31.7734, -106.5422, t).join('\r\n') + '\r\n');
  await client.waitForText('ERROR no unit named');
  assert.match(client.received(), /send "UNIT <name>" or "\$PLIND,<name>\*hh" first/);
  client.socket.end();
  const units = await getJson(`${server.base}/api/v1/units`);
  const times = units.body.units.map((u: { last_fix: { time_ms: number } }) => u.last_fix.time_ms);
  assert.ok(!times.includes(t), 'nothing from that connection was stored');
});

test('a JSON batch is stored, bad items are reported by index, and the reply comes after the commit', async () => {
  const t = wholeSecondsAgo(22);
  const r = await postJson(`${server.base}/api/v1/fixes`, [
    { unit: 'json-1', time: new Date(t).toISOString(), lat: 31.7855, lon: -106.5555, accuracy_m: 3 },
    { unit: 'json-1', time: t, lat: 0 },
    { unit: 'json-2', time: t, lat: 31.781, lon: -106.561, speed_mps: 1.5, course_deg: 90 },
    { unit: 'json-3', time: t, lat: 31.78, lon: -106.56, accuracy: 5 },
  ]);
  assert.equal(r.status, 200);
  assert.equal(r.body.accepted, 2);
  assert.deepEqual(r.body.rejected.map((x: { index: number }) => x.index), [1, 3]);
  assert.match(r.body.rejected[0].reason, /lon is required/);
  assert.match(r.body.rejected[1].reason, /accuracy is not a fix field/);
  assert.equal((await server.store.track('json-1')).length, 1, 'committed before the reply');
  await assertArrived('json-1', 31.7855, -106.5555, t, 'json');
  await assertArrived('json-2', 31.781, -106.561, t, 'json');
});

test('a batch sent twice is stored once', async () => {
  const t = wholeSecondsAgo(21);
  const batch = [{ unit: 'twice', time: t, lat: 31.79, lon: -106.57 }, { unit: 'twice', time: t + 1000, lat: 31.7901, lon: -106.57 }];
  assert.equal((await postJson(`${server.base}/api/v1/fixes`, batch)).body.accepted, 2);
  assert.equal((await postJson(`${server.base}/api/v1/fixes`, batch)).body.accepted, 2);
  assert.equal((await server.store.track('twice')).length, 2);
});

function checksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}
