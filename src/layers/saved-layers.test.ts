import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify } from '../geo/index.js';
import { buildDefaultLayers } from './load-layers.js';
import { restoreLayers, saveLayers } from './saved-layers.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';

test('the saved default layers answer exactly as the layers built from the GeoJSON', () => {
  const built = buildDefaultLayers();
  const restored = restoreLayers(saveLayers(built, 'abc'), 'abc');
  assert.ok(restored);
  assert.deepEqual({ ...restored, boundary: null }, { ...built, boundary: null });
  const rnd = seeded(9);
  for (let i = 0; i < 5000; i++) {
    // Along the line, from metres to tens of kilometres off it, and both sides of the 64-query grid start.
    const v = Math.floor(rnd() * built.boundary.lonDeg.length);
    const p = { lat: built.boundary.latDeg[v] + (rnd() - 0.5) * 10 ** (-5 + 4 * rnd()), lon: built.boundary.lonDeg[v] + (rnd() - 0.5) * 10 ** (-5 + 4 * rnd()) };
    assert.deepEqual(classify(p, restored), classify(p, built));
  }
});

test('saved layers from another GeoJSON, or damaged, are not used', () => {
  const bytes = saveLayers(buildDefaultLayers(), 'abc');
  assert.equal(restoreLayers(bytes, 'abd'), null);
  assert.equal(restoreLayers(bytes.subarray(0, 100), 'abc'), null);
  assert.equal(restoreLayers(new Uint8Array(3), 'abc'), null);
});
