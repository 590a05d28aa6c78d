import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readTrack, readTrackFromString, type TrackItem } from './index.js';
import type { Fix } from '../../model/index.js';
import { collect, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;


test('a u-blox log across midnight gives one fix per second, dated from RMC, the GGA-only second included', async () => {
  const { fixes } = await collect(readTrack(fixture('ublox-midnight.nmea')));
  assert.deepEqual(fixes.map((f) => new Date(f.time).toISOString()), [
    '2024-02-29T23:59:56.000Z', '2024-02-29T23:59:57.000Z', '2024-02-29T23:59:58.000Z', '2024-02-29T23:59:59.000Z',
    '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:01.000Z', '2024-03-01T00:00:02.000Z',
  ]);
  assert.ok(fixes.every((f) => f.unit === 'ublox-midnight' && f.source === 'file'));
  assert.equal(fixes[4].speedMps, undefined, 'no RMC in that second, so no speed');
});

test('in a log, GST gives the accuracy when present, else the GSA HDOP', async () => {
  const { fixes } = await collect(readTrack(fixture('ublox-midnight.nmea')));
  assert.ok(Math.abs(fixes[0].accuracyM! - 0.82 * 7.5) < 1e-9, 'GSA HDOP 0.82 × UERE');
  assert.ok(Math.abs(fixes[3].accuracyM! - Math.hypot(1.4, 1.3)) < 1e-9, 'GST sigmas 1.4 and 1.3 m');
});

test('the no-fix start, a bad checksum and serial noise are rejected with their lines', async () => {
  const { rejected } = await collect(readTrack(fixture('ublox-midnight.nmea')));
  assert.deepEqual(rejected.map((r) => r.line), [2, 26, 27]);
  assert.match(rejected[0].reason, /RMC status V/);
  assert.match(rejected[1].reason, /checksum \*00 does not match/);
  assert.match(rejected[2].reason, /not an NMEA sentence/);
});

test('an oversize line in a log is rejected and reading goes on', async () => {
  const rmc = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
  const { fixes, rejected } = await collect(readTrackFromString(`${rmc}\n$GPTXT,${'x'.repeat(5000)}*00\n${rmc.replace('123519', '123520').replace('*6A', '*60')}\n`, 'log.nmea', { unit: 'boat' }));
  assert.equal(fixes.length, 2);
  assert.equal(fixes[0].unit, 'boat');
  assert.match(rejected[0].reason, /line is 5010 characters long/);
  assert.equal(rejected[0].line, 2);
});
