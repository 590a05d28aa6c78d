// Other people's track files, read and analysed whole against the default layers (test/fixtures/tracks/SOURCES):
// what `lindero track` makes of tracks recorded far from the line, by writers with their own quirks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTrack, analyzeTrackFiles, trackReportGeoJson, trackReportJson, trackReportText } from '../src/analysis/index.js';
import { readFileSync } from 'node:fs';
import { readTrack, readTrackFromString } from '../src/ingest/index.js';
import { buildLayers } from '../src/geo/index.js';
import { loadDefaultBoundary } from '../src/layers/node.js';

const fixturePath = (path: string) => new URL(`fixtures/${path}`, import.meta.url).pathname;
const layers = buildLayers(loadDefaultBoundary(), null);

test('GPSBabel\'s placeholder time (1901-12-13T20:45:52Z, the smallest 32-bit Unix time) on every point is no time: each point is listed at its line, none is analysed', async () => {
  const report = await analyzeTrackFiles([fixturePath('tracks/gpxpy/Mojstrovka.gpx')], layers);
  // Before, the first point was analysed as a fix of 1901 and the other 183 refused as "two different positions at the same time", with no line.
  assert.deepEqual(report.units, []);
  assert.equal(report.rejected.length, 184);
  assert.ok(report.rejected.every((r) => r.file === 'Mojstrovka.gpx' && /^<trkpt>: time 1901-12-13T20:45:52\.207Z is before GPS time began \(1980-01-06\)/.test(r.reason)), report.rejected[0].reason);
  assert.deepEqual(report.rejected.slice(0, 3).map((r) => r.line), [12, 16, 20], 'each names the line of its <trkpt>');
});

test('a Garmin log from Istria through GPSBabel: two timed logs analysed wholly outside the layers\' territories, no crossing; its waypoints and untimed saved track listed by line', async () => {
  const report = await analyzeTrackFiles([fixturePath('tracks/gpxpy/korita-zbevnica.gpx')], layers);
  assert.deepEqual(report.units.map((u) => [u.unit, u.points, u.crossings.length, u.timeInS.US, u.timeInS.MX, u.closestApproach.territory]),
    [['ACTIVE LOG', 176, 0, 0, 0, null], ['ACTIVE LOG #2', 337, 0, 0, 0, null]]);
  assert.deepEqual(report.units.map((u) => u.timeInS.outside), [3829, 5501], 'every second of both logs is outside');
  assert.ok(report.units.every((u) => u.closestApproach.distanceM > 9_400_000), 'some 9,400 km from the line');
  assert.equal(report.rejected.length, 360);
  assert.deepEqual(report.rejected.slice(0, 2).map((r) => [r.line, /^<wpt>: a waypoint is a marked place/.test(r.reason)]), [[10, true], [16, true]]);
  assert.ok(report.rejected.slice(2).every((r) => r.line > 0 && /^<trkpt>: no <time>/.test(r.reason)));
});

test('GPSBabel\'s KML of a Garmin\'s logs gives the fixes of its GPX: points named "<track>-<n>" in the track\'s Folder are that track, not a unit each', async () => {
  const read = async (file: string) => {
    const fixes = new Map<string, [number, number, number][]>();
    for await (const item of readTrack(fixturePath(`tracks/gpxpy/${file}`))) {
      if (item.kind === 'fix') fixes.set(item.fix.unit, [...(fixes.get(item.fix.unit) ?? []), [item.fix.time, item.fix.lat, item.fix.lon]]);
    }
    return fixes;
  };
  const gpx = await read('cerknicko-jezero.gpx'), kml = await read('cerknicko-jezero.kml');
  assert.deepEqual([...kml.keys()], ['ACTIVE LOG #2', 'ACTIVE LOG #3', 'ACTIVE LOG #4', 'ACTIVE LOG #5', 'ACTIVE LOG #6', 'ACTIVE LOG #7', 'ACTIVE LOG #8']);
  assert.deepEqual([...kml.keys()], [...gpx.keys()]);
  for (const [unit, points] of kml) {
    const other = gpx.get(unit)!;
    assert.equal(points.length, other.length, unit);
    // The KML writes coordinates to 6 decimals, the GPX to 9.
    points.forEach(([t, lat, lon], i) => assert.ok(t === other[i][0] && Math.abs(lat - other[i][1]) < 6e-7 && Math.abs(lon - other[i][2]) < 6e-7, `${unit} ${i}`));
  }
  assert.equal([...kml.values()].reduce((n, p) => n + p.length, 0), 296);
});

