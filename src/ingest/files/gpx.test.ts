import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { readTrack, readTrackFromString, type TrackItem } from './index.js';
import { LinderoError } from '../../model/index.js';
import { HDOP_UERE_M } from '../nmea.js';
import type { Fix } from '../../model/index.js';
import { collect, collectUntilError, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;



const gpx = (body: string, attrs = 'version="1.1" creator="test"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<gpx ${attrs} xmlns="http://www.topografix.com/GPX/1/1">\n${body}\n</gpx>\n`;

test('a GPX 1.1 file with two named tracks gives two units, hdop as accuracy and Garmin speed/course', async () => {
  const { fixes, rejected } = await collect(readTrack(fixture('two-patrols.gpx')));
  assert.deepEqual(fixes.map((f) => f.unit), ['Alpha', 'Alpha', 'Alpha', 'Bravo', 'Bravo']);
  assert.deepEqual(fixes[0], {
    unit: 'Alpha', time: Date.UTC(2024, 5, 11, 14), lat: 31.75487, lon: -106.48812, source: 'file',
    accuracyM: 0.9 * HDOP_UERE_M, altM: 1131, speedMps: 1.4, courseDeg: 176,
  });
  assert.equal(fixes[4].time, Date.UTC(2024, 5, 11, 14, 0, 15, 500));
  assert.equal(rejected.length, 2, 'the point without a time, and the waypoint (listed, not read)');
  assert.equal(rejected[1].line, 40);
  assert.match(rejected[1].reason, /<trkpt>: no <time>/);
  assert.equal(rejected[0].line, 7);
  assert.match(rejected[0].reason, /<wpt>: a waypoint is a marked place, not a position report, in a file with a track; not read/);
});

test('the waypoint of a file that has a track is not read as part of the track', async () => {
  const { fixes } = await collect(readTrack(fixture('two-patrols.gpx')));
  assert.ok(!fixes.some((f) => f.lat === 31.75431), 'the rally point');
});

test('an OsmAnd GPX has hdop in metres (Android accuracy) and speed/heading in its extensions', async () => {
  const { fixes } = await collect(readTrack(fixture('osmand-recording.gpx')));
  assert.deepEqual(fixes.map((f) => f.accuracyM), [4.8, 3.9, 12]);
  assert.equal(fixes[0].speedMps, 1.21);
  assert.equal(fixes[0].courseDeg, 268);
  assert.equal(fixes[0].unit, 'osmand-recording', 'an unnamed track takes the file name');
});

test('a GPX 1.0 track in Latin-1 with speed, course and an offset time is read', async () => {
  const { fixes } = await collect(readTrack(fixture('gpx10-truck.gpx')));
  assert.equal(fixes.length, 3);
  assert.equal(fixes[0].unit, 'Camión Nogales');
  assert.equal(fixes[0].speedMps, 8.33);
  assert.equal(fixes[0].courseDeg, 5.3);
  assert.equal(fixes[0].accuracyM, 1.3 * HDOP_UERE_M);
  assert.equal(fixes[2].time, Date.UTC(2023, 10, 20, 18, 3, 1), '11:03:01-07:00 is 18:03:01Z');
});

test('without a track, waypoints and route points are read, a route point named by its route', async () => {
  const { fixes, rejected } = await collect(readTrack(fixture('waypoints-and-route.gpx')));
  assert.deepEqual(fixes.map((f) => f.unit), ['waypoints-and-route', 'waypoints-and-route', 'Presidio survey', 'Presidio survey']);
  assert.equal(rejected.length, 1);
  assert.match(rejected[0].reason, /<wpt>: no <time>/);
});

test('the unit option names fixes the file leaves unnamed, but not named tracks', async () => {
  const unnamed = await collect(readTrack(fixture('osmand-recording.gpx'), { unit: 'phone-3' }));
  assert.equal(unnamed.fixes[0].unit, 'phone-3');
  const named = await collect(readTrack(fixture('two-patrols.gpx'), { unit: 'phone-3' }));
  assert.equal(named.fixes[0].unit, 'Alpha');
});

test('a GPX time without Z is UTC, as the GPX schema says', async () => {
  const { fixes } = await collect(readTrackFromString(gpx('<trk><trkseg><trkpt lat="31.5" lon="-106.2"><time>2024-03-05T16:20:00</time></trkpt></trkseg></trk>'), 't.gpx'));
  assert.equal(fixes[0].time, Date.UTC(2024, 2, 5, 16, 20));
});

test('an <accuracy> extension in metres wins over hdop', async () => {
  const body = '<trk><trkseg><trkpt lat="31.5" lon="-106.2"><time>2024-03-05T16:20:00Z</time><hdop>2</hdop><extensions><accuracy>3.5</accuracy></extensions></trkpt></trkseg></trk>';
  const { fixes } = await collect(readTrackFromString(gpx(body), 't.gpx'));
  assert.equal(fixes[0].accuracyM, 3.5);
});

test('out-of-range coordinates, bad numbers and bad times reject the point and the rest go on', async () => {
  const pt = (lat: string, lon: string, inner: string) => `<trkpt lat="${lat}" lon="${lon}">${inner}</trkpt>`;
  const t = '<time>2024-03-05T16:20:00Z</time>';
  const body = `<trk><trkseg>
    ${pt('95.0', '-106.2', t)}
    ${pt('31.5', '-186.2', t)}
    ${pt('31.5', 'west', t)}
    ${pt('31.5', '-106.2', `${t}<ele>high</ele>`)}
    ${pt('31.5', '-106.2', `${t}<extensions><course>NNE</course><heading>20</heading></extensions>`)}
    ${pt('31.5', '-106.2', '<time>yesterday</time>')}
    ${pt('31.5', '-106.2', t)}
  </trkseg></trk>`;
  const { fixes, rejected } = await collect(readTrackFromString(gpx(body), 'bad.gpx'));
  assert.equal(fixes.length, 1);
  assert.deepEqual(rejected.map((r) => r.line), [4, 5, 6, 7, 8, 9]);
  const reasons = rejected.map((r) => r.reason);
  assert.match(reasons[0], /latitude 95 is outside -90..90/);
  assert.match(reasons[1], /longitude -186.2 is outside -180..180/);
  assert.match(reasons[2], /lon="west"/);
  assert.match(reasons[3], /<ele> "high" is not a number/);
  assert.match(reasons[4], /<course> "NNE" is not a number/);
  assert.match(reasons[5], /"yesterday" is not an ISO 8601/);
});

test('a truncated GPX is an error naming the place, after the points before the cut were given', async () => {
  const text = readFileSync(fixture('santa-teresa-walk.gpx'), 'utf8');
  const cut = text.slice(0, text.indexOf('16:20:50Z') + 40);
  const { fixes, error } = await collectUntilError(readTrackFromString(cut, 'cut.gpx'));
  assert.equal(fixes.length, 6, 'the points up to 16:20:50, whose </trkpt> is inside the cut');
  assert.ok(error instanceof LinderoError);
  assert.equal(error.code, 'xml-syntax');
  assert.equal(error.place.file, 'cut.gpx');
  assert.ok(error.place.line! > 20);
});

test('a billion-laughs GPX is refused at its DOCTYPE before any entity is expanded', async () => {
  const lol = `<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<gpx version="1.1"><trk><name>&lol9;</name></trk></gpx>`;
  const { fixes, error } = await collectUntilError(readTrackFromString(lol, 'lol.gpx'));
  assert.equal(fixes.length, 0);
  assert.ok(error instanceof LinderoError);
  assert.equal(error.code, 'xml-doctype');
  assert.match(error.message, /DOCTYPE/);
});

test('an XXE GPX (external entity) is refused, and an undeclared entity is a syntax error', async () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><gpx><trk><name>&xxe;</name></trk></gpx>`;
  const a = await collectUntilError(readTrackFromString(xxe, 'xxe.gpx'));
  assert.equal((a.error as LinderoError).code, 'xml-doctype');
  const b = await collectUntilError(readTrackFromString(gpx('<trk><name>&xxe;</name></trk>'), 'ent.gpx'));
  assert.equal((b.error as LinderoError).code, 'xml-syntax');
  assert.match((b.error as LinderoError).message, /undefined entity/i);
});

test('deeply nested elements are refused', async () => {
  const deep = gpx(`${'<extensions>'.repeat(5000)}${'</extensions>'.repeat(5000)}`);
  const { error } = await collectUntilError(readTrackFromString(deep, 'deep.gpx'));
  assert.equal((error as LinderoError).code, 'xml-depth');
});

test('an endless text node is refused at the text limit instead of filling memory', async () => {
  const big = gpx(`<trk><name>${'A'.repeat(50_000)}</name></trk>`);
  const { error } = await collectUntilError(readTrackFromString(big, 'big.gpx', { limits: { maxXmlTextChars: 10_000 } }));
  assert.equal((error as LinderoError).code, 'xml-text-too-long');
});

test('binary garbage after a GPX start is an encoding error, not a crash', async () => {
  const bytes = Buffer.concat([Buffer.from(gpx('<trk><trkseg>').slice(0, 120)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80, 0x81])]);
  const { readTrackFromBytes } = await import('./index.js');
  const { error } = await collectUntilError(readTrackFromBytes(bytes, 'garbage.gpx'));
  assert.ok(error instanceof LinderoError);
  assert.equal(error.code, 'bad-encoding');
});
