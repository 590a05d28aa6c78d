// lindero's alert markers go out to TAK clients; a TAK server or client may send them straight back, and
// TAK users place markers of their own. None of these is a unit: no unit, no alert, no incident comes of
// them, over TCP (XML or negotiated TAK protocol version 1) or UDP. The placed markers are kept as markers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { after, before, test as nodeTest } from 'node:test';
import { atakPli, getJson, postJson, sendUdp, startTestServer, tcpClient, waitForUnit, write, type TestServer } from './helpers.js';

const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 30_000 }, fn);
const capture = (name: string) => readFileSync(new URL(`../fixtures/cot/captures/${name}`, import.meta.url), 'utf8');

/** The fixture boundary crosses lon -106.58 at this latitude; the fence runs 60 m north. */
const BOUNDARY_LAT = 31.783859;
const LON = -106.58;

let server: TestServer;
before(async () => {
  server = await startTestServer({ tickMs: 3_600_000 });
});
after(async () => {
  await server.stop();
});

/** A patrol from 600 m north of the line to 100 m into Mexico: approach, strip, crossing alerts. */
async function crossTheLine(unit: string, startMs: number): Promise<void> {
  const fixes = [];
  for (let k = 0, m = 600; m >= -100; m -= 50, k++) fixes.push({ unit, time: startMs + k * 20_000, lat: BOUNDARY_LAT + m / 111_000, lon: LON, accuracy_m: 2 });
  const r = await postJson(`${server.base}/api/v1/fixes`, fixes);
  assert.equal(r.body.accepted, fixes.length);
  await server.pipeline.settle();
}

async function state() {
  await server.pipeline.settle();
  const units = (await getJson(`${server.base}/api/v1/units`)).body.units as { unit: string }[];
  const alerts = (await getJson(`${server.base}/api/v1/alerts`)).body.alerts as { unit: string; other_unit?: string }[];
  const incidents = (await getJson(`${server.base}/api/v1/incidents`)).body.incidents as unknown[];
  return { units: units.map((u) => u.unit).sort(), alerts: alerts.length, incidents: incidents.length, alertUnits: alerts.flatMap((a) => [a.unit, a.other_unit ?? '']) };
}

/** Sends a PLI after what came before on the same connection and waits until it is stored: everything before it was read. */
async function barrier(socket: Socket, unit: string): Promise<void> {
  const t = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  await write(socket, atakPli(unit, 31.80, -106.60, t));
  await waitForUnit(server, unit);
}

test('a TAK client that sends lindero\'s alert markers back over TCP and UDP creates no unit, no alert, no incident', async () => {
  const tak = await tcpClient(server.ports.cotTcp!);
  const start = Math.floor(Date.now() / 1000) * 1000 - 3 * 3_600_000;
  await crossTheLine('patrol-echo', start);
  await tak.waitForText('CROSSING patrol-echo');
  const markers = tak.received().split(/(?=<\?xml)/).filter((doc) => doc.includes('lindero-alert-'));
  assert.ok(markers.length >= 3, `got ${markers.length} markers`);
  const before = await state();

  // Back on the same connection, as a TAK server relays them; and as mesh datagrams; and with the
  // marker moved onto another unit's position and retyped as an atom, as a confused relay might.
  for (const doc of markers) await write(tak.socket, doc);
  for (const doc of markers) await sendUdp(server.ports.cotUdp!, doc);
  const disguised = markers[0].replace('type="b-m-p-s-m"', 'type="a-f-G-U-C"');
  await write(tak.socket, disguised);
  await sendUdp(server.ports.cotUdp!, disguised);
  await barrier(tak.socket, 'ANDROID-echo-barrier');

  const afterEcho = await state();
  assert.deepEqual(afterEcho.units, [...before.units, 'ANDROID-echo-barrier'].sort());
  assert.ok(!afterEcho.units.some((u) => u.startsWith('lindero-')));
  assert.equal(afterEcho.alerts, before.alerts);
  assert.ok(!afterEcho.alertUnits.some((u) => u.startsWith('lindero-')));
  assert.equal(afterEcho.incidents, before.incidents);
  // lindero's own markers are not kept even as markers.
  assert.ok(!server.pipeline.markers.list().some((m) => m.uid.startsWith('lindero-')));
  tak.socket.end();
});

