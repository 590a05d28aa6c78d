// Real captures from the devices and programs lindero meets (test/fixtures/**/SOURCES), each with what
// lindero makes of it: which events are units, under which id and name, where, how accurate, and what is
// not a unit or not a position.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  NmeaAssembler, parseCot, parseOsmand, parseTakDatagram, parseTakMesh, parseTakPayload, parseTraccarJson, readTrack, type CotOptions, type Fix, type OsmandParams,
} from '../../src/ingest/index.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const fixturePath = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname;
/** Captures are years old: read them at any age (the live rule is tested on its own). */
const anyAge: CotOptions = { time: { maxAgeMs: 100 * 366 * 86_400_000 } };

test('ATAK, iTAK and WinTAK position reports are units, named by their callsign, in their team', () => {
  const expected: [string, string, string, string | undefined, number | undefined][] = [
    ['cot/captures/atak-pli.xml', 'ANDROID-deadbeef', 'JENNY', 'Cyan', 9.9],
    ['cot/captures/itak-pli.xml', 'C94B9215-9BD4-4DBE-BDE1-83625F09153F', 'DFPC-iSchmidt', 'Yellow', undefined],
    ['cot/captures/wintak-pli.xml', 'aa0b0312-b5cd-4c2c-bbbc-9c4c70216261', 'Eliopoli HQ', 'Yellow', undefined],
  ];
  for (const [file, unit, name, group, accuracyM] of expected) {
    const cot = parseCot(fixture(file), anyAge);
    assert.equal(cot.role, 'unit', file);
    assert.equal(cot.fix.unit, unit);
    assert.equal(cot.fix.name, name);
    assert.equal(cot.fix.group, group);
    assert.equal(cot.fix.accuracyM, accuracyM, `${file}: ce 9999999 is unknown accuracy`);
  }
  const atak = parseCot(fixture('cot/captures/atak-pli.xml'), anyAge).fix;
  assert.deepEqual([atak.lat, atak.lon, atak.altM, atak.courseDeg, atak.speedMps], [1.234567, -3.141592, -25.7, 80.24833892285461, 0]);
});

test('a UAS Tool drone is a unit under its own serial (its controller\'s p-p link notwithstanding); ce 0 is unknown accuracy', () => {
  const cot = parseCot(fixture('cot/captures/uastool-drone.xml'), anyAge);
  assert.equal(cot.role, 'unit');
  assert.equal(cot.fix.unit, '2983J8B001V013');
  assert.deepEqual([cot.fix.lat, cot.fix.lon, cot.fix.altM, cot.fix.courseDeg], [39.1, -108.6, 1381.333, 140.8]);
  assert.equal(cot.fix.accuracyM, undefined);
});

test('the DJI drone without a GPS fix (0,0) is refused for its position, and its course -108.90 is read as 251.1 once it has one', () => {
  const xml = fixture('cot/captures/uastool-no-gps.xml').toString('utf8');
  assert.throws(() => parseCot(xml, anyAge), { code: 'no-position' });
  // The same event with a position: the odd course no longer costs the fix.
  const placed = parseCot(xml.replace('lat="0.0" lon="0.0"', 'lat="31.78" lon="-106.58"'), anyAge);
  assert.equal(placed.role, 'unit');
  assert.equal(placed.fix.name, 'UAS-Phoenix 2');
  assert.ok(Math.abs(placed.fix.courseDeg! - 251.1) < 1e-9);
  assert.ok(placed.fix.notes?.some((n) => n.startsWith('detail.track.course -108.9 read as a signed course')));
  assert.ok(placed.fix.notes?.some((n) => n.startsWith('point.hae')) === false, 'hae -4919.1 is in range');
});

test('placed markers, spot markers and drawings are markers, never units; GeoChat is not a position', () => {
  const markers: [string, string, RegExp][] = [
    ['cot/captures/atak-spot-marker.xml', 'R 1', /not an atom/],
    ['cot/captures/itak-placed-marker.xml', 'poop', /h-g-i-g-o: placed by hand/],
    ['cot/captures/itak-drawn-shape.xml', 'Filled', /not an atom/],
  ];
  for (const [file, name, why] of markers) {
    const cot = parseCot(fixture(file), anyAge);
    assert.equal(cot.role, 'marker', file);
    assert.equal(cot.fix.name, name);
    assert.match(cot.notUnitBecause ?? '', why);
  }
  assert.throws(() => parseCot(fixture('cot/captures/atak-geochat.xml'), anyAge), { code: 'cot-not-position' });
});

