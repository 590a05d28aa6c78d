// TAK clients' emergency alerts (ATAK's and WinTAK's 911 alert, b-a-o-*): real captures
// (test/fixtures/cot/captures/SOURCES), then the rules one by one. An alert is a report of the device that
// raised it, under that device's unit id, declaring (or cancelling) an emergency.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCot, positionlessEmergencyOf, type CotOptions } from '../../src/ingest/index.js';
import { parseCotByParser } from '../../src/ingest/cot.js';

const capture = (name: string) => readFileSync(new URL(`../fixtures/cot/captures/${name}`, import.meta.url), 'utf8');
const anyAge: CotOptions = { time: { maxAgeMs: 100 * 366 * 86_400_000 } };

test("WinTAK's 911 alert is an emergency of the WinTAK its p-p link names, named by the <emergency> text, with no accuracy claimed", () => {
  const cot = parseCot(capture('fts-wintak-911-alert.xml'), anyAge);
  assert.equal(cot.role, 'unit');
  assert.deepEqual(cot.fix, {
    unit: 'S-1-5-21-2720623347-3037847324-4167270909-1002', time: Date.parse('2022-08-13T01:30:40.830Z'),
    lat: 27.0196007365431, lon: -41.1839609383656, source: 'cot', name: 'DATA', emergency: { state: 'declared', what: 'Alert' },
  });
  // The strict scanner and the full parser read it alike.
  assert.deepEqual(parseCotByParser(capture('fts-wintak-911-alert.xml'), anyAge), cot);
});

test("an ATAK 911 alert without an <emergency> element is named by its type; its contact callsign does not name the unit", () => {
  const cot = parseCot(capture('fts-atak-911-alert.xml'), anyAge);
  assert.equal(cot.role, 'unit');
  assert.equal(cot.fix.unit, 'ANDROID-589520ccfcd20f01');
  assert.deepEqual(cot.fix.emergency, { state: 'declared', what: '911 Alert' });
  assert.equal(cot.fix.name, undefined);
  assert.equal(cot.fix.accuracyM, undefined);
  assert.deepEqual(parseCotByParser(capture('fts-atak-911-alert.xml'), anyAge), cot);
});

const event = (type: string, uid: string, detail: string, point = '<point lat="31.70" lon="-106.40" hae="1200" ce="8" le="9"/>') =>
  `<event version="2.0" uid="${uid}" type="${type}" time="2026-12-07T10:00:00Z" start="2026-12-07T10:00:00Z" stale="2026-12-07T10:00:10Z" how="h-e">${point}<detail>${detail}</detail></event>`;

test('each kind of alert declares an emergency; a cancel with a position cancels it; the unit is the link, else the uid without -9-1-1', () => {
  const kinds: [string, string][] = [['b-a-o-tbl', '911 Alert'], ['b-a-o-pan', 'Ring The Bell'], ['b-a-o-opn', 'In Contact'], ['b-a-o-c', 'Custom'], ['b-a-o', 'b-a-o']];
  for (const [type, what] of kinds) {
    const cot = parseCot(event(type, 'ANDROID-1-9-1-1', '<contact callsign="VIPER-1-Alert"/>'), anyAge);
    assert.deepEqual([cot.role, cot.fix.unit, cot.fix.emergency], ['unit', 'ANDROID-1', { state: 'declared', what }], type);
  }
  const named = parseCot(event('b-a-o', 'f1c0ffee', '<link uid="WEAROS_1" type="a-f-G-U-C" relation="p-p"/><emergency type="Manual Alert: Gunshot">VIPER-2</emergency>'), anyAge);
  assert.deepEqual([named.fix.unit, named.fix.name, named.fix.emergency], ['WEAROS_1', 'VIPER-2', { state: 'declared', what: 'Manual Alert: Gunshot' }]);
  const cancel = parseCot(event('b-a-o-can', 'ANDROID-1-9-1-1', '<emergency cancel="true">VIPER-1</emergency>'), anyAge);
  assert.deepEqual([cancel.role, cancel.fix.unit, cancel.fix.name, cancel.fix.emergency], ['unit', 'ANDROID-1', 'VIPER-1', { state: 'cancelled', what: 'Cancel' }]);
  // cancel="true" on an alert's <emergency> cancels too.
  assert.equal(parseCot(event('b-a-o-tbl', 'ANDROID-1-9-1-1', '<emergency cancel="true" type="911 Alert">VIPER-1</emergency>'), anyAge).fix.emergency?.state, 'cancelled');
});

test('an alert that names no device stays a marker; a geo-fence breach is no emergency; one sent at 0,0 is an emergency without a position', () => {
  const orphan = parseCot(event('b-a-o-tbl', 'f1c0ffee', '<emergency type="911 Alert">VIPER-1</emergency>'), anyAge);
  assert.equal(orphan.role, 'marker');
  assert.equal(orphan.fix.emergency, undefined);
  const fence = parseCot(event('b-a-g', 'ANDROID-1-9-1-1', '<link uid="ANDROID-1" relation="p-p"/>'), anyAge);
  assert.equal(fence.role, 'marker');
  // ATAK sends its cancel at 0,0 with no accuracy: the unit's emergency, but no place, so no fix.
  const zero = '<point lat="0.0" lon="0.0" hae="9999999.0" ce="9999999.0" le="9999999.0"/>';
  const cancel = parseCot(event('b-a-o-can', 'ANDROID-1-9-1-1', '<emergency cancel="true">VIPER-1</emergency>', zero), anyAge);
  assert.equal(cancel.role, 'positionless-emergency');
  assert.deepEqual(positionlessEmergencyOf(cancel), {
    unit: 'ANDROID-1', name: 'VIPER-1', time: Date.parse('2026-12-07T10:00:00Z'), source: 'cot', emergency: { state: 'cancelled', what: 'Cancel' },
    reason: "point 0,0 is a TAK client's placeholder when it has no position",
  });
  // So is an alert sent from ATAK's no-fix placeholder near 0,0; an ordinary report there is still refused.
  const nearZero = '<point lat="-0.0043" lon="-0.0077" hae="9999999.0" ce="9999999.0" le="9999999.0"/>';
  assert.equal(parseCot(event('b-a-o-tbl', 'ANDROID-1-9-1-1', '<emergency type="911 Alert">VIPER-1</emergency>', nearZero), anyAge).role, 'positionless-emergency');
  assert.throws(() => parseCot(event('a-f-G-U-C', 'ANDROID-1', '', nearZero), anyAge), { code: 'no-position' });
  assert.throws(() => parseCot(event('a-f-G-U-C', 'ANDROID-1', '', zero), anyAge), { code: 'no-position' });
  // An alert at 0,0 that names no device is no position either.
  assert.throws(() => parseCot(event('b-a-o-tbl', 'f1c0ffee', '', zero), anyAge), { code: 'no-position' });
  // An alert lindero itself sent, come back, is its own marker.
  assert.equal(parseCot(event('b-a-o-tbl', 'lindero-alert-1-9-1-1', '<link uid="ANDROID-1" relation="p-p"/>'), anyAge).role, 'marker');
});
