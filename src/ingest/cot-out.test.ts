import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { alertToCot, alertToTakFrame, type AlertMarkerInput } from './cot-out.js';
import { parseTakPayload } from './tak-proto.js';
import { parseCot } from './cot.js';

const time = Date.parse('2024-05-14T17:32:08.412Z');
const crossing: AlertMarkerInput = {
  id: 42,
  kind: 'crossing',
  unit: 'ANDROID-6a1d2b3c4d5e6f70',
  time,
  lat: 31.7537426,
  lon: -106.4869513,
  accuracyM: 4.9,
  remarksEn: 'COYOTE-3 crossed from US into MX, 12 m past the boundary',
  remarksEs: 'COYOTE-3 cruzó de US a MX, 12 m más allá del límite',
};
const readBack = (xml: string) => parseCot(xml, { time: { now: time } });

test('an alert read back as CoT gives its uid, position, accuracy, time and remarks', () => {
  const cot = readBack(alertToCot(crossing));
  assert.equal(cot.fix.unit, 'lindero-alert-42');
  assert.equal(cot.fix.lat, crossing.lat);
  assert.equal(cot.fix.lon, crossing.lon);
  assert.equal(cot.fix.accuracyM, 4.9);
  assert.equal(cot.fix.altM, undefined);
  assert.equal(cot.fix.time, time);
  assert.equal(cot.stale, time + 30 * 60_000);
  assert.equal(cot.type, 'b-m-p-s-m');
  assert.equal(cot.how, 'm-g');
  assert.equal(cot.callsign, 'CROSSING ANDROID-6a1d2b3c4d5e6f70');
  assert.equal(cot.remarks, `${crossing.remarksEn} / ${crossing.remarksEs}`);
});

test('a crossing is a red spot marker with the icon ATAK uses for red spots', () => {
  const xml = alertToCot(crossing);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\n<event /);
  assert.match(xml, /<color argb="-65536"\/>/);
  assert.match(xml, /<usericon iconsetpath="COT_MAPPING_SPOTMAP\/b-m-p-s-m\/-65536"\/>/);
  assert.match(alertToCot({ ...crossing, kind: 'approach' }), /argb="-256"/);
  assert.match(alertToCot({ ...crossing, kind: 'something-new' }), /callsign="SOMETHING-NEW /);
});

test('hostile text in unit and remarks is escaped and cannot add elements', () => {
  const hostile = {
    ...crossing,
    id: '7"><event uid="x',
    unit: 'u"/><detail><remarks>pwn</remarks>',
    remarksEn: '</remarks></detail></event><event uid="evil"> & <!DOCTYPE x [<!ENTITY a "b">]>',
    remarksEs: "l'année ]]> \u0000\u0007 fin",
  };
  const xml = alertToCot(hostile);
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, /<!DOCTYPE/);
  const cot = readBack(xml);
  assert.equal(cot.fix.unit, 'lindero-alert-7"><event uid="x');
  assert.equal(cot.callsign, 'CROSSING u"/><detail><remarks>pwn</remarks>');
  assert.equal(cot.remarks, `${hostile.remarksEn} / l'année ]]> \uFFFD\uFFFD fin`);
});

test('a line break in a callsign becomes a space; in remarks it is kept', () => {
  const cot = readBack(alertToCot({ ...crossing, unit: 'a\nb', remarksEn: 'line 1\nline 2' }));
  assert.equal(cot.callsign, 'CROSSING a b');
  assert.match(cot.remarks ?? '', /line 1\nline 2/);
});

test('unknown accuracy is written as CoT unknown (9999999) and reads back as unknown', () => {
  const { accuracyM: _, ...withoutAccuracy } = crossing;
  const xml = alertToCot(withoutAccuracy);
  assert.match(xml, /ce="9999999"/);
  assert.equal(readBack(xml).fix.accuracyM, undefined);
});

test('a custom stale time is honoured', () => {
  assert.equal(readBack(alertToCot({ ...crossing, staleMs: 5 * 60_000 })).stale, time + 5 * 60_000);
});

test('an alert without a usable position or time is refused, not written as 0,0', () => {
  assert.throws(() => alertToCot({ ...crossing, lat: Number.NaN }), { code: 'invalid-field' });
  assert.throws(() => alertToCot({ ...crossing, lat: 0, lon: 0 }), { code: 'no-position' });
  assert.throws(() => alertToCot({ ...crossing, lon: 200 }), { code: 'invalid-field' });
  assert.throws(() => alertToCot({ ...crossing, time: Number.POSITIVE_INFINITY }), { code: 'invalid-field' });
  assert.throws(() => alertToCot({ ...crossing, staleMs: -1 }), { code: 'invalid-field' });
  assert.throws(() => alertToCot({ ...crossing, accuracyM: -2 }), { code: 'invalid-field' });
});

test('a marker shows the unit\'s callsign, and says it is lindero\'s twice: uid prefix and <__lindero>, so it is never a unit', () => {
  const xml = alertToCot({ ...crossing, name: 'NOVA' });
  assert.match(xml, /callsign="CROSSING NOVA"/);
  assert.match(xml, /<__lindero kind="alert" unit="ANDROID-6a1d2b3c4d5e6f70"/);
  assert.equal(readBack(xml).role, 'marker');
  assert.equal(readBack(xml).notUnitBecause, "lindero's own marker");
  // Renamed by a relay and retyped as an atom, the <__lindero> detail still gives it away.
  const disguised = xml.replace('lindero-alert-42', 'relayed-42').replace('b-m-p-s-m', 'a-f-G-U-C');
  assert.equal(readBack(disguised).role, 'marker');
});

test('the TAK protocol version 1 frame of a marker reads back as the XML marker does', () => {
  const frame = alertToTakFrame({ ...crossing, name: 'NOVA' });
  assert.equal(frame[0], 0xbf);
  let length = 0, k = 1;
  for (let shift = 0; ; k++, shift += 7) {
    length += (frame[k] & 0x7f) * 2 ** shift;
    if (!(frame[k] & 0x80)) break;
  }
  const fromFrame = parseTakPayload(frame.subarray(k + 1), { time: { now: time } });
  assert.equal(length, frame.length - k - 1);
  const fromXml = readBack(alertToCot({ ...crossing, name: 'NOVA' }));
  assert.deepEqual({ ...fromFrame, fix: { ...fromFrame.fix } }, { ...fromXml, fix: { ...fromXml.fix } });
});
