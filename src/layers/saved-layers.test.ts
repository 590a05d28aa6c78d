import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLayers, classify } from '../geo/index.js';
import { buildDefaultLayers } from './load-layers.js';
import { restoreLayers, saveLayers } from './saved-layers.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

test('the saved default layers answer exactly as the layers built from the GeoJSON', () => {
  const built = buildDefaultLayers();
  const bytes = saveLayers(built, 'abc');
  const restored = restoreLayers(bytes, 'abc');
  // Another, asked before anything is unpacked: what is unpacked on first need answers the same.
  const lazy = restoreLayers(bytes, 'abc');
  assert.ok(restored && lazy);
  // The territories' grid is unpacked on first use, and the union's edges when first needed; unpacked, they
  // are the grids that were built.
  restored.territoryGrid?.parts();
  restored.territoryGrid?.union.parts();
  assert.deepEqual({ ...restored, boundary: null }, { ...built, boundary: null });
  const rnd = seeded(9);
  for (let i = 0; i < 5000; i++) {
    // Along the line, from metres to tens of kilometres off it, and both sides of the 64-query grid start.
    const v = Math.floor(rnd() * built.boundary.lonDeg.length);
    const p = { lat: built.boundary.latDeg[v] + (rnd() - 0.5) * 10 ** (-5 + 4 * rnd()), lon: built.boundary.lonDeg[v] + (rnd() - 0.5) * 10 ** (-5 + 4 * rnd()) };
    const expected = classify(p, built);
    assert.deepEqual(classify(p, lazy), expected);
    assert.deepEqual(classify(p, restored), expected);
  }
});

test('saved layers from another GeoJSON, or damaged, are not used', () => {
  const bytes = saveLayers(buildDefaultLayers(), 'abc');
  assert.equal(restoreLayers(bytes, 'abd'), null);
  assert.equal(restoreLayers(bytes.subarray(0, 100), 'abc'), null);
  assert.equal(restoreLayers(new Uint8Array(3), 'abc'), null);
});

test('layers whose coordinates are not short decimals are saved and restored exactly too', () => {
  // Thirds of a degree have no exact decimal form: the saved floats are kept as they are.
  const third = (n: number) => n / 3;
  const border: [number, number][] = [[third(-321), third(93.9)], [third(-320.4), third(93.6)], [third(-319.5), third(94.2)]];
  const ring = (far: number): [number, number][] => [...border, [border[2][0], far], [border[0][0], far], border[0]];
  const fc = {
    type: 'FeatureCollection' as const,
    features: [
      { type: 'Feature' as const, properties: { territory: 'US' }, geometry: { type: 'Polygon' as const, coordinates: [ring(32)] } },
      { type: 'Feature' as const, properties: { territory: 'MX' }, geometry: { type: 'Polygon' as const, coordinates: [[...ring(30)].reverse()] } },
    ],
  };
  const built = buildLayers(fc, null, { boundaryFile: 'thirds.geojson' });
  const restored = restoreLayers(saveLayers(built, 'abc'), 'abc');
  assert.ok(restored);
  assert.deepEqual(restored.territoryGrid?.parts(), built.territoryGrid?.parts());
  assert.deepEqual(restored.territoryGrid?.union.parts(), built.territoryGrid?.union.parts());
  assert.deepEqual([restored.boundary.lonDeg, restored.boundary.latDeg], [built.boundary.lonDeg, built.boundary.latDeg]);
  const rnd = seeded(3);
  for (let i = 0; i < 2000; i++) {
    const p = { lat: 30.5 + rnd() * 1.5, lon: -107.2 + rnd() * 0.7 };
    assert.deepEqual(classify(p, restored), classify(p, built));
  }
});
