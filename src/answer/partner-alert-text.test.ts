import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedLineDistance } from './partner-alert-text.js';

test('a partner unit shared at ±354 m whose cell centre is 74 m from the line is within 428 m of it, never "at least 0 cm"', () => {
  assert.equal(sharedLineDistance(0, 74 + 354, 'en'), 'within 428 m of the line');
  assert.equal(sharedLineDistance(0, 74 + 354, 'es'), 'a menos de 428 m de la línea');
});

test('a partner unit whose whole cell lies away from the line is given as a range', () => {
  assert.equal(sharedLineDistance(646, 1354, 'en'), '646 m to 1.35 km from the line');
  assert.equal(sharedLineDistance(646, 1354, 'es'), 'entre 646 m y 1.35 km de la línea');
});