test('PyTAK/takproto TAK protocol version 1, mesh and stream framing, decode to the same fix as the XML they encode', () => {
  const fromXml = parseCot(fixture('cot/captures/wintak-pli.xml'), anyAge);
  const mesh = fixture('cot/captures/wintak-pli-mesh.bin');
  const stream = fixture('cot/captures/wintak-pli-stream.bin');
  assert.deepEqual(parseTakMesh(mesh, anyAge), fromXml);
  assert.deepEqual(parseTakDatagram(mesh, anyAge), fromXml);
  // Stream framing: 0xbf, the length as a varint (0xb3 0x02 = 307), the message.
  assert.equal(stream[0], 0xbf);
  assert.equal((stream[1] & 0x7f) + stream[2] * 128, stream.length - 3);
  assert.deepEqual(parseTakPayload(stream.subarray(3), anyAge), fromXml);
  assert.deepEqual(parseTakDatagram(stream, anyAge), fromXml, 'a stream frame sent as a datagram');
  assert.equal(fromXml.fix.name, 'Eliopoli HQ');
  assert.throws(() => parseTakMesh(Buffer.concat([Buffer.from([0xbf, 0x02, 0xbf]), mesh.subarray(3)]), anyAge), { code: 'tak-version' });
});

const now = Date.parse('2026-12-06T14:00:00Z');
const queryOf = (line: string): OsmandParams => {
  const params: OsmandParams = {};
  for (const [k, v] of new URLSearchParams(line.slice(line.indexOf('?') + 1))) {
    const seen = params[k];
    params[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return params;
};

test('Traccar\'s own OsmAnd requests: what lindero takes from each', () => {
  const lines = fixture('devices/traccar-osmand-requests.txt').toString('utf8').trim().split('\n');
  const results = lines.map((line) => {
    try {
      return parseOsmand(queryOf(line), { time: { now, maxAgeMs: 100 * 366 * 86_400_000 } });
    } catch (e) {
      return (e as { code: string }).code;
    }
  });
  // 1: cell towers and Wi-Fi only, no position; 2: no id.
  assert.equal(results[0], 'missing-field');
  assert.equal(results[1], 'missing-field');
  const fix = (i: number) => results[i] as Fix;
  assert.equal(fix(2).accuracyM, 6, 'hdop=6.0 is 6 m (OsmAnd sends its accuracy as hdop)');
  assert.equal(fix(3).time, 1442068686579, 'epoch milliseconds');
  assert.equal(fix(4).time, Date.UTC(2014, 5, 4, 9, 10, 11), '"2014-06-04 09:10:11" without a zone is UTC');
  assert.equal(fix(5).accuracyM, undefined, 'hdop=0.0 is accepted as accuracy not reported');
  assert.equal(fix(5).time, 1377177267000);
  assert.equal(fix(7).unit, '123456', 'deviceid');
  assert.equal(fix(7).time, now, 'no timestamp: the time it arrived');
  assert.deepEqual([fix(9).lat, fix(9).lon], [60, 30], 'location=lat,lon');
  assert.ok(Math.abs(fix(10).speedMps! - 40 * 1852 / 3600) < 1e-9, 'speed in knots');
  assert.equal(results.filter((r) => typeof r !== 'string').length, 9);
});

test('Traccar Client 9 JSON (Android, iOS, moving): accuracy in metres, speed in m/s, heading -1 unknown', () => {
  const window = { time: { now, maxAgeMs: 100 * 366 * 86_400_000 } };
  const [android] = parseTraccarJson(JSON.parse(fixture('devices/traccar-client-android-sdk.json').toString('utf8')), window);
  assert.deepEqual(android, { unit: '48241179', time: Date.parse('2025-06-15T13:45:12.862Z'), lat: 37.4219983, lon: -122.084, source: 'osmand', accuracyM: 5, speedMps: 0, altM: 5 });
  const [ios] = parseTraccarJson(JSON.parse(fixture('devices/traccar-client-ios-sdk.json').toString('utf8')), window);
  assert.equal(ios.unit, '658765');
  assert.equal(ios.altM, undefined, 'altitude_accuracy -1: the altitude is not valid');
  assert.equal(ios.speedMps, undefined);
  const [moving] = parseTraccarJson(JSON.parse(fixture('devices/traccar-client-moving-sdk.json').toString('utf8')), window);
  assert.deepEqual([moving.accuracyM, moving.speedMps, moving.courseDeg, moving.altM], [3.8, 18.67, 63, 35.7]);
});

test("Traccar Client's SOS, as each version sends it, declares an emergency; the captures as they are declare none", () => {
  const window = { time: { now, maxAgeMs: 100 * 366 * 86_400_000 } };
  // Traccar Client 9: the SDK's location with extras (traccar/traccar's capture), the extras its "sos" quick action sets.
  const body = JSON.parse(fixture('devices/traccar-client-extras-sdk.json').toString('utf8'));
  const [plain] = parseTraccarJson(body, window);
  assert.equal(plain.emergency, undefined, "the capture's own extras are not an alarm");
  body.location.extras = { alarm: 'sos' };
  const [sos] = parseTraccarJson(body, window);
  assert.deepEqual(sos, { ...plain, emergency: { state: 'declared', what: 'SOS' } });
  body.location.extras = { heartbeat: true };
  assert.equal(parseTraccarJson(body, window)[0].emergency, undefined, "the SDK's heartbeat is no alarm");
  // Traccar Client for Android before 9: its formatter's URL (with a position, as ShortcutActivity sends one), alarm set to ALARM_SOS.
  const url = fixture('devices/traccar-client-android-urls.txt').toString('utf8').trim().split('\n').find((u) => u.includes('alarm='))!;
  const placed = url.replace('lat=0.0', 'lat=31.7901').replace('lon=0.0', 'lon=-106.5801');
  assert.equal(parseOsmand(queryOf(placed), window).emergency, undefined, 'alarm=alert message is no SOS');
  assert.deepEqual(parseOsmand(queryOf(placed.replace('alarm=alert%20message', 'alarm=sos')), window).emergency, { state: 'declared', what: 'SOS' });
});

test('Traccar Client (Android) URLs with no GPS fix yet (lat=0.0&lon=0.0&accuracy=0.0) are refused for their position', () => {
  for (const url of fixture('devices/traccar-client-android-urls.txt').toString('utf8').trim().split('\n')) {
    assert.throws(() => parseOsmand(queryOf(url), { time: { now, maxAgeMs: 100 * 366 * 86_400_000 } }), { code: 'no-position' });
  }
});

test('OsmAnd\'s live-monitoring URL template, filled as LiveMonitoringHelper fills it: {3} is the accuracy in metres', () => {
  const template = fixture('devices/osmand-live-monitoring-url.txt').toString('utf8').trim();
  // {0} lat, {1} lon, {2} time in ms, {3} Location.getAccuracy(), {4} altitude, {5} speed; the user adds the id.
  const values = ['31.7901', '-106.5801', String(now - 60_000), '120.0', '1131.0', '1.5'];
  const url = `${template.replace(/\{(\d)\}/g, (_, i: string) => values[Number(i)])}&id=osmand-phone`;
  const fix = parseOsmand(queryOf(url), { time: { now } });
  assert.equal(fix.accuracyM, 120, 'hdop=120.0 is 120 m, not refused, not 900');
  assert.equal(fix.time, now - 60_000);
  assert.equal(fix.altM, 1131);
});

test('gpsd\'s test log opens with # comment lines and is read whole: four fixes from 2014', async () => {
  const fixes: Fix[] = [];
  const rejected: string[] = [];
  for await (const item of readTrack(fixturePath('tracks/gpsd/bu353s4-head.log'))) item.kind === 'fix' ? fixes.push(item.fix) : rejected.push(item.reason);
  assert.deepEqual(rejected, []);
  assert.equal(fixes.length, 4);
  assert.equal(fixes[0].time, Date.UTC(2014, 11, 31, 3, 7, 19));
  assert.ok(Math.abs(fixes[0].lat - -(37 + 47.0873 / 60)) < 1e-9);
  assert.equal(fixes[0].accuracyM, 1.1 * 7.5, 'GSA HDOP 1.1 × UERE');
});

test('gpsd\'s log of a Telit HE910 after the April 2019 GPS week rollover: live, its 1999 date is read 1024 weeks later, with a note; from a file it is kept', async () => {
  // Its sentences, as a live feed would send them (the log's # lines are gpsd's notes), received a few minutes
  // after the fix by the receiving clock.
  const lines = fixture('tracks/gpsd/april6_2019.log').toString('utf8').split('\n').filter((l) => l.startsWith('$'));
  const live = new NmeaAssembler({ unit: 'telit', source: 'nmea', time: { now: Date.UTC(2019, 3, 7, 0, 5) } });
  const events = [...lines.flatMap((l, i) => live.push(l, i + 1)), ...live.flush()];
  const fixes = events.flatMap((e) => (e.kind === 'fix' ? [e.fix] : []));
  const rejected = events.flatMap((e) => (e.kind === 'rejected' ? [e.reason] : []));
  assert.equal(fixes.length, 1);
  assert.equal(new Date(fixes[0].time).toISOString(), '2019-04-07T00:02:31.420Z', '22 August 1999 + 1024 weeks');
  assert.ok(Math.abs(fixes[0].lat - (48 + 29.0005 / 60)) < 1e-9 && Math.abs(fixes[0].lon - (22.0016 / 60)) < 1e-9);
  assert.deepEqual(fixes[0].notes?.map((n) => /^RMC\.date was 1024 weeks behind/.test(n)), [true]);
  // The sentence with no fix, and the one whose date has year "-1" (the same receiver, a moment earlier).
  assert.equal(rejected.length, 2, rejected.join('; '));
  assert.match(rejected[0], /RMC: no time and no position: the receiver has no fix yet/);
  assert.match(rejected[1], /RMC: date "2208-1" is not a valid ddmmyy/);
  const logged: Fix[] = [];
  for await (const item of readTrack(fixturePath('tracks/gpsd/april6_2019.log'))) if (item.kind === 'fix') logged.push(item.fix);
  assert.deepEqual(logged.map((f) => [new Date(f.time).toISOString(), f.notes]), [['1999-08-22T00:02:31.420Z', undefined]], 'a log has no clock to hold it against');
});

test('a Humminbird fish finder relays its GPS as "integrated navigation" ($INRMC): a powerboat on the Connecticut River, read with a note saying so', async () => {
  const fixes: Fix[] = [];
  const rejected: string[] = [];
  for await (const item of readTrack(fixturePath('tracks/gpsd/humminbird-M37.log'))) item.kind === 'fix' ? fixes.push(item.fix) : rejected.push(item.reason);
  assert.deepEqual(rejected, [], 'depth (DPT), temperature (MTW), GLL and VTG are not positions lindero uses: skipped');
  assert.equal(fixes.length, 25);
  assert.equal(new Date(fixes[0].time).toISOString(), '2006-09-16T19:41:01.000Z');
  assert.ok(Math.abs(fixes[0].lat - (44 + 26.113 / 60)) < 1e-9 && Math.abs(fixes[0].lon + (71 + 40.5596 / 60)) < 1e-9);
  assert.ok(fixes.every((f) => f.notes?.[0] === "talker IN (integrated navigation) is a navigation system passing on its receiver's position, not the receiver itself"));
  assert.equal(fixes[0].accuracyM, undefined, 'RMC alone gives no accuracy: it is assumed, and said to be');
});

test('a SiRF III log whose receiver loses its fix: the epochs it marks invalid are listed as no position report, not as errors', async () => {
  const fixes: Fix[] = [];
  const notReports: number[] = [];
  const errors: string[] = [];
  for await (const item of readTrack(fixturePath('tracks/gpsd/bu353-glonass.log'))) {
    if (item.kind === 'fix') fixes.push(item.fix);
    else if (item.notAReport) notReports.push(item.line);
    else errors.push(item.reason);
  }
  assert.equal(fixes.length, 9);
  assert.deepEqual(errors, []);
  assert.equal(notReports.length, 10);
  assert.equal(notReports[0], 60);
});

test('receivers that date their GGA by ZDA and send no RMC (a GlobalSat MR-350p, a Hemisphere): read, the Hemisphere\'s wait for a fix listed as no position report', async () => {
  const read = async (file: string) => {
    const out = { fixes: [] as Fix[], notReports: 0, errors: [] as string[] };
    for await (const item of readTrack(fixturePath(`tracks/gpsd/${file}`))) {
      if (item.kind === 'fix') out.fixes.push(item.fix);
      else if (item.notAReport) out.notReports++;
      else out.errors.push(item.reason);
    }
    return out;
  };
  const mr = await read('mr-350p.log');
  assert.equal(mr.fixes.length, 13);
  assert.equal(new Date(mr.fixes[0].time).toISOString(), '2012-07-04T05:11:34.000Z');
  assert.ok(Math.abs(mr.fixes[0].lat - (47 + 44.698 / 60)) < 1e-9);
  // Its first GGA comes before any ZDA: that one epoch has no date.
  assert.deepEqual(mr.errors, ['epoch 05:11:33.000 UTC: no date (GGA carries only the time of day and no RMC or ZDA has been seen yet)']);
  const hemi = await read('hemi.log');
  assert.deepEqual([hemi.fixes.length, hemi.notReports, hemi.errors.length], [21, 194, 0]);
  assert.equal(new Date(hemi.fixes[0].time).toISOString(), '2018-09-07T19:40:50.000Z');
});

test('an HP 58534A timing receiver sends GGA and ZDA without checksums: its two fixes are read, each saying it could not be checked', async () => {
  const items = [];
  for await (const item of readTrack(fixturePath('tracks/gpsd/hp58534a.log'))) items.push(item);
  const fixes = items.flatMap((i) => (i.kind === 'fix' ? [i.fix] : []));
  assert.equal(items.length, fixes.length, 'GSV, VTG and $PFEC have no position: skipped, not refused');
  assert.deepEqual(fixes.map((f) => new Date(f.time).toISOString()), ['2010-10-25T22:24:49.000Z', '2010-10-25T22:24:50.000Z']);
  assert.ok(Math.abs(fixes[0].lat + (33 + 49.0337 / 60)) < 1e-9 && Math.abs(fixes[0].lon - (18 + 43.9282 / 60)) < 1e-9);
  assert.ok(fixes.every((f) => f.notes?.[0] === 'GGA came without a checksum: it could not be checked for damage on the way'));
  assert.equal(fixes[0].accuracyM, 2.31 * 7.5, 'HDOP × UERE');
});

test('an inReach MapShare export is one device: its IMEI, named as on the map; the untimed track line is listed as not used', async () => {
  const fixes: Fix[] = [];
  const rejected: string[] = [];
  for await (const item of readTrack(fixturePath('tracks/inreach-mapshare.kml'))) item.kind === 'fix' ? fixes.push(item.fix) : rejected.push(item.reason);
  assert.deepEqual([...new Set(fixes.map((f) => f.unit))], ['123456789101112']);
  assert.ok(fixes.every((f) => f.name === 'Demo User'));
  assert.equal(fixes.length, 5);
  assert.equal(rejected.length, 1);
  assert.match(rejected[0], /LineString without a <TimeSpan>/);
});

test('togeojson\'s GeometryCollection of timed LineStrings (a gx:MultiTrack) gives the same fixes as the KML', async () => {
  const read = async (path: string) => {
    const fixes: Fix[] = [];
    for await (const item of readTrack(fixturePath(path))) if (item.kind === 'fix') fixes.push(item.fix);
    return fixes.filter((f) => f.unit === 'Horse patrol 3').map((f) => [f.time, f.lat, f.lon, f.altM]);
  };
  const fromKml = await read('tracks/multi-unit.kml');
  assert.equal(fromKml.length, 5);
  assert.deepEqual(await read('tracks/multi-unit.togeojson.json'), fromKml);
});

test("FreeTAKServer's ATAK captures: a tablet without GPS sends a placeholder a few hundred metres off 0,0, refused as no position; a phone's GPS report is a unit; placed markers are markers", () => {
  const anyTime: CotOptions = { time: { now: Date.UTC(2020, 1, 8, 18, 31) } };
  assert.throws(() => parseCot(fixture('cot/captures/fts-atak-no-gps-pli.xml'), anyTime), { code: 'no-position', message: /within 0\.01° of 0,0 with no accuracy/ });
  // The same report at a real place, still without a fix: kept, and the fix says it was placed by hand.
  const placed = parseCot(fixture('cot/captures/fts-atak-no-gps-pli.xml').toString('utf8').replace("lat='-0.004287826538927404' lon='-0.0076812372022802555'", "lat='31.75' lon='-106.48'"), anyTime);
  assert.equal(placed.role, 'unit');
  assert.equal(placed.fix.accuracyM, undefined);
  assert.ok(placed.fix.notes?.some((n) => /geopointsrc is USER: the position was placed by hand/.test(n)), JSON.stringify(placed.fix.notes));
  const gps = parseCot(fixture('cot/captures/fts-atak-gps-pli.xml'), anyTime);
  assert.deepEqual([gps.role, gps.fix.name, gps.fix.accuracyM, gps.fix.notes], ['unit', 'C0rv0', 156.5, undefined]);
  for (const marker of ['fts-atak-aircraft-marker.xml', 'fts-spot-map-marker.xml']) assert.equal(parseCot(fixture(`cot/captures/${marker}`), anyTime).role, 'marker', marker);
});
