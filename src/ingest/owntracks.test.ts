// OwnTracks in HTTP mode: the bodies Traccar's decoder is tested with (test/fixtures/devices/SOURCES), then the rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LinderoError } from '../model/index.js';
import { parseOwnTracks } from './owntracks.js';

const bodies = readFileSync(new URL('../../test/fixtures/devices/traccar-owntracks-requests.txt', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
/** Read as when they were sent: the receiver's clock a minute after each. */
const read = (body: Record<string, unknown>, sender = {}) => parseOwnTracks(body, sender, { time: { now: (body.tst as number) * 1000 + 60_000 } });

test('every captured location is a fix: velocity km/h to m/s, tid the name, topic (else the X-Limit headers, else tid) the unit', () => {
  const fixes = bodies.map((b) => {
    const r = read(b);
    assert.deepEqual([r.rejected, r.notReports], [[], []], JSON.stringify(b));
    return r.fixes[0];
  });
  // Android, with accuracy: the unit falls back to its tid when the app sends no topic and no headers.
  assert.deepEqual(fixes[0], { unit: '5t', time: 1551874878000, lat: 46.0681247, lon: 11.1512805, source: 'owntracks', accuracyM: 15, altM: 440, speedMps: 0 });
  assert.ok(Math.abs(fixes[2].speedMps! - 61 / 3.6) < 1e-12, 'vel 61 km/h');
  assert.equal(fixes[2].courseDeg, 271);
  // iOS names its device in topic; its tid names it on the map.
  assert.deepEqual([fixes[4].unit, fixes[4].name, fixes[4].time], ['owntracks/ckrey/22A67880-15C3-41A6-9157-25545C7993AC', 'AC', 1736161169000]);
  assert.deepEqual([fixes[5].unit, fixes[5].name, fixes[5].accuracyM], ['owntracks/qtripp/865284041968706', 'CS', 10]);
  // With the headers the app sends in HTTP mode, a topic-less location is owntracks/USER/DEVICE.
  assert.equal(read(bodies[1], { user: 'jane', device: 'phone' }).fixes[0].unit, 'owntracks/jane/phone');
  assert.equal(read(bodies[1], { user: 'jane', device: 'phone' }).fixes[0].name, 'JJ');
});

test("the app's other messages are no position report; an encrypted one is refused with what to do; an unusable location is listed", () => {
  const t = 1_800_000_000;
  const r = parseOwnTracks([
    { _type: 'transition', event: 'enter', desc: 'Post', lat: 31.7, lon: -106.4, tst: t, tid: 'JJ' },
    { _type: 'encrypted', data: 'aGVsbG8=' },
    { _type: 'location', lat: 0, lon: 0, tst: t, tid: 'JJ' },
    { _type: 'location', lat: 31.7, lon: -106.4, tid: 'JJ' },
    { _type: 'location', lat: 31.7, lon: -106.4, tst: t, acc: 0, vel: -1, topic: 'owntracks/a/b' },
    'x',
  ], {}, { time: { now: t * 1000 } });
  assert.deepEqual(r.notReports, [{ index: 0, reason: '[0]._type "transition" is no location: not a position report' }]);
  assert.deepEqual(r.rejected.map((x) => x.index), [1, 2, 3, 5]);
  assert.match(r.rejected[0].reason, /cannot read OwnTracks' encrypted payloads/);
  assert.match(r.rejected[1].reason, /^\[2\]\.lat,\[2\]\.lon is 0,0/);
  assert.match(r.rejected[2].reason, /^\[3\]\.tst is required/);
  assert.deepEqual(r.fixes[0].notes, ['[4].acc is 0, which senders use for "not reported"; accuracy taken as unknown', '[4].vel is -1 km/h, outside 0..3600 km/h; left off']);
  assert.throws(() => parseOwnTracks(Array.from({ length: 1001 }, () => ({}))), (e: unknown) => e instanceof LinderoError && e.code === 'owntracks-too-many');
  assert.match(parseOwnTracks({ _type: 'location', lat: 1, lon: 1, tst: t }, {}, { time: { now: t * 1000 } }).rejected[0].reason, /nothing names the device/);
});