test("a Garmin inReach MapShare feed: one unit by its IMEI; a message without a GPS fix and the untimed track log are no position reports", async () => {
  const report = await analyzeTrackFiles([fixturePath('tracks/flyxc/inreach-feed.kml')], layers);
  assert.deepEqual(report.units.map((u) => [u.unit, u.points]), [['300434030271890', 4]]);
  // The 18:51:30 message says "Valid GPS Fix: False": its position is the last known one, not where the device was then.
  assert.deepEqual(report.rejected.map((r) => [r.line, r.notAReport === true]), [[248, true], [395, true]]);
  assert.match(report.rejected[0].reason, /"Valid GPS Fix" is False/);
  assert.match(report.rejected[1].reason, /beside timed positions: a line drawn through places/);
});

test('a SPOT feed (newest first) is read oldest first: one unit by its messenger id, named by the messenger; SPOT 2\'s altitude 0 is none', async () => {
  const read = async (file: string) => {
    const items = [];
    for await (const item of readTrack(fixturePath(`tracks/flyxc/${file}`))) items.push(item);
    return items;
  };
  const spot2 = await read('spot2-feed.json');
  assert.ok(spot2.every((i) => i.kind === 'fix'));
  const fixes = spot2.map((i) => (i.kind === 'fix' ? i.fix : assert.fail()));
  assert.deepEqual(fixes.map((f) => f.time / 1000), [1571228890, 1571229492, 1571230128, 1571230698, 1571231455]);
  assert.deepEqual(fixes[0], { unit: '0-8139942', name: 'joe', time: 1571228890000, lat: 44.01246, lon: 7.22531, source: 'file' });
  const spot3 = (await read('spot3-feed.json')).map((i) => (i.kind === 'fix' ? i.fix : assert.fail()));
  assert.deepEqual(spot3.map((f) => f.altM), [456, 123, 789, 456, 123]);
  assert.deepEqual(spot3.map((f) => [f.time, f.lat, f.lon]), fixes.map((f) => [f.time, f.lat, f.lon]));
  const report = await analyzeTrackFiles([fixturePath('tracks/flyxc/spot2-feed.json')], layers);
  assert.deepEqual(report.units.map((u) => [u.unit, u.points, u.crossings.length, u.closestApproach.territory]), [['0-8139942', 5, 0, null]]);
  assert.deepEqual(report.rejected, []);
});

test('a SPOT feed of one message (an object, not an array), one without a position, and SPOT\'s error answers', async () => {
  const feed = JSON.parse(readFileSync(fixturePath('tracks/flyxc/spot3-feed.json'), 'utf8'));
  const messages = feed.response.feedMessageResponse.messages.message;
  const items = async (doc: unknown) => {
    const out = [];
    for await (const item of readTrackFromString(JSON.stringify(doc), 'feed.json')) out.push(item);
    return out;
  };
  const one = await items({ response: { feedMessageResponse: { ...feed.response.feedMessageResponse, messages: { message: messages[2] } } } });
  assert.deepEqual(one.map((i) => i.kind === 'fix' && [i.fix.time, i.fix.altM]), [[1571230128000, 789]]);
  const { latitude: _lat, longitude: _lon, ...noPosition } = messages[1];
  const mixed = await items({ response: { feedMessageResponse: { messages: { message: [messages[0], noPosition] } } } });
  assert.deepEqual(mixed.map((i) => i.kind), ['rejected', 'fix']);
  assert.deepEqual(mixed[0], { kind: 'rejected', file: 'feed.json', line: 0, feature: 1, reason: 'message 1: the OK message carries no position', notAReport: true });
  // "No displayable messages found" for the asked range: an empty track. Any other error is said.
  assert.deepEqual(await items({ response: { errors: { error: { code: 'E-0195', text: 'No Messages to display', description: 'No displayable messages found found for feed: x' } } } }), []);
  await assert.rejects(items({ response: { errors: { error: { code: 'E-0160', text: 'Feed Not Found', description: 'Feed Not Found' } } } }),
    (e: Error & { code?: string }) => e.code === 'spot-feed-error' && e.message.includes('E-0160: Feed Not Found'));
});

