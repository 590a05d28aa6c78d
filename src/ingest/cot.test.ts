import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';
import { decodeXmlEntities, isAtom, parseCot, type CotOptions } from './cot.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/cot/${name}`, import.meta.url));
/** The receiver's clock for the fixtures, a minute after they were sent. */
const options: CotOptions = { time: { now: Date.parse('2024-05-14T17:36:00Z') } };

function event(point: string, extra = '', detail = ''): string {
  return `<event version="2.0" uid="U-1" type="a-f-G-U-C" time="2024-05-14T17:32:08Z" start="2024-05-14T17:32:08Z" stale="2024-05-14T17:38:23Z" how="m-g" ${extra}>${point}<detail>${detail}</detail></event>`;
}
const point = '<point lat="31.75" lon="-106.48" hae="1120" ce="5" le="9999999"/>';

function fails(input: string | Buffer, code: string, where: Partial<LinderoError['place']> = {}, opts = options): LinderoError {
  let caught: unknown;
  try {
    parseCot(input, opts);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof LinderoError, `expected LinderoError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const [key, value] of Object.entries(where)) assert.equal(caught.place[key as keyof LinderoError['place']], value, caught.message);
  return caught;
}

test('an ATAK position report gives its uid, position, accuracy, altitude, speed, course and callsign', () => {
  const cot = parseCot(fixture('atak-pli.xml'), options);
  assert.deepEqual(cot.fix, {
    unit: 'ANDROID-6a1d2b3c4d5e6f70',
    time: Date.parse('2024-05-14T17:32:08.412Z'),
    lat: 31.7537426,
    lon: -106.4869513,
    accuracyM: 4.9,
    altM: 1122.417,
    speedMps: 1.3429999351501465,
    courseDeg: 252.71337890625,
    source: 'cot',
    name: 'COYOTE-3',
    group: 'Cyan',
  });
  assert.equal(cot.type, 'a-f-G-U-C');
  assert.equal(cot.how, 'm-g');
  assert.equal(cot.callsign, 'COYOTE-3');
  assert.equal(cot.stale, Date.parse('2024-05-14T17:38:23.412Z'));
  assert.ok(isAtom(cot.type));
});

test('a WinTAK report with ce 9999999 has unknown accuracy, not an accuracy of 10,000 km', () => {
  const cot = parseCot(fixture('wintak-pli.xml'), options);
  assert.equal(cot.fix.unit, 'S-1-5-21-2720623347-3037847324-4167270909-1002');
  assert.equal(cot.fix.accuracyM, undefined);
  assert.equal(cot.fix.altM, 1140.56);
  assert.equal(cot.fix.time, Date.parse('2024-05-14T17:30:41.270Z'));
  assert.equal(cot.callsign, 'EPCC-OPS');
});

test('an iTAK report without an XML declaration and with centiseconds parses', () => {
  const cot = parseCot(fixture('itak-pli.xml').toString('utf8'), options);
  assert.equal(cot.fix.unit, 'C94B9215-9BD4-4DBE-BDE1-83625F09153F');
  assert.equal(cot.fix.time, Date.parse('2024-05-14T17:31:55Z'));
  assert.equal(cot.fix.accuracyM, 12.61999988555908);
  assert.equal(cot.fix.speedMps, 4.17000008);
  assert.equal(cot.type, 'a-f-G-E-V-C');
});

test('an ATAK spot marker with single-quoted attributes keeps its escaped remarks', () => {
  const cot = parseCot(fixture('spot-marker.xml'), options);
  assert.equal(cot.type, 'b-m-p-s-m');
  assert.ok(!isAtom(cot.type));
  assert.equal(cot.callsign, 'R 1');
  assert.equal(cot.remarks, 'Monument 1 & river gauge — "crossing point"');
  assert.equal(cot.fix.accuracyM, undefined);
});

test('a TAK ping and a GeoChat message are not position reports', () => {
  fails(fixture('ping.xml'), 'cot-not-position', { field: 'type' });
  fails(fixture('geochat.xml'), 'cot-not-position', { field: 'type' });
  fails(event(point, '').replace('a-f-G-U-C', 't-x-d-d'), 'cot-not-position');
});

test('a WinTAK report without a GPS fix (point 0,0) is refused, never taken as a position', () => {
  fails(fixture('wintak-no-gps.xml'), 'no-position', { field: 'point.lat' });
});

test('an external entity (XXE) is refused before any parsing', () => {
  const error = fails(fixture('xxe.xml'), 'cot-doctype', { line: 2 });
  assert.match(error.message, /DOCTYPE/);
});

test('a billion-laughs document is refused outright', () => {
  fails(fixture('billion-laughs.xml'), 'cot-doctype');
  fails(event(point).replace('<detail>', '<detail><!ENTITY a "b">'), 'cot-doctype');
});

test('an entity that was never declared is refused, not passed through as text', () => {
  fails(event(point, '', '<contact callsign="&xxe;"/>'), 'cot-malformed');
  fails(event(point, '', '<remarks>&#0;</remarks>'), 'cot-malformed');
});

test('predefined entities and character references are decoded', () => {
  const cot = parseCot(event(point, '', '<contact callsign="A&amp;B &#233;&#x1F335; &lt;3"/>'), options);
  assert.equal(cot.callsign, 'A&B é🌵 <3');
  assert.equal(decodeXmlEntities('&quot;&apos;&gt;'), `"'>`);
  assert.throws(() => decodeXmlEntities('a & b'), /bare/);
});

