import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinderoError } from '../model/index.js';
import { MAX_JSON_BATCH, parseJsonFixes } from './json.js';

const now = Date.parse('2024-05-14T17:36:00Z');
const options = { time: { now } };
const good = { unit: 'COYOTE-3', time: '2024-05-14T17:32:08.412Z', lat: 31.7537426, lon: -106.4869513 };

/** The one rejection of a single-item batch. */
function reasonFor(item: unknown): string {
  const result = parseJsonFixes([item], options);
  assert.equal(result.fixes.length, 0, `expected ${JSON.stringify(item)} to be rejected`);
  assert.equal(result.rejected.length, 1);
  assert.equal(result.rejected[0].index, 0);
  return result.rejected[0].reason;
}

test('a fix with every field gives a Fix with units in the names', () => {
  const { fixes, rejected } = parseJsonFixes([{ ...good, accuracy_m: 4.9, alt_m: 1122.4, speed_mps: 1.34, course_deg: 252.7 }], options);
  assert.deepEqual(rejected, []);
  assert.deepEqual(fixes, [
    { unit: 'COYOTE-3', time: Date.parse('2024-05-14T17:32:08.412Z'), lat: 31.7537426, lon: -106.4869513, accuracyM: 4.9, altM: 1122.4, speedMps: 1.34, courseDeg: 252.7, source: 'json' },
  ]);
});

test('time as epoch milliseconds equals the same time in ISO 8601', () => {
  const { fixes } = parseJsonFixes([good, { ...good, time: Date.parse(good.time) }], options);
  assert.equal(fixes[0].time, fixes[1].time);
});

test('null optional fields mean unknown', () => {
  const [fix] = parseJsonFixes([{ ...good, accuracy_m: null, alt_m: null, speed_mps: null, course_deg: null }], options).fixes;
  assert.equal(fix.accuracyM, undefined);
  assert.equal(fix.speedMps, undefined);
});

test('bad items are rejected with their index and field while good ones are kept', () => {
  const body = [good, { ...good, lat: 91 }, { ...good, unit: 'B' }, { ...good, lon: 'west' }, null];
  const { fixes, rejected } = parseJsonFixes(body, options);
  assert.deepEqual(fixes.map((f) => f.unit), ['COYOTE-3', 'B']);
  assert.deepEqual(rejected.map((r) => r.index), [1, 3, 4]);
  assert.match(rejected[0].reason, /^lat must be between -90 and 90/);
  assert.match(rejected[1].reason, /^lon must be a number/);
  assert.match(rejected[2].reason, /object/);
});

test('missing unit, time, lat or lon are named', () => {
  for (const field of ['unit', 'time', 'lat', 'lon']) {
    const item: Record<string, unknown> = { ...good };
    delete item[field];
    assert.match(reasonFor(item), new RegExp(`^${field} is required`));
  }
});

