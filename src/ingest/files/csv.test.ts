import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { readTrack, readTrackFromString, type TrackItem } from './index.js';
import { splitRecord } from './csv.js';
import { LinderoError } from '../../model/index.js';
import { HDOP_UERE_M } from '../nmea.js';
import type { Fix } from '../../model/index.js';
import { collect, fixesThenError, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;



test('a CSV with a unit column gives one unit per value, quoted fields included, bad lines rejected', async () => {
  const { fixes, rejected } = await collect(readTrack(fixture('patrols.csv')));
  assert.deepEqual(fixes.map((f) => f.unit), ['BP-Unit-12', 'BP-Unit-12', 'BP-Unit-12', 'BP-Unit-7', 'BP-Unit-7']);
  assert.deepEqual(fixes[0], {
    unit: 'BP-Unit-12', time: Date.UTC(2024, 2, 5, 16, 20), lat: 31.7852, lon: -106.6004, source: 'file',
    accuracyM: 4.5, altM: 1250, speedMps: 1.2, courseDeg: 180,
  });
  assert.equal(fixes[2].accuracyM, undefined, 'an empty accuracy is unknown');
  assert.deepEqual(rejected.map((r) => [r.file, r.line]), [['patrols.csv', 6], ['patrols.csv', 7]]);
  assert.match(rejected[0].reason, /field 'time': time "not-a-time" is not an ISO 8601/);
  assert.match(rejected[1].reason, /latitude 91.5 is outside -90..90/);
});

test('a quoted field may hold a newline, and the record keeps its first line number', async () => {
  const text = 'lat,lon,time,note\n31.5,-106.2,2024-01-01T00:00:00Z,"two\nlines"\n31.6,-106.3,bad,x\n';
  const { fixes, rejected } = await collect(readTrackFromString(text, 'n.csv'));
  assert.equal(fixes.length, 1);
  assert.equal(rejected[0].line, 4);
});

test('a semicolon-separated export with CRLF, device, fix_time and hdop columns is read', async () => {
  const { fixes } = await collect(readTrack(fixture('semicolon-export.csv')));
  assert.deepEqual(fixes.map((f) => [f.unit, f.accuracyM, f.altM]), [['mule-1', 1.1 * HDOP_UERE_M, 38], ['mule-1', 1.3 * HDOP_UERE_M, 38], ['mule-1', undefined, 37]]);
  assert.equal(fixes[0].time, Date.UTC(2024, 6, 1, 3));
});

test('a TSV with epoch seconds and milliseconds and no unit column is named after the file', async () => {
  const { fixes } = await collect(readTrack(fixture('buoy.tsv')));
  assert.deepEqual(fixes.map((f) => [f.unit, f.time, f.courseDeg]), [
    ['buoy', 1709655600000, 180], ['buoy', 1709655610000, 178], ['buoy', 1709655620500, 181],
  ]);
});

test('a decimal comma is refused naming line and field, after the lines before it were given', async () => {
  const { fixes, error } = await fixesThenError(readTrack(fixture('decimal-comma.csv')));
  assert.equal(fixes.length, 1);
  assert.equal(error.code, 'csv-decimal-comma');
  assert.deepEqual(error.place, { file: 'decimal-comma.csv', line: 3, field: 'Lat' });
  assert.match(error.message, /"31,78495", a decimal comma/);
});

test('a 5,000-character line is rejected and the lines after it are read', async () => {
  const text = `lat,lon,time\n31.5,-106.2,2024-01-01T00:00:00Z\n31.5,-106.2,${'9'.repeat(5000)}\n31.6,-106.3,2024-01-01T00:00:10Z\n`;
  const { fixes, rejected } = await collect(readTrackFromString(text, 'long.csv'));
  assert.equal(fixes.length, 2);
  assert.deepEqual(rejected.map((r) => r.line), [3]);
  assert.match(rejected[0].reason, /line is 5012 characters long; the limit is 4096/);
});

test('wrong column types, missing fields and missing times are rejected line by line', async () => {
  const text = [
    'latitude;longitude;timestamp;speed',
    'north;-106.2;2024-01-01T00:00:00Z;1',
    '31.5;-106.2;2024-01-01T00:00:00Z;fast',
    '31.5;-106.2',
    '31.5;-106.2;;1',
    '31.5;0x1F;2024-01-01T00:00:00Z;1',
    '31.5;-106.2;2024-01-01T00:00:00;1',
    '31.5;-106.2;2024-01-01T00:00:00Z;1',
  ].join('\n');
  const { fixes, rejected } = await collect(readTrackFromString(text, 'types.csv'));
  assert.equal(fixes.length, 1);
  assert.deepEqual(rejected.map((r) => r.line), [2, 3, 4, 5, 6, 7]);
  const reasons = rejected.map((r) => r.reason);
  assert.match(reasons[0], /field 'latitude' is "north", not a number/);
  assert.match(reasons[1], /field 'speed' is "fast", not a number/);
  assert.match(reasons[2], /has 2 fields but the header has 4/);
  assert.match(reasons[3], /field 'timestamp': time is empty/);
  assert.match(reasons[4], /field 'longitude' is "0x1F", not a number/);
  assert.match(reasons[5], /no UTC offset/);
});

test('a header without a time column is refused, naming what it has', async () => {
  const { error } = await fixesThenError(readTrackFromString('lat,lon,name\n31.5,-106.2,x\n', 'notime.csv'));
  assert.equal(error.code, 'csv-header');
  assert.equal(error.place.line, 1);
  assert.match(error.message, /no time column \(time, timestamp, datetime or fix_time\); its columns are: lat, lon, name/);
});

test('header names are matched without regard to case or surrounding quotes', async () => {
  const { fixes } = await collect(readTrackFromString('"LAT","Lng","DateTime","Device"\n31.5,-106.2,2024-01-01T00:00:00Z,"truck 9"\n', 'q.csv'));
  assert.deepEqual(fixes.map((f) => f.unit), ['truck 9']);
});

test('RFC 4180 quoting round-trips any field', () => {
  const quote = (f: string) => (/[",;\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';', '\t'), (fields, delimiter) => {
    const safe = fields.map((f) => f.replace(/\t/g, ' '));
    assert.deepEqual(splitRecord(safe.map(quote).join(delimiter), delimiter), safe);
  }), { seed: 4180, numRuns: 300 });
});
