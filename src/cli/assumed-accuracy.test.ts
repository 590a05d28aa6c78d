import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLayers, classify } from '../geo/index.js';
import { loadDefaultBoundary } from '../layers/node.js';
import { assumedAccuracyOptions } from './assumed-accuracy.js';

const layers = buildLayers(loadDefaultBoundary(), null);
const clint = { lat: 31.5603, lon: -106.2237 };

test('--assumed-accuracy sets the accuracy assumed for every source, or per source', () => {
  assert.equal(assumedAccuracyOptions(undefined), undefined);
  const all = assumedAccuracyOptions('30');
  assert.equal(classify({ ...clint, source: 'cot' }, layers, all).accuracyM, 30);
  const perSource = assumedAccuracyOptions('cot=50,osmand=15');
  const cot = classify({ ...clint, source: 'cot' }, layers, perSource);
  assert.deepEqual([cot.accuracyM, cot.accuracyAssumed], [50, true]);
  assert.equal(classify({ ...clint, source: 'osmand' }, layers, perSource).accuracyM, 15);
  assert.equal(classify({ ...clint, source: 'nmea' }, layers, perSource).accuracyM, 20, 'a source not named keeps the default');
  assert.equal(classify({ ...clint, source: 'cot', accuracyM: 4 }, layers, perSource).accuracyM, 4, 'a stated accuracy is never replaced');
});

test('a bad --assumed-accuracy names the flag', () => {
  for (const bad of ['-3', 'radio=5', 'cot=', 'cot=5=6', 'abc']) {
    assert.throws(() => assumedAccuracyOptions(bad), (e: { place?: { field?: string } }) => e.place?.field === 'assumed-accuracy', bad);
  }
});