test('an event larger than the limit is refused before it is parsed', () => {
  const big = event(point, '', `<remarks>${'x'.repeat(70_000)}</remarks>`);
  const error = fails(big, 'cot-too-large');
  assert.match(error.message, /65536/);
  assert.equal(parseCot(big, { ...options, maxBytes: 100_000 }).remarks?.length, 70_000);
  fails(Buffer.alloc(10 * 1024 * 1024, 0x41), 'cot-too-large');
});

test('deeply nested detail is refused', () => {
  const nested = '<x>'.repeat(100) + '</x>'.repeat(100);
  fails(event(point, '', nested), 'cot-malformed');
});

test('binary garbage and invalid UTF-8 are refused with a clear code', () => {
  fails(Buffer.from([0xbf, 0x01, 0xbf, 0x12, 0x34, 0xff, 0xfe]), 'cot-encoding');
  fails('\u0001\u0002binary', 'cot-malformed');
  fails('', 'cot-not-event');
  fails('just text', 'cot-malformed');
});

test('malformed XML reports the line and column', () => {
  fails('<event uid="a" type="a-f">\n<point lat="1" lon="2">\n</event>', 'cot-malformed', { line: 3 });
  fails(`${event(point)}<event/>`, 'cot-malformed');
});

test('a document that is not an <event> is refused', () => {
  fails('<auth><cot username="u" password="p"/></auth>', 'cot-not-event');
});

test('a missing uid, type, point, lat or lon is named', () => {
  fails(event(point).replace('uid="U-1"', ''), 'missing-field', { field: 'uid' });
  fails(event(point).replace('type="a-f-G-U-C"', ''), 'missing-field', { field: 'type' });
  fails(event(''), 'missing-field', { field: 'point' });
  fails(event('<point lon="-106.48"/>'), 'missing-field', { field: 'point.lat' });
  fails(event('<point lat="31.75"/>'), 'missing-field', { field: 'point.lon' });
  fails(event(`${point}${point}`), 'cot-malformed', { field: 'point' });
});

test('coordinates out of range or not numbers are refused, never replaced', () => {
  for (const [lat, lon, field] of [
    ['91', '-106.48', 'point.lat'],
    ['31.75', '-180.5', 'point.lon'],
    ['NaN', '-106.48', 'point.lat'],
    ['31.75', 'Infinity', 'point.lon'],
    ['1e400', '-106.48', 'point.lat'],
    ['0x1F', '-106.48', 'point.lat'],
    ['31,75', '-106.48', 'point.lat'],
  ]) {
    fails(event(`<point lat="${lat}" lon="${lon}"/>`), 'invalid-field', { field });
  }
});

