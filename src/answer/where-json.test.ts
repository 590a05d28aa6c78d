import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureCollection } from 'geojson';
import { buildLayers, classify } from '../geo/index.js';
import { Value } from '@sinclair/typebox/value';
import { ByteWriter, isCanonicalNumberText, roundedText, whereJson, whereJsonText, writeWhereJson } from './where-json.js';
import { WhereSchema } from './where-schema.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

test('the written-out where JSON is byte for byte what JSON.stringify gives, with and without a fence', () => {
  const line = (coordinates: number[][], props: Record<string, unknown>): FeatureCollection => ({
    type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates } }],
  });
  const boundary = line([[-107, 31.5], [-106, 31.5]], { left: 'US', right: 'MX' });
  const fence = line([[-107, 31.51], [-106, 31.51]], { name: 'Fence "A" \\ north', illustrative: true });
  const withFence = buildLayers(boundary, fence), without = buildLayers(boundary, null);
  const rnd = seeded(3);
  for (let i = 0; i < 3000; i++) {
    // A third of them written as MGRS references of 1 m to 100 km squares.
    const p = { lat: 31.3 + rnd() * 0.4, lon: -106.9 + rnd() * 0.8, accuracyM: rnd() < 0.5 ? undefined : rnd() * 500, squareM: rnd() < 0.3 ? 10 ** Math.floor(rnd() * 6) : undefined };
    for (const layers of [withFence, without]) {
      const det = classify(p, layers);
      assert.equal(whereJsonText(det, '13RCQ0000000000'), JSON.stringify(whereJson(det, '13RCQ0000000000')));
    }
  }
});

test('every where answer lindero writes is valid against the one wire schema, and the schema refuses one missing a field', () => {
  const boundary: FeatureCollection = {
    type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: [[-107, 31.5], [-106, 31.5]] } }],
  };
  const layers = buildLayers(boundary, null, { coverageM: 20_000 });
  const answers = [[31.6, -106.5], [31.4, -106.5], [40, -106.5], [31.5, -110], [31.6, -106.5, 1000]]
    .map(([lat, lon, squareM]) => JSON.parse(whereJsonText(classify({ lat, lon, squareM }, layers), '13RCQ0000000000')));
  assert.deepEqual(answers.map((a) => a.territory), ['US', 'MX', null, null, 'US']);
  assert.deepEqual(answers.map((a) => a.square_m), [undefined, undefined, undefined, undefined, 1000]);
  for (const answer of answers) assert.ok(Value.Check(WhereSchema, answer), JSON.stringify([...Value.Errors(WhereSchema, answer)].slice(0, 2)));
  const { territory: _dropped, ...withoutTerritory } = answers[0];
  assert.equal(Value.Check(WhereSchema, withoutTerritory), false);
});

test('numbers print as JSON prints the rounded value: across magnitudes, signs, ties and the exponent range', () => {
  const rnd = seeded(11);
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  const values = [0, -0, 0.5, -0.5, 1e-7, 4.99999e-7, 5e-7, 1e-6, 123456789.123456789, 2 ** 52, 2 ** 53 + 2, 1e21, -1e21, 359.99995, 0.00005, 0.000049999];
  for (let i = 0; i < 200_000; i++) {
    const magnitude = 10 ** (-8 + rnd() * 18);
    values.push((rnd() < 0.5 ? -1 : 1) * magnitude * rnd());
  }
  for (const x of values) {
    for (const d of [4, 6, 9]) assert.equal(roundedText(x, d), JSON.stringify(round(x, d)), `${x} to ${d} places`);
  }
});

test('names that need escaping or are not ASCII are written as JSON.stringify writes them', () => {
  const out = new ByteWriter(4);
  for (const name of ['Cerca "Sur"', 'Valla río Bravo — tramo ñ', 'tab\there', 'emoji 🛂', '\\', '']) {
    out.used = 0;
    out.jsonString(name);
    assert.equal(out.toString(), JSON.stringify(name));
  }
});

test('numbers copied from the input line are exactly what JSON would print, or printed afresh', () => {
  const boundary: FeatureCollection = {
    type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: [[-107, 31.5], [-106, 31.5]] } }],
  };
  const layers = buildLayers(boundary, null);
  const out = new ByteWriter();
  const texts = ['31.5', '31.50', '031.5', '-0', '0', '31', '31.', '1e1', '0.0000001', '0.000001', '31.123456789012345', '31.1234567890123456', '-31.25', '-31.250', '+31.5'];
  for (const latText of texts) {
    for (const lonText of ['-106.5', '-106.50', '-106']) {
      const text = `${latText},${lonText}`;
      const lat = Number(latText), lon = Number(lonText);
      const det = classify({ lat, lon }, layers);
      const lonStart = latText.length + 1;
      out.used = 0;
      writeWhereJson(out, det, '13RCQ0000000000', {
        text,
        latEnd: isCanonicalNumberText(text, 0, latText.length) ? latText.length : -1,
        lonStart: isCanonicalNumberText(text, lonStart, text.length) ? lonStart : -1,
      });
      assert.equal(out.toString(), JSON.stringify(whereJson(det, '13RCQ0000000000')), text);
    }
  }
});
