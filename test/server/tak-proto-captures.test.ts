// Real ATAK and WinTAK TAK protocol version 1 messages (test/fixtures/cot/captures/SOURCES) through the
// live listeners on loopback: as the mesh datagrams they were captured as, to the CoT UDP port, and as
// stream frames on a CoT TCP connection that negotiated the protocol. ATAK's position report becomes a
// unit, and the 911 Alert an emergency of the device that raised it; the report without a GPS fix and the GeoChats do not.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { once } from 'node:events';
import { after, afterEach, before, test as nodeTest } from 'node:test';
import { getJson, sendUdp, startTestServer, waitForUnit, write, type TestServer } from './helpers.js';

const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 30_000 }, fn);
const capture = (name: string) => readFileSync(new URL(`../fixtures/cot/captures/${name}`, import.meta.url));
/** The captures are from May 2026: accept them at any age, as a server replaying a log would. */
const anyAge = { maxAgeMs: 100 * 366 * 86_400_000 };

const PLI = 'atak-pli-mesh.bin';
const NOT_UNITS = ['atak-no-fix-mesh.bin', 'atak-geochat-mesh.bin', 'wintak-group-chat-mesh.bin', 'wintak-direct-chat-mesh.bin'];
const EMERGENCY = 'atak-emergency-mesh.bin';
const ATAK_UID = 'ANDROID-dbdc90afc2ca1328';
/** The device the 911 Alert's p-p link names: it raised the alert. */
const EMERGENCY_UID = 'ANDROID-8f2a5d78d919931a';

// The ATAK devices were in Linköping, Sweden, where the U.S.–Mexico layers cover no territory (a fix
// there is stored as outside: test/server/outside.test.ts). So that the territory a decoded position
// lands in is checked too, the server under test is given two territories that cover it, made up for
// the test (not the real border), sharing an edge at 15.5° E, the capture in the eastern one, SE.
const area = (territory: string, west: number, east: number) => ({
  type: 'Feature', properties: { territory, name: `${territory} (test area)` },
  geometry: { type: 'Polygon', coordinates: [[[west, 58.3], [east, 58.3], [east, 58.5], [west, 58.5], [west, 58.3]]] },
});
const SWEDEN_AREA = { type: 'FeatureCollection', features: [area('NO', 15.2, 15.5), area('SE', 15.5, 15.8)] };
let layersDir: string;
let boundaryFile: string;
before(() => {
  layersDir = mkdtempSync(join(tmpdir(), 'lindero-tak-captures-'));
  boundaryFile = join(layersDir, 'linkoping.geojson');
  writeFileSync(boundaryFile, JSON.stringify(SWEDEN_AREA));
});
after(() => rmSync(layersDir, { recursive: true, force: true }));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The stream frame (0xbf <length varint> <message>) for a mesh datagram's message. */
function streamFrame(datagram: Buffer): Buffer {
  const payload = datagram.subarray(3);
  const length: number[] = [];
  let n = payload.length;
  for (; n >= 0x80; n = Math.floor(n / 0x80)) length.push((n % 0x80) | 0x80);
  length.push(n);
  return Buffer.concat([Buffer.from([0xbf, ...length]), payload]);
}


async function assertTheTwoUnits(s: TestServer): Promise<void> {
  await s.pipeline.settle();
  const units = (await getJson(`${s.base}/api/v1/units`)).body.units as { unit: string; name?: string; last_fix: Record<string, unknown> }[];
  assert.deepEqual(units.map((u) => u.unit).sort(), [EMERGENCY_UID, ATAK_UID]);
  const unit = units.find((u) => u.unit === ATAK_UID)!;
  assert.equal(unit.name, 'tak-emulator');
  assert.equal(unit.last_fix.time, '2026-05-12T16:43:12.042Z');
  assert.deepEqual([unit.last_fix.lat, unit.last_fix.lon, unit.last_fix.alt_m, unit.last_fix.group, unit.last_fix.source], [58.4165424, 15.5850276, 107.526, 'Cyan', 'cot']);
  assert.equal(unit.last_fix.accuracy_m, undefined, 'ce 9999999 is unknown accuracy');
  assert.equal((unit.last_fix.determination as { territory: string }).territory, 'SE');
  // The 911 Alert: an emergency alert for the device that raised it, where it was (in Kansas: outside these layers).
  const alerts = (await getJson(`${s.base}/api/v1/alerts`)).body.alerts as { kind: string; unit: string; name?: string; emergency?: string; determination: { territory: string | null } }[];
  assert.deepEqual(alerts.map((a) => [a.kind, a.unit, a.name, a.emergency, a.determination.territory]), [['emergency', EMERGENCY_UID, 'bobby', '911 Alert', null]]);
  // Neither the no-fix report nor the GeoChats are kept as markers.
  assert.deepEqual(s.pipeline.markers.list(), []);
  assert.deepEqual((await getJson(`${s.base}/api/v1/markers`)).body.markers, []);
}

test('the captured mesh datagrams, sent to the CoT UDP port: ATAK\'s position report is the one unit', async () => {
  server = await startTestServer({ tickMs: 3_600_000, time: anyAge, boundaryFile, fenceFile: undefined });
  for (const name of [...NOT_UNITS, EMERGENCY]) await sendUdp(server.ports.cotUdp!, capture(name));
  await sendUdp(server.ports.cotUdp!, capture(PLI));
  // Each sent once the one before has left; on loopback they arrive in that order, the report last.
  await waitForUnit(server, ATAK_UID);
  await assertTheTwoUnits(server);
});

test('the same messages as stream frames after negotiating TAK protocol version 1 on CoT TCP', async () => {
  server = await startTestServer({ tickMs: 3_600_000, time: anyAge, boundaryFile, fenceFile: undefined });
  const socket = connect(server.ports.cotTcp!, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  const t = new Date().toISOString();
  await write(socket, `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="${ATAK_UID}" type="t-x-takp-q" time="${t}" start="${t}" stale="${t}" how="m-g"><point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail><TakControl><TakRequest version="1"/></TakControl></detail></event>`);
  for (let i = 0; i < 200 && !received.includes('TakResponse'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.match(received, /type="t-x-takp-r".*<TakResponse status="true"\/>/s);

  // The frames in one write, the position report last: once it is stored, the others were read.
  await write(socket, Buffer.concat([...[...NOT_UNITS, EMERGENCY].map((name) => streamFrame(capture(name))), streamFrame(capture(PLI))]));
  await waitForUnit(server, ATAK_UID);
  await assertTheTwoUnits(server);
  socket.end();
});