test('markers placed by TAK users (captured from ATAK and iTAK) are kept as markers, never units', async () => {
  const tak = await tcpClient(server.ports.cotTcp!);
  const now = Date.now();
  // The captures are years old: give them today's times, keeping everything else as sent.
  const fresh = (xml: string) => xml
    .replace(/time=(['"])[^'"]*\1/, `time="${new Date(now).toISOString()}"`)
    .replace(/start=(['"])[^'"]*\1/, `start="${new Date(now).toISOString()}"`)
    .replace(/stale=(['"])[^'"]*\1/, `stale="${new Date(now + 3_600_000).toISOString()}"`);
  for (const name of ['atak-spot-marker.xml', 'itak-placed-marker.xml', 'itak-drawn-shape.xml']) await write(tak.socket, fresh(capture(name)));
  await barrier(tak.socket, 'ANDROID-marker-barrier');
  const units = (await state()).units;
  for (const uid of ['9405e320-9356-41c4-8449-f46990aa17f8', 'EB77220E-6299-4CA3-95FC-0200BD9FE78A', 'dd80d848-4614-412c-9890-9e7157450a6b']) {
    assert.ok(!units.includes(uid), `${uid} became a unit`);
  }
  const kept = server.pipeline.markers.list();
  assert.deepEqual(kept.map((m) => m.uid).sort(), ['9405e320-9356-41c4-8449-f46990aa17f8', 'EB77220E-6299-4CA3-95FC-0200BD9FE78A', 'dd80d848-4614-412c-9890-9e7157450a6b'].sort());
  assert.equal(kept.find((m) => m.uid === '9405e320-9356-41c4-8449-f46990aa17f8')?.name, 'R 1');
  // The same list on the API, for a map to show.
  const listed = (await getJson(`${server.base}/api/v1/markers`)).body.markers as { uid: string; name?: string; not_unit_because: string }[];
  assert.deepEqual(listed.map((m) => m.uid).sort(), kept.map((m) => m.uid).sort());
  assert.match(listed.find((m) => m.uid === 'EB77220E-6299-4CA3-95FC-0200BD9FE78A')!.not_unit_because, /h-g-i-g-o/);
  tak.socket.end();
});

/** Reads TAK protocol version 1 stream frames (0xbf <length varint> <message>) from a socket. */
function frameReader(socket: Socket): { frames: () => Buffer[]; text: () => string } {
  let bytes = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => (bytes = Buffer.concat([bytes, d])));
  return {
    text: () => bytes.toString('latin1'),
    frames: () => {
      const out: Buffer[] = [];
      // Frames follow the XML negotiation reply.
      let at = bytes.lastIndexOf('</event>') + '</event>'.length;
      if (at < '</event>'.length) at = 0;
      while (at < bytes.length && bytes[at] === 0xbf) {
        let length = 0, shift = 0, k = at + 1;
        for (; bytes[k] & 0x80; k++, shift += 7) length += (bytes[k] & 0x7f) * 2 ** shift;
        length += bytes[k] * 2 ** shift;
        out.push(bytes.subarray(at, k + 1 + length));
        at = k + 1 + length;
      }
      return out;
    },
  };
}

test('a client that negotiates TAK protocol version 1 gets alerts as protobuf frames; sent back, they are no units either', async () => {
  const socket = connect(server.ports.cotTcp!, '127.0.0.1');
  await once(socket, 'connect');
  const reader = frameReader(socket);
  const t = new Date().toISOString();
  await write(socket, `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="protouid-1" type="t-x-takp-q" time="${t}" start="${t}" stale="${t}" how="m-g"><point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail><TakControl><TakRequest version="1"/></TakControl></detail></event>`);
  for (let i = 0; i < 100 && !reader.text().includes('TakResponse'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.match(reader.text(), /type="t-x-takp-r".*<TakResponse status="true"\/>/s);
  assert.match(reader.text(), /uid="protouid-1"/);

  await crossTheLine('patrol-proto', Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000);
  for (let i = 0; i < 100 && reader.frames().length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const frames = reader.frames();
  assert.ok(frames.length >= 3, `got ${frames.length} frames`);
  assert.ok(frames.every((f) => f.includes(Buffer.from('lindero-alert-'))));
  const before = await state();
  for (const frame of frames) await write(socket, frame);
  // The server reads XML and frames alike on every connection, so an XML PLI still marks the point.
  await barrier(socket, 'ANDROID-proto-barrier');
  const afterEcho = await state();
  assert.ok(!afterEcho.units.some((u) => u.startsWith('lindero-')));
  assert.equal(afterEcho.alerts, before.alerts);
  assert.equal(afterEcho.incidents, before.incidents);
  socket.end();
});
