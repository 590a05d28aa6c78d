// Garmin inReach IPC Outbound posts: Garmin's own examples and an integration's real ones
// (test/fixtures/devices/inreach/SOURCES), then the rules one by one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LinderoError } from '../model/index.js';
import { parseInreachOutbound } from './inreach.js';

const capture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../test/fixtures/devices/inreach/${name}.json`, import.meta.url), 'utf8'));
/** The receiver's clock a minute after `ms`: the captures are read as they would have been when posted. */
const at = (ms: number) => ({ time: { now: ms + 60_000 } });

test("Garmin's example event (a free-text message sent with a 3D fix) is a fix of device 100000000000001, speed from km/h", () => {
  const { fixes, skipped } = parseInreachOutbound(capture('garmin-example-event'), at(1323784607376));
  assert.deepEqual(skipped, []);
  assert.deepEqual(fixes, [{
    unit: '100000000000001', time: 1323784607376, lat: 43.8078653812408, lon: -70.1636695861816, altM: 45, speedMps: 50 / 3.6, courseDeg: 45, source: 'inreach',
  }]);
  // Garmin's free-text content example (null pingbacks, no addresses) reads the same.
  assert.deepEqual(parseInreachOutbound(capture('garmin-example-free-text'), at(1323784607376)).fixes, fixes);
  // So does schema V4 with an audio file.
  assert.deepEqual(parseInreachOutbound(capture('trailscribe-v4-media-audio'), at(1323784607376)).fixes, [{ ...fixes[0], unit: '123456789012345' }]);
});

test('a V4 Position Report an inReach Mini 3 Plus sent over Iridium on a freeway: 107.994 km/h is 30 m/s, not 108 m/s', () => {
  const { fixes, skipped, fixEvents } = parseInreachOutbound(capture('trailscribe-v4-satellite-position-report'), at(1779060150000));
  assert.deepEqual(skipped, []);
  assert.deepEqual(fixEvents, [{ index: 0, messageCode: 0 }]);
  assert.equal(fixes[0].unit, '300052030374220');
  assert.equal(fixes[0].time, Date.parse('2026-05-17T23:22:30Z'));
  assert.ok(Math.abs(fixes[0].speedMps! - 29.998) < 0.001, String(fixes[0].speedMps));
  assert.equal(fixes[0].courseDeg, 337.5);
  assert.equal(fixes[0].accuracyM, undefined, 'Garmin gives no accuracy: it stays unknown, and is assumed per source');
  assert.equal(fixes[0].notes, undefined);
});

test('breadcrumbs and an SOS are fixes; a binary payload, a message without a GPS fix and 0,0 are not', () => {
  const breadcrumb = parseInreachOutbound(capture('trailscribe-breadcrumb-position-report'), at(1739753925000));
  assert.deepEqual(breadcrumb.fixes.map((f) => [f.unit, f.lat, f.lon, f.altM, f.speedMps]), [['123456789012345', 34.1310668, -118.7624431, -422, 0]]);
  // A free-text command the device itself sent (status.autonomous 1) with its fix: where it was then.
  const ping = parseInreachOutbound(capture('trailscribe-free-text-ping'), at(1666666666000));
  assert.deepEqual(ping.fixes.map((f) => [f.unit, f.time, f.lat, f.lon, f.altM, f.courseDeg]), [['123456789012345', 1666666666000, 37.1682, -118.5891, 3307, 180]]);
  const sos = parseInreachOutbound(capture('trailscribe-sos-declare'), at(1739802016000));
  assert.deepEqual(sos.fixEvents, [{ index: 0, messageCode: 4 }]);
  assert.equal(sos.fixes[0].lat, 34.13098097);
  // An SOS declares an emergency, under Garmin's name for it; a breadcrumb declares none.
  assert.deepEqual(sos.fixes[0].emergency, { state: 'declared', what: 'Declare SOS' });
  assert.equal(breadcrumb.fixes[0].emergency, undefined);
  // Confirm SOS (6) declares it too; Cancel SOS (7) cancels it.
  const withCode = (code: number) => {
    const post = capture('trailscribe-sos-declare') as { Events: { messageCode: number }[] };
    return parseInreachOutbound({ ...post, Events: [{ ...post.Events[0], messageCode: code }] }, at(1739802016000)).fixes[0].emergency;
  };
  assert.deepEqual(withCode(6), { state: 'declared', what: 'Confirm SOS' });
  // An SOS sent without a GPS fix is the device's emergency, without a position: no fix.
  const noFix = capture('trailscribe-free-text-no-gps') as { Events: { messageCode: number }[] };
  const sosNoFix = parseInreachOutbound({ ...noFix, Events: [{ ...noFix.Events[0], messageCode: 4 }] }, at(1739802017000));
  assert.deepEqual([sosNoFix.fixes, sosNoFix.skipped], [[], []]);
  assert.equal(sosNoFix.emergencies.length, 1);
  assert.deepEqual({ ...sosNoFix.emergencies[0].emergency, time: 0, unit: '' }, {
    unit: '', time: 0, source: 'inreach', emergency: { state: 'declared', what: 'Declare SOS' },
    reason: 'Events[0] (messageCode 4 (Declare SOS)) was sent without a GPS fix (point.gpsFix 0): no position',
  });
  assert.deepEqual(withCode(7), { state: 'cancelled', what: 'Cancel SOS' });
  assert.equal(withCode(3), undefined);

  const binary = parseInreachOutbound(capture('garmin-example-binary'), at(Date.now()));
  assert.deepEqual(binary.fixes, []);
  assert.deepEqual(binary.skipped, [{ index: 0, messageCode: 64, reason: 'Events[0] (messageCode 64 (Encrypted Binary)) carries no position', notAReport: true }]);

  // "Values are filled with 0 when there is no location information": gpsFix 0 is no position, and no error.
  const noGps = parseInreachOutbound(capture('trailscribe-free-text-no-gps'), at(1739802017000));
  assert.deepEqual(noGps.fixes, []);
  assert.equal(noGps.skipped[0].notAReport, true);
  assert.match(noGps.skipped[0].reason, /^Events\[0\] \(messageCode 3 \(Free Text Message\)\) was sent without a GPS fix \(point\.gpsFix 0\)/);

  // 0,0 with a fix claimed is refused as the placeholder it is, like every other source's 0,0.
  const zero = parseInreachOutbound(capture('trailscribe-free-text-zero-coords'), at(1739802018000));
  assert.deepEqual(zero.fixes, []);
  assert.equal(zero.skipped[0].notAReport, false);
  assert.match(zero.skipped[0].reason, /Events\[0\]\.point\.latitude,Events\[0\]\.point\.longitude is 0,0/);
});

test('an event naming several IMEIs cannot be given to one unit', () => {
  const { fixes, skipped } = parseInreachOutbound(capture('trailscribe-free-text-internet-multi-imei'), at(1666666666000));
  assert.deepEqual(fixes, []);
  assert.match(skipped[0].reason, /^Events\[0\]\.imei names 2 devices \("999999999999999,123456789012345"\)/);
  assert.equal(skipped[0].notAReport, false);
});

const event = (over: Record<string, unknown> = {}, point: Record<string, unknown> = {}) => ({
  imei: '300434030000000', messageCode: 0, timeStamp: 1_800_000_000_000,
  point: { latitude: 31.5603, longitude: -106.2237, altitude: 1100, gpsFix: 2, course: 90, speed: 5, ...point }, ...over,
});
const one = (e: unknown) => parseInreachOutbound({ Version: '2.0', Events: [e] }, at(1_800_000_000_000));

test('a Reference Point is a place shared from the map, not where the device was', () => {
  const r = one(event({ messageCode: 8 }));
  assert.deepEqual(r.fixes, []);
  assert.deepEqual(r.skipped[0], { index: 0, messageCode: 8, reason: 'Events[0] is messageCode 8 (Reference Point): a place shared from the map, not where the device was', notAReport: true });
});

test('a 2D fix keeps its position and leaves off the height it did not measure; an unknown gpsFix is said', () => {
  const [fix] = one(event({}, { gpsFix: 1 })).fixes;
  assert.equal(fix.lat, 31.5603);
  assert.equal(fix.altM, undefined);
  assert.deepEqual(fix.notes, ['point.altitude comes with a 2D fix (point.gpsFix 1), which measures no height; left off']);
  assert.deepEqual(one(event({}, { gpsFix: 7 })).fixes[0].notes, ['point.gpsFix is 7, not a kind of fix Garmin names (0–3): the position was taken as a fix']);
  const noKind = { ...event() };
  delete (noKind.point as Record<string, unknown>).gpsFix;
  assert.deepEqual(one(noKind).fixes[0].notes, ['point.gpsFix was not given: the position was taken as a fix']);
});

test('bad events are listed by index and field while good ones are kept; auxiliary values never cost the position', () => {
  const r = parseInreachOutbound({
    Version: '3.0',
    Events: [
      event(), null, event({ timeStamp: undefined }), event({ imei: 5 }), event({}, { latitude: 91 }), event({ timeStamp: 1_900_000_000_000 }),
      event({}, { speed: -3, course: 'north', altitude: 1e9 }), event({ messageCode: '0' }),
    ],
  }, at(1_800_000_000_000));
  assert.deepEqual(r.fixEvents.map((e) => e.index), [0, 6]);
  assert.deepEqual(r.fixes[1].notes, [
    'point.altitude is 1000000000, outside -11000..100000 metres; left off',
    'point.speed is -3 km/h, outside 0..3600 km/h; left off',
    'point.course is not a number ("north"); left off',
  ]);
  const reasons = new Map(r.skipped.map((s) => [s.index, s.reason]));
  assert.match(reasons.get(1)!, /^Events\[1\] must be a JSON object, got null/);
  assert.match(reasons.get(2)!, /^Events\[2\]\.timeStamp is required/);
  assert.match(reasons.get(3)!, /^Events\[3\]\.imei must be a string/);
  assert.match(reasons.get(4)!, /^Events\[4\]\.point\.latitude must be between -90 and 90/);
  assert.match(reasons.get(5)!, /^Events\[5\]\.timeStamp .* ahead of the receiver's clock/);
  assert.match(reasons.get(7)!, /^Events\[7\]\.messageCode must be a number/);
  assert.ok(r.skipped.every((s) => !s.notAReport));
});

test('a body that is not an IPC Outbound post is refused as a whole, and so is one of too many events', () => {
  for (const body of [[], null, 'x', { Version: '2.0' }, { Events: {} }]) {
    assert.throws(() => parseInreachOutbound(body), (e: unknown) => e instanceof LinderoError && e.code === 'inreach-not-outbound');
  }
  assert.throws(() => parseInreachOutbound({ Events: [event(), event()] }, { maxEvents: 1 }), (e: unknown) => e instanceof LinderoError && e.code === 'inreach-too-many-events');
});