test('negative ce and absurd altitude cost only themselves, with a note; hae 9999999 and ce 0 are unknown', () => {
  const negative = parseCot(event('<point lat="31.75" lon="-106.48" ce="-3" hae="500000"/>'), options);
  assert.equal(negative.fix.lat, 31.75);
  assert.equal(negative.fix.accuracyM, undefined);
  assert.equal(negative.fix.altM, undefined);
  assert.equal(negative.fix.notes?.length, 2);
  assert.match(negative.fix.notes![0], /^point\.ce /);
  assert.match(negative.fix.notes![1], /^point\.hae /);
  const cot = parseCot(event('<point lat="31.75" lon="-106.48" hae="9999999.0" ce="0"/>'), options);
  assert.equal(cot.fix.altM, undefined);
  assert.equal(cot.fix.accuracyM, undefined);
});

test('track speed -1 and course -1 mean unknown; a signed course is normalised; 400 and 99999 m/s are left off', () => {
  const cot = parseCot(event(point, '', '<track speed="-1" course="-1"/>'), options);
  assert.equal(cot.fix.speedMps, undefined);
  assert.equal(cot.fix.courseDeg, undefined);
  assert.equal(cot.fix.notes, undefined);
  const drone = parseCot(event(point, '', '<track speed="2" course="-108.90"/>'), options);
  assert.ok(Math.abs(drone.fix.courseDeg! - 251.1) < 1e-9);
  const odd = parseCot(event(point, '', '<track speed="99999" course="400"/>'), options);
  assert.equal(odd.fix.courseDeg, undefined);
  assert.equal(odd.fix.speedMps, undefined);
  assert.deepEqual(odd.fix.notes?.map((n) => n.split(' ')[0]), ['detail.track.speed', 'detail.track.course']);
  assert.equal(odd.fix.lat, 31.75);
});

test('start stands in when time is missing or unreadable', () => {
  const noTime = event(point).replace('time="2024-05-14T17:32:08Z" ', '');
  assert.equal(parseCot(noTime, options).fix.time, Date.parse('2024-05-14T17:32:08Z'));
  const badTime = event(point).replace('time="2024-05-14T17:32:08Z"', 'time="yesterday"');
  assert.equal(parseCot(badTime, options).fix.time, Date.parse('2024-05-14T17:32:08Z'));
  const neither = badTime.replace('start="2024-05-14T17:32:08Z"', '');
  fails(neither, 'invalid-field', { field: 'time' });
  fails(noTime.replace('start="2024-05-14T17:32:08Z"', ''), 'missing-field', { field: 'time' });
});

test('a time far in the future or past is refused as implausible', () => {
  const future = event(point).replace(/2024-05-14T17:32:08Z/g, '2024-05-15T17:32:08Z');
  assert.match(fails(future, 'implausible-time', { field: 'time' }).message, /ahead/);
  const past = event(point).replace(/2024-05-14T17:32:08Z/g, '1999-08-22T00:00:00Z');
  fails(past, 'implausible-time', { field: 'time' });
  fails(event(point).replace(/2024-05-14T17:32:08Z/g, '2024-02-30T17:32:08Z'), 'invalid-field', { field: 'start' }, { time: { now: 0, maxAgeMs: Infinity, maxFutureMs: Infinity } });
});

test('a time with a zone offset is converted to UTC', () => {
  const offset = event(point).replace('time="2024-05-14T17:32:08Z"', 'time="2024-05-14T11:32:08.5-06:00"');
  assert.equal(parseCot(offset, options).fix.time, Date.parse('2024-05-14T17:32:08.500Z'));
});

test('a uid with control characters or over 128 characters is refused', () => {
  fails(event(point).replace('uid="U-1"', 'uid="a&#9;b"'), 'invalid-field', { field: 'uid' });
  fails(event(point).replace('uid="U-1"', `uid="${'u'.repeat(129)}"`), 'invalid-field', { field: 'uid' });
});

test('an attribute called point does not pass for a <point> element', () => {
  fails(`<event uid="U-1" type="a-f-G" time="2024-05-14T17:32:08Z" point="31,-106"></event>`, 'missing-field', { field: 'point' });
});
