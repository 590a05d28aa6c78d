// TAK protocol version 1 as ATAK and WinTAK put it on the mesh (test/fixtures/cot/captures/SOURCES):
// datagrams captured off a network by the TAK-simulator project, read by lindero's decoder. What each
// is to lindero: a unit (with its id, time, place, accuracy, name and team), a report without a
// position, or no position report at all, whatever coordinates it carries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeTakMessage, parseCot, parseTakDatagram, parseTakMesh, parseTakPayload, takEventXml, type CotOptions } from '../../src/ingest/index.js';
import { meshPayload } from '../../src/ingest/tak-proto.js';

const capture = (name: string) => readFileSync(new URL(`../fixtures/cot/captures/${name}`, import.meta.url));
/** Captures are months or years old: read them at any age (the live rule is tested on its own). */
const anyAge: CotOptions = { time: { maxAgeMs: 100 * 366 * 86_400_000 } };

/** The stream frame (0xbf <length varint> <message>) a TAK server connection carries the same message in. */
function streamFrame(payload: Uint8Array): Buffer {
  const length: number[] = [];
  let n = payload.length;
  for (; n >= 0x80; n = Math.floor(n / 0x80)) length.push((n % 0x80) | 0x80);
  length.push(n);
  return Buffer.concat([Buffer.from([0xbf, ...length]), payload]);
}

test('ATAK 5.6 (Pixel 8) position report on the mesh: a unit under its device uid, named and teamed as in its detail', () => {
  const datagram = capture('atak-pli-mesh.bin');
  assert.deepEqual([...datagram.subarray(0, 3)], [0xbf, 0x01, 0xbf]);
  const message = decodeTakMessage(meshPayload(datagram));
  // ATAK sends an empty TakControl beside every event, and its contact (which has a phone attribute
  // the typed Contact has no field for) inside xmlDetail rather than as the typed field.
  assert.deepEqual(message.takControl, {});
  assert.equal(message.cotEvent?.detail?.contact, undefined);
  assert.match(message.cotEvent?.detail?.xmlDetail ?? '', /^<contact endpoint="10\.225\.252\.189:4242:tcp" phone="[^"]*" callsign="tak-emulator"\/>/);
  assert.deepEqual(message.cotEvent?.detail?.takv, { device: 'GOOGLE PIXEL 8', platform: 'ATAK-CIV', os: '36', version: '5.6.0.12 (9c9a5897)[playstore].1769863102-CIV' });

  const cot = parseTakMesh(datagram, anyAge);
  assert.equal(cot.role, 'unit');
  assert.deepEqual(cot.fix, {
    unit: 'ANDROID-dbdc90afc2ca1328',
    time: Date.parse('2026-05-12T16:43:12.042Z'),
    lat: 58.4165424,
    lon: 15.5850276,
    source: 'cot',
    altM: 107.526,
    // track.speed 0 is left out of the message (proto3 leaves zeros out): it reads as 0, not as missing.
    speedMps: 0,
    courseDeg: 340.50274550764556,
    name: 'tak-emulator',
    group: 'Cyan',
    // Its precisionlocation says geopointsrc USER: the fix says it was placed by hand.
    notes: ['detail.precisionlocation.geopointsrc is USER: the position was placed by hand on the device, not measured'],
  });
  assert.equal(cot.fix.accuracyM, undefined, 'ce 9999999: accuracy unknown (the position was set by hand, geopointsrc USER)');
  assert.equal(cot.how, 'h-e');
  assert.equal(cot.groupRole, 'Team Member');
  assert.equal(cot.stale, Date.parse('2026-05-12T16:44:27.042Z'));

  // The XML event the message stands for reads the same; so does the message in a stream frame and
  // in either framing sent as a datagram.
  assert.deepEqual(parseCot(takEventXml(message.cotEvent!), anyAge), cot);
  const frame = streamFrame(meshPayload(datagram));
  assert.deepEqual(parseTakDatagram(datagram, anyAge), cot);
  assert.deepEqual(parseTakDatagram(frame, anyAge), cot);
  assert.deepEqual(parseTakPayload(meshPayload(datagram), anyAge), cot);
});