test('a misspelt field is refused rather than silently leaving accuracy unknown', () => {
  assert.match(reasonFor({ ...good, accuracy: 5 }), /^accuracy is not a fix field \(fields: unit, time, lat, lon, accuracy_m/);
  assert.match(reasonFor(JSON.parse(`{"unit":"a","time":"${good.time}","lat":31,"lon":-106,"__proto__":{"x":1}}`)), /^__proto__ is not a fix field/);
});

test('unit ids: over 128 characters, control characters, blanks and non-strings are refused', () => {
  assert.match(reasonFor({ ...good, unit: 'u'.repeat(129) }), /^unit must be at most 128 characters/);
  assert.equal(parseJsonFixes([{ ...good, unit: 'u'.repeat(128) }], options).fixes.length, 1);
  assert.match(reasonFor({ ...good, unit: 'a\u0000b' }), /control characters/);
  assert.match(reasonFor({ ...good, unit: 'a\u0085b' }), /control characters/);
  assert.match(reasonFor({ ...good, unit: '   ' }), /blank/);
  assert.match(reasonFor({ ...good, unit: 42 }), /must be a string/);
});

test('NaN-like and string numbers and huge values are refused for the position; optional fields out of range cost only themselves', () => {
  assert.match(reasonFor({ ...good, lat: '31.75' }), /^lat must be a number/);
  assert.match(reasonFor({ ...good, lat: 'NaN' }), /^lat must be a number/);
  assert.match(reasonFor({ ...good, lon: 'Infinity' }), /^lon must be a number/);
  assert.match(reasonFor(JSON.parse(`{"unit":"a","time":"${good.time}","lat":1e999,"lon":-106}`)), /^lat must be a number/);
  assert.match(reasonFor({ ...good, lat: 0, lon: 0 }), /0,0/);
  const odd = parseJsonFixes([{ ...good, accuracy_m: 1e300, speed_mps: -3, course_deg: 361, alt_m: 1e6 }], options);
  assert.deepEqual(odd.rejected, []);
  const [fix] = odd.fixes;
  assert.equal(fix.lat, good.lat);
  assert.deepEqual([fix.accuracyM, fix.speedMps, fix.courseDeg, fix.altM], [undefined, undefined, undefined, undefined]);
  assert.deepEqual(fix.notes?.map((n) => n.split(' ')[0]), ['accuracy_m', 'alt_m', 'speed_mps', 'course_deg']);
  const text = parseJsonFixes([{ ...good, accuracy_m: '5' }], options).fixes[0];
  assert.equal(text.accuracyM, undefined);
  assert.match(text.notes![0], /^accuracy_m is not a number/);
  assert.equal(parseJsonFixes([{ ...good, course_deg: 360 }], options).fixes[0].courseDeg, 0);
  assert.equal(parseJsonFixes([{ ...good, course_deg: -90 }], options).fixes[0].courseDeg, 270);
});

test('times: a zone is required, implausible ones are refused, and seconds-for-milliseconds is pointed out', () => {
  assert.match(reasonFor({ ...good, time: '2024-05-14T17:32:08' }), /time zone/);
  assert.match(reasonFor({ ...good, time: '2024-05-14' }), /time zone/);
  assert.match(reasonFor({ ...good, time: '2024-13-14T17:32:08Z' }), /not a real date-time/);
  assert.match(reasonFor({ ...good, time: '2025-05-14T17:32:08Z' }), /ahead of the receiver's clock/);
  assert.match(reasonFor({ ...good, time: '1970-01-01T00:00:00Z' }), /old/);
  assert.match(reasonFor({ ...good, time: Math.round(now / 1000) }), /looks like epoch seconds/);
  assert.match(reasonFor({ ...good, time: 1e300 }), /ahead/);
  assert.match(reasonFor({ ...good, time: true }), /^time must be a number/);
});

test('a body that is not an array is refused as a whole', () => {
  for (const body of [good, 'x', null, undefined, 7]) {
    assert.throws(() => parseJsonFixes(body, options), (e: unknown) => e instanceof LinderoError && e.code === 'json-not-array');
  }
});

test('a batch longer than the limit is refused with the limit in the message', () => {
  assert.equal(MAX_JSON_BATCH, 10_000);
  const big = new Array(MAX_JSON_BATCH + 1).fill(good);
  assert.throws(() => parseJsonFixes(big, options), (e: unknown) => e instanceof LinderoError && e.code === 'json-batch-too-large' && /10000/.test(e.message));
  assert.equal(parseJsonFixes(big.slice(1), options).fixes.length, MAX_JSON_BATCH);
  assert.deepEqual(parseJsonFixes([], options), { fixes: [], rejected: [], emergencies: [] });
});

test('an emergency declared or cancelled is kept with the fix; unnamed it is "Emergency"; a malformed one refuses the fix, naming the field', () => {
  const { fixes, rejected } = parseJsonFixes([
    { ...good, emergency: { state: 'declared', what: 'SOS' } }, { ...good, emergency: { state: 'cancelled' } }, { ...good, emergency: null },
  ], options);
  assert.deepEqual(rejected, []);
  assert.deepEqual(fixes.map((f) => f.emergency), [{ state: 'declared', what: 'SOS' }, { state: 'cancelled', what: 'Emergency' }, undefined]);
  assert.match(reasonFor({ ...good, emergency: true }), /^emergency must be \{"state"/);
  assert.match(reasonFor({ ...good, emergency: { state: 'on' } }), /^emergency\.state must be "declared" or "cancelled", got string "on"/);
  assert.match(reasonFor({ ...good, emergency: { state: 'declared', what: ' ' } }), /^emergency\.what must be a name/);
  assert.match(reasonFor({ ...good, emergency: { state: 'declared', who: 'x' } }), /^emergency\.who is not an emergency field/);
});

test('an emergency with neither lat nor lon is an emergency without a position; with only one of them the fix is refused', () => {
  const { fixes, rejected, emergencies } = parseJsonFixes([
    good, { unit: 'COYOTE-3', time: good.time, emergency: { state: 'declared', what: 'SOS' } }, { unit: 'COYOTE-3', time: good.time, lat: 31.75, emergency: { state: 'declared' } },
    { unit: 'COYOTE-3', time: good.time, emergency: { state: 'declared' }, accuracy_m: 5 },
  ], options);
  assert.equal(fixes.length, 1);
  assert.deepEqual(emergencies, [{ index: 1, emergency: { unit: 'COYOTE-3', time: Date.parse(good.time), source: 'json', emergency: { state: 'declared', what: 'SOS' }, reason: 'lat and lon were not given' } }]);
  assert.deepEqual(rejected.map((r) => r.index), [2, 3]);
  assert.match(rejected[0].reason, /^lon /);
  assert.match(rejected[1].reason, /^accuracy_m is not a field of an emergency without a position/);
});
