import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readTrack, readTrackFromString, type TrackItem } from './index.js';
import { LinderoError } from '../../model/index.js';
import { HDOP_UERE_M } from '../nmea.js';
import type { Fix } from '../../model/index.js';
import { collect, errorOf, trackFixture } from '../../../test/helpers/track-items.js';

const fixture = trackFixture;



const line = (coords: unknown[][], times: unknown[], props: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'Feature', properties: { coordTimes: times, ...props }, geometry: { type: 'LineString', coordinates: coords } });

test('togeojson LineStrings (coordTimes), MultiLineStrings (times per line) and timed Points all give fixes', async () => {
  const { fixes, rejected } = await collect(readTrack(fixture('border-tracks.geojson')));
  const units = [...new Set(fixes.map((f) => f.unit))];
  assert.deepEqual(units, ['Tornillo crossing survey', 'K9-2', 'collar-881']);
  assert.deepEqual(fixes[0], { unit: 'Tornillo crossing survey', time: Date.UTC(2024, 0, 18, 17), lat: 31.4371, lon: -106.1025, altM: 1095, source: 'file' });
  assert.deepEqual(fixes.filter((f) => f.unit === 'K9-2').map((f) => new Date(f.time).toISOString().slice(11, 19)), ['18:00:00', '18:00:10', '18:05:00', '18:05:10']);
  const collar = fixes.filter((f) => f.unit === 'collar-881');
  assert.equal(collar[0].time, 1705600800000, 'epoch milliseconds');
  assert.equal(collar[0].accuracyM, 12.5);
  assert.equal(collar[1].accuracyM, 2 * HDOP_UERE_M);
  assert.deepEqual(rejected.map((r) => r.feature), [4, 5]);
  assert.match(rejected[0].reason, /feature 4: Point without a "time"/);
  assert.match(rejected[1].reason, /a Polygon is not a track/);
});

test('a LineString whose coordTimes do not match its positions, or has none, is rejected', async () => {
  const fc = `{"type":"FeatureCollection","features":[${[
    line([[-106, 31], [-106.1, 31.1]], ['2024-01-01T00:00:00Z']),
    JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[-106, 31]] } }),
    line([[-106, 31], [-106.1, 95], ['x', 31]], ['2024-01-01T00:00:00Z', '2024-01-01T00:00:10Z', '2024-01-01T00:00:20Z']),
  ].join(',')}]}`;
  const { fixes, rejected } = await collect(readTrackFromString(fc, 'bad.geojson'));
  assert.equal(fixes.length, 1);
  const reasons = rejected.map((r) => r.reason);
  assert.match(reasons[0], /feature 0: line 0 has 2 positions but 1 coordTimes/);
  assert.match(reasons[1], /feature 1: line 0 has no coordTimes/);
  assert.match(reasons[2], /feature 2: line 0, vertex 1: latitude 95 is outside/);
  assert.match(reasons[3], /vertex 2: position \["x",31\] is not \[lon, lat, alt\?\]/);
});

test('a single Feature or a bare geometry is read too, and the file name is the unit', async () => {
  const feature = line([[-106, 31]], [1704067200]);
  const { fixes } = await collect(readTrackFromString(feature, 'walk-17.geojson'));
  assert.deepEqual(fixes.map((f) => [f.unit, f.time]), [['walk-17', 1704067200000]]);
});

test('malformed JSON is an error naming the line', async () => {
  const error = await errorOf(readTrackFromString('{\n  "type": "FeatureCollection",\n  "features": [\n    {,}\n  ]\n}', 'broken.geojson'));
  assert.equal(error.code, 'geojson-syntax');
  assert.equal(error.place.file, 'broken.geojson');
  assert.equal(error.place.line, 4);
});

test('binary garbage inside a GeoJSON file is refused as not text', async () => {
  const { readTrackFromBytes } = await import('./index.js');
  const bytes = Buffer.concat([Buffer.from('{"type":"FeatureCollection","features":["'), Buffer.from([0xfe, 0xff, 0x00, 0x9f, 0x92]), Buffer.from('"]}')]);
  const error = await errorOf(readTrackFromBytes(bytes, 'garbage.geojson'));
  assert.equal(error.code, 'unknown-format', 'NUL bytes in the first bytes: binary, not text');
  const late = Buffer.concat([Buffer.from(`{"type":"FeatureCollection","features":[],"pad":"${' '.repeat(5000)}`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  assert.equal((await errorOf(readTrackFromBytes(late, 'late.geojson'))).code, 'bad-encoding');
});

test('JSON that is not GeoJSON is refused with the reason', async () => {
  assert.equal((await errorOf(readTrackFromString('{"type":"Topology","objects":{}}', 't.geojson'))).code, 'geojson-type');
  assert.equal((await errorOf(readTrackFromString('{"type":"FeatureCollection","features":7}', 't.geojson'))).place.field, 'features');
});

test('a GeoJSON larger than the cap is refused before it is parsed', async () => {
  const big = `{"type":"FeatureCollection","features":[${Array(2000).fill(line([[-106, 31]], ['2024-01-01T00:00:00Z'])).join(',')}]}`;
  const error = await errorOf(readTrackFromString(big, 'big.geojson', { limits: { maxGeoJsonBytes: 100_000 } }));
  assert.equal(error.code, 'file-too-large');
  assert.match(error.message, /at most 100000 bytes/);
});

test('deeply nested JSON is rejected as a feature that is not one, not a crash', async () => {
  const deep = `{"type":"FeatureCollection","features":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  const { fixes, rejected } = await collect(readTrackFromString(deep, 'deep.geojson'));
  assert.equal(fixes.length, 0);
  assert.deepEqual(rejected.map((r) => r.reason), ['feature 0: not a Feature with a geometry']);
});