test('a Garmin IPC Outbound post kept as a file is a track: its events as the live server reads them, at any age', async () => {
  const text = readFileSync(fixturePath('devices/inreach/trailscribe-v4-satellite-position-report.json'), 'utf8');
  const out = [];
  for await (const item of readTrackFromString(text, 'post.json')) out.push(item);
  assert.deepEqual(out.map((i) => i.kind === 'fix' && [i.fix.unit, i.fix.time, i.fix.source, Math.round(i.fix.speedMps! * 1000)]), [['300052030374220', 1779060150000, 'file', 29998]]);
  const binary = readFileSync(fixturePath('devices/inreach/garmin-example-binary.json'), 'utf8');
  const none = [];
  for await (const item of readTrackFromString(binary, 'binary.json')) none.push(item);
  assert.deepEqual(none, [{ kind: 'rejected', file: 'binary.json', line: 0, feature: 0, reason: 'Events[0] (messageCode 64 (Encrypted Binary)) carries no position', notAReport: true }]);
});

test('an SOS in a kept inReach post and in a SPOT feed is reported where it was, in JSON, text and GeoJSON; SPOT\'s HELP is no emergency', async () => {
  // trailscribe's real Declare SOS post, near Los Angeles: in the United States.
  const inreach = await analyzeTrackFiles([fixturePath('devices/inreach/trailscribe-sos-declare.json')], layers);
  const [sos] = inreach.units[0].emergencies;
  assert.deepEqual([sos.state, sos.what, sos.lat, sos.territory], ['declared', 'Declare SOS', 34.13098097, 'US']);
  assert.ok(sos.distanceM > 100_000);
  const json = trackReportJson(inreach) as { units: { emergencies: Record<string, unknown>[] }[] };
  assert.deepEqual(Object.keys(json.units[0].emergencies[0]), ['time', 'state', 'what', 'lat', 'lon', 'territory', 'distance_m']);
  assert.match(trackReportText(inreach, 'en'), /EMERGENCIES +1\n +[^\n]*declared \("Declare SOS"\) +in United States, [\d.,]+ km from the line/);
  assert.match(trackReportText(inreach, 'es'), /EMERGENCIAS +1\n +[^\n]*declarada \("Declare SOS"\) +en Estados Unidos/);
  const geojson = JSON.parse([...trackReportGeoJson(inreach)].join('')) as { features: { properties: { kind: string; what?: string } }[] };
  assert.deepEqual(geojson.features.filter((f) => f.properties.kind === 'emergency').map((f) => f.properties.what), ['Declare SOS']);

  // flyXC's SPOT 3 feed, with its oldest TRACK message made an SOS (no public feed with an SOS was found): one emergency; its HELP stays a position.
  const feed = JSON.parse(readFileSync(fixturePath('tracks/flyxc/spot3-feed.json'), 'utf8'));
  const messages = feed.response.feedMessageResponse.messages.message as { messageType: string; unixTime: number }[];
  const oldest = messages.reduce((a, b) => (a.unixTime < b.unixTime ? a : b));
  assert.equal(oldest.messageType, 'TRACK');
  oldest.messageType = 'SOS';
  const report = await analyzeTrack(readTrackFromString(JSON.stringify(feed), 'spot.json'), layers);
  assert.deepEqual(report.units[0].emergencies.map((e) => [e.time / 1000, e.what, e.territory]), [[oldest.unixTime, 'SOS', null]]);
  const plain = await analyzeTrackFiles([fixturePath('tracks/flyxc/spot3-feed.json')], layers);
  assert.deepEqual(plain.units[0].emergencies, []);
  assert.doesNotMatch(trackReportText(plain, 'en'), /EMERGENC/);
});
