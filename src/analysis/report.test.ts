import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fix } from '../model/index.js';
import { analyzeTrack, type AnalysisItem } from './analyze.js';
import { trackReportJson } from './report.js';
import { trackReportGeoJson } from './report-geojson.js';
import { trackReportText } from './report-text.js';
import { fixAt, parallelLayers, T0 } from '../../test/helpers/track-support.js';

const layers = parallelLayers(false);

async function* itemsOf(fixes: Fix[]): AsyncGenerator<AnalysisItem> {
  for (const fix of fixes) yield { kind: 'fix', fix, file: 'synthetic' };
}

/**
 * A unit zig-zagging 40 m either side of the line every 10 s (so every segment crosses), with one 30-minute
 * gap, pacing back and forth over 4 km (an eastward geodesic drifts off a parallel over longer distances).
 */
function zigZag(count: number): Fix[] {
  return Array.from({ length: count }, (_, i) => fixAt('Z-1', T0 + i * 10_000 + (i >= count / 2 ? 1_800_000 : 0), i % 2 === 0 ? 40 : -40, Math.abs((i % 4000) - 2000) * 2));
}

describe('track reports', () => {
  it('the GeoJSON of a long track with a gap is one valid FeatureCollection with every position, split at the gap', async () => {
    const fixes = zigZag(20_000);
    const report = await analyzeTrack(itemsOf([...fixes, fixAt('lonely', T0, 900)]), layers, { keepTrack: true });
    const fc = JSON.parse([...trackReportGeoJson(report)].join(''));
    assert.equal(fc.type, 'FeatureCollection');
    const track = fc.features.find((f: { properties: { kind: string } }) => f.properties.kind === 'track');
    assert.equal(track.geometry.type, 'MultiLineString');
    assert.deepEqual(track.geometry.coordinates.map((part: unknown[]) => part.length), [10_000, 10_000]);
    assert.deepEqual(track.geometry.coordinates[0][1], [+fixes[1].lon.toFixed(7), +fixes[1].lat.toFixed(7)]);
    const crossings = fc.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'crossing');
    assert.equal(crossings.length, 19_998, 'every segment but the gap crosses');
    const lonely = fc.features.filter((f: { properties: { unit: string } }) => f.properties.unit === 'lonely');
    assert.deepEqual(lonely.map((f: { properties: { kind: string } }) => f.properties.kind), ['closest-approach'], 'a single fix draws no line');
  });

  it('the plain report lists the first 20 crossings and counts the rest, in English and in Spanish', async () => {
    const report = await analyzeTrack(itemsOf(zigZag(40)), layers);
    const en = trackReportText(report, 'en');
    assert.match(en, /^Z-1 — 40 fixes, from 2024-06-01 08:00:00 UTC to /m);
    assert.match(en, /Crossings\s+38 \(\d+ confirmed\)/);
    assert.match(en, /… and 18 more \(see --json\)/);
    assert.match(en, /Gaps\s+08:03:10 UTC – 08:33:20 UTC \(30 min 10 s, side changed\)/);
    const es = trackReportText(report, 'es');
    assert.match(es, /Cruces\s+38/);
    assert.match(es, /… y 18 más \(véase --json\)/);
    assert.match(es, /Interrupciones\s+.*cambió de lado/);
  });

  it('a territory the unit never entered has no depth, and the JSON says null', async () => {
    const report = await analyzeTrack(itemsOf([fixAt('north', T0, 100), fixAt('north', T0 + 60_000, 300)]), layers);
    assert.match(trackReportText(report, 'en'), /Deepest\s+United States 300 m · Mexico never/);
    const json = trackReportJson(report) as { units: { max_depth_m: Record<string, number | null>; time_in: Record<string, number> }[] };
    assert.deepEqual(json.units[0].max_depth_m, { US: 300, MX: null });
    assert.deepEqual(json.units[0].time_in, { US: 60, MX: 0 });
  });

  it('an empty input gives an empty report, not an error', async () => {
    const report = await analyzeTrack(itemsOf([]), layers);
    assert.deepEqual(trackReportJson(report), { units: [], rejected: [] });
    assert.equal(JSON.parse([...trackReportGeoJson(report)].join('')).features.length, 0);
    assert.match(trackReportText(report, 'es'), /No hay posiciones/);
  });
});