test('ATAK 5.6 (Galaxy S22) without a GPS fix: its report has no lat/lon at all and is refused for its position', () => {
  const datagram = capture('atak-no-fix-mesh.bin');
  const event = decodeTakMessage(meshPayload(datagram)).cotEvent!;
  // proto3 leaves 0 out: the message has neither field, which TAK reads as 0,0.
  assert.equal(event.lat, undefined);
  assert.equal(event.lon, undefined);
  assert.deepEqual([event.uid, event.type, event.how, event.detail?.contact?.callsign], ['ANDROID-f9ed9e12c2b09530', 'a-h-A-M-H-A', 'h-g-i-g-o', 'BORBA']);
  assert.throws(() => parseTakMesh(datagram, anyAge), { code: 'no-position' });
});

test('GeoChat from ATAK and WinTAK over the mesh is not a position report, even with the sender\'s coordinates', () => {
  const atak = capture('atak-geochat-mesh.bin');
  const atakMessage = decodeTakMessage(meshPayload(atak));
  assert.equal(atakMessage.takControl?.contactUid, 'ANDROID-dbdc90afc2ca1328');
  assert.equal(atakMessage.cotEvent?.type, 'b-t-f');
  assert.deepEqual([atakMessage.cotEvent?.lat, atakMessage.cotEvent?.lon], [58.4141154, 15.5997578]);
  assert.throws(() => parseTakMesh(atak, anyAge), { code: 'cot-not-position' });

  for (const name of ['wintak-group-chat-mesh.bin', 'wintak-direct-chat-mesh.bin']) {
    const datagram = capture(name);
    const message = decodeTakMessage(meshPayload(datagram));
    assert.equal(message.takControl?.contactUid, 'S-1-5-21-599088404-856123360-4043671938-1003', name);
    assert.match(message.cotEvent?.detail?.xmlDetail ?? '', /^<__chat .*<remarks source="BAO\.F\.WinTAK\./s);
    assert.throws(() => parseTakMesh(datagram, anyAge), { code: 'cot-not-position' }, name);
    assert.throws(() => parseCot(takEventXml(message.cotEvent!), anyAge), { code: 'cot-not-position' }, name);
  }
});

test('a WinTAK direct message\'s 135-character uid does not make it an invalid event: it is skipped as not a position', () => {
  const event = decodeTakMessage(meshPayload(capture('wintak-direct-chat-mesh.bin'))).cotEvent!;
  assert.equal(event.uid?.length, 135);
  // The listeners count and log every refusal but cot-not-position, so the code is what matters.
  assert.throws(() => parseTakPayload(meshPayload(capture('wintak-direct-chat-mesh.bin')), anyAge), (e: { code: string }) => e.code === 'cot-not-position');
  // A position report with such a uid is still refused: a unit id is at most 128 characters.
  const asPosition = takEventXml({ ...event, type: 'a-f-G-U-C-I', lat: 31.78, lon: -106.58 });
  assert.throws(() => parseCot(asPosition, anyAge), { code: 'invalid-field' });
});

test('an ATAK 911 Alert (b-a-o-tbl) on the mesh is an emergency declared by the device its p-p link names, at its position', () => {
  const datagram = capture('atak-emergency-mesh.bin');
  const message = decodeTakMessage(meshPayload(datagram));
  assert.deepEqual(message.takControl, {});
  assert.match(message.cotEvent?.detail?.xmlDetail ?? '', /<emergency type="911 Alert">bobby<\/emergency>$/);
  const cot = parseTakMesh(datagram, anyAge);
  assert.equal(cot.role, 'unit');
  // The unit is the device (its link), not the alert's own uid; its name is the <emergency> text, not the alert's callsign.
  assert.deepEqual(cot.fix, {
    unit: 'ANDROID-8f2a5d78d919931a', time: Date.parse('2026-02-02T21:43:51.155Z'), lat: 38.871811, lon: -99.324138, source: 'cot',
    accuracyM: 14.9, altM: 250.101, name: 'bobby', emergency: { state: 'declared', what: '911 Alert' },
  });
  // The alert names the device that raised it (its p-p link), and is stale 10 s after it was sent.
  assert.deepEqual(cot.producerUids, ['ANDROID-8f2a5d78d919931a']);
  assert.equal(cot.stale, Date.parse('2026-02-02T21:44:01.155Z'));
  assert.deepEqual(parseCot(takEventXml(message.cotEvent!), anyAge), cot);
});
