import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { readTrack, readTrackFromBytes, readTrackFromString, type TrackItem } from './index.js';
import { LinderoError } from '../../model/index.js';
import type { Fix } from '../../model/index.js';
import { collect, errorOf, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;



const kml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>${body}</Document></kml>`;

async function zipOf(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2024, 0, 1));
  for (const [name, data] of Object.entries(entries)) zip.file(name, data, { date });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

test('the same walk saved as GPX, KML (gx:Track) and KMZ gives identical fixes', async () => {
  const fromGpx = await collect(readTrack(fixture('santa-teresa-walk.gpx')));
  const fromKml = await collect(readTrack(fixture('santa-teresa-walk.kml')));
  const fromKmz = await collect(readTrack(fixture('santa-teresa-walk.kmz')));
  assert.equal(fromGpx.fixes.length, 12);
  assert.deepEqual(fromKml.fixes, fromGpx.fixes);
  assert.deepEqual(fromKmz.fixes, fromGpx.fixes);
  assert.deepEqual([fromGpx.rejected, fromKml.rejected, fromKmz.rejected], [[], [], []]);
});

test('a KML with a MultiTrack, a timed Point and a LineString with a TimeSpan gives one unit per Placemark', async () => {
  const { fixes, rejected } = await collect(readTrack(fixture('multi-unit.kml')));
  const byUnit = (u: string) => fixes.filter((f) => f.unit === u);
  assert.equal(byUnit('Horse patrol 3').length, 5, 'both tracks of the MultiTrack');
  assert.equal(byUnit('Horse patrol 3')[3].time, Date.UTC(2024, 3, 9, 22, 20), '15:20-07:00');
  assert.deepEqual(byUnit('Sensor 14'), [{ unit: 'Sensor 14', time: Date.UTC(2024, 3, 9, 15, 5), lat: 31.4805, lon: -111.5442, altM: 0, source: 'file' }]);
  assert.equal(rejected.length, 1);
  assert.match(rejected[0].reason, /LineString without a <TimeSpan>/);
  assert.equal(rejected[0].line, 51);
});

test('a LineString with a TimeSpan gets times in proportion to distance along it', async () => {
  const { fixes } = await collect(readTrack(fixture('multi-unit.kml')));
  const drone = fixes.filter((f) => f.unit === 'Drone sortie 7');
  // Vertices at 0, 1 and 3 units of distance along a meridian over 3 minutes: 0, 1 and 3 minutes.
  assert.deepEqual(drone.map((f) => (f.time - Date.UTC(2024, 3, 9, 15, 10)) / 60_000), [0, 1, 3]);
});

test('a gx:Track with more whens than coords keeps the pairs and reports the spare', async () => {
  const body = `<Placemark><name>u</name><gx:Track>
    <when>2024-01-01T00:00:00Z</when><when>2024-01-01T00:00:10Z</when><when>2024-01-01T00:00:20Z</when>
    <gx:coord>-106.1 31.1 0</gx:coord><gx:coord>-106.2 31.2</gx:coord>
  </gx:Track></Placemark>`;
  const { fixes, rejected } = await collect(readTrackFromString(kml(body), 'spare.kml'));
  assert.equal(fixes.length, 2);
  assert.equal(fixes[1].altM, undefined);
  assert.match(rejected[0].reason, /1 <when> without a <gx:coord>/);
});

test('KML times without an offset, bad coordinates and untimed Points are rejected one by one', async () => {
  const body = `
<Placemark><name>a</name><TimeStamp><when>2024-01-01T10:00:00</when></TimeStamp><Point><coordinates>-106,31</coordinates></Point></Placemark>
<Placemark><name>b</name><TimeStamp><when>2024-01-01T10:00:00Z</when></TimeStamp><Point><coordinates>-106;31</coordinates></Point></Placemark>
<Placemark><name>c</name><Point><coordinates>-106,31</coordinates></Point></Placemark>
<Placemark><name>d</name><TimeStamp><when>2024-01-01T10:00:00Z</when></TimeStamp><Point><coordinates>-106,131</coordinates></Point></Placemark>
<Placemark><name>e</name><gx:Track><when>2024-01-01T10:00:00Z</when><gx:coord>west north</gx:coord></gx:Track></Placemark>
<Placemark><name>f</name><TimeStamp><when>2024-01-01T10:00:00Z</when></TimeStamp><Point><coordinates> -106.5, 31.5 </coordinates></Point></Placemark>`;
  const { fixes, rejected } = await collect(readTrackFromString(kml(body), 'mixed.kml'));
  assert.deepEqual(fixes.map((f) => [f.unit, f.lat, f.lon]), [['f', 31.5, -106.5]]);
  assert.deepEqual(rejected.map((r) => r.line), [3, 4, 5, 6, 7]);
  const reasons = rejected.map((r) => r.reason).join('\n');
  assert.match(reasons, /no UTC offset/);
  assert.match(reasons, /"-106;31" is not "lon,lat\[,alt\]"/);
  assert.match(reasons, /no <TimeStamp><when>/);
  assert.match(reasons, /latitude 131 is outside/);
  assert.match(reasons, /"west north" is not "lon lat \[alt\]"/);
});

test('a KML billion-laughs or XXE document is refused at its DOCTYPE', async () => {
  const lol = `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml><Document><name>&b;</name></Document></kml>`;
  assert.equal((await errorOf(readTrackFromString(lol, 'lol.kml'))).code, 'xml-doctype');
  const xxe = `<?xml version="1.0"?><!DOCTYPE kml SYSTEM "http://127.0.0.1/evil.dtd"><kml/>`;
  assert.equal((await errorOf(readTrackFromString(xxe, 'xxe.kml'))).code, 'xml-doctype');
});

test('a truncated KML is an error after the fixes before the cut', async () => {
  const text = readFileSync(fixture('multi-unit.kml'), 'utf8');
  const cut = text.slice(0, text.indexOf('Sensor 14'));
  const fixes: Fix[] = [];
  const error = await errorOf((async function* () {
    for await (const item of readTrackFromString(cut, 'cut.kml')) {
      if (item.kind === 'fix') fixes.push(item.fix);
      yield item;
    }
  })());
  assert.equal(error.code, 'xml-syntax');
  assert.equal(fixes.length, 5);
});

test('a KMZ reads doc.kml, else the first .kml entry', async () => {
  const walk = readFileSync(fixture('santa-teresa-walk.kml'));
  const other = kml('<Placemark><name>z</name><TimeStamp><when>2024-01-01T00:00:00Z</when></TimeStamp><Point><coordinates>-106,31</coordinates></Point></Placemark>');
  const withDoc = await collect(readTrackFromBytes(await zipOf({ 'a.kml': other, 'doc.kml': walk }), 'x.kmz'));
  assert.equal(withDoc.fixes.length, 12);
  const withoutDoc = await collect(readTrackFromBytes(await zipOf({ 'files/readme.txt': 'hi', 'track.kml': other }), 'y.kmz'));
  assert.deepEqual(withoutDoc.fixes.map((f) => f.unit), ['z']);
});

test('a KMZ whose KML expands past the cap is refused as a zip bomb', async () => {
  const bomb = await zipOf({ 'doc.kml': kml(`<!-- ${' '.repeat(3_000_000)} -->`) });
  assert.ok(bomb.length < 20_000, 'highly compressible');
  const error = await errorOf(readTrackFromBytes(bomb, 'bomb.kmz', { limits: { maxKmzUncompressedBytes: 1_000_000 } }));
  assert.equal(error.code, 'kmz-too-large');
});

test('a KMZ without a KML, or a damaged zip, is a clear error', async () => {
  assert.equal((await errorOf(readTrackFromBytes(await zipOf({ 'image.png': 'x' }), 'empty.kmz'))).code, 'kmz-no-kml');
  const damaged = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]);
  assert.equal((await errorOf(readTrackFromBytes(damaged, 'damaged.kmz'))).code, 'kmz-zip');
});
