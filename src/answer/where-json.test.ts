import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureCollection } from 'geojson';
import { buildLayers, classify } from '../geo/index.js';
import { whereJson, whereJsonText } from './where-json.js';

test('the written-out where JSON is byte for byte what JSON.stringify gives, with and without a fence', () => {
  const line = (coordinates: number[][], props: Record<string, unknown>): FeatureCollection => ({
    type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates } }],
  });
  const boundary = line([[-107, 31.5], [-106, 31.5]], { left: 'US', right: 'MX' });
  const fence = line([[-107, 31.51], [-106, 31.51]], { name: 'Fence "A" \\ north', illustrative: true });
  const withFence = buildLayers(boundary, fence), without = buildLayers(boundary, null);
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 3000; i++) {
    const p = { lat: 31.3 + rnd() * 0.4, lon: -106.9 + rnd() * 0.8, accuracyM: rnd() < 0.5 ? undefined : rnd() * 500 };
    for (const layers of [withFence, without]) {
      const det = classify(p, layers);
      assert.equal(whereJsonText(det, '13RCQ0000000000'), JSON.stringify(whereJson(det, '13RCQ0000000000')));
    }
  }
});
